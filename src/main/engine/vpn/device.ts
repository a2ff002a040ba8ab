// The VPN gateway as a data-plane device (SEMANTICS F3–F5). IKE and ESP are charon's, in the
// gateway's two endpoint appliances; the engine only decides which appliance a packet goes to
// and carries what the appliances send.
//
// Out (VPC → IDC): a VPC route entry hands the packet to the gateway; its policy-based routes
// are tried first by priority, then its destination routes by LPM (F5); of a destination's
// active and standby routes the effective one is the active while its connection has a usable
// tunnel (F5), and of a connection's tunnels the master while usable, else the other (F3).
// The packet goes unchanged to that tunnel's endpoint, whose charon encrypts it.
// From an endpoint: from its public address it is IKE/ESP for the Internet; anything else is
// a packet charon decrypted, which enters the VPC by the endpoint vSwitch's route table.
// Health checks (F4): ICMP echo from sip to dip through each tunnel that is up, every
// `interval`; `retry` unanswered in a row make the tunnel unusable until one is answered.

import type { Counters, DropReason } from '../counters';
import { Drop } from '../counters';
import type { PortFw, RouteTableFw, TrAttachmentFw, VpcFw, VpnConnFw, VpnGatewayFw, VpnRouteFw, VpnTunnelFw } from '../forwarding';
import type { TraceRecord } from '../trace';
import { emitEcho, ICMP_HEADER, IcmpType } from '../wire/icmp';
import { emitIpv4, IPV4_MIN_HEADER, IpProtocol, ipToString, isPublic, type Ipv4View } from '../wire/ipv4';
import { TunnelTable, type HealthEvent } from './tunnels';

/** The health probes' ICMP identifier: ours, so answers are told from the IDC's own pings. */
const PROBE_ID = 0x5650;
const PROBE_DATA = 32;

/** What the VPN gateway needs from the rest of the fabric. */
export interface VpnFabric {
  readonly counters: Counters;
  send(port: number, buf: Buffer, off: number, len: number): void;
  deliver(port: number, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  toInternet(buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  /** Route a packet inside `vpc` by `table` (`ip` wraps it). */
  forward(vpc: VpcFw, table: RouteTableFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
  endTrace(tr: TraceRecord, delivered: boolean, verdict: string): void;
  vpcs(): readonly VpcFw[];
  /** Every connection, on a gateway or a transit router. */
  connections(): readonly VpnConnFw[];
  /** A packet from the IDC over a connection attached to a transit router, into that TR. */
  toTransitRouter(att: TrAttachmentFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
}

export class VpnDevice {
  readonly tunnels = new TunnelTable();
  /** Health changes since the runtime last read them (F8's events). */
  readonly events: HealthEvent[] = [];
  private readonly scratch = Buffer.alloc(IPV4_MIN_HEADER + ICMP_HEADER + PROBE_DATA);
  private seq = 1;

  constructor(private readonly ip: Ipv4View, private readonly fab: VpnFabric, private readonly now: () => number) {}

  /** A packet a VPC route entry sent to gateway `g` (`ip` wraps it). */
  fromRoute(g: VpnGatewayFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const c = this.fab.counters;
    c.rxPacket(g.device, len);
    const route = this.select(g, this.ip.src, this.ip.dst);
    if (route === null) return this.fab.drop(g.device, Drop.NoRoute, g.id, `no route of the VPN gateway matches ${ipToString(this.ip.dst)}`, tr);
    if (this.sendOver(route.conn, g.id, route.rule, buf, off, len, tr)) c.txPacket(g.device, len);
  }

  /**
   * Out over connection `conn` (F3: its master tunnel while usable, else the other): to the
   * appliance its tunnel ends on, whose charon encrypts it. `where` and `rule` name the device
   * and the route that chose the connection, for the trace. False: dropped, no tunnel is usable.
   */
  sendOver(conn: VpnConnFw, where: string, rule: string, buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean {
    const t = this.tunnels.effective(conn);
    if (t === null) {
      const why = conn.health !== null && conn.health.revoke && conn.tunnels.some((x) => this.tunnels.get(x.id).up)
        ? `the health check of ${conn.id} fails: its routes are withdrawn`
        : `no tunnel of ${conn.id} is up`;
      this.fab.drop(conn.device, Drop.TunnelDown, where, why, tr);
      return false;
    }
    const c = this.fab.counters;
    c.txPacket(conn.device, len);
    c.txPacket(t.device, len);
    if (tr !== null) {
      const s = this.tunnels.get(t.id);
      const role = conn.tunnels.length === 1 ? 'its tunnel' : t === conn.tunnels[conn.master] ? 'the active tunnel' : 'the standby tunnel, the active one is down';
      tr.hops.push({ device: where, decision: `${rule}; tunnel ${t.index + 1} (${t.id}), ${role}, ESP SA out ${s.spiOut || '(none yet)'}` });
    }
    this.fab.deliver(conn.ports[t.index], buf, off, len, tr);
    return true;
  }

  /**
   * F5: policy-based routes by priority, then destination routes by LPM; of a match's routes
   * the active one whose connection has a usable tunnel, else a standby one that has, else the
   * active one (which will drop the packet, saying why).
   */
  private select(g: VpnGatewayFw, src: number, dst: number): VpnRouteFw | null {
    for (const p of g.pbr) {
      if (((src & p.srcMask) >>> 0) === p.srcAddr && ((dst & p.dstMask) >>> 0) === p.dstAddr) return this.effective(p.routes);
    }
    const routes = g.dbr.lookup(dst);
    return routes === undefined ? null : this.effective(routes);
  }

  private effective(routes: VpnRouteFw[]): VpnRouteFw | null {
    for (const r of routes) if (r.active && this.tunnels.effective(r.conn) !== null) return r;
    for (const r of routes) if (!r.active && this.tunnels.effective(r.conn) !== null) return r;
    return routes.find((r) => r.active) ?? routes[0] ?? null;
  }

  /** A packet from one of the gateway's endpoints (`ip` wraps it). */
  fromEndpoint(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const g = p.vpn!;
    const ip = this.ip;
    // IKE and ESP: the endpoint's own traffic with the customer gateways.
    if (ip.src === g.endpointIps[p.tunnelIndex]) return this.fab.toInternet(buf, off, len, tr);
    const conn = this.connOf(g, ip.src);
    if (conn !== null && this.healthAnswer(conn, buf)) {
      if (tr !== null) {
        tr.hops.push({ device: g.id, decision: `the answer to a health check of ${conn.id}` });
        this.fab.endTrace(tr, true, `taken by ${g.id}`);
      }
      return;
    }
    const c = this.fab.counters;
    c.rxPacket(g.device, len);
    const t = conn?.tunnels.find((x) => x.index === p.tunnelIndex);
    if (conn !== null) c.rxPacket(conn.device, len);
    if (t !== undefined) c.rxPacket(t.device, len);
    const table = g.tables[p.tunnelIndex];
    if (table === null) return this.fab.drop(g.device, Drop.NoRoute, g.id, 'the endpoint has no route table', tr);
    if (tr !== null) {
      const via = t !== undefined ? `tunnel ${t.index + 1} (${t.id}) of ${conn!.id}, ESP SA in ${this.tunnels.get(t.id).spiIn || '(none)'}` : `tunnel ${p.tunnelIndex + 1}`;
      tr.hops.push({ device: g.id, decision: `from the IDC over ${via}: into the VPC` });
    }
    this.fab.forward(this.fab.vpcs()[g.vpc], table, buf, off, len, tr);
  }

  /** A packet from the tunnel appliance of a connection attached to a transit router. */
  fromTrEndpoint(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const conn = p.vpnConn!;
    // IKE and ESP from its public address; anything else charon decrypted — or the
    // appliance's own ICMP about the tunnel's traffic (fragmentation needed: ESP's overhead
    // makes its tunnel's MTU 1400), which the sender in a VPC must get back through the TR.
    const ip = this.ip;
    if (ip.src === p.ip && !(ip.protocol === IpProtocol.Icmp && !isPublic(ip.dst))) return this.fab.toInternet(buf, off, len, tr);
    if (this.healthAnswer(conn, buf)) {
      if (tr !== null) {
        tr.hops.push({ device: conn.id, decision: 'the answer to its health check' });
        this.fab.endTrace(tr, true, `taken by ${conn.id}`);
      }
      return;
    }
    const c = this.fab.counters;
    c.rxPacket(conn.device, len);
    const t = conn.tunnels.find((x) => x.index === p.tunnelIndex);
    if (t !== undefined) c.rxPacket(t.device, len);
    const att = p.trAtt;
    if (att === null) return this.fab.drop(conn.device, Drop.NoRoute, conn.id, `${conn.id} is not attached to a transit router`, tr);
    if (tr !== null) {
      const via = t !== undefined ? `tunnel ${t.index + 1} (${t.id}), ESP SA in ${this.tunnels.get(t.id).spiIn || '(none)'}` : `tunnel ${p.tunnelIndex + 1}`;
      tr.hops.push({ device: conn.id, decision: `from the IDC over ${via}: to transit router ${att.tr.id}` });
    }
    this.fab.toTransitRouter(att, buf, off, len, tr);
  }

  /** The connection whose IDC side holds `addr`, or the gateway's only one. */
  private connOf(g: VpnGatewayFw, addr: number): VpnConnFw | null {
    for (const c of g.conns) if (c.remote.lookup(addr) !== undefined) return c;
    return g.conns.length === 1 ? g.conns[0] : null;
  }

  /** An echo reply to this connection's probe: marks its tunnel answered. */
  private healthAnswer(conn: VpnConnFw, buf: Buffer): boolean {
    const h = conn.health;
    const ip = this.ip;
    if (h === null || ip.dst !== h.sip || ip.src !== h.dip || ip.protocol !== IpProtocol.Icmp || ip.payloadLength < ICMP_HEADER) return false;
    const o = ip.payloadOffset;
    if (buf[o] !== IcmpType.EchoReply || buf.readUInt16BE(o + 4) !== PROBE_ID) return false;
    const seq = buf.readUInt16BE(o + 6);
    for (const t of conn.tunnels) {
      const s = this.tunnels.get(t.id);
      if (s.probeSeq !== seq) continue;
      s.probeSeq = -1;
      s.misses = 0;
      if (!s.healthy) {
        s.healthy = true;
        this.events.push({ connId: conn.id, tunnelId: t.id, healthy: true, at: this.now() });
      }
    }
    return true;
  }

  /** The tunnel a connection's traffic uses now (F3), or null when none can carry it. */
  activeTunnel(connId: string): VpnTunnelFw | null {
    for (const c of this.fab.connections()) if (c.id === connId) return this.tunnels.effective(c);
    return null;
  }

  /** Probes due, and the verdict on those that went unanswered for an interval. */
  tick(): void {
    const t = this.now();
    const ids = new Set<string>();
    for (const conn of this.fab.connections()) {
      for (const tun of conn.tunnels) {
        ids.add(tun.id);
        const h = conn.health;
        const s = this.tunnels.get(tun.id);
        if (h === null || !s.up || t < s.nextProbeAt) continue;
        if (s.probeSeq !== -1) {
          s.misses++;
          if (s.misses >= h.retry && s.healthy) {
            s.healthy = false;
            this.events.push({ connId: conn.id, tunnelId: tun.id, healthy: false, at: t });
          }
        }
        s.nextProbeAt = t + h.intervalMs;
        s.probeSeq = this.nextSeq();
        this.probe(conn, tun, h.sip, h.dip, s.probeSeq);
      }
    }
    this.tunnels.retain(ids);
  }

  private nextSeq(): number {
    this.seq = (this.seq % 0xffff) + 1;
    return this.seq;
  }

  /** An echo request from sip to dip, handed to the tunnel's endpoint as if from the VPC. */
  private probe(conn: VpnConnFw, t: VpnTunnelFw, sip: number, dip: number, seq: number): void {
    const port = conn.ports[t.index] ?? -1;
    if (port < 0) return;
    const b = this.scratch;
    b.fill(0, IPV4_MIN_HEADER + ICMP_HEADER);
    emitEcho(b, IPV4_MIN_HEADER, { id: PROBE_ID, seq, payloadLength: PROBE_DATA });
    emitIpv4(b, 0, { src: sip, dst: dip, protocol: IpProtocol.Icmp, payloadLength: ICMP_HEADER + PROBE_DATA, id: seq });
    this.fab.send(port, b, 0, b.length);
  }
}
