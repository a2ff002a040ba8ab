// The security groups' connection state (H3): a flow an ENI's rules accepted, in the direction
// it started, with the rule set and rule that accepted it. Its later packets that way pass
// on the cached decision while that rule set is the current one (classified once per
// connection, not per packet); its packets the other way pass as replies. A flow is keyed
// per ENI by (protocol, local port, remote address, remote port) — for ICMP echo the
// identifier stands in for the local port and the remote port is 0 — as numbers, not strings.
// Entries live in the data plane and survive recompiles of the forwarding state.

import { IpProtocol } from '../wire/ipv4';
import type { AclEntryFw, AclSideFw, SgRuleFw, SgSideFw } from './rules';

/** Idle timeout in ms: a session lasts up to 910 s (H3); no page gives other figures per protocol (SG7). */
export const SG_TIMEOUT_MS = 910_000;

/** Who started the flow, seen from the ENI. */
export const Origin = { Out: 0, In: 1 } as const;

export interface SgSession {
  origin: number;
  /** The rule set that accepted it; a recompiled one classifies the flow again. */
  by: SgSideFw;
  /** The rule that accepted it (null: an implicit rule). */
  rule: SgRuleFw | null;
  expires: number;
  /** The ACL entry that accepted the flow's packets each way, and the entry list it is of (stateless, but the same for every packet of the flow one way). */
  aclOutBy: AclSideFw | null;
  aclOutEntry: AclEntryFw | null;
  aclInBy: AclSideFw | null;
  aclInEntry: AclEntryFw | null;
}

const protoIndex = (p: number): number => (p === IpProtocol.Tcp ? 1 : p === IpProtocol.Udp ? 2 : p === IpProtocol.Icmp ? 3 : 0);

/** At most this many flows per ENI; past it the oldest-inserted go first. */
const MAX_PER_ENI = 262_144;

export class SgSessions {
  private readonly enis = new Map<number, Map<number, Map<number, SgSession>>>();
  private counts = new Map<number, number>();
  private inserts = 0;

  constructor(private readonly now: () => number) {}

  get size(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** The live session of a flow at an ENI; undefined when there is none. Not refreshed (refresh() does). */
  peek(eni: number, protocol: number, localPort: number, remoteIp: number, remotePort: number): SgSession | undefined {
    const s = this.enis.get(eni)?.get(localPort * 4 + protoIndex(protocol))?.get(remoteIp * 65536 + remotePort);
    return s === undefined || s.expires <= this.now() ? undefined : s;
  }

  /** A packet of the session passed: its idle timer starts again. */
  refresh(s: SgSession): void {
    s.expires = this.now() + SG_TIMEOUT_MS;
  }

  /** Records (or re-records) a flow the rules accepted; returns its session. */
  open(eni: number, protocol: number, localPort: number, remoteIp: number, remotePort: number, origin: number, by: SgSideFw, rule: SgRuleFw | null): SgSession {
    let ports = this.enis.get(eni);
    if (ports === undefined) {
      ports = new Map();
      this.enis.set(eni, ports);
    }
    const outer = localPort * 4 + protoIndex(protocol);
    let m = ports.get(outer);
    if (m === undefined) {
      m = new Map();
      ports.set(outer, m);
    }
    const inner = remoteIp * 65536 + remotePort;
    const s = m.get(inner);
    const expires = this.now() + SG_TIMEOUT_MS;
    if (s !== undefined) {
      s.origin = origin;
      s.by = by;
      s.rule = rule;
      s.expires = expires;
      return s;
    }
    const fresh: SgSession = { origin, by, rule, expires, aclOutBy: null, aclOutEntry: null, aclInBy: null, aclInEntry: null };
    m.set(inner, fresh);
    const n = (this.counts.get(eni) ?? 0) + 1;
    this.counts.set(eni, n);
    if (n > MAX_PER_ENI || ++this.inserts >= 65_536) this.sweep();
    return fresh;
  }

  /** Forgets a flow (its rule set no longer accepts it). */
  close(eni: number, protocol: number, localPort: number, remoteIp: number, remotePort: number): void {
    const m = this.enis.get(eni)?.get(localPort * 4 + protoIndex(protocol));
    if (m?.delete(remoteIp * 65536 + remotePort)) this.counts.set(eni, (this.counts.get(eni) ?? 1) - 1);
  }

  /** Drops expired flows, and an ENI's oldest past its bound. */
  sweep(): void {
    this.inserts = 0;
    const t = this.now();
    for (const [eni, ports] of this.enis) {
      let n = 0;
      for (const [k, m] of ports) {
        for (const [ik, s] of m) if (s.expires <= t) m.delete(ik);
        if (m.size === 0) ports.delete(k);
        else n += m.size;
      }
      for (const [k, m] of ports) {
        if (n <= MAX_PER_ENI) break;
        n -= m.size;
        ports.delete(k);
      }
      this.counts.set(eni, n);
      if (ports.size === 0) {
        this.enis.delete(eni);
        this.counts.delete(eni);
      }
    }
  }
}
