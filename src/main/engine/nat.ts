// Address translation on a packet already wrapped by the data plane's views, including
// the packet quoted inside an ICMP error, so that `traceroute` and path-MTU discovery keep
// working through an EIP: the guest matches an ICMP error to its socket by the quoted
// header, which must therefore carry the address the guest used.

import { IcmpView } from './wire/icmp';
import { IpProtocol, type Ipv4View } from './wire/ipv4';

const icmp = new IcmpView();

/** Source private → public (egress). A quoted packet's destination was the private address. */
export function snat(ip: Ipv4View, buf: Buffer, to: number): void {
  const from = ip.src;
  ip.rewriteSrc(to);
  if (ip.protocol === IpProtocol.Icmp && ip.hasTransportHeader && icmp.wrap(buf, ip.payloadOffset, ip.payloadLength) === 0 && icmp.isError && icmp.quotedDst === from) {
    icmp.rewriteQuotedDst(to);
  }
}

/** Destination public → private (ingress). A quoted packet's source was the public address. */
export function dnat(ip: Ipv4View, buf: Buffer, to: number): void {
  const from = ip.dst;
  ip.rewriteDst(to);
  if (ip.protocol === IpProtocol.Icmp && ip.hasTransportHeader && icmp.wrap(buf, ip.payloadOffset, ip.payloadLength) === 0 && icmp.isError && icmp.quotedSrc === from) {
    icmp.rewriteQuotedSrc(to);
  }
}

/**
 * The flow a packet belongs to, seen from inside the VPC: ports for TCP/UDP, the echo
 * identifier for ICMP echo, and for an ICMP error the flow of the packet it quotes.
 * Writes into `out` (privPort, remotePort, protocol, remoteIp) to stay allocation-free;
 * returns false when the packet carries no flow (fragments, other protocols).
 */
export interface FlowOut {
  protocol: number;
  privPort: number;
  remoteIp: number;
  remotePort: number;
}

export function outboundFlow(ip: Ipv4View, buf: Buffer, out: FlowOut): boolean {
  return flow(ip, buf, out, true);
}

export function inboundFlow(ip: Ipv4View, buf: Buffer, out: FlowOut): boolean {
  return flow(ip, buf, out, false);
}

function flow(ip: Ipv4View, buf: Buffer, out: FlowOut, outbound: boolean): boolean {
  if (!ip.hasTransportHeader) return false;
  const o = ip.payloadOffset;
  const n = ip.payloadLength;
  const p = ip.protocol;
  if (p === IpProtocol.Tcp || p === IpProtocol.Udp) {
    if (n < 4) return false;
    const sport = (buf[o] << 8) | buf[o + 1];
    const dport = (buf[o + 2] << 8) | buf[o + 3];
    out.protocol = p;
    out.privPort = outbound ? sport : dport;
    out.remotePort = outbound ? dport : sport;
    out.remoteIp = outbound ? ip.dst : ip.src;
    return true;
  }
  if (p !== IpProtocol.Icmp || icmp.wrap(buf, o, n) !== 0) return false;
  if (icmp.isError) {
    // Related to the quoted flow, which went the other way.
    const qp = icmp.quotedProtocol;
    out.protocol = qp;
    out.remoteIp = outbound ? icmp.quotedSrc : icmp.quotedDst;
    if (qp === IpProtocol.Icmp) {
      const id = icmp.quotedEchoId;
      if (id < 0) return false;
      out.privPort = id;
      out.remotePort = 0;
      return true;
    }
    const qs = icmp.quotedSrcPort;
    const qd = icmp.quotedDstPort;
    if (qs < 0 || qd < 0) return false;
    out.privPort = outbound ? qd : qs;
    out.remotePort = outbound ? qs : qd;
    return true;
  }
  const t = icmp.type;
  if (t !== 8 && t !== 0) return false;
  out.protocol = IpProtocol.Icmp;
  out.privPort = icmp.echoId;
  out.remotePort = 0;
  out.remoteIp = outbound ? ip.dst : ip.src;
  return true;
}
