// PrivateLink interface endpoints as a data-plane device. A packet routed to an endpoint's
// ENI address (a vSwitch-local destination that no ECS holds) goes to the cloud service behind
// it: destination → the service's address (port unchanged), source → the ENI's address and a
// port allocated per flow, so the service sees the endpoint's VPC address and never the
// client's — the client may itself sit in 100.64/10 (an IDC over a VPN), which is the point.
// The service's reply to that ENI address and port is translated back (source = the ENI,
// destination = the client) and routed by the route table of the ENI's vSwitch, so an ECS is
// delivered directly and a client behind a VPN gateway or an NVA gets it by its route.
//
// TCP, UDP and ICMP echo are translated; ICMP errors from the service about a translated flow
// are translated back too (quoted header included, nat.ts). Sessions (sessions.ts) live per
// service host and survive recompiles; an endpoint is found again by a key kept per ENI ID.
// Counters per endpoint: rx = from clients into the endpoint, tx = replies out of it.

import { Drop, type Counters, type DropReason } from '../counters';
import type { ForwardingState, RouteTableFw, TrAttachmentFw, VpcFw } from '../forwarding';
import { setDestinationPort, setQuotedSourcePort, setSourcePort } from '../l4';
import { dnat, inboundFlow, outboundFlow, snat, type FlowOut } from '../nat';
import type { TraceRecord } from '../trace';
import { IpProtocol, ipToString, type Ipv4View } from '../wire/ipv4';
import type { PlEniFw, PrivateLinkFw } from './fw';
import { PlSessions } from './sessions';

/** What the device needs from the rest of the fabric. */
export interface PlFabric {
  readonly counters: Counters;
  /** Out on a port (the service host's), ending the trace there. */
  deliver(port: number, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  /** The transit router attachment with this ID in the current state, if any. */
  attachment(id: string): TrAttachmentFw | undefined;
  /** Back into the transit router by that attachment. */
  toTransitRouter(att: TrAttachmentFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  /** Routed inside VPC `vpc` by `table`, as if the ENI had sent it. */
  forward(vpc: number, table: RouteTableFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
  /** The ENI's security groups and ACL on a packet it receives (`out` false) or sends (true); false: dropped and traced. */
  filter(eni: PlEniFw, out: boolean, buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean;
}

export class PrivateLinkDevice {
  /** Per service address: its sessions, made on its first flow. */
  private readonly tables = new Map<number, PlSessions>();
  /** ENI ID → key, never reused, so a session outlives recompiles but not its endpoint. */
  private readonly keys = new Map<string, number>();
  private byKey: (PlEniFw | undefined)[] = [];
  private readonly flow: FlowOut = { protocol: 0, privPort: 0, remoteIp: 0, remotePort: 0 };

  constructor(private readonly ip: Ipv4View, private readonly fabric: PlFabric, private readonly now: () => number) {}

  /** A new forwarding state: give its ENIs their keys (not on the packet path). */
  load(st: PrivateLinkFw): void {
    const byKey: (PlEniFw | undefined)[] = [];
    for (const e of st.enis) {
      let k = this.keys.get(e.eniId);
      if (k === undefined) {
        k = this.keys.size;
        this.keys.set(e.eniId, k);
      }
      e.key = k;
      byKey[k] = e;
    }
    this.byKey = byKey;
  }

  /** Sessions of the service at `serviceIp` (tests, metrics). */
  sessions(serviceIp: number): PlSessions | undefined {
    return this.tables.get(serviceIp >>> 0);
  }

  /** The ENI at `addr` in `vpc`, if an interface endpoint has one there. */
  eniAt(st: ForwardingState, vpc: VpcFw, addr: number): PlEniFw | undefined {
    for (let e = st.privateLink.byAddr.get(addr) ?? null; e !== null; e = e.sameAddr) if (st.vpcs[e.vpc] === vpc) return e;
    return undefined;
  }

  /**
   * A packet to an endpoint's ENI address, from inside its VPC. `via`: the VPC's transit
   * router attachment it came in by (an IDC behind the TR), by which the reply goes back.
   */
  toEndpoint(eni: PlEniFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null, via?: string): void {
    const ip = this.ip;
    const fab = this.fabric;
    fab.counters.rxPacket(eni.device, len);
    if (!fab.filter(eni, false, buf, off, len, tr)) return;
    const svc = eni.service;
    if (svc === null) return fab.drop(eni.device, Drop.NoBackend, eni.endpointId, 'the cloud service behind the endpoint is not running', tr);
    const f = this.flow;
    // Echo requests only among ICMP: an error or a reply has no flow to start here.
    const echo = ip.protocol === IpProtocol.Icmp && ip.hasTransportHeader && ip.payloadLength >= 8 && buf[ip.payloadOffset] === 8;
    if (!outboundFlow(ip, buf, f) || (ip.protocol === IpProtocol.Icmp && !echo)) {
      return fab.drop(eni.device, Drop.Malformed, eni.endpointId, 'the endpoint carries TCP, UDP and ICMP echo (whole packets, not fragments)', tr);
    }
    let t = this.tables.get(svc.ip);
    if (t === undefined) {
      t = new PlSessions(this.now);
      this.tables.set(svc.ip, t);
    }
    const client = ip.src;
    const port = t.out(f.protocol, eni.key, client, f.privPort, f.remotePort, via);
    if (port < 0) return fab.drop(eni.device, Drop.PortAllocation, eni.endpointId, `no free source port towards ${svc.name}`, tr);
    dnat(ip, buf, svc.ip);
    snat(ip, buf, eni.ip);
    setSourcePort(ip, buf, port);
    if (tr !== null) {
      tr.hops.push({
        device: eni.endpointId,
        decision: `DNAT ${ipToString(eni.ip)} → ${ipToString(svc.ip)} (${svc.name}) via PrivateLink endpoint ${eni.endpointId}; ` +
          `SNAT ${ipToString(client)}:${f.privPort} → ${ipToString(eni.ip)}:${port}${t.created ? ' (new session)' : ''}`,
      });
    }
    fab.deliver(svc.port, buf, off, len, tr);
  }

  /**
   * A packet from a cloud service host: true when it was the reply of a PrivateLink session
   * (translated and routed on), false when it is none of this device's business.
   */
  fromService(buf: Buffer, off: number, len: number, tr: TraceRecord | null): boolean {
    const ip = this.ip;
    const svcIp = ip.src;
    const t = this.tables.get(svcIp);
    if (t === undefined) return false;
    const f = this.flow;
    if (!inboundFlow(ip, buf, f)) return false;
    const s = t.find(f.protocol, f.privPort);
    if (s < 0) return false;
    const eni = this.byKey[t.eniOf(s)];
    // The ENI address confirms the session; the service port too (a reply comes from it).
    if (eni === undefined || eni.ip !== ip.dst || t.servicePortOf(s) !== f.remotePort) return false;
    const fab = this.fabric;
    const client = t.clientIpOf(s);
    const clientPort = t.clientPortOf(s);
    const natPort = f.privPort;
    // inboundFlow took an ICMP echo (request or reply) or an error quoting our flow.
    const icmpType = ip.protocol === IpProtocol.Icmp ? buf[ip.payloadOffset] : -1;
    if (icmpType === 8) return false;
    const isError = icmpType >= 0 && icmpType !== 0;
    snat(ip, buf, eni.ip);
    dnat(ip, buf, client);
    if (isError) setQuotedSourcePort(ip, buf, clientPort);
    else setDestinationPort(ip, buf, clientPort);
    if (!fab.filter(eni, true, buf, off, len, tr)) return true;
    fab.counters.txPacket(eni.device, len);
    if (tr !== null) {
      tr.hops.push({
        device: eni.endpointId,
        decision: `reply via PrivateLink endpoint ${eni.endpointId}: SNAT ${ipToString(svcIp)} → ${ipToString(eni.ip)}; DNAT ${ipToString(eni.ip)}:${natPort} → ${ipToString(client)}:${clientPort}`,
      });
    }
    // A request that came from the transit router goes back to it the same way, as the
    // endpoint (a managed service) keeps its sessions: the client may be in 100.64.0.0/10,
    // which no VPC route may send to the TR — the very case PrivateLink is the answer to.
    const via = t.viaOf(s);
    const att = via === undefined ? undefined : fab.attachment(via);
    if (att !== undefined) {
      if (tr !== null) tr.hops.push({ device: eni.endpointId, decision: `the request came in from transit router ${att.tr.id} by ${att.id}: the reply goes back that way` });
      fab.toTransitRouter(att, buf, off, len, tr);
      return true;
    }
    if (eni.table === null) {
      fab.drop(eni.device, Drop.NoRoute, eni.endpointId, "the endpoint's vSwitch has no route table", tr);
      return true;
    }
    fab.forward(eni.vpc, eni.table, buf, off, len, tr);
    return true;
  }
}
