// "Why did this packet go there?" For packets matching a filter the engine records each
// device it crossed and the decision with the rule that decided it. Off by default: the
// hot path pays one boolean check per packet; switching a filter on is a field assignment.
//
// Two kinds of watcher: the user's filter (`vpclab trace`, the Trace view), whose records go
// to onRecord listeners, and taps (a scenario check tracing its host while it runs), each
// with its own filter and listener. A tap never changes what the user sees.
//
// The user's `host=X` follows both directions of X's flows: what X sends, and what is
// delivered to X (a reply through a NAT, a packet a route sends to X as next hop). Where a
// packet ends is known only when it ends, so while such a filter is on, a packet from
// another host that passes the filter's other keys gets a record that is kept only if it is
// delivered to X; `addr=` and `proto=` narrow what pays for that. A tap follows only what
// its host sends: a check's trace explains its own command's packets.

import { IpProtocol } from './wire/ipv4';

export interface TraceFilter {
  /** Only packets this host (port name) sends, or, for the user's filter, that are delivered to it. */
  host?: string;
  /** Only packets with this address as source or destination (before any NAT). */
  addr?: number;
  /** Only this IP protocol number (1 ICMP, 6 TCP, 17 UDP). */
  protocol?: number;
}

export interface TraceHop {
  device: string;
  decision: string;
}

export interface TraceRecord {
  id: number;
  time: number;
  from: string;
  summary: string;
  hops: TraceHop[];
  /** `delivered to ECS-B` or `dropped at vtb-…: no-route`. */
  verdict: string;
  delivered: boolean;
}

export type TraceListener = (r: TraceRecord) => void;

interface Tap {
  filter: TraceFilter;
  listener: TraceListener;
}

/** How the user's filter takes a packet: it is theirs, it is not, or it is if it ends at their host. */
const UserMatch = { No: 0, Yes: 1, IfDelivered: 2 } as const;
type UserMatch = (typeof UserMatch)[keyof typeof UserMatch];

/** The verdict of a packet handed to a host's port, in the data plane's words. */
export function deliveredTo(port: string): string {
  return `delivered to ${port}`;
}

/** The keys that can be decided when a packet enters: address and protocol. */
function matchesPacket(f: TraceFilter, src: number, dst: number, protocol: number): boolean {
  if (f.addr !== undefined && f.addr !== src && f.addr !== dst) return false;
  if (f.protocol !== undefined && f.protocol !== protocol) return false;
  return true;
}

export class Tracer {
  /** True while anything is traced: the data plane's one check per packet. */
  active = false;
  private userFilter: TraceFilter | null = null;
  /** The user's host's delivery verdict, made once per filter so end() compares strings only. */
  private userDelivered: string | null = null;
  private seq = 0;
  private readonly listeners: TraceListener[] = [];
  private readonly taps = new Set<Tap>();
  /** Who gets each record under way: the user's listeners (maybe only if delivered) and/or taps. */
  private readonly audience = new WeakMap<TraceRecord, { user: UserMatch; taps: Tap[] }>();

  constructor(private readonly now: () => number) {}

  /** The user's filter; null stops the user's trace. */
  get filter(): TraceFilter | null {
    return this.userFilter;
  }
  set filter(f: TraceFilter | null) {
    this.userFilter = f;
    this.userDelivered = f?.host !== undefined ? deliveredTo(f.host) : null;
    this.active = f !== null || this.taps.size > 0;
  }

  /** Records that match the user's filter. */
  onRecord(l: TraceListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Records of packets `filter.host` sends (and that match its other keys), for `listener` only, until the result is called. */
  tap(filter: TraceFilter, listener: TraceListener): () => void {
    const t: Tap = { filter, listener };
    this.taps.add(t);
    this.active = true;
    return () => {
      this.taps.delete(t);
      this.active = this.userFilter !== null || this.taps.size > 0;
    };
  }

  /** A record for this packet if the user's filter or a tap selects it (or may, by where it ends), else null. */
  begin(from: string, src: number, dst: number, protocol: number, summary: () => string): TraceRecord | null {
    const user = this.userMatch(from, src, dst, protocol);
    let taps: Tap[] = [];
    for (const t of this.taps) {
      if ((t.filter.host === undefined || t.filter.host === from) && matchesPacket(t.filter, src, dst, protocol)) taps = [...taps, t];
    }
    if (user === UserMatch.No && taps.length === 0) return null;
    const r: TraceRecord = { id: ++this.seq, time: this.now(), from, summary: summary(), hops: [], verdict: '', delivered: false };
    this.audience.set(r, { user, taps });
    return r;
  }

  end(r: TraceRecord, delivered: boolean, verdict: string): void {
    r.delivered = delivered;
    r.verdict = verdict;
    const who = this.audience.get(r);
    if (!who) return;
    this.audience.delete(r);
    const user = who.user === UserMatch.Yes || (who.user === UserMatch.IfDelivered && delivered && verdict === this.userDelivered);
    if (user) for (const l of this.listeners) l(r);
    for (const t of who.taps) t.listener(r);
  }

  /** Forget a record without telling anyone (a GWLB return goes on in the packet's first record). */
  discard(r: TraceRecord): void {
    this.audience.delete(r);
  }

  private userMatch(from: string, src: number, dst: number, protocol: number): UserMatch {
    const f = this.userFilter;
    if (f === null || !matchesPacket(f, src, dst, protocol)) return UserMatch.No;
    return f.host === undefined || f.host === from ? UserMatch.Yes : UserMatch.IfDelivered;
  }
}

/** A record as lines of text: the packet, each hop's device and decision, the verdict. */
export function formatTraceRecord(r: TraceRecord): string {
  return [`${r.from}: ${r.summary}`, ...r.hops.map((h) => `  ${h.device}: ${h.decision}`), `  ${r.verdict}`].join('\n');
}

/** Parses `host=ECS-A addr=8.8.8.8 proto=icmp` (any subset, any order). */
export function parseTraceFilter(text: string, parseIp: (s: string) => number): TraceFilter {
  const f: TraceFilter = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const [k, v] = word.split('=');
    if (v === undefined) throw new Error(`trace filter: "${word}" is not key=value (keys: host, addr, proto)`);
    if (k === 'host') f.host = v;
    else if (k === 'addr') f.addr = parseIp(v);
    else if (k === 'proto') {
      const p = ({ icmp: IpProtocol.Icmp, tcp: IpProtocol.Tcp, udp: IpProtocol.Udp } as Record<string, number>)[v.toLowerCase()];
      if (p === undefined) throw new Error(`trace filter: proto must be icmp, tcp or udp, got "${v}"`);
      f.protocol = p;
    } else throw new Error(`trace filter: unknown key "${k}" (keys: host, addr, proto)`);
  }
  return f;
}

