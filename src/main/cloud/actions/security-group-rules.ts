// Security group rules (ECS API): AuthorizeSecurityGroup(Egress), RevokeSecurityGroup(Egress),
// ModifySecurityGroupRule, DescribeSecurityGroupAttribute. SEMANTICS H1: priority 1–100
// (smaller first, drop wins at equal priority — the engine's concern), a rule's identity
// (direction, protocol, ports, peer, policy, priority), an identical rule is a success that
// adds nothing, at most 200 rules (ingress + egress) per group.
//
// Codes: InvalidSecurityGroupId.NotFound, InvalidIpProtocol.Malformed,
// InvalidIpPortRange.Malformed, InvalidSourceCidrIp.Malformed, InvalidDestCidrIp.Malformed,
// InvalidPolicy.Malformed, InvalidPriority.Malformed, AuthorizationLimitExceed (the 201st rule),
// InvalidParameter.Conflict (a CIDR and a group as the peer), MissingParameter (no peer), and
// lab codes InvalidSourceGroupId.Mismatch / InvalidDestGroupId.Mismatch (a peer group of
// another VPC), InvalidSecurityGroupRuleId.NotFound (no rule has that ID, or it belongs to
// the other direction), InvalidSecurityGroupRule.RuleNotExist (Revoke by fields, nothing
// matches), InvalidSecurityGroupRule.Duplicated (ModifySecurityGroupRule would make a
// rule identical to another).

import { action, type ActionContext } from '../context';
import { invalid, missing, quoted } from '../errors';
import type { SecurityGroup, SecurityGroupRule, SgPolicy, SgProtocol } from '../model';
import { idList, int, name, reqStr, str, type Params } from '../params';
import { cidrParam } from './vpn-common';
import { sgOf } from './security-group';

/** Rules per group, ingress and egress together (H1). */
export const MAX_RULES_PER_GROUP = 200;

export const SG_PROTOCOLS: readonly SgProtocol[] = ['tcp', 'udp', 'icmp', 'gre', 'all'];

/** IpProtocol / Protocol, case-insensitive (`TCP`, `tcp`), as stored: lower case. */
export function protocolOf(raw: string, param: string): SgProtocol {
  const v = raw.toLowerCase();
  if (!(SG_PROTOCOLS as readonly string[]).includes(v)) throw invalid('InvalidIpProtocol.Malformed', param, `${quoted(raw)} is not one of ${SG_PROTOCOLS.join(', ')}`);
  return v as SgProtocol;
}

/** `a/b` with 1 ≤ a ≤ b ≤ 65535 for tcp and udp, `-1/-1` for icmp, gre and all. */
export function portRangeOf(raw: string, proto: SgProtocol, param: string, code = 'InvalidIpPortRange.Malformed'): string {
  const m = /^(-?[0-9]{1,5})\/(-?[0-9]{1,5})$/.exec(raw.trim());
  if (proto === 'tcp' || proto === 'udp') {
    const a = m ? Number(m[1]) : NaN;
    const b = m ? Number(m[2]) : NaN;
    if (!(a >= 1 && b <= 65535 && a <= b)) throw invalid(code, param, `${quoted(raw)} is not a port range a/b with 1 <= a <= b <= 65535 (${proto})`);
    return `${a}/${b}`;
  }
  if (!m || m[1] !== '-1' || m[2] !== '-1') throw invalid(code, param, `${quoted(raw)}: ${proto} takes the port range -1/-1`);
  return '-1/-1';
}

export function policyOf(raw: string | undefined, param: string, dflt: SgPolicy = 'accept'): SgPolicy {
  if (raw === undefined) return dflt;
  const v = raw.toLowerCase();
  if (v !== 'accept' && v !== 'drop') throw invalid('InvalidPolicy.Malformed', param, `${quoted(raw)} is not accept or drop`);
  return v;
}

function priorityOf(p: Params, param = 'Priority', dflt?: number): number {
  try {
    return int(p, param, 1, 100, dflt);
  } catch (e) {
    throw invalid('InvalidPriority.Malformed', param, `${quoted(String(p[param]))} is not an integer from 1 to 100`);
  }
}

type Direction = SecurityGroupRule['Direction'];
const PEER = {
  ingress: { cidr: 'SourceCidrIp', group: 'SourceGroupId', cidrCode: 'InvalidSourceCidrIp.Malformed', groupCode: 'InvalidSourceGroupId.Mismatch' },
  egress: { cidr: 'DestCidrIp', group: 'DestGroupId', cidrCode: 'InvalidDestCidrIp.Malformed', groupCode: 'InvalidDestGroupId.Mismatch' },
} as const;

/** The peer of a rule of `g`: a CIDR block or a group of the same VPC, exactly one. */
function peerOf(ctx: ActionContext, g: SecurityGroup, p: Params, dir: Direction, required: boolean): { cidr: string; group: string } | undefined {
  const k = PEER[dir];
  const c = str(p, k.cidr);
  const gid = str(p, k.group);
  if (c !== undefined && gid !== undefined) throw invalid('InvalidParameter.Conflict', k.group, `give ${k.cidr} or ${k.group}, not both`);
  if (c !== undefined) return { cidr: cidrParam(c, k.cidr, k.cidrCode).text, group: '' };
  if (gid !== undefined) {
    const peer = sgOf(ctx, gid, k.group);
    if (peer.VpcId !== g.VpcId) throw invalid(k.groupCode, k.group, `${peer.SecurityGroupId} is in ${peer.VpcId}, ${g.SecurityGroupId} in ${g.VpcId}`);
    return { cidr: '', group: peer.SecurityGroupId };
  }
  if (required) throw missing(k.cidr);
  return undefined;
}

/** The fields that make two rules the same rule (H1). */
const identity = (r: SecurityGroupRule): string =>
  [r.Direction, r.IpProtocol, r.PortRange, r.SourceCidrIp, r.SourceGroupId, r.DestCidrIp, r.DestGroupId, r.Policy, r.Priority].join('|');

/** The rule Authorize or Revoke describes by its fields (no ID, no description). */
function ruleFromFields(ctx: ActionContext, g: SecurityGroup, p: Params, dir: Direction): Omit<SecurityGroupRule, 'SecurityGroupRuleId' | 'Description' | 'CreateTime'> {
  const IpProtocol = protocolOf(reqStr(p, 'IpProtocol'), 'IpProtocol');
  const PortRange = portRangeOf(reqStr(p, 'PortRange'), IpProtocol, 'PortRange');
  const peer = peerOf(ctx, g, p, dir, true)!;
  return {
    Direction: dir, IpProtocol, PortRange,
    SourceCidrIp: dir === 'ingress' ? peer.cidr : '', SourceGroupId: dir === 'ingress' ? peer.group : '',
    DestCidrIp: dir === 'egress' ? peer.cidr : '', DestGroupId: dir === 'egress' ? peer.group : '',
    Policy: policyOf(str(p, 'Policy'), 'Policy'), Priority: priorityOf(p, 'Priority', 1),
  };
}

function authorize(dir: Direction) {
  const k = PEER[dir];
  return action(['SecurityGroupId', 'IpProtocol', 'PortRange', k.cidr, k.group, 'Policy', 'Priority', 'Description'], (ctx, p) => {
    const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
    const fields = ruleFromFields(ctx, g, p, dir);
    const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 512) ?? '';
    const key = identity({ ...fields, SecurityGroupRuleId: '', Description: '', CreateTime: '' });
    const same = g.Rules.find((r) => identity(r) === key);
    if (same) return { SecurityGroupRuleId: same.SecurityGroupRuleId };
    if (g.Rules.length >= MAX_RULES_PER_GROUP) {
      throw invalid('AuthorizationLimitExceed', 'SecurityGroupId', `${g.SecurityGroupId} already has ${g.Rules.length} rules; a group holds at most ${MAX_RULES_PER_GROUP} (ingress and egress together)`);
    }
    const SecurityGroupRuleId = ctx.newId('sgr');
    g.Rules.push({ SecurityGroupRuleId, ...fields, Description, CreateTime: ctx.isoNow() });
    return { SecurityGroupRuleId };
  });
}

function revoke(dir: Direction) {
  const k = PEER[dir];
  return action(['SecurityGroupId', 'SecurityGroupRuleId', 'IpProtocol', 'PortRange', k.cidr, k.group, 'Policy', 'Priority'], (ctx, p) => {
    const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
    const ids = idList(p, 'SecurityGroupRuleId');
    if (ids.length > 0) {
      for (const id of ids) {
        if (!g.Rules.some((r) => r.SecurityGroupRuleId === id && r.Direction === dir)) {
          throw invalid('InvalidSecurityGroupRuleId.NotFound', 'SecurityGroupRuleId', `${g.SecurityGroupId} has no ${dir} rule ${quoted(id)}`);
        }
      }
      g.Rules = g.Rules.filter((r) => !ids.includes(r.SecurityGroupRuleId));
      return {};
    }
    const fields = ruleFromFields(ctx, g, p, dir);
    const key = identity({ ...fields, SecurityGroupRuleId: '', Description: '', CreateTime: '' });
    const i = g.Rules.findIndex((r) => identity(r) === key);
    if (i < 0) throw invalid('InvalidSecurityGroupRule.RuleNotExist', 'IpProtocol', `${g.SecurityGroupId} has no ${dir} rule ${fields.Policy} ${fields.IpProtocol} ${fields.PortRange} at priority ${fields.Priority} with that peer`);
    g.Rules.splice(i, 1);
    return {};
  }, { flat: ['SecurityGroupRuleId'] });
}

export const AuthorizeSecurityGroup = authorize('ingress');
export const AuthorizeSecurityGroupEgress = authorize('egress');
export const RevokeSecurityGroup = revoke('ingress');
export const RevokeSecurityGroupEgress = revoke('egress');

export const ModifySecurityGroupRule = action(
  ['SecurityGroupId', 'SecurityGroupRuleId', 'IpProtocol', 'PortRange', 'SourceCidrIp', 'SourceGroupId', 'DestCidrIp', 'DestGroupId', 'Policy', 'Priority', 'Description'],
  (ctx, p) => {
    const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
    const id = reqStr(p, 'SecurityGroupRuleId');
    const r = g.Rules.find((x) => x.SecurityGroupRuleId === id);
    if (!r) throw invalid('InvalidSecurityGroupRuleId.NotFound', 'SecurityGroupRuleId', `${g.SecurityGroupId} has no rule ${quoted(id)}`);
    const other: Direction = r.Direction === 'ingress' ? 'egress' : 'ingress';
    for (const f of [PEER[other].cidr, PEER[other].group]) {
      if (str(p, f) !== undefined) throw invalid('InvalidParameter', f, `${id} is an ${r.Direction} rule: its peer is ${PEER[r.Direction].cidr} or ${PEER[r.Direction].group}`);
    }
    const next: SecurityGroupRule = { ...r };
    const proto = str(p, 'IpProtocol');
    if (proto !== undefined) next.IpProtocol = protocolOf(proto, 'IpProtocol');
    const ports = str(p, 'PortRange');
    // A new protocol without a new range keeps the range only where it still fits (icmp → -1/-1).
    next.PortRange = portRangeOf(ports ?? (proto !== undefined && !['tcp', 'udp'].includes(next.IpProtocol) ? '-1/-1' : r.PortRange), next.IpProtocol, 'PortRange');
    const peer = peerOf(ctx, g, p, r.Direction, false);
    if (peer && r.Direction === 'ingress') [next.SourceCidrIp, next.SourceGroupId] = [peer.cidr, peer.group];
    if (peer && r.Direction === 'egress') [next.DestCidrIp, next.DestGroupId] = [peer.cidr, peer.group];
    next.Policy = policyOf(str(p, 'Policy'), 'Policy', r.Policy);
    next.Priority = priorityOf(p, 'Priority', r.Priority);
    next.Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 512) ?? r.Description;
    const twin = g.Rules.find((x) => x !== r && identity(x) === identity(next));
    if (twin) throw invalid('InvalidSecurityGroupRule.Duplicated', 'SecurityGroupRuleId', `the changed rule would be identical to ${twin.SecurityGroupRuleId}`);
    g.Rules[g.Rules.indexOf(r)] = next;
    return {};
  },
);

export const DescribeSecurityGroupAttribute = action(['SecurityGroupId', 'Direction'], (ctx, p) => {
  const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
  const dir = (str(p, 'Direction') ?? 'all').toLowerCase();
  if (!['ingress', 'egress', 'all'].includes(dir)) throw invalid('InvalidParameter', 'Direction', `${quoted(dir)} is not one of ingress, egress, all`);
  const rules = g.Rules.filter((r) => dir === 'all' || r.Direction === dir);
  return {
    SecurityGroupId: g.SecurityGroupId, SecurityGroupName: g.SecurityGroupName, VpcId: g.VpcId, SecurityGroupType: g.SecurityGroupType,
    InnerAccessPolicy: g.InnerAccessPolicy, Description: g.Description,
    Permissions: {
      Permission: rules.map((r) => ({
        SecurityGroupRuleId: r.SecurityGroupRuleId, Direction: r.Direction, IpProtocol: r.IpProtocol, PortRange: r.PortRange,
        SourceCidrIp: r.SourceCidrIp, SourceGroupId: r.SourceGroupId, DestCidrIp: r.DestCidrIp, DestGroupId: r.DestGroupId,
        Policy: r.Policy, Priority: r.Priority, Description: r.Description, CreateTime: r.CreateTime,
      })),
    },
  };
});
