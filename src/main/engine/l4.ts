// The transport "ports" NAT rewrites: TCP and UDP ports, and for ICMP echo the identifier,
// which plays the port's part (SEMANTICS D8). Checksums are updated incrementally by the
// wire views. Reading goes through `flow` in nat.ts; these write.

import { IcmpView } from './wire/icmp';
import { IpProtocol, type Ipv4View } from './wire/ipv4';
import { TcpView } from './wire/tcp';
import { UdpView } from './wire/udp';

const tcp = new TcpView();
const udp = new UdpView();
const icmp = new IcmpView();

/** Source port (outbound) — for ICMP echo, the identifier. False if the packet has none. */
export function setSourcePort(ip: Ipv4View, buf: Buffer, port: number): boolean {
  return setPort(ip, buf, port, true);
}

/** Destination port (inbound) — for ICMP echo, the identifier. */
export function setDestinationPort(ip: Ipv4View, buf: Buffer, port: number): boolean {
  return setPort(ip, buf, port, false);
}

function setPort(ip: Ipv4View, buf: Buffer, port: number, source: boolean): boolean {
  if (!ip.hasTransportHeader) return false;
  const o = ip.payloadOffset;
  const n = ip.payloadLength;
  switch (ip.protocol) {
    case IpProtocol.Tcp:
      if (tcp.wrap(buf, o, n) !== 0) return false;
      if (source) tcp.setSrcPort(port);
      else tcp.setDstPort(port);
      return true;
    case IpProtocol.Udp:
      if (udp.wrap(buf, o, n) !== 0) return false;
      if (source) udp.setSrcPort(port);
      else udp.setDstPort(port);
      return true;
    case IpProtocol.Icmp:
      if (icmp.wrap(buf, o, n) !== 0 || (icmp.type !== 8 && icmp.type !== 0)) return false;
      icmp.setEchoId(port);
      return true;
    default:
      return false;
  }
}

/**
 * Inbound ICMP error about a translated flow: the quoted packet's source port (or echo
 * identifier) goes back to the private one, so the guest can match the error to its socket.
 */
export function setQuotedSourcePort(ip: Ipv4View, buf: Buffer, port: number): boolean {
  if (ip.protocol !== IpProtocol.Icmp || !ip.hasTransportHeader) return false;
  if (icmp.wrap(buf, ip.payloadOffset, ip.payloadLength) !== 0 || !icmp.isError) return false;
  const q = icmp.quotedProtocol;
  if (q === IpProtocol.Tcp || q === IpProtocol.Udp) {
    if (icmp.quotedSrcPort < 0) return false;
    icmp.setQuotedSrcPort(port);
    return true;
  }
  if (q === IpProtocol.Icmp && icmp.quotedEchoId >= 0) {
    icmp.setQuotedEchoId(port);
    return true;
  }
  return false;
}

/** Turn an echo request into its reply in place: the NAT gateway answering for its EIP (D11). */
export function answerEcho(ip: Ipv4View, buf: Buffer): boolean {
  if (ip.protocol !== IpProtocol.Icmp || !ip.hasTransportHeader) return false;
  if (icmp.wrap(buf, ip.payloadOffset, ip.payloadLength) !== 0 || icmp.type !== 8) return false;
  icmp.makeEchoReply();
  ip.swapAddresses();
  ip.setTtl(64);
  return true;
}
