// Security groups and network ACLs compiled for the engine (engine/filter/): each ECS's
// groups merged into one rule list per direction, sorted as H1 says, and its vSwitch's ACL
// entries in their order (H4). Rule sets are shared by the ENIs that have the same groups, so
// a session's "accepted by this rule set" survives a recompile only where nothing changed for
// it — a changed rule set classifies its flows again on their next packet.

import { matchesAll, sgOrder, type AclEntryFw, type AclSideFw, type EniFilterFw, type RuleMatch, type SgRuleFw, type SgSideFw } from '../engine/filter/rules';
import { IpProtocol, parseIp } from '../engine/wire/ipv4';
import { cidrOf } from './cidr';
import type { CloudModel, Instance, NetworkAcl, NetworkAclEntry, SecurityGroup, SecurityGroupRule, SgProtocol } from './model';

/** Whether an ACL filters traffic between two ENIs of its own vSwitch: not, ACL1 (docs/security-rules.md). */
export const ACL_FILTERS_OWN_VSWITCH = false;

const PROTOCOL_NUMBERS: Record<SgProtocol, number> = { all: 0, tcp: IpProtocol.Tcp, udp: IpProtocol.Udp, icmp: IpProtocol.Icmp, gre: 47 };

/** A lab default group that still accepts everything inbound and has no outbound rule (actions/security-group.ts labDefaultGroup). */
function openLabDefault(g: SecurityGroup): boolean {
  return g.LabDefault === true && g.SecurityGroupType === 'normal' && g.Rules.length > 0 && g.Rules.every((r) =>
    r.Direction === 'ingress' && r.Policy === 'accept' && r.IpProtocol === 'all' && r.SourceCidrIp === '0.0.0.0/0');
}

export class FilterCompiler {
  private readonly members = new Map<string, Set<number>>();
  private readonly groups = new Map<string, SecurityGroup>();
  private readonly sides = new Map<string, { sgIn: SgSideFw; sgOut: SgSideFw }>();
  private readonly acls = new Map<string, { aclIn: AclSideFw; aclOut: AclSideFw }>();

  constructor(private readonly model: CloudModel) {
    for (const g of model.securityGroups) {
      this.groups.set(g.SecurityGroupId, g);
      this.members.set(g.SecurityGroupId, new Set());
    }
    for (const i of model.instances) {
      for (const id of i.SecurityGroupIds) this.members.get(id)?.add(parseIp(i.PrivateIpAddress));
    }
  }

  /** The instance's filters; null when it is in no group and its vSwitch has no ACL (nothing to check). */
  forInstance(i: Instance): EniFilterFw | null {
    return this.forEni(i.SecurityGroupIds, i.VSwitchId);
  }

  /** An ENI's filters by its groups and vSwitch (an ECS's, or an interface endpoint's in one zone). */
  forEni(groupIds: readonly string[], vswitchId: string): EniFilterFw | null {
    const all = groupIds.map((id) => this.groups.get(id)).filter((g): g is SecurityGroup => g !== undefined);
    // An ENI whose only group is the lab default group as RunInstances made it (accept all
    // inbound, no outbound rule, basic) is filtered by nothing: no hop in its traces, so the
    // tutorials without groups trace as they did. Once a trainer changes it, it is an ordinary
    // group; next to another group it still counts (its accept-all rule at priority 100).
    const groups = all.every(openLabDefault) ? [] : all;
    const acl = this.model.networkAcls.find((a) => a.VSwitchIds.includes(vswitchId));
    if (groups.length === 0 && acl === undefined) return null;
    const sg = groups.length > 0 ? this.sidesOf(groups) : { sgIn: OPEN_IN, sgOut: OPEN_OUT };
    const a = acl === undefined ? null : this.aclOf(acl, vswitchId);
    return { ...sg, aclIn: a?.aclIn ?? null, aclOut: a?.aclOut ?? null, stateful: !(sg.sgIn.open && sg.sgOut.open) };
  }

  private sidesOf(groups: SecurityGroup[]): { sgIn: SgSideFw; sgOut: SgSideFw } {
    const key = groups.map((g) => g.SecurityGroupId).join(',');
    let s = this.sides.get(key);
    if (s !== undefined) return s;
    const names = groups.map(groupLabel).join(', ');
    const rules = (dir: 'ingress' | 'egress'): SgRuleFw[] =>
      groups.flatMap((g) => g.Rules.filter((r) => r.Direction === dir).map((r) => this.rule(g, r))).sort(sgOrder);
    const inner = new Set<number>();
    for (const g of groups) {
      if (g.SecurityGroupType === 'normal' && g.InnerAccessPolicy === 'Accept') for (const a of this.members.get(g.SecurityGroupId) ?? []) inner.add(a);
    }
    const sgIn = side('inbound', rules('ingress'), inner.size > 0 ? inner : null, false, names);
    // H2: a basic group accepts all outbound; an enterprise group denies what no rule accepts.
    const sgOut = side('outbound', rules('egress'), inner.size > 0 ? inner : null, groups.every((g) => g.SecurityGroupType === 'normal'), names);
    s = { sgIn, sgOut };
    this.sides.set(key, s);
    return s;
  }

  private rule(g: SecurityGroup, r: SecurityGroupRule): SgRuleFw {
    const ingress = r.Direction === 'ingress';
    const peerGroup = ingress ? r.SourceGroupId : r.DestGroupId;
    const peerCidr = ingress ? r.SourceCidrIp : r.DestCidrIp;
    const m = match(r.IpProtocol, r.PortRange, peerGroup ? null : peerCidr || '0.0.0.0/0', peerGroup ? (this.members.get(peerGroup) ?? new Set()) : null);
    const peerWords = peerGroup ? `instances of ${groupLabel(this.groups.get(peerGroup) ?? { SecurityGroupId: peerGroup, SecurityGroupName: '' })}` : peerCidr || '0.0.0.0/0';
    return {
      ...m, accept: r.Policy === 'accept', priority: r.Priority, group: groupLabel(g), id: r.SecurityGroupRuleId,
      text: `priority ${r.Priority}, ${r.Policy} ${protoWords(r.IpProtocol, r.PortRange)} ${ingress ? 'from' : 'to'} ${peerWords}`,
      device: -1, counterName: `${g.SecurityGroupId} ${ingress ? 'inbound' : 'outbound'} ${r.SecurityGroupRuleId}`,
    };
  }

  private aclOf(acl: NetworkAcl, vswId: string): { aclIn: AclSideFw; aclOut: AclSideFw } {
    const key = `${acl.NetworkAclId} ${vswId}`;
    let a = this.acls.get(key);
    if (a !== undefined) return a;
    const vsw = this.model.vswitches.find((v) => v.VSwitchId === vswId);
    const c = vsw ? cidrOf(vsw.CidrBlock) : undefined;
    const own = ACL_FILTERS_OWN_VSWITCH || c === undefined ? null : { addr: c.addr, mask: c.len === 0 ? 0 : (0xffffffff << (32 - c.len)) >>> 0 };
    const label = acl.NetworkAclName ? `${acl.NetworkAclId} (${acl.NetworkAclName})` : acl.NetworkAclId;
    const entries = (list: NetworkAclEntry[], dir: 'inbound' | 'outbound'): AclEntryFw[] =>
      list.map((e) => ({
        ...match(e.Protocol, e.Port, e.CidrIp || '0.0.0.0/0', null), accept: e.Policy === 'accept', id: e.NetworkAclEntryId,
        text: `${e.Policy} ${protoWords(e.Protocol, e.Port)} ${dir === 'inbound' ? 'from' : 'to'} ${e.CidrIp || '0.0.0.0/0'}${e.EntryType === 'system' ? ', system entry' : ''}`,
        device: -1, counterName: `${acl.NetworkAclId} ${dir} ${e.NetworkAclEntryId}`,
      }));
    const mk = (dir: 'inbound' | 'outbound', list: NetworkAclEntry[]): AclSideFw => {
      const es = entries(list, dir);
      return { direction: dir, entries: es, label, own };
    };
    a = { aclIn: mk('inbound', acl.IngressAclEntries), aclOut: mk('outbound', acl.EgressAclEntries) };
    this.acls.set(key, a);
    return a;
  }
}

function side(direction: string, rules: SgRuleFw[], implicitPeers: ReadonlySet<number> | null, implicitAccept: boolean, groups: string): SgSideFw {
  const drops = rules.some((r) => !r.accept);
  const open = !drops && (rules.some((r) => r.accept && matchesAll(r)) || (rules.length === 0 && implicitAccept));
  return { direction, rules, implicitPeers, implicitAccept, groups, open };
}

/** An ENI in no group behind an ACL: the groups let everything through. */
const OPEN_IN: SgSideFw = { direction: 'inbound', rules: [], implicitPeers: null, implicitAccept: true, groups: 'no security group', open: true };
const OPEN_OUT: SgSideFw = { direction: 'outbound', rules: [], implicitPeers: null, implicitAccept: true, groups: 'no security group', open: true };

function match(protocol: SgProtocol, ports: string, cidr: string | null, peerSet: ReadonlySet<number> | null): RuleMatch {
  const [lo, hi] = portRange(ports);
  const c = cidr === null ? { addr: 0, len: 0 } : cidrOf(cidr);
  return { protocol: PROTOCOL_NUMBERS[protocol] ?? 0, portLo: lo, portHi: hi, peerAddr: c.addr, peerMask: c.len === 0 ? 0 : (0xffffffff << (32 - c.len)) >>> 0, peerSet };
}

/** `80/80` → [80, 80]; `-1/-1` (every port) → [0, 65535]. */
function portRange(s: string): [number, number] {
  const m = /^(-?\d+)\/(-?\d+)$/.exec(s);
  if (!m || m[1] === '-1') return [0, 65535];
  return [Number(m[1]), Number(m[2])];
}

function protoWords(protocol: SgProtocol, ports: string): string {
  if (protocol === 'tcp' || protocol === 'udp') return `${protocol} ${ports}`;
  return protocol;
}

function groupLabel(g: Pick<SecurityGroup, 'SecurityGroupId' | 'SecurityGroupName'>): string {
  return g.SecurityGroupName ? `${g.SecurityGroupId} (${g.SecurityGroupName})` : g.SecurityGroupId;
}
