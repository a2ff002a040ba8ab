// The GWLB endpoint and the Gateway Load Balancer as data-plane devices (SEMANTICS E3–E12).
//
// Out: a route table hands a packet to a GWLBe; it must fit 1500 bytes (E6); the GWLB picks
// a healthy backend by its scheduler's hash, the same for both directions (E4), and sends
// the packet unchanged inside a Geneve datagram (E3.2, E5) from its own address to the
// backend's UDP 6081, with one outer source port per flow. Back: the backend (an NVA) returns
// it to the GWLB's address on 6081 from any source port (E11); the GWLB finds the flow by the
// options' cookie, checks that the endpoint, the backend and the inner packet are the flow's
// (E3.7: anything else is dropped and counted), and hands the inner packet to the GWLBe it
// came from, which forwards it by its own vSwitch's route table (E3.4, E3.5).
//
// A traced packet's record stays open while its copy is at the appliance, so the trace of
// one packet shows the whole round trip — or says the appliance never sent it back.

import type { Counters, DropReason } from '../counters';
import { Drop } from '../counters';
import type { BackendFw, GwlbeFw, GwlbFw, VpcFw } from '../forwarding';
import type { TraceRecord } from '../trace';
import { emitGwlbGeneve, GENEVE_PORT, GeneveReason, GeneveView, GWLB_OVERHEAD, type GwlbOptions } from '../wire/geneve';
import { emitIpv4, IpProtocol, ipToString, Ipv4View as Ipv4ViewCtor, type Ipv4View } from '../wire/ipv4';
import { internetChecksum } from '../wire/checksum';
import { emitTcp, TcpFlags } from '../wire/tcp';
import { emitUdp } from '../wire/udp';
import { flowKeyOf, newFlowKey, rendezvous, schedulerHash, type FlowKey } from './flow-key';
import { GwlbFlows, type GwlbFlow } from './flows';
import { GwlbHealth, type HealthChange, type ProbeOut } from './health';

/** E6: the largest inner packet a GWLB carries. */
export const GWLB_MAX_INNER = 1500;
/** How long a traced packet may stay at an appliance before the trace gives up on it. */
const TRACE_WAIT_MS = 2000;
const SWEEP_EVERY_MS = 1000;

/** What the GWLB needs from the rest of the fabric. */
export interface GwlbFabric {
  readonly counters: Counters;
  /** The port of the host holding `addr` in `vpc`, if any. */
  portOf(vpc: VpcFw, addr: number): number | undefined;
  /** Write a packet the GWLB built (or carries on) to a port, counting it; the trace goes on. */
  /** Out on a port; false when the port's filters dropped it (then `tr`, if given, is ended with why). */
  send(port: number, buf: Buffer, off: number, len: number, tr?: TraceRecord | null): boolean;
  /** The inner packet, back at its endpoint: route it by the endpoint's vSwitch table (`ip` wraps it). */
  fromEndpoint(gwlbe: GwlbeFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
  vpcs(): readonly VpcFw[];
  gwlbs(): readonly GwlbFw[];
  /** The endpoint whose ID's first half is `hi` (the options' type 1), in the current state. */
  endpoint(hi: number): GwlbeFw | undefined;
  /** Close a traced record (and hand it to whoever watches). */
  endTrace(tr: TraceRecord, delivered: boolean, verdict: string): void;
  /** Forget a record without telling anyone: the packet's first record goes on instead. */
  discardTrace(tr: TraceRecord): void;
}

interface PendingTrace {
  tr: TraceRecord;
  deadline: number;
}

export class GwlbDevice {
  readonly flows = new GwlbFlows();
  readonly health: GwlbHealth;
  /** Health changes since the last read, for the runtime's events and status. */
  readonly changes: HealthChange[] = [];
  private readonly key: FlowKey = newFlowKey();
  private readonly backKey: FlowKey = newFlowKey();
  private readonly geneve = new GeneveView();
  /** The inner packet of a return, read apart from the engine's view of the outer one. */
  private readonly inner = new Ipv4ViewCtor();
  private readonly opts: GwlbOptions = { endpointHi: 0, endpointLo: 0, connectionHi: 0, connectionLo: 0, cookie: 0 };
  /** One buffer for every datagram the GWLB builds: written to the TUN before the next one. */
  private readonly scratch = Buffer.alloc(GWLB_MAX_INNER + GWLB_OVERHEAD + 64);
  private readonly pending = new Map<number, PendingTrace>();
  /** Per instance state: the backends that may take new flows, as of a health version (E7). */
  private readonly usable = new WeakMap<GwlbFw, { health: number; list: BackendFw[] }>();
  private ipId = 1;
  private lastSweep = 0;
  /**
   * Set by whoever hands the engine its packets (the runtime's packet loop): whether the `n`
   * bytes before `off` in `buf` are free to overwrite. Then the Geneve header is written
   * there and the datagram leaves from the packet's own buffer; otherwise it is built in
   * scratch with a copy of the packet.
   */
  spareBefore: ((buf: Buffer, off: number, n: number) => boolean) | null = null;
  /** Between batchStart() and batchEnd(): the clock as first read in this batch, or -1. */
  private batchTime = -1;
  private inBatch = false;

  constructor(private readonly ip: Ipv4View, private readonly fab: GwlbFabric, private readonly now: () => number) {
    this.health = new GwlbHealth(now);
  }

  /**
   * Called around a batch of packets read together (by the runtime's packet loop): the
   * flows' last-seen times then read the clock once per batch instead of once per packet
   * each way. A batch lasts well under a millisecond; idle timeouts are seconds.
   */
  batchStart(): void {
    this.inBatch = true;
    this.batchTime = -1;
  }

  batchEnd(): void {
    this.inBatch = false;
  }

  private time(): number {
    if (!this.inBatch) return this.now();
    if (this.batchTime < 0) this.batchTime = this.now();
    return this.batchTime;
  }

  /** A packet routed to a GWLB endpoint (E3.1); `ip` wraps it. */
  fromRoute(e: GwlbeFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const fab = this.fab;
    fab.counters.rxPacket(e.device, len);
    if (ip.length > GWLB_MAX_INNER) {
      return fab.drop(e.device, Drop.TooBig, e.id, `${ip.length}-byte packet: a GWLB carries at most ${GWLB_MAX_INNER} bytes`, tr);
    }
    const g = e.gwlb;
    if (g === null) return fab.drop(e.device, Drop.NoBackend, e.id, 'the endpoint is not connected to a GWLB with a listener', tr);
    if (tr !== null) tr.hops.push({ device: e.id, decision: `to ${g.id} through its endpoint service` });
    const k = flowKeyOf(ip, buf, this.key);
    const t = this.time();
    let f = this.flows.find(g.id, k);
    // Cached: the flow kept its backend under this very state and health (no key built, no lookup).
    if (f !== undefined && (f.keptFw !== g || f.keptHealth !== this.health.version) && !this.keeps(g, f)) {
      const why = this.movedWhy(g, f);
      this.flows.remove(f);
      f = undefined;
      if (why !== null && tr !== null) tr.hops.push({ device: g.id, decision: why });
    }
    let fresh = false;
    if (f === undefined) {
      const b = this.pick(g, k);
      if (b === null) return fab.drop(g.device, Drop.NoBackend, g.id, `no healthy backend in ${g.groupId}`, tr);
      f = this.flows.add(g.id, k, e.id, b.ip, b.name, t);
      fresh = true;
    }
    f.lastSeen = t;
    f.gwlbeId = e.id;
    const vpc = fab.vpcs()[g.vpc];
    let port: number | undefined = f.port;
    if (f.portVpc !== vpc) {
      port = vpc === undefined ? undefined : fab.portOf(vpc, f.backendIp);
      if (port === undefined) return fab.drop(g.device, Drop.NoHost, g.id, `no host holds backend ${ipToString(f.backendIp)}`, tr);
      f.portVpc = vpc;
      f.port = port;
    }
    const innerLen = ip.length;
    const outLen = GWLB_OVERHEAD + innerLen;
    const inPlace = off >= GWLB_OVERHEAD && this.spareBefore !== null && this.spareBefore(buf, off, GWLB_OVERHEAD);
    let out: Buffer = this.scratch;
    let outOff = 0;
    if (inPlace) {
      out = buf;
      outOff = off - GWLB_OVERHEAD;
    } else {
      buf.copy(out, GWLB_OVERHEAD, off, off + innerLen);
    }
    this.encapsulate(e, g, f, out, outOff, innerLen);
    fab.counters.txPacket(g.device, outLen);
    if (tr !== null) {
      const src = g.addrByZone.get(e.zone) ?? g.firstAddr;
      const b = g.backends.find((x) => x.ip === f!.backendIp);
      const health = b ? this.health.status(g, b) : 'removed';
      tr.hops.push({
        device: g.id,
        decision: `${g.tuple}-tuple hash → ${f.backendName} ${ipToString(f.backendIp)} (${health}), ${fresh ? 'new' : 'existing'} flow; ` +
          `Geneve ${ipToString(src)}:${f.outerPort} → ${ipToString(f.backendIp)}:${GENEVE_PORT}, flow cookie 0x${f.cookie.toString(16).padStart(8, '0')}`,
      });
      this.hold(f, tr);
    }
    // The appliance's security group may drop the Geneve datagram (it must allow UDP 6081): the trace says so.
    if (!fab.send(port, out, outOff, outLen, tr) && tr !== null) this.pending.delete(f.cookie);
  }

  /** A packet to one of the GWLB's own addresses (`ip` wraps it): a Geneve return or a probe's answer. */
  toGwlb(g: GwlbFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const fab = this.fab;
    fab.counters.rxPacket(g.device, len);
    if (!ip.hasTransportHeader) return fab.drop(g.device, Drop.Malformed, g.id, 'a fragment: the GWLB takes whole datagrams only', tr);
    const o = ip.payloadOffset;
    const n = ip.payloadLength;
    if (ip.protocol === IpProtocol.Tcp && n >= 20) return this.probeAnswer(g, buf, o, tr);
    if (ip.protocol !== IpProtocol.Udp || n < 8 || ((buf[o + 2] << 8) | buf[o + 3]) !== GENEVE_PORT) {
      return fab.drop(g.device, Drop.Unsolicited, g.id, 'the GWLB takes only Geneve (UDP 6081) and health-check answers', tr);
    }
    const from = ip.src;
    const gv = this.geneve;
    const gs = gv.wrap(buf, o + 8, Math.min(n, ((buf[o + 4] << 8) | buf[o + 5])) - 8);
    if (gs !== GeneveReason.Ok) return fab.drop(g.device, Drop.Malformed, g.id, 'not a Geneve datagram', tr);
    if (gv.readGwlbOptions(this.opts) !== GeneveReason.Ok || gv.protocolType !== 0x0800 || gv.vni !== 0) {
      return fab.drop(g.device, Drop.UnknownFlow, g.id, 'Geneve options are not the three the GWLB sent', tr);
    }
    const f = this.flows.cookie(this.opts.cookie);
    const inner = gv.payloadOffset;
    const innerLen = gv.payloadLength;
    // E3.4: back to the endpoint the options name — one of this GWLB's, the IDs unchanged.
    const e = fab.endpoint(this.opts.endpointHi);
    const why = f === undefined ? 'no flow has this cookie' : this.mismatch(f, g, e, from, buf, inner, innerLen);
    if (why !== null) return fab.drop(g.device, Drop.UnknownFlow, g.id, `return dropped: ${why}`, tr);
    const flow = f!;
    const gwlbe = e!;
    flow.lastSeen = this.time();
    // The packet's first record (from before the appliance) goes on; this pass's is dropped.
    const held = this.pending.size === 0 ? undefined : this.pending.get(flow.cookie);
    let rec = tr;
    if (held !== undefined) {
      this.pending.delete(flow.cookie);
      if (tr !== null) fab.discardTrace(tr);
      rec = held.tr;
      rec.hops.push({ device: flow.backendName, decision: `sent it back: Geneve ${ipToString(from)}:${(buf[o] << 8) | buf[o + 1]} → ${ipToString(ip.dst)}:${GENEVE_PORT}` });
    }
    if (rec !== null) rec.hops.push({ device: g.id, decision: `cookie 0x${flow.cookie.toString(16).padStart(8, '0')}: back to ${gwlbe.id}` });
    fab.counters.txPacket(gwlbe.device, innerLen);
    ip.wrap(buf, inner, innerLen);
    fab.fromEndpoint(gwlbe, buf, inner, innerLen, rec);
  }

  /**
   * Housekeeping, a few times a second: health probes due and their timeouts, flows idle
   * too long, draining that ended, traces the appliance never answered.
   */
  tick(): void {
    const fab = this.fab;
    const gwlbs = fab.gwlbs();
    const probes: ProbeOut[] = [];
    this.health.tick(gwlbs, probes, this.changes);
    for (const p of probes) this.sendProbe(p);
    const t = this.now();
    for (const [cookie, p] of this.pending) {
      if (t < p.deadline) continue;
      this.pending.delete(cookie);
      const f = this.flows.cookie(cookie);
      fab.endTrace(p.tr, false, `not sent back by ${f?.backendName ?? 'the backend'} within ${TRACE_WAIT_MS / 1000} s (its firewall may have dropped it)`);
    }
    if (t - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = t;
    const byId = new Map(gwlbs.map((g) => [g.id, g]));
    this.flows.sweep(t, (id) => byId.get(id)?.idleMs);
    // E8: a drained backend's flows are cut when its drain timeout ends.
    for (const f of [...this.flows.all()]) {
      const b = byId.get(f.gwlb)?.backends.find((x) => x.ip === f.backendIp);
      if (b?.draining && t >= b.drainEnd) this.flows.remove(f);
    }
  }

  /**
   * Does an existing flow keep its backend (E8)? A yes that only a recompile or a health
   * change can turn into a no is remembered on the flow (keptFw, keptHealth); a draining
   * backend's yes runs out with time, so it is asked again each packet.
   */
  private keeps(g: GwlbFw, f: GwlbFlow): boolean {
    const b = g.backends.find((x) => x.ip === f.backendIp);
    if (b !== undefined && b.draining) return this.time() < b.drainEnd;
    // Removed without draining: existing flows go on until they idle out.
    // Unhealthy: with "rebalance existing traffic" the flow moves, else it stays (and is lost if the backend is down).
    const kept = b === undefined || !(g.rebalance && this.health.status(g, b) === 'Unhealthy');
    if (kept) {
      f.keptFw = g;
      f.keptHealth = this.health.version;
    }
    return kept;
  }

  private movedWhy(g: GwlbFw, f: GwlbFlow): string | null {
    const b = g.backends.find((x) => x.ip === f.backendIp);
    if (b?.draining) return `${f.backendName} finished draining: the flow is cut and starts anew`;
    if (b !== undefined) return `${f.backendName} is Unhealthy and the group rebalances existing traffic: the flow moves`;
    return null;
  }

  /** E1/E4/E7: the backend for a new flow, among those that may take new flows. */
  private pick(g: GwlbFw, k: FlowKey): BackendFw | null {
    let c = this.usable.get(g);
    if (c === undefined || c.health !== this.health.version) {
      c = { health: this.health.version, list: g.backends.filter((b) => this.health.usable(g, b)) };
      this.usable.set(g, c);
    }
    const usable = c.list;
    if (usable.length === 0) return null;
    return usable[rendezvous(schedulerHash(k, g.tuple), usable.length, (i) => usable[i].ip)];
  }

  /** Why a return does not belong to its flow, or null when it does (E3.7, E11). */
  private mismatch(f: GwlbFlow, g: GwlbFw, e: GwlbeFw | undefined, from: number, buf: Buffer, inner: number, innerLen: number): string | null {
    const o = this.opts;
    if (f.gwlb !== g.id) return 'the cookie belongs to another GWLB';
    if (e === undefined || e.gwlb?.id !== g.id || o.endpointLo !== e.endpointLo || o.connectionHi !== e.connectionHi || o.connectionLo !== e.connectionLo) {
      return 'the endpoint options name no endpoint of this GWLB';
    }
    if (from !== f.backendIp) return `it came from ${ipToString(from)}, not the flow's backend ${ipToString(f.backendIp)}`;
    const v = this.inner;
    if (v.wrap(buf, inner, innerLen) !== 0) return 'the inner packet is not IPv4';
    const k = flowKeyOf(v, buf, this.backKey);
    if (k.a !== f.a || k.b !== f.b || k.pa !== f.pa || k.pb !== f.pb || k.protocol !== f.protocol) return 'the inner packet is not of the flow';
    return null;
  }

  /**
   * Outer IPv4 + UDP (checksum 0: optional over IPv4) + Geneve header at s[o..o+68), for
   * the inner packet of `innerLen` bytes that follows it. The header is the same for every
   * packet of a flow through one endpoint but for three fields, so it is built once
   * (emitIpv4, emitUdp, emitGwlbGeneve) and kept on the flow; each packet copies it and fills
   * in the lengths, the IPv4 ID and the header checksum (the kept sum plus the two words,
   * RFC 1071 — the same bits as a recomputation).
   */
  private encapsulate(e: GwlbeFw, g: GwlbFw, f: GwlbFlow, s: Buffer, o: number, innerLen: number): void {
    let h = f.hdr;
    if (h === null || f.hdrFw !== g || f.hdrE !== e) h = this.outerHeader(e, g, f);
    s.set(h, o);
    const total = GWLB_OVERHEAD + innerLen;
    const id = this.nextId();
    s[o + 2] = total >>> 8;
    s[o + 3] = total & 0xff;
    s[o + 4] = id >>> 8;
    s[o + 5] = id & 0xff;
    let sum = f.hdrSum + total + id;
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    const c = ~sum & 0xffff;
    s[o + 10] = c >>> 8;
    s[o + 11] = c & 0xff;
    const udpLen = total - 20;
    s[o + 24] = udpLen >>> 8;
    s[o + 25] = udpLen & 0xff;
  }

  /** The flow's outer header through endpoint `e`, kept on the flow; total length, ID and checksum zero. */
  private outerHeader(e: GwlbeFw, g: GwlbFw, f: GwlbFlow): Buffer {
    const h = f.hdr ?? Buffer.alloc(GWLB_OVERHEAD);
    const src = g.addrByZone.get(e.zone) ?? g.firstAddr;
    emitIpv4(h, 0, { src, dst: f.backendIp, protocol: IpProtocol.Udp, payloadLength: 0, id: 0 });
    emitUdp(h, 20, { srcPort: f.outerPort, dstPort: GENEVE_PORT, payloadLength: 0 });
    const o = this.opts;
    o.endpointHi = e.endpointHi;
    o.endpointLo = e.endpointLo;
    o.connectionHi = e.connectionHi;
    o.connectionLo = e.connectionLo;
    o.cookie = f.cookie;
    emitGwlbGeneve(h, 28, o);
    h[2] = h[3] = h[10] = h[11] = 0;
    f.hdrSum = ~internetChecksum(h, 0, 20) & 0xffff;
    f.hdr = h;
    f.hdrFw = g;
    f.hdrE = e;
    return h;
  }

  /** Keep `tr` open while the packet is at the appliance; one held record per flow. */
  private hold(f: GwlbFlow, tr: TraceRecord): void {
    const prev = this.pending.get(f.cookie);
    if (prev !== undefined) this.fab.endTrace(prev.tr, false, `not sent back by ${f.backendName} before the flow's next packet`);
    this.pending.set(f.cookie, { tr, deadline: this.now() + TRACE_WAIT_MS });
  }

  private sendProbe(p: ProbeOut): void {
    const vpc = this.fab.vpcs()[p.gwlb.vpc];
    const port = vpc === undefined ? undefined : this.fab.portOf(vpc, p.backend.ip);
    if (port === undefined) return; // no host: the probe times out, as a real one would
    const s = this.scratch;
    emitIpv4(s, 0, { src: p.gwlb.firstAddr, dst: p.backend.ip, protocol: IpProtocol.Tcp, payloadLength: 24, id: this.nextId() });
    emitTcp(s, 20, { srcPort: p.srcPort, dstPort: p.gwlb.health.port, seq: p.seq, flags: TcpFlags.Syn, mss: 1460, src: p.gwlb.firstAddr, dst: p.backend.ip });
    this.fab.send(port, s, 0, 44);
  }

  /** E7: a SYN-ACK makes the probe a success and is answered with an RST; an RST is a failure. */
  private probeAnswer(g: GwlbFw, buf: Buffer, o: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const flags = buf[o + 13];
    const dport = (buf[o + 2] << 8) | buf[o + 3];
    const ack = buf.readUInt32BE(o + 8);
    const r = this.health.answer(this.fab.gwlbs(), ip.src, dport, (flags & TcpFlags.Syn) !== 0, (flags & TcpFlags.Ack) !== 0, (flags & TcpFlags.Rst) !== 0, ack, this.changes);
    if (r < 0) return this.fab.drop(g.device, Drop.Unsolicited, g.id, 'a TCP segment for no health check', tr);
    if (tr !== null) this.fab.endTrace(tr, true, `health check answer from ${ipToString(ip.src)} to ${g.id}`);
    if (r === 0) return;
    const vpc = this.fab.vpcs()[g.vpc];
    const port = vpc === undefined ? undefined : this.fab.portOf(vpc, ip.src);
    if (port === undefined) return;
    const src = ip.dst;
    const dst = ip.src;
    const sport = dport;
    const bport = (buf[o] << 8) | buf[o + 1];
    const s = this.scratch;
    emitIpv4(s, 0, { src, dst, protocol: IpProtocol.Tcp, payloadLength: 20, id: this.nextId() });
    emitTcp(s, 20, { srcPort: sport, dstPort: bport, seq: r, flags: TcpFlags.Rst, window: 0, src, dst });
    this.fab.send(port, s, 0, 40);
  }

  private nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }
}
