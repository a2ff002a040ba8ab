// Security group rules (ECS API): AuthorizeSecurityGroup(Egress), RevokeSecurityGroup(Egress),
// ModifySecurityGroupRule, DescribeSecurityGroupAttribute. SEMANTICS H1: priority 1–100
// (smaller first, drop wins at equal priority — the engine's concern), a rule's identity
// (direction, protocol, ports, peer, policy, priority), an identical rule is a success that
// adds nothing, at most 200 rules (ingress + egress) per group.
//
// Codes, as docs/security-rules.md SG8, SG9 and SG12 have them: InvalidSecurityGroupId.NotFound
// (404), InvalidIpProtocol.ValueNotSupported, InvalidParam.PortRange (not `a/b` in range),
// OperationDenied (a range that does not fit the protocol: icmp with 22/22, tcp with -1/-1),
// InvalidParam.SourceCidrIp / InvalidParam.DestCidrIp, MissingParameter.Source /
// MissingParameter.Dest (no peer), InvalidSourceGroupId.NotFound / InvalidDestGroupId.NotFound
// (404), InvalidSourceGroupId.Mismatch / InvalidDestGroupId.Mismatch (a peer group of another
// VPC), InvalidGroupAuthParameter.OperationDenied (a group peer in, or pointing to, an
// enterprise group), InvalidPolicy.Malformed, InvalidPriority.ValueNotSupported (out of 1–100;
// InvalidPriority.Malformed when not a number), AuthorizationLimitExceed (403, the 201st rule),
// AuthorizedGroupRule.LimitExceed (the 21st group-peer rule), InvalidSecurityGroupRuleId.NotFound
// (404), InvalidParam.SecurityGroupRuleIdRepeated; lab codes OperationDenied.PeerKind
// (ModifySecurityGroupRule turning a CIDR peer into a group or back, SG9) and
// InvalidSecurityGroupRule.Duplicated (a change that makes the rule identical to another).
// A CIDR and a group both given: the CIDR wins (SG9). Revoke by fields with no match is a
// success that deletes nothing (SG9).

import { action, type ActionContext } from '../context';
import { ApiError, invalid, notFound, quoted } from '../errors';
import type { SecurityGroup, SecurityGroupRule, SgPolicy, SgProtocol } from '../model';
import { idList, int, name, reqStr, str, type Params } from '../params';
import { cidrParam } from './vpn-common';
import { sgOf } from './security-group';

/** Rules per group, ingress and egress together (H1). */
export const MAX_RULES_PER_GROUP = 200;
/** Rules whose peer is a group, per basic group (SG6). */
export const MAX_GROUP_PEER_RULES = 20;

export const SG_PROTOCOLS: readonly SgProtocol[] = ['tcp', 'udp', 'icmp', 'gre', 'all'];

/** IpProtocol / Protocol, case-insensitive (`TCP`, `tcp`), as stored: lower case. */
export function protocolOf(raw: string, param: string, code = 'InvalidIpProtocol.ValueNotSupported'): SgProtocol {
  const v = raw.toLowerCase();
  if (!(SG_PROTOCOLS as readonly string[]).includes(v)) throw invalid(code, param, `${quoted(raw)} is not one of ${SG_PROTOCOLS.join(', ')}`);
  return v as SgProtocol;
}

/**
 * `a/b` with 1 ≤ a ≤ b ≤ 65535 for tcp and udp, `-1/-1` for icmp, gre and all. `code`: a
 * malformed range; `misfit`: a well-formed range of the wrong kind for the protocol.
 */
export function portRangeOf(raw: string, proto: SgProtocol, param: string, code = 'InvalidParam.PortRange', misfit = 'OperationDenied'): string {
  const m = /^(-?[0-9]{1,5})\/(-?[0-9]{1,5})$/.exec(raw.trim());
  const any = m !== null && m[1] === '-1' && m[2] === '-1';
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2]) : NaN;
  const range = a >= 1 && b <= 65535 && a <= b;
  if (!any && !range) throw invalid(code, param, `${quoted(raw)} is not a port range a/b with 1 <= a <= b <= 65535, nor -1/-1`);
  if (proto === 'tcp' || proto === 'udp') {
    if (!range) throw invalid(misfit, param, `${proto} takes a port range a/b with 1 <= a <= b <= 65535, not ${raw}`);
    return `${a}/${b}`;
  }
  if (!any) throw invalid(misfit, param, `${quoted(raw)}: ${proto} takes the port range -1/-1`);
  return '-1/-1';
}

export function policyOf(raw: string | undefined, param: string, dflt: SgPolicy = 'accept', code = 'InvalidPolicy.Malformed'): SgPolicy {
  if (raw === undefined) return dflt;
  const v = raw.toLowerCase();
  if (v !== 'accept' && v !== 'drop') throw invalid(code, param, `${quoted(raw)} is not accept or drop`);
  return v;
}

function priorityOf(p: Params, param: string, dflt: number): number {
  const v = p[param];
  if (v === undefined || v === '') return dflt;
  if (!/^-?[0-9]{1,10}$/.test(String(v))) throw invalid('InvalidPriority.Malformed', param, `${quoted(String(v))} is not a number`);
  return (() => {
    try {
      return int(p, param, 1, 100, dflt);
    } catch {
      throw invalid('InvalidPriority.ValueNotSupported', param, `${quoted(String(v))} is not from 1 to 100`);
    }
  })();
}

type Direction = SecurityGroupRule['Direction'];
const PEER = {
  ingress: { cidr: 'SourceCidrIp', group: 'SourceGroupId', cidrCode: 'InvalidParam.SourceCidrIp', groupCode: 'InvalidSourceGroupId', missing: 'MissingParameter.Source' },
  egress: { cidr: 'DestCidrIp', group: 'DestGroupId', cidrCode: 'InvalidParam.DestCidrIp', groupCode: 'InvalidDestGroupId', missing: 'MissingParameter.Dest' },
} as const;

/** The peer of a rule of `g`: a CIDR block (which wins when a group is given too, SG9) or a group of the same VPC. */
function peerOf(ctx: ActionContext, g: SecurityGroup, p: Params, dir: Direction, required: boolean): { cidr: string; group: string } | undefined {
  const k = PEER[dir];
  const c = str(p, k.cidr);
  const gid = str(p, k.group);
  if (c !== undefined) return { cidr: cidrParam(c, k.cidr, k.cidrCode).text, group: '' };
  if (gid !== undefined) {
    const peer = ctx.model.securityGroups.find((x) => x.SecurityGroupId === gid);
    if (!peer) throw notFound(`${k.groupCode}.NotFound`, k.group, gid);
    if (peer.VpcId !== g.VpcId) throw invalid(`${k.groupCode}.Mismatch`, k.group, `${peer.SecurityGroupId} is in ${peer.VpcId}, ${g.SecurityGroupId} in ${g.VpcId}`);
    if (g.SecurityGroupType === 'enterprise' || peer.SecurityGroupType === 'enterprise') {
      throw invalid('InvalidGroupAuthParameter.OperationDenied', k.group, 'a group is a peer only in, and of, basic (normal) groups');
    }
    return { cidr: '', group: peer.SecurityGroupId };
  }
  if (required) throw new ApiError(k.missing, `The input parameter "${k.cidr}" or "${k.group}" that is mandatory for processing this request is not supplied.`, 400, k.cidr);
  return undefined;
}

const groupPeer = (r: SecurityGroupRule): boolean => r.SourceGroupId !== '' || r.DestGroupId !== '';

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
      throw new ApiError('AuthorizationLimitExceed', `SecurityGroupId: ${g.SecurityGroupId} already has ${g.Rules.length} rules; a group holds at most ${MAX_RULES_PER_GROUP} (ingress and egress together)`, 403, 'SecurityGroupId');
    }
    if ((fields.SourceGroupId !== '' || fields.DestGroupId !== '') && g.Rules.filter(groupPeer).length >= MAX_GROUP_PEER_RULES) {
      throw invalid('AuthorizedGroupRule.LimitExceed', PEER[dir].group, `${g.SecurityGroupId} already has ${MAX_GROUP_PEER_RULES} rules whose peer is a group, the most a basic group holds`);
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
      const rep = ids.find((id, i) => ids.indexOf(id) !== i);
      if (rep !== undefined) throw invalid('InvalidParam.SecurityGroupRuleIdRepeated', 'SecurityGroupRuleId', `${rep} is listed twice`);
      for (const id of ids) {
        if (!g.Rules.some((r) => r.SecurityGroupRuleId === id && r.Direction === dir)) {
          throw new ApiError('InvalidSecurityGroupRuleId.NotFound', `SecurityGroupRuleId: ${g.SecurityGroupId} has no ${dir} rule ${quoted(id)}`, 404, 'SecurityGroupRuleId');
        }
      }
      g.Rules = g.Rules.filter((r) => !ids.includes(r.SecurityGroupRuleId));
      return {};
    }
    const fields = ruleFromFields(ctx, g, p, dir);
    const key = identity({ ...fields, SecurityGroupRuleId: '', Description: '', CreateTime: '' });
    // No such rule: a success that deletes nothing (SG9).
    g.Rules = g.Rules.filter((r) => identity(r) !== key);
    return {};
  }, { flat: ['SecurityGroupRuleId'] });
}

export const AuthorizeSecurityGroup = authorize('ingress');
export const AuthorizeSecurityGroupEgress = authorize('egress');
export const RevokeSecurityGroup = revoke('ingress');
export const RevokeSecurityGroupEgress = revoke('egress');

/** ModifySecurityGroupRule (inbound; the lab takes an outbound rule too) and ModifySecurityGroupEgressRule (outbound). */
function modify(only?: Direction) {
  return action(
    ['SecurityGroupId', 'SecurityGroupRuleId', 'IpProtocol', 'PortRange', 'SourceCidrIp', 'SourceGroupId', 'DestCidrIp', 'DestGroupId', 'Policy', 'Priority', 'Description'],
    (ctx, p) => {
      const g = sgOf(ctx, reqStr(p, 'SecurityGroupId'));
      const id = reqStr(p, 'SecurityGroupRuleId');
      const r = g.Rules.find((x) => x.SecurityGroupRuleId === id && (only === undefined || x.Direction === only));
      if (!r) throw new ApiError('InvalidSecurityGroupRuleId.NotFound', `SecurityGroupRuleId: ${g.SecurityGroupId} has no ${only ?? ''} rule ${quoted(id)}`.replace('  ', ' '), 404, 'SecurityGroupRuleId');
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
      if (peer) {
        const wasGroup = groupPeer(r);
        if (wasGroup !== (peer.group !== '')) {
          const k = PEER[r.Direction];
          throw invalid('OperationDenied.PeerKind', wasGroup ? k.cidr : k.group, `the kind of peer of ${id} cannot change: it is a ${wasGroup ? 'group' : 'CIDR block'}; revoke it and authorize a new rule instead`);
        }
        if (r.Direction === 'ingress') [next.SourceCidrIp, next.SourceGroupId] = [peer.cidr, peer.group];
        else [next.DestCidrIp, next.DestGroupId] = [peer.cidr, peer.group];
      }
      next.Policy = policyOf(str(p, 'Policy'), 'Policy', r.Policy);
      next.Priority = priorityOf(p, 'Priority', r.Priority);
      next.Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 512) ?? r.Description;
      const twin = g.Rules.find((x) => x !== r && identity(x) === identity(next));
      if (twin) throw invalid('InvalidSecurityGroupRule.Duplicated', 'SecurityGroupRuleId', `the changed rule would be identical to ${twin.SecurityGroupRuleId}`);
      g.Rules[g.Rules.indexOf(r)] = next;
      return {};
    },
  );
}

export const ModifySecurityGroupRule = modify();
export const ModifySecurityGroupEgressRule = modify('egress');

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
        Policy: r.Policy, Priority: r.Priority, NicType: 'intranet', Description: r.Description, CreateTime: r.CreateTime,
      })),
    },
  };
});
