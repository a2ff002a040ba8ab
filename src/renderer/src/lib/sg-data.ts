// What the Console's Security Groups and Network ACLs panels show: the groups
// (DescribeSecurityGroups) with each group's rules and internal access
// (DescribeSecurityGroupAttribute), and the network ACLs with their entries and vSwitches
// (DescribeNetworkAcls). Unwrapped into flat rows, every field coerced. The pure helpers
// below give the panels their words (a rule in one line, a group's behaviour when no rule
// matches) and build the requests (an ACL's whole new entry list for UpdateNetworkAclEntries).

import { arr, num, obj, s, type Obj } from './coerce';

type Invoke = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

export type Direction = 'ingress' | 'egress';

export interface SgRuleRow {
  SecurityGroupRuleId: string;
  Direction: Direction;
  /** tcp, udp, icmp, gre or all (lower case, as the API stores it). */
  IpProtocol: string;
  /** `80/80`, `1/65535`; `-1/-1` for icmp, gre and all. */
  PortRange: string;
  SourceCidrIp: string;
  SourceGroupId: string;
  DestCidrIp: string;
  DestGroupId: string;
  /** accept or drop. */
  Policy: string;
  Priority: number;
  Description: string;
  CreateTime: string;
}

export interface SecurityGroupRow {
  SecurityGroupId: string;
  SecurityGroupName: string;
  /** normal (the console's "Basic") or enterprise. */
  SecurityGroupType: string;
  VpcId: string;
  Description: string;
  CreationTime: string;
  EcsCount: number;
  /** Accept or Drop: whether the group's instances reach each other by the group alone. */
  InnerAccessPolicy: string;
  Rules: SgRuleRow[];
}

export interface AclEntryRow {
  NetworkAclEntryId: string;
  NetworkAclEntryName: string;
  Policy: string;
  Protocol: string;
  /** The source (inbound) or destination (outbound) CIDR block. */
  CidrIp: string;
  /** The destination port range, both directions. */
  Port: string;
  /** custom, or system (the entries every ACL ends with; not editable). */
  EntryType: string;
  Description: string;
}

export interface NetworkAclRow {
  NetworkAclId: string;
  NetworkAclName: string;
  VpcId: string;
  Description: string;
  Status: string;
  CreationTime: string;
  /** In the order they are checked: the first match applies. */
  Ingress: AclEntryRow[];
  Egress: AclEntryRow[];
  /** The vSwitches it is associated with. */
  VSwitchIds: string[];
}

export interface SgData {
  securityGroups: SecurityGroupRow[];
  networkAcls: NetworkAclRow[];
}

export const EMPTY_SG: SgData = { securityGroups: [], networkAcls: [] };

const direction = (v: string): Direction => (v.toLowerCase() === 'egress' ? 'egress' : 'ingress');

export function sgRuleRows(attr: unknown): SgRuleRow[] {
  return arr(obj(obj(attr).Permissions).Permission).map((o) => ({
    SecurityGroupRuleId: s(o, 'SecurityGroupRuleId'), Direction: direction(s(o, 'Direction')), IpProtocol: s(o, 'IpProtocol').toLowerCase(),
    PortRange: s(o, 'PortRange'), SourceCidrIp: s(o, 'SourceCidrIp'), SourceGroupId: s(o, 'SourceGroupId'), DestCidrIp: s(o, 'DestCidrIp'),
    DestGroupId: s(o, 'DestGroupId'), Policy: s(o, 'Policy').toLowerCase(), Priority: num(o, 'Priority'), Description: s(o, 'Description'),
    CreateTime: s(o, 'CreateTime'),
  }));
}

/** DescribeSecurityGroups' rows; `attrs` holds each group's DescribeSecurityGroupAttribute answer by group ID. */
export function securityGroupRows(resp: unknown, attrs: ReadonlyMap<string, unknown> = new Map()): SecurityGroupRow[] {
  return arr(obj(obj(resp).SecurityGroups).SecurityGroup).map((o) => {
    const id = s(o, 'SecurityGroupId');
    const a = obj(attrs.get(id));
    const type = s(o, 'SecurityGroupType') || s(a, 'SecurityGroupType');
    return {
      SecurityGroupId: id, SecurityGroupName: s(o, 'SecurityGroupName'), SecurityGroupType: type, VpcId: s(o, 'VpcId'),
      Description: s(o, 'Description'), CreationTime: s(o, 'CreationTime'), EcsCount: num(o, 'EcsCount'),
      InnerAccessPolicy: s(a, 'InnerAccessPolicy') || (type === 'enterprise' ? 'Drop' : 'Accept'), Rules: sgRuleRows(a),
    };
  });
}

const aclEntries = (v: unknown, inner: string, peer: string): AclEntryRow[] =>
  arr(obj(v)[inner]).map((o) => ({
    NetworkAclEntryId: s(o, 'NetworkAclEntryId'), NetworkAclEntryName: s(o, 'NetworkAclEntryName'), Policy: s(o, 'Policy').toLowerCase(),
    Protocol: s(o, 'Protocol').toLowerCase(), CidrIp: s(o, peer), Port: s(o, 'Port'), EntryType: s(o, 'EntryType') || 'custom', Description: s(o, 'Description'),
  }));

export function networkAclRows(resp: unknown): NetworkAclRow[] {
  return arr(obj(obj(resp).NetworkAcls).NetworkAcl).map((o: Obj) => ({
    NetworkAclId: s(o, 'NetworkAclId'), NetworkAclName: s(o, 'NetworkAclName'), VpcId: s(o, 'VpcId'), Description: s(o, 'Description'),
    Status: s(o, 'Status'), CreationTime: s(o, 'CreationTime'),
    Ingress: aclEntries(o.IngressAclEntries, 'IngressAclEntry', 'SourceCidrIp'),
    Egress: aclEntries(o.EgressAclEntries, 'EgressAclEntry', 'DestinationCidrIp'),
    VSwitchIds: arr(obj(o.Resources).Resource).filter((r) => (s(r, 'ResourceType') || 'VSwitch') === 'VSwitch').map((r) => s(r, 'ResourceId')),
  }));
}

/** The lists, then each group's rules. */
export async function loadSgData(invoke: Invoke): Promise<SgData> {
  const [g, a] = await Promise.all([invoke('DescribeSecurityGroups', { PageSize: 50 }), invoke('DescribeNetworkAcls', { PageSize: 50 })]);
  const ids = arr(obj(obj(g).SecurityGroups).SecurityGroup).map((o) => s(o, 'SecurityGroupId'));
  const attrs = await Promise.all(ids.map((id) => invoke('DescribeSecurityGroupAttribute', { SecurityGroupId: id, Direction: 'all' })));
  return { securityGroups: securityGroupRows(g, new Map(ids.map((id, k) => [id, attrs[k]]))), networkAcls: networkAclRows(a) };
}

// --- The panels' words. ---

/** The console's name of a group's type. */
export const sgTypeWords = (type: string): string => (type === 'enterprise' ? 'Enterprise' : 'Basic');

const PROTOCOLS: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', gre: 'GRE', all: 'All' };

/** `TCP 22/22`, `ICMP`, `All`: the port range only where it says something. */
export function protocolWords(protocol: string, ports: string): string {
  const p = PROTOCOLS[protocol.toLowerCase()] ?? protocol.toUpperCase();
  return ports && ports !== '-1/-1' ? `${p} ${ports}` : p;
}

export const policyWords = (policy: string): string => (policy.toLowerCase() === 'drop' ? 'Drop' : 'Accept');

/** A peer group in words: its name and ID, or its ID. */
const groupWords = (id: string, names: ReadonlyMap<string, string>): string => {
  const n = names.get(id);
  return n ? `group ${n} (${id})` : `group ${id}`;
};

/** A rule's peer: `from 0.0.0.0/0`, `to group web (sg-…)`. */
export function peerWords(r: Pick<SgRuleRow, 'Direction' | 'SourceCidrIp' | 'SourceGroupId' | 'DestCidrIp' | 'DestGroupId'>, names: ReadonlyMap<string, string> = new Map()): string {
  const [cidr, group, word] = r.Direction === 'egress' ? [r.DestCidrIp, r.DestGroupId, 'to'] : [r.SourceCidrIp, r.SourceGroupId, 'from'];
  if (group) return `${word} ${groupWords(group, names)}`;
  return `${word} ${cidr || 'anywhere'}`;
}

/** A rule in one line: `Drop · TCP 22/22 · from 0.0.0.0/0 · priority 1`. */
export function ruleSummary(r: SgRuleRow, names: ReadonlyMap<string, string> = new Map()): string {
  return [policyWords(r.Policy), protocolWords(r.IpProtocol, r.PortRange), peerWords(r, names), `priority ${r.Priority}`].join(' · ');
}

/** A direction's rules in the order they are evaluated: smaller priority first, at one priority Drop first. */
export function evaluationOrder<R extends Pick<SgRuleRow, 'Priority' | 'Policy'>>(rules: readonly R[]): R[] {
  const drop = (r: R): number => (r.Policy.toLowerCase() === 'drop' ? 0 : 1);
  return rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.Priority - b.r.Priority || drop(a.r) - drop(b.r) || a.i - b.i)
    .map((x) => x.r);
}

export const rulesOf = (g: Pick<SecurityGroupRow, 'Rules'>, dir: Direction): SgRuleRow[] => evaluationOrder(g.Rules.filter((r) => r.Direction === dir));

/** What a group does with traffic no rule matches, per direction. */
export function defaultWords(g: Pick<SecurityGroupRow, 'SecurityGroupType' | 'InnerAccessPolicy'>): { ingress: string; egress: string } {
  if (g.SecurityGroupType === 'enterprise') return { ingress: 'Denied (enterprise group)', egress: 'Denied (enterprise group)' };
  return {
    ingress: g.InnerAccessPolicy === 'Drop' ? 'Denied (internal access is off)' : 'Allowed only from instances in this group',
    egress: 'Allowed',
  };
}

/** The console's words for internal access: instances of the group reach each other, or not. */
export function innerAccessWords(g: Pick<SecurityGroupRow, 'SecurityGroupType' | 'InnerAccessPolicy'>): string {
  if (g.SecurityGroupType === 'enterprise') return 'Isolated (enterprise group)';
  return g.InnerAccessPolicy === 'Drop' ? 'Isolated' : 'Interconnected';
}

interface Member {
  InstanceId: string;
  VpcId: string;
  SecurityGroupIds: string[];
}

/** The instances in a group. */
export const groupMembers = <I extends Member>(instances: readonly I[], groupId: string): I[] => instances.filter((i) => i.SecurityGroupIds.includes(groupId));

/** The instances that can join a group: those of its VPC not in it yet. */
export const joinable = <I extends Member>(instances: readonly I[], g: Pick<SecurityGroupRow, 'SecurityGroupId' | 'VpcId'>): I[] =>
  instances.filter((i) => i.VpcId === g.VpcId && !i.SecurityGroupIds.includes(g.SecurityGroupId));

/**
 * The groups a rule of `g` may name as its peer: basic groups of its VPC (itself included);
 * none for an enterprise group, whose rules name CIDR blocks only.
 */
export const peerGroups = <G extends Pick<SecurityGroupRow, 'SecurityGroupId' | 'VpcId' | 'SecurityGroupType'>>(groups: readonly G[], g: G): G[] =>
  g.SecurityGroupType === 'enterprise' ? [] : groups.filter((x) => x.VpcId === g.VpcId && x.SecurityGroupType !== 'enterprise');

/** What a port field means: `22` is `22/22`, `1-1024` is `1/1024`; nothing for a protocol without ports. */
export function portRangeParam(raw: string, protocol: string): string {
  if (!['tcp', 'udp'].includes(protocol.toLowerCase())) return '-1/-1';
  const v = raw.trim();
  if (/^\d+$/.test(v)) return `${v}/${v}`;
  const m = /^(\d+)\s*-\s*(\d+)$/.exec(v);
  return m ? `${m[1]}/${m[2]}` : v;
}

/** The request that adds a rule: AuthorizeSecurityGroup(Egress) with the peer's parameters for the direction. */
export function authorizeRequest(
  groupId: string,
  f: { Direction: Direction; Policy: string; IpProtocol: string; PortRange: string; Peer: 'cidr' | 'group'; Cidr: string; GroupId: string; Priority: number | string; Description: string },
): { action: string; params: Record<string, unknown> } {
  const egress = f.Direction === 'egress';
  const peer = f.Peer === 'group' ? { [egress ? 'DestGroupId' : 'SourceGroupId']: f.GroupId } : { [egress ? 'DestCidrIp' : 'SourceCidrIp']: f.Cidr };
  return {
    action: egress ? 'AuthorizeSecurityGroupEgress' : 'AuthorizeSecurityGroup',
    params: {
      SecurityGroupId: groupId, IpProtocol: f.IpProtocol, PortRange: portRangeParam(f.PortRange, f.IpProtocol), ...peer,
      Policy: f.Policy, Priority: f.Priority, Description: f.Description,
    },
  };
}

/** The action that changes a rule in place: ModifySecurityGroupRule inbound, ModifySecurityGroupEgressRule outbound. */
export const modifyAction = (dir: Direction): string => (dir === 'egress' ? 'ModifySecurityGroupEgressRule' : 'ModifySecurityGroupRule');

/**
 * The request that changes a rule in place (modifyAction): the same fields as Authorize, for
 * the rule's own direction. The kind of peer (CIDR block or group) stays.
 */
export function modifyRequest(
  groupId: string,
  rule: Pick<SgRuleRow, 'SecurityGroupRuleId' | 'Direction'>,
  f: Omit<Parameters<typeof authorizeRequest>[1], 'Direction'>,
): { action: string; params: Record<string, unknown> } {
  const { params } = authorizeRequest(groupId, { ...f, Direction: rule.Direction });
  return { action: modifyAction(rule.Direction), params: { ...params, SecurityGroupRuleId: rule.SecurityGroupRuleId } };
}

/** The request that removes a rule. */
export const revokeRequest = (groupId: string, r: Pick<SgRuleRow, 'Direction' | 'SecurityGroupRuleId'>): { action: string; params: Record<string, unknown> } => ({
  action: r.Direction === 'egress' ? 'RevokeSecurityGroupEgress' : 'RevokeSecurityGroup',
  params: { SecurityGroupId: groupId, SecurityGroupRuleId: r.SecurityGroupRuleId },
});

// --- Network ACLs. ---

export const directionWords = (dir: Direction): string => (dir === 'egress' ? 'Outbound' : 'Inbound');

/** An entry in one line: `Drop · TCP 22/22 · from 0.0.0.0/0`. */
export function aclEntryWords(e: AclEntryRow, dir: Direction): string {
  return [policyWords(e.Policy), protocolWords(e.Protocol, e.Port), `${dir === 'egress' ? 'to' : 'from'} ${e.CidrIp || 'anywhere'}`].join(' · ');
}

export const entriesOf = (a: Pick<NetworkAclRow, 'Ingress' | 'Egress'>, dir: Direction): AclEntryRow[] => (dir === 'egress' ? a.Egress : a.Ingress);
export const customEntries = (a: Pick<NetworkAclRow, 'Ingress' | 'Egress'>, dir: Direction): AclEntryRow[] => entriesOf(a, dir).filter((e) => e.EntryType !== 'system');

/** An entry as UpdateNetworkAclEntries takes it: the fields that are set, its ID kept where it has one. */
export function aclEntryParam(e: Partial<AclEntryRow>, dir: Direction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: string | undefined): void => {
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  };
  put('NetworkAclEntryId', e.NetworkAclEntryId);
  put('NetworkAclEntryName', e.NetworkAclEntryName);
  put('Policy', e.Policy);
  put('Protocol', e.Protocol);
  put(dir === 'egress' ? 'DestinationCidrIp' : 'SourceCidrIp', e.CidrIp);
  put('Port', e.Port);
  put('Description', e.Description);
  return out;
}

/** The parameter that holds a direction's entry list. */
export const aclListParam = (dir: Direction): string => (dir === 'egress' ? 'EgressAclEntries' : 'IngressAclEntries');

/**
 * UpdateNetworkAclEntries replacing one direction's custom entries with `entries`, in order
 * (the system entries stay last by themselves). An empty list clears the direction.
 */
export function aclUpdateRequest(aclId: string, dir: Direction, entries: readonly Partial<AclEntryRow>[]): Record<string, unknown> {
  const list = aclListParam(dir);
  return { NetworkAclId: aclId, [dir === 'egress' ? 'UpdateEgressAclEntries' : 'UpdateIngressAclEntries']: true, [list]: entries.map((e) => aclEntryParam(e, dir)) };
}

/** `list` with the item at `i` moved by `by` places (unchanged at either end). */
export function moved<T>(list: readonly T[], i: number, by: number): T[] {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** `list` with `item` inserted at `at` (0-based, clamped). */
export function inserted<T>(list: readonly T[], at: number, item: T): T[] {
  const k = Math.max(0, Math.min(list.length, at));
  return [...list.slice(0, k), item, ...list.slice(k)];
}

export const removed = <T>(list: readonly T[], i: number): T[] => list.filter((_, k) => k !== i);

/** The ACL associated with a vSwitch, if any (a vSwitch has at most one). */
export const aclOfVSwitch = (acls: readonly NetworkAclRow[], vswitchId: string): NetworkAclRow | undefined => acls.find((a) => a.VSwitchIds.includes(vswitchId));
