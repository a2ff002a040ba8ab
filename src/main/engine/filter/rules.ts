// Security group and network ACL rules as the engine matches them (SEMANTICS H1–H5), compiled
// from the model by cloud/compile-filter.ts. A packet is matched by what it is — protocol,
// destination port, the peer's address — seen from the ENI: inbound the peer is the source,
// outbound the destination.
//
// Security groups (H1, H2): the rules of all the ENI's groups in one direction, sorted by
// priority (smaller first) and, at one priority, drop before accept: so the first match is
// the decision. Nothing matches: inbound is accepted only from an instance of one of the
// ENI's basic groups whose internal access is on, outbound is accepted when every group is
// basic (an enterprise group denies both by default).
// Network ACLs (H4): entries in priority order, the first match decides; the port range is
// the destination port's in both directions.

import { IpProtocol } from '../wire/ipv4';

/** 0: every protocol (`all`). */
export type RuleProtocol = number;

export interface RuleMatch {
  protocol: RuleProtocol;
  portLo: number;
  portHi: number;
  /** The peer by block (mask 0: any address), or by the addresses of a group's instances. */
  peerAddr: number;
  peerMask: number;
  peerSet: ReadonlySet<number> | null;
}

export interface SgRuleFw extends RuleMatch {
  accept: boolean;
  priority: number;
  /** `sg-… (web)`: its group. */
  group: string;
  /** `sgr-…`. */
  id: string;
  /** `priority 1, drop tcp 22/22 from 0.0.0.0/0`: what it says. */
  text: string;
  /** Its hit counter (rx: packets it decided), registered by `counterName` at its first hit: -1 until then. */
  device: number;
  counterName: string;
}

export interface SgSideFw {
  /** inbound or outbound: how a trace says it. */
  direction: string;
  /** First match decides. */
  rules: SgRuleFw[];
  /** Nothing matched: the addresses accepted anyway (inbound: the ENI's basic groups with internal access on). */
  implicitPeers: ReadonlySet<number> | null;
  /** Nothing matched and not an implicit peer: accept (outbound of basic groups) or drop. */
  implicitAccept: boolean;
  /** How the groups are named in a trace: `sg-… (web), sg-… (db)`. */
  groups: string;
  /** Every rule accepts every packet, and none drops: nothing to check, no session to keep. */
  open: boolean;
}

export interface AclEntryFw extends RuleMatch {
  accept: boolean;
  /** The entry's ID. */
  id: string;
  /** `accept tcp 80/80 from 0.0.0.0/0`. */
  text: string;
  device: number;
  counterName: string;
}

export interface AclSideFw {
  direction: string;
  entries: AclEntryFw[];
  /** `nacl-… (name)`. */
  label: string;
  /** Its vSwitch's block when traffic inside the vSwitch is not filtered (null: every peer is). */
  own: { addr: number; mask: number } | null;
}

/** An ENI's filters: its security groups both ways, its vSwitch's ACL both ways (null: none bound). */
export interface EniFilterFw {
  sgIn: SgSideFw;
  sgOut: SgSideFw;
  aclIn: AclSideFw | null;
  aclOut: AclSideFw | null;
  /** Some side drops something: flows need their state kept (H3); when both sides are open, none. */
  stateful: boolean;
}

/** What a packet is, for matching: its protocol, destination port (-1: none) and peer address. */
export interface Probe {
  protocol: number;
  dport: number;
  peer: number;
}

export function matches(r: RuleMatch, p: Probe): boolean {
  if (r.protocol !== 0 && r.protocol !== p.protocol) return false;
  if ((r.protocol === IpProtocol.Tcp || r.protocol === IpProtocol.Udp) && (p.dport < r.portLo || p.dport > r.portHi)) return false;
  if (r.peerSet !== null) return r.peerSet.has(p.peer);
  return ((p.peer & r.peerMask) >>> 0) === r.peerAddr;
}

/** The security group rule that decides `p`, or null when none matches (then the implicit rules do). */
export function sgDecide(side: SgSideFw, p: Probe): SgRuleFw | null {
  for (const r of side.rules) if (matches(r, p)) return r;
  return null;
}

/** The ACL entry that decides `p`, or null when none matches (then it is denied: ACL3). */
export function aclDecide(side: AclSideFw, p: Probe): AclEntryFw | null {
  for (const e of side.entries) if (matches(e, p)) return e;
  return null;
}

/** H1: smaller priority first; at one priority drop before accept. Stable otherwise. */
export function sgOrder(a: Pick<SgRuleFw, 'priority' | 'accept'>, b: Pick<SgRuleFw, 'priority' | 'accept'>): number {
  return a.priority - b.priority || Number(a.accept) - Number(b.accept);
}

/** A rule matching every packet (any protocol, any port, any peer). */
export function matchesAll(r: RuleMatch): boolean {
  return r.protocol === 0 && r.peerSet === null && r.peerMask === 0;
}
