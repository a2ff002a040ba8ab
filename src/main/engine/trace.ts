// "Why did this packet go there?" For packets matching a filter the engine records each
// device it crossed and the decision with the rule that decided it. Off by default: the
// hot path pays one null check per packet; switching a filter on is a field assignment.

import { IpProtocol } from './wire/ipv4';

export interface TraceFilter {
  /** Only packets entering from this host (port name). */
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

export class Tracer {
  filter: TraceFilter | null = null;
  private seq = 0;
  private readonly listeners: TraceListener[] = [];

  constructor(private readonly now: () => number) {}

  onRecord(l: TraceListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** A record for this packet if the filter selects it, else null. */
  begin(from: string, src: number, dst: number, protocol: number, summary: () => string): TraceRecord | null {
    const f = this.filter;
    if (f === null) return null;
    if (f.host !== undefined && f.host !== from) return null;
    if (f.addr !== undefined && f.addr !== src && f.addr !== dst) return null;
    if (f.protocol !== undefined && f.protocol !== protocol) return null;
    return { id: ++this.seq, time: this.now(), from, summary: summary(), hops: [], verdict: '', delivered: false };
  }

  end(r: TraceRecord, delivered: boolean, verdict: string): void {
    r.delivered = delivered;
    r.verdict = verdict;
    for (const l of this.listeners) l(r);
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

