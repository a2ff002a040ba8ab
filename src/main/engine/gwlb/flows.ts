// The GWLB's connections: which backend and which outer source port each one uses, found by
// its inner 5-tuple on the way out and by its flow cookie (E5 option type 3) on the way
// back. Data-plane state: it outlives recompiles, and idle flows expire (E8).

import type { GwlbeFw, GwlbFw, VpcFw } from '../forwarding';
import { flowHash, sameFlow, type FlowKey } from './flow-key';

export interface GwlbFlow extends FlowKey {
  /** The GWLB instance it crosses. */
  gwlb: string;
  /** The endpoint its last packet came in by (the trace's words; the return goes where its options say). */
  gwlbeId: string;
  backendIp: number;
  backendName: string;
  cookie: number;
  /** Outer UDP source port, the same both ways (E4). */
  outerPort: number;
  lastSeen: number;
  // Per-packet caches, each valid only for the compiled state objects it names (a recompile
  // makes new ones) — the device fills and checks them:
  /** The instance's state under which the flow was last found to keep its backend, and the health version then. */
  keptFw: GwlbFw | null;
  keptHealth: number;
  /** The backend's port, found in this VPC's state. */
  portVpc: VpcFw | null;
  port: number;
  /** Outer IPv4 + UDP + Geneve header for this instance and endpoint, total length, ID and checksum left to fill. */
  hdr: Buffer | null;
  hdrFw: GwlbFw | null;
  hdrE: GwlbeFw | null;
  /** One's-complement sum of `hdr`'s IPv4 header without total length and ID (folded to 16 bits). */
  hdrSum: number;
}

export class GwlbFlows {
  private readonly byHash = new Map<number, GwlbFlow[]>();
  private readonly byCookie = new Map<number, GwlbFlow>();
  private nextCookie: number;

  constructor(seed = 0x5eed1) {
    this.nextCookie = seed >>> 0;
  }

  get size(): number {
    return this.byCookie.size;
  }

  find(gwlb: string, k: FlowKey): GwlbFlow | undefined {
    const bucket = this.byHash.get(flowHash(k));
    if (bucket === undefined) return undefined;
    for (const f of bucket) if (f.gwlb === gwlb && sameFlow(f, k)) return f;
    return undefined;
  }

  cookie(c: number): GwlbFlow | undefined {
    return this.byCookie.get(c >>> 0);
  }

  add(gwlb: string, k: FlowKey, gwlbeId: string, backendIp: number, backendName: string, now: number): GwlbFlow {
    const h = flowHash(k);
    // Cookies are unique among live flows: a stale return can never match a new flow.
    let c = this.nextCookie;
    while (this.byCookie.has(c)) c = (c + 1) >>> 0;
    this.nextCookie = (c + 0x9e3779b1) >>> 0;
    const f: GwlbFlow = {
      a: k.a, b: k.b, pa: k.pa, pb: k.pb, protocol: k.protocol,
      gwlb, gwlbeId, backendIp, backendName, cookie: c,
      // One outer port per flow, from its hash (E4), in the ephemeral range RFC 8926 (3.3)
      // recommends for Geneve's source port — below it a port such as 1645 made tcpdump on
      // the NVA read the datagram as RADIUS instead of Geneve.
      outerPort: 49152 + ((h >>> 0) % 16384),
      lastSeen: now,
      keptFw: null, keptHealth: -1, portVpc: null, port: -1, hdr: null, hdrFw: null, hdrE: null, hdrSum: 0,
    };
    const bucket = this.byHash.get(h);
    if (bucket === undefined) this.byHash.set(h, [f]);
    else bucket.push(f);
    this.byCookie.set(c, f);
    return f;
  }

  remove(f: GwlbFlow): void {
    this.byCookie.delete(f.cookie);
    const h = flowHash(f);
    const bucket = this.byHash.get(h);
    if (bucket === undefined) return;
    const i = bucket.indexOf(f);
    if (i >= 0) bucket.splice(i, 1);
    if (bucket.length === 0) this.byHash.delete(h);
  }

  /** Every flow, for sweeps, draining and rebalancing (the table is small next to a NAT table). */
  all(): IterableIterator<GwlbFlow> {
    return this.byCookie.values();
  }

  /** Drop flows idle longer than their instance's timeout (E8: the listener's TcpIdleTimeout). */
  sweep(now: number, idleMsOf: (gwlb: string) => number | undefined): number {
    let n = 0;
    for (const f of [...this.byCookie.values()]) {
      const idle = idleMsOf(f.gwlb);
      // An instance that no longer exists takes its flows with it.
      if (idle === undefined || now - f.lastSeen > idle) {
        this.remove(f);
        n++;
      }
    }
    return n;
  }
}
