// The Internet NAT gateway as a data-plane device (SEMANTICS D5–D11, A12). It only
// translates: whether packets reach it, and where translated ones go, is up to route
// tables (D13). Sessions live in a NatTable per gateway, owned by the engine so they
// survive recompiles of the forwarding state. Counters: rx = in from the Internet, tx = out
// to the Internet (the console's inbound/outbound), drops with their reason.

import type { Counters, DropReason } from './counters';
import { Drop } from './counters';
import { dnatKey, HopKind, VpcMode, type NatFw, type VpcFw } from './forwarding';
import { answerEcho, setDestinationPort, setQuotedSourcePort, setSourcePort } from './l4';
import { dnat, inboundFlow, outboundFlow, snat, type FlowOut } from './nat';
import { NatTable } from './nat-table';
import type { TraceRecord } from './trace';
import { IpProtocol, ipToString, type Ipv4View } from './wire/ipv4';

/** What the NAT gateway needs from the rest of the fabric. */
export interface Fabric {
  readonly counters: Counters;
  toInternet(buf: Buffer, off: number, len: number, tr: TraceRecord | null): void;
  /** Deliver to the host holding `addr` in the VPC (the NAT gateway's vSwitch routes locally). */
  deliverInVpc(vpc: VpcFw, addr: number, buf: Buffer, off: number, len: number, tr: TraceRecord | null, where: string, device: number): void;
  drop(device: number, reason: DropReason, where: string, why: string, tr: TraceRecord | null): void;
}

export class NatGatewayDevice {
  private readonly tables = new Map<string, NatTable>();
  private readonly flow: FlowOut = { protocol: 0, privPort: 0, remoteIp: 0, remotePort: 0 };
  private readonly out = { eip: 0, port: 0, created: false };
  private readonly back = { ip: 0, port: 0 };

  constructor(private readonly ip: Ipv4View, private readonly fabric: Fabric, private readonly now: () => number) {}

  /** The session table of a gateway, created on first use and kept across recompiles. */
  table(id: string): NatTable {
    let t = this.tables.get(id);
    if (t === undefined) {
      t = new NatTable({ now: this.now });
      this.tables.set(id, t);
    }
    return t;
  }

  private readonly lastCreated = new Map<string, { at: number; created: number; rate: number }>();

  /** Expire idle sessions and sample the new-session rate; the runtime calls this about once a second. */
  sweep(): void {
    const t0 = this.now();
    for (const [id, t] of this.tables) {
      t.sweep();
      const prev = this.lastCreated.get(id);
      const secs = prev ? (t0 - prev.at) / 1000 : 0;
      this.lastCreated.set(id, { at: t0, created: t.created, rate: prev && secs > 0 ? (t.created - prev.created) / secs : 0 });
    }
  }

  /** D14-style metrics of one gateway's session table. */
  metrics(id: string): { sessions: number; newSessionsPerSecond: number; sessionsCreated: number; errorPortAllocation: number } {
    const t = this.table(id);
    return { sessions: t.size, newSessionsPerSecond: this.lastCreated.get(id)?.rate ?? 0, sessionsCreated: t.created, errorPortAllocation: t.errorPortAllocation };
  }

  /** A packet routed to the gateway from inside the VPC (D5.1). */
  egress(nat: NatFw, vpc: VpcFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const src = ip.src;
    const f = this.flow;
    const fab = this.fabric;
    // A12: a DNAT IP mapping to this source beats SNAT: 1:1, ports untouched.
    const mapped = nat.ipMapOut.get(src);
    if (mapped !== undefined) {
      snat(ip, buf, mapped);
      if (tr !== null) tr.hops.push({ device: nat.id, decision: `SNAT ${ipToString(src)} → ${ipToString(mapped)}: DNAT IP mapping (Any port) of this ECS, which beats SNAT` });
      return this.leave(nat, vpc, buf, off, len, tr);
    }
    if (!outboundFlow(ip, buf, f)) return fab.drop(nat.device, Drop.Malformed, nat.id, 'no ports to translate (fragment or unsupported protocol)', tr);
    // D10.5: the reply of a DNAT port mapping leaves from the public side of that mapping.
    if (f.protocol !== IpProtocol.Icmp) {
      const pub = nat.dnatOut.get(dnatKey(f.protocol, src, f.privPort));
      if (pub !== undefined) {
        snat(ip, buf, pub.ip);
        setSourcePort(ip, buf, pub.port);
        if (tr !== null) tr.hops.push({ device: nat.id, decision: `${ipToString(src)}:${f.privPort} → ${ipToString(pub.ip)}:${pub.port}: reply of DNAT entry ${pub.id}` });
        return this.leave(nat, vpc, buf, off, len, tr);
      }
    }
    const entry = nat.snat.lookup(src);
    if (entry === undefined) return fab.drop(nat.device, Drop.NoSnatEntry, nat.id, `no SNAT entry covers ${ipToString(src)}`, tr);
    const t = this.table(nat.id);
    const res = this.out;
    if (!t.out(f.protocol, src, f.privPort, f.remoteIp, f.remotePort, entry.eips, entry.affinity, nat.portMin, nat.portMax, res)) {
      return fab.drop(nat.device, Drop.PortAllocation, nat.id, `no free source port towards ${ipToString(f.remoteIp)}:${f.remotePort} (ErrorPortAllocationCount)`, tr);
    }
    snat(ip, buf, res.eip);
    setSourcePort(ip, buf, res.port);
    if (tr !== null) {
      tr.hops.push({ device: nat.id, decision: `SNAT ${ipToString(src)}:${f.privPort} → ${ipToString(res.eip)}:${res.port} by SNAT entry ${entry.id}${res.created ? ' (new session)' : ''}` });
    }
    this.leave(nat, vpc, buf, off, len, tr);
  }

  private leave(nat: NatFw, vpc: VpcFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    if (vpc.mode === VpcMode.Controlled) {
      // D12: next to an active IPv4 gateway the NAT gateway only translates; its vSwitch's
      // route table must send the result to the gateway, which is where it leaves the VPC.
      const dst = this.ip.dst;
      const hop = nat.table?.lpm.lookup(dst);
      if (hop === undefined || hop.kind !== HopKind.Ipv4Gateway || !vpc.igw?.active) {
        return this.fabric.drop(nat.device, Drop.NoRoute, nat.id, `the NAT gateway's vSwitch has no route to an active IPv4 gateway for ${ipToString(dst)}`, tr);
      }
      if (tr !== null) tr.hops.push({ device: nat.table!.label, decision: `${hop.rule}: NAT mode behind the IPv4 gateway` });
    }
    this.fabric.counters.txPacket(nat.device, len);
    this.fabric.toInternet(buf, off, len, tr);
  }

  /** A packet from the Internet to one of the gateway's EIPs. */
  ingress(nat: NatFw, vpc: VpcFw, buf: Buffer, off: number, len: number, tr: TraceRecord | null): void {
    const ip = this.ip;
    const fab = this.fabric;
    const pub = ip.dst;
    fab.counters.rxPacket(nat.device, len);
    // D10.2: IP mapping sends everything, ICMP included, to the backend.
    const backend = nat.ipMapIn.get(pub);
    if (backend !== undefined) {
      dnat(ip, buf, backend);
      if (tr !== null) tr.hops.push({ device: nat.id, decision: `DNAT ${ipToString(pub)} → ${ipToString(backend)}: IP mapping` });
      return fab.deliverInVpc(vpc, backend, buf, off, len, tr, nat.id, nat.device);
    }
    const f = this.flow;
    if (!inboundFlow(ip, buf, f)) return fab.drop(nat.device, Drop.Unsolicited, nat.id, 'nothing to match (fragment or unsupported protocol)', tr);
    // D11: an echo request to the EIP is answered by the gateway itself when retrieval is on.
    if (ip.protocol === IpProtocol.Icmp && buf[ip.payloadOffset] === 8) {
      if (!nat.icmpReply) return fab.drop(nat.device, Drop.Unsolicited, nat.id, 'ICMP reply is disabled on this NAT gateway', tr);
      answerEcho(ip, buf);
      if (tr !== null) tr.hops.push({ device: nat.id, decision: `echo reply from the NAT gateway itself for ${ipToString(pub)} (IcmpReplyEnabled)` });
      fab.counters.txPacket(nat.device, len);
      return fab.toInternet(buf, off, len, tr);
    }
    // D10.1: port mapping; the client address is preserved (D10.4).
    if (f.protocol !== IpProtocol.Icmp) {
      const target = nat.dnatIn.get(dnatKey(f.protocol, pub, f.privPort));
      if (target !== undefined) {
        dnat(ip, buf, target.ip);
        setDestinationPort(ip, buf, target.port);
        if (tr !== null) tr.hops.push({ device: nat.id, decision: `DNAT ${ipToString(pub)}:${f.privPort} → ${ipToString(target.ip)}:${target.port} by DNAT entry ${target.id}, client address kept` });
        return fab.deliverInVpc(vpc, target.ip, buf, off, len, tr, nat.id, nat.device);
      }
    }
    // D8: replies of SNAT sessions; anything else is unsolicited.
    const back = this.back;
    if (!this.table(nat.id).in(f.protocol, pub, f.privPort, f.remoteIp, f.remotePort, back)) {
      return fab.drop(nat.device, Drop.Unsolicited, nat.id, `no session for ${ipToString(pub)}:${f.privPort}: unsolicited inbound to an SNAT EIP is dropped`, tr);
    }
    dnat(ip, buf, back.ip);
    // An ICMP error about the session carries the port inside its quoted packet instead.
    if (!setDestinationPort(ip, buf, back.port)) setQuotedSourcePort(ip, buf, back.port);
    if (tr !== null) tr.hops.push({ device: nat.id, decision: `reverse SNAT ${ipToString(pub)}:${f.privPort} → ${ipToString(back.ip)}:${back.port} (session)` });
    fab.deliverInVpc(vpc, back.ip, buf, off, len, tr, nat.id, nat.device);
  }
}
