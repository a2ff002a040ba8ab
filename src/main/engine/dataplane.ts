// The data plane: a packet enters on a port (a lab host's TUN), crosses the cloud's
// devices (vSwitch router with its route table, EIP, the Internet) and leaves on zero or
// one port. Pure: no I/O, no clock except the injected one; output goes to a sink.
//
// Rules implemented here (SEMANTICS): A7 route lookup by the sender's vSwitch table, LPM,
// no match = drop without ICMP; A8 ECS next hop = delivered unchanged; A9/A10 default mode:
// a public destination from an ECS that has an EIP goes straight out with the EIP, bypassing
// route tables; A11 inbound to an EIP is translated 1:1 to the private IP; G3 the fabric
// never decrements TTL. With an active IPv4 gateway (B5): every packet follows its route
// table, translation happens at the gateway keyed by the private source address, and
// inbound traffic is either replies only (no gateway route table) or routed by the gateway
// route table. A VPC whose gateway was deleted in private mode has no Internet (B8.2).

import { ConnTrack } from './conntrack';
import { EniFilterDevice } from './filter/device';
import { Counters, Drop, type DropReason } from './counters';
import { describePacket } from './describe';
import { emptyState, HopKind, PortKind, VpcMode, type EipFw, type ForwardingState, type IdcFw, type PortFw, type RouteTableFw, type VpcFw } from './forwarding';
import { GwlbDevice } from './gwlb/device';
import { dnat, inboundFlow, outboundFlow, snat, type FlowOut } from './nat';
import { NatGatewayDevice } from './nat-gateway';
import { PrivateLinkDevice } from './privatelink/device';
import { VpnDevice } from './vpn/device';
import { TransitRouterDevice } from './tr/device';
import { deliveredTo, Tracer, type TraceRecord } from './trace';
import { Ipv4Reason, Ipv4View, ipToString, isPublic } from './wire/ipv4';

/** Receives packets the engine forwards; the runtime batches them per port. */
export type Sink = (port: number, buf: Buffer, off: number, len: number) => void;

const EMPTY: ForwardingState = emptyState();

/** Where a packet entered the VPC's routing from, for the loop checks in forward(). */
const Via = { Direct: 0, Gwlb: 1, TransitRouter: 2 } as const;
const MAX_ASKERS = 65536;

export class Engine {
  readonly counters = new Counters();
  readonly tracer: Tracer;
  private state: ForwardingState = EMPTY;
  /** IPv4-gateway flows (B5.3); data-plane state, so it survives recompiles. */
  readonly conntrack: ConnTrack;
  private readonly ip = new Ipv4View();
  private readonly flow: FlowOut = { protocol: 0, privPort: 0, remoteIp: 0, remotePort: 0 };
  /** The engine as a whole: every packet read from a port, every packet written to one. */
  private readonly engineDevice: number;
  /** Internet NAT gateways; their session tables are data-plane state too. */
  readonly natGateways: NatGatewayDevice;
  /** GWLB endpoints and instances; flows and backend health are data-plane state too. */
  readonly gwlb: GwlbDevice;
  /** VPN gateways: their tunnels' state and health checks are data-plane state too. */
  readonly vpn: VpnDevice;
  /** Transit routers: stateless but for the tunnels' state, which is the VPN device's. */
  readonly tr: TransitRouterDevice;
  /** While a packet from the transit router is routed in a VPC: the VPC's attachment it entered by. */
  private trIngress: string | undefined;
  /** PrivateLink interface endpoints; their translation sessions are data-plane state too. */
  readonly privateLink: PrivateLinkDevice;
  /** Security groups and network ACLs at the ECS ENIs; their sessions are data-plane state too. */
  readonly filter: EniFilterDevice;
  private lastSweep = -Infinity;
  /** Who asked a regional cloud service, by source address → the VPC the request came through. */
  private readonly serviceAskers = new Map<number, string>();

  constructor(private sink: Sink, now: () => number = () => 0) {
    this.tracer = new Tracer(now);
    this.conntrack = new ConnTrack(now);
    this.natGateways = new NatGatewayDevice(this.ip, {
      counters: this.counters,
      toInternet: (buf, off, len, tr) => this.toInternet(buf, off, len, tr),
      deliverInVpc: (vpc, addr, buf, off, len, tr, where, device) => {
        const out = vpc.hosts.get(addr);
        if (out === undefined) return this.drop(device, Drop.NoHost, where, `no ECS holds ${ipToString(addr)} in ${vpc.id}`, tr);
        this.deliver(out, buf, off, len, tr);
      },
      drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr),
    }, now);
    this.engineDevice = this.counters.device('engine');
    this.gwlb = new GwlbDevice(this.ip, {
      counters: this.counters,
      portOf: (vpc, addr) => vpc.hosts.get(addr),
      send: (port, buf, off, len, tr) => this.send(port, buf, off, len, tr ?? null),
      fromEndpoint: (e, buf, off, len, tr) => {
        if (e.table === null) return this.drop(e.device, Drop.NoRoute, e.id, 'the endpoint has no route table', tr);
        this.forward(this.state.vpcs[e.vpc], e.table, buf, off, len, tr, Via.Gwlb);
      },
      drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr),
      vpcs: () => this.state.vpcs,
      gwlbs: () => this.state.gwlbs,
      endpoint: (hi) => this.state.gwlbeByOption.get(hi),
      endTrace: (tr, delivered, verdict) => this.tracer.end(tr, delivered, verdict),
      discardTrace: (tr) => this.tracer.discard(tr),
    }, now);
    this.vpn = new VpnDevice(this.ip, {
      counters: this.counters,
      send: (port, buf, off, len) => this.send(port, buf, off, len),
      deliver: (port, buf, off, len, tr) => this.deliver(port, buf, off, len, tr),
      toInternet: (buf, off, len, tr) => this.toInternet(buf, off, len, tr),
      forward: (vpc, table, buf, off, len, tr) => this.forward(vpc, table, buf, off, len, tr, Via.Direct),
      drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr),
      endTrace: (tr, delivered, verdict) => this.tracer.end(tr, delivered, verdict),
      vpcs: () => this.state.vpcs,
      connections: () => this.state.vpnConns,
      toTransitRouter: (att, buf, off, len, tr) => this.tr.fromAttachment(att, buf, off, len, tr),
    }, now);
    this.tr = new TransitRouterDevice(this.ip, {
      counters: this.counters,
      intoVpc: (vpc, table, buf, off, len, tr, by) => {
        this.trIngress = by.id;
        this.forward(vpc, table, buf, off, len, tr, Via.TransitRouter);
        this.trIngress = undefined;
      },
      overConnection: (conn, where, rule, buf, off, len, tr) => this.vpn.sendOver(conn, where, rule, buf, off, len, tr),
      drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr),
      vpcs: () => this.state.vpcs,
    }, this.vpn.tunnels);
    this.privateLink = new PrivateLinkDevice(this.ip, {
      counters: this.counters,
      deliver: (port, buf, off, len, tr) => this.deliver(port, buf, off, len, tr),
      forward: (vpc, table, buf, off, len, tr) => this.forward(this.state.vpcs[vpc], table, buf, off, len, tr, Via.Direct),
      drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr),
      attachment: (id) => this.state.trAttachments.find((a) => a.id === id),
      toTransitRouter: (att, buf, off, len, tr) => this.tr.fromAttachment(att, buf, off, len, tr),
      // An endpoint ENI's sessions are kept apart from the ports' under a negative key.
      filter: (eni, out, buf, off, len, tr) =>
        eni.filter === null ||
        (out ? this.filter.egress(-1 - eni.key, eni.device, eni.endpointId, eni.filter, buf, off, len, tr) : this.filter.ingress(-1 - eni.key, eni.device, eni.endpointId, eni.filter, buf, off, len, tr)),
    }, now);
    this.filter = new EniFilterDevice({ counters: this.counters, drop: (device, reason, where, why, tr) => this.drop(device, reason, where, why, tr) }, now);
    this.now = now;
  }

  private readonly now: () => number;

  /** Swap in a newly compiled state; packets in flight finish on the old one. */
  load(state: ForwardingState): void {
    this.state = state;
    this.privateLink.load(state.privateLink);
  }

  /**
   * Housekeeping the runtime calls a few times a second: GWLB health probes and their
   * timeouts (E7 intervals are whole seconds, timeouts too, so 200 ms keeps them close);
   * once a second, expiry of idle NAT sessions and flows.
   */
  tick(): void {
    this.gwlb.tick();
    this.vpn.tick();
    const t = this.now();
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    this.natGateways.sweep();
    this.conntrack.sweep();
    this.filter.sessions.sweep();
  }

  get forwarding(): ForwardingState {
    return this.state;
  }

  setSink(sink: Sink): void {
    this.sink = sink;
  }

  /** Handle one packet that arrived on `port`. Never throws on packet contents. */
  process(port: number, buf: Buffer, off: number, len: number): void {
    const st = this.state;
    const p = st.ports[port];
    if (p === undefined) {
      this.counters.drop(this.engineDevice, Drop.UnknownPort);
      return;
    }
    this.counters.rxPacket(p.device, len);
    this.counters.rxPacket(this.engineDevice, len);
    // A stopped ECS sends nothing: what its namespace still writes goes nowhere.
    if (p.stopped) return this.counters.drop(p.device, Drop.InstanceStopped);
    const ip = this.ip;
    // The header checksum is checked as a router would (RFC 1812 §5.2.2): a corrupt header
    // is dropped and counted, not forwarded for the receiver's tcpdump to call `bad cksum`.
    const status = ip.wrap(buf, off, len, true);
    if (status !== Ipv4Reason.Ok) {
      // IPv6 (router solicitations and the like) and garbage are counted, never thrown.
      this.counters.drop(p.device, status === Ipv4Reason.BadVersion ? Drop.NotIpv4 : status === Ipv4Reason.BadChecksum ? Drop.BadChecksum : Drop.Malformed);
      return;
    }
    const tr = this.tracer.active ? this.tracer.begin(p.name, ip.src, ip.dst, ip.protocol, () => describePacket(ip, buf)) : null;
    switch (p.kind) {
      case PortKind.Ecs:
        // H5: what an ECS sends passes its security groups, then its vSwitch's ACL.
        if (p.filter !== null && !this.filter.egress(port, p.device, p.name, p.filter, buf, off, len, tr)) break;
        this.fromEcs(p, buf, off, len, tr);
        break;
      case PortKind.Internet:
        this.toInternet(buf, off, len, tr);
        break;
      case PortKind.Service:
        // A reply through a PrivateLink endpoint first; else the service answers its VPC directly.
        if (!this.privateLink.fromService(buf, off, len, tr)) this.fromService(p, buf, off, len, tr);
        break;
      case PortKind.IdcHost:
        this.fromIdcHost(p, buf, off, len, tr);
        break;
      case PortKind.IdcGateway:
        this.fromIdcGateway(p, buf, off, len, tr);
        break;
      case PortKind.VpnEndpoint:
        this.vpn.fromEndpoint(p, buf, off, len, tr);
        break;
      case PortKind.TrTunnelEndpoint:
        this.vpn.fromTrEndpoint(p, buf, off, len, tr);
        break;
    }
  }

  /** An IDC host: the LAN reaches its neighbours; everything else goes to the router. */
  private fromIdcHost(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const site = this.state.idcs[p.site];
    const dst = this.ip.dst;
    this.counters.rxPacket(site.device, len);
    if (((dst & site.cidrMask) >>> 0) === site.cidrAddr) return this.onLan(site, buf, off, len, tr);
    this.counters.txPacket(site.device, len);
    if (tr !== null) tr.hops.push({ device: site.label, decision: `${ipToString(dst)} is off the LAN: to the default gateway` });
    this.deliver(site.gatewayPort, buf, off, len, tr);
  }

  /**
   * An IDC's router: to its LAN, or out on the Internet — from its public address only.
   * What its kernel forwards from the LAN unencrypted keeps a private source, which no ISP
   * carries; through the tunnel it leaves as ESP from the public address.
   */
  private fromIdcGateway(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const site = this.state.idcs[p.site];
    const ip = this.ip;
    if (((ip.dst & site.cidrMask) >>> 0) === site.cidrAddr) {
      this.counters.rxPacket(site.device, len);
      return this.onLan(site, buf, off, len, tr);
    }
    if (ip.src !== site.publicIp && !isPublic(ip.src)) {
      return this.drop(this.state.internetDevice, Drop.PrivateSource, 'Internet', `the source ${ipToString(ip.src)} is a private address: the Internet does not carry it`, tr);
    }
    this.toInternet(buf, off, len, tr);
  }

  private onLan(site: IdcFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const dst = this.ip.dst;
    const out = site.lan.get(dst);
    if (out === undefined) return this.drop(site.device, Drop.NoHost, site.label, `no host holds ${ipToString(dst)}`, tr);
    this.counters.txPacket(site.device, len);
    if (tr !== null) tr.hops.push({ device: site.label, decision: `${ipToString(dst)} is on the LAN` });
    this.deliver(out, buf, off, len, tr);
  }

  private fromEcs(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const st = this.state;
    const vpc = st.vpcs[p.vpc];
    const dst = ip.dst;
    const inVpc = ((dst & vpc.cidrMask) >>> 0) === vpc.cidrAddr;
    // A9/A10: with no active IPv4 gateway, an ECS that has an EIP reaches public addresses
    // from its instance edge; route tables are not consulted.
    if (vpc.mode === VpcMode.Default && p.eip !== 0 && !inVpc && ip.src === p.ip && isPublic(dst)) {
      snat(ip, buf, p.eip);
      this.counters.txPacket(p.eipDevice, len);
      if (tr !== null) tr.hops.push({ device: p.eipId, decision: `SNAT ${ipToString(p.ip)} → ${ipToString(p.eip)}: public destination from an ECS with an EIP, route table not consulted` });
      this.toInternet(buf, off, len, tr);
      return;
    }
    const table = p.table;
    if (table === null) return this.drop(p.device, Drop.NoRoute, p.name, 'no route table', tr);
    this.forward(vpc, table, buf, off, len, tr, Via.Direct);
  }

  /**
   * A packet inside `vpc`, routed by `table`: from an ECS by its vSwitch's table, back from a
   * GWLB by its endpoint's (E3.5), in from a transit router by its ENI's. `via`: a route back
   * to the GWLB endpoint, or to the transit router, it came from would loop, so it is a drop.
   */
  private forward(vpc: VpcFw, table: RouteTableFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null, via: number): void {
    const dst = this.ip.dst;
    this.counters.rxPacket(table.device, len);
    const hop = table.lpm.lookup(dst);
    if (hop === undefined) {
      return this.drop(table.device, Drop.NoRoute, table.label, `no entry matches ${ipToString(dst)}`, tr);
    }
    this.counters.txPacket(table.device, len);
    if (tr !== null) tr.hops.push({ device: table.label, decision: hop.rule });
    switch (hop.kind) {
      case HopKind.Local: {
        const out = vpc.hosts.get(dst);
        if (out === undefined) {
          // The GWLB's own address: Geneve returns and health-check answers (E3.3, E7).
          const g = vpc.gwlbAddrs.get(dst);
          if (g !== undefined) return this.gwlb.toGwlb(g, buf, off, len, tr);
          const pl = this.privateLink.eniAt(this.state, vpc, dst);
          if (pl !== undefined) return this.privateLink.toEndpoint(pl, buf, off, len, tr, via === Via.TransitRouter ? this.trIngress : undefined);
          return this.drop(table.device, Drop.NoHost, table.label, `no ECS holds ${ipToString(dst)}`, tr);
        }
        return this.deliver(out, buf, off, len, tr);
      }
      case HopKind.Service: {
        const out = vpc.services.get(dst);
        if (out === undefined) return this.drop(table.device, Drop.NoHost, table.label, `no cloud service at ${ipToString(dst)}`, tr);
        // Bounded: a regional service only needs to know where its recent askers came from.
        if (this.serviceAskers.size >= MAX_ASKERS) this.serviceAskers.clear();
        this.serviceAskers.set(this.ip.src, vpc.id);
        return this.deliver(out, buf, off, len, tr);
      }
      case HopKind.Instance:
        // A8: source and destination unchanged; whether it goes further is the guest's business.
        return this.deliver(hop.port, buf, off, len, tr);
      case HopKind.Ipv4Gateway:
        return this.egressIgw(vpc, buf, off, len, tr);
      case HopKind.NatGateway:
        // B8.2 [INF]: a private VPC has no Internet, through NAT gateways neither.
        if (vpc.mode === VpcMode.Private) return this.drop(table.device, Drop.NoRoute, table.label, `${vpc.id} is private: no Internet`, tr);
        return this.natGateways.egress(hop.nat!, vpc, buf, off, len, tr);
      case HopKind.GwlbEndpoint:
        if (via === Via.Gwlb) return this.drop(table.device, Drop.NoRoute, table.label, 'back from the GWLB, the route leads to a GWLB endpoint again', tr);
        return this.gwlb.fromRoute(hop.gwlbe!, buf, off, len, tr);
      case HopKind.VpnGateway:
        return this.vpn.fromRoute(hop.vpn!, buf, off, len, tr);
      case HopKind.Attachment:
        if (via === Via.TransitRouter) return this.drop(table.device, Drop.NoRoute, table.label, 'in from the transit router, the route leads back to it', tr);
        return this.tr.fromAttachment(hop.att!, buf, off, len, tr);
    }
  }

  /** B5.2: out through the IPv4 gateway, source translated to the EIP of the private source. */
  private egressIgw(vpc: VpcFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const igw = vpc.igw!;
    const ip = this.ip;
    // B2: before activation the gateway has no data-plane effect; the route is a blackhole.
    if (!igw.active) return this.drop(igw.device, Drop.GatewayInactive, igw.id, 'the IPv4 gateway is not active yet', tr);
    const src = ip.src;
    const eip = vpc.eipByPrivate.get(src);
    if (eip === undefined) return this.drop(igw.device, Drop.NoPublicIp, igw.id, `${ipToString(src)} has no EIP: the IPv4 gateway gives no Internet access by itself`, tr);
    const f = this.flow;
    if (outboundFlow(ip, buf, f)) this.conntrack.note(f.protocol, src, f.privPort, f.remoteIp, f.remotePort);
    snat(ip, buf, eip);
    this.counters.txPacket(igw.device, len);
    if (tr !== null) tr.hops.push({ device: igw.id, decision: `SNAT ${ipToString(src)} → ${ipToString(eip)}: translated at the IPv4 gateway, keyed by the private source` });
    this.toInternet(buf, off, len, tr);
  }

  /** The lab's Internet: public hosts by address, EIPs translated to their private IP (A11). */
  private toInternet(buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const st = this.state;
    const dst = this.ip.dst;
    // rx: every packet the lab's Internet carries; tx: those it hands on (a host, an EIP, a NAT gateway).
    this.counters.rxPacket(st.internetDevice, len);
    const host = st.internetHosts.get(dst);
    if (host !== undefined) {
      this.counters.txPacket(st.internetDevice, len);
      if (tr !== null) tr.hops.push({ device: 'Internet', decision: `${ipToString(dst)} is an Internet host` });
      return this.deliver(host, buf, off, len, tr);
    }
    const nat = st.natEips.get(dst);
    if (nat !== undefined) {
      this.counters.txPacket(st.internetDevice, len);
      const vpc = st.vpcs[nat.vpc];
      if (vpc.mode === VpcMode.Private) return this.drop(nat.device, Drop.NoRoute, nat.id, `${vpc.id} is private: its IPv4 gateway was deleted in private mode`, tr);
      return this.natGateways.ingress(nat, vpc, buf, off, len, tr);
    }
    const eip = st.eips.get(dst);
    if (eip !== undefined) {
      this.counters.txPacket(st.internetDevice, len);
      const vpc = st.vpcs[eip.vpc];
      if (vpc.mode === VpcMode.Controlled) return this.ingressIgw(vpc, eip, buf, off, len, tr);
      if (vpc.mode === VpcMode.Private) return this.drop(eip.device, Drop.NoRoute, eip.id, `${vpc.id} is private: its IPv4 gateway was deleted in private mode`, tr);
      dnat(this.ip, buf, eip.privateIp);
      this.counters.rxPacket(eip.device, len);
      if (tr !== null) tr.hops.push({ device: eip.id, decision: `DNAT ${ipToString(dst)} → ${ipToString(eip.privateIp)}: inbound to an EIP is translated 1:1` });
      return this.deliver(eip.port, buf, off, len, tr);
    }
    this.drop(st.internetDevice, Drop.InternetUnreachable, 'Internet', `nothing on the lab's Internet answers to ${ipToString(dst)}`, tr);
  }

  /**
   * B5.3: inbound through an active IPv4 gateway. The destination becomes the private IP;
   * then either the bound gateway route table decides, or (none bound) only replies to
   * flows started inside are delivered.
   */
  private ingressIgw(vpc: VpcFw, eip: EipFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const igw = vpc.igw!;
    const ip = this.ip;
    const pub = ip.dst;
    dnat(ip, buf, eip.privateIp);
    this.counters.rxPacket(igw.device, len);
    if (tr !== null) tr.hops.push({ device: igw.id, decision: `DNAT ${ipToString(pub)} → ${ipToString(eip.privateIp)} at the IPv4 gateway` });
    const table = igw.table;
    if (table === null) {
      const f = this.flow;
      if (!inboundFlow(ip, buf, f) || !this.conntrack.isReply(f.protocol, eip.privateIp, f.privPort, f.remoteIp, f.remotePort)) {
        return this.drop(igw.device, Drop.Unsolicited, igw.id, 'unsolicited inbound with no gateway route table bound: only replies come in', tr);
      }
      if (tr !== null) tr.hops.push({ device: igw.id, decision: 'reply to a flow started inside the VPC' });
      return this.deliver(eip.port, buf, off, len, tr);
    }
    this.counters.rxPacket(table.device, len);
    const hop = table.lpm.lookup(eip.privateIp);
    if (hop === undefined) return this.drop(table.device, Drop.NoRoute, table.label, `no entry matches ${ipToString(eip.privateIp)}`, tr);
    this.counters.txPacket(table.device, len);
    if (tr !== null) tr.hops.push({ device: table.label, decision: hop.rule });
    if (hop.kind === HopKind.Instance) return this.deliver(hop.port, buf, off, len, tr);
    // E10: the gateway table sends the business subnets' traffic through a GWLB endpoint.
    if (hop.kind === HopKind.GwlbEndpoint) return this.gwlb.fromRoute(hop.gwlbe!, buf, off, len, tr);
    const out = vpc.hosts.get(eip.privateIp);
    if (out === undefined) return this.drop(table.device, Drop.NoHost, table.label, `no ECS holds ${ipToString(eip.privateIp)}`, tr);
    this.deliver(out, buf, off, len, tr);
  }

  /**
   * Cloud services (100.64/10) answer into the VPC that asked: an ECS directly, anything else
   * (an IDC host over a VPN, F6.3) by the VPC's system route table. The VPC DNS belongs to one
   * VPC; a regional service (OSS) answers the VPC the asker's last request came from.
   */
  private fromService(p: PortFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const dst = this.ip.dst;
    const vpc = p.vpc >= 0 ? this.state.vpcs[p.vpc] : this.askerVpc(dst);
    if (vpc === undefined) return this.drop(p.device, Drop.NoHost, p.name, `no VPC asked ${p.name} from ${ipToString(dst)}`, tr);
    const out = vpc.hosts.get(dst);
    if (out !== undefined) {
      if (tr !== null) tr.hops.push({ device: p.name, decision: `reply to ${ipToString(dst)} inside ${vpc.id}` });
      return this.deliver(out, buf, off, len, tr);
    }
    if (vpc.system === null) return this.drop(p.device, Drop.NoHost, p.name, `no ECS holds ${ipToString(dst)} in ${vpc.id}`, tr);
    if (tr !== null) tr.hops.push({ device: p.name, decision: `reply to ${ipToString(dst)}, routed by ${vpc.id}'s system route table` });
    this.forward(vpc, vpc.system, buf, off, len, tr, Via.Direct);
  }

  private askerVpc(addr: number): VpcFw | undefined {
    const id = this.serviceAskers.get(addr);
    return id === undefined ? undefined : this.state.vpcs.find((v) => v.id === id);
  }

  private deliver(port: number, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const out = this.state.ports[port];
    if (out === undefined) return this.drop(this.engineDevice, Drop.UnknownPort, 'engine', `port ${port} is not wired`, tr);
    if (out.stopped) return this.drop(out.device, Drop.InstanceStopped, out.name, `${out.name} is stopped`, tr);
    // H5: what is delivered to an ECS passes its vSwitch's ACL, then its security groups.
    if (out.filter !== null && !this.filter.ingress(port, out.device, out.name, out.filter, buf, off, len, tr)) return;
    if (tr !== null) this.tracer.end(tr, true, deliveredTo(out.name));
    this.write(out, port, buf, off, len);
  }

  /**
   * Out on a port, counted; no verdict (the GWLB's datagrams go on after the appliance).
   * An ECS's filters still apply: an appliance's security group decides on Geneve too (H5).
   */
  private send(port: number, buf: Buffer, off: number, len: number, tr: TraceRecord | null = null): boolean {
    const out = this.state.ports[port];
    if (out === undefined) {
      this.counters.drop(this.engineDevice, Drop.UnknownPort);
      return false;
    }
    if (out.stopped) {
      this.counters.drop(out.device, Drop.InstanceStopped);
      return false;
    }
    if (out.filter !== null && !this.filter.ingress(port, out.device, out.name, out.filter, buf, off, len, tr)) return false;
    this.write(out, port, buf, off, len);
    return true;
  }

  private write(out: PortFw, port: number, buf: Buffer, off: number, len: number): void {
    this.counters.txPacket(out.device, len);
    this.counters.txPacket(this.engineDevice, len);
    this.sink(port, buf, off, len);
  }

  private drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void {
    this.counters.drop(device, reason);
    if (tr !== null) {
      tr.hops.push({ device: where, decision: `drop: ${why}` });
      this.tracer.end(tr, false, `dropped at ${where}: ${why}`);
    }
  }
}
