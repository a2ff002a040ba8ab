// One line per packet for the trace, in tcpdump's words. Only traced packets pay for this.

import { IpProtocol, ipToString, type Ipv4View } from './wire/ipv4';

const ICMP_TYPES: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 8: 'echo request', 11: 'time exceeded' };
const TCP_FLAGS = 'FSRPAUEC';

export function describePacket(ip: Ipv4View, buf: Buffer): string {
  const src = ipToString(ip.src);
  const dst = ipToString(ip.dst);
  const o = ip.payloadOffset;
  const n = ip.payloadLength;
  if (ip.isFragment && ip.fragmentOffset !== 0) return `IP ${src} > ${dst}: fragment`;
  switch (ip.protocol) {
    case IpProtocol.Icmp:
      if (n < 8) return `ICMP ${src} > ${dst}: truncated`;
      return `ICMP ${src} > ${dst}: ${ICMP_TYPES[buf[o]] ?? `type ${buf[o]}`}${buf[o] === 0 || buf[o] === 8 ? `, id ${buf.readUInt16BE(o + 4)}, seq ${buf.readUInt16BE(o + 6)}` : ''}`;
    case IpProtocol.Udp:
      if (n < 8) return `UDP ${src} > ${dst}: truncated`;
      return `UDP ${src}.${buf.readUInt16BE(o)} > ${dst}.${buf.readUInt16BE(o + 2)}: length ${n - 8}`;
    case IpProtocol.Tcp: {
      if (n < 20) return `TCP ${src} > ${dst}: truncated`;
      const bits = buf[o + 13];
      let flags = '';
      for (let i = 0; i < 8; i++) if (bits & (1 << i)) flags += TCP_FLAGS[i];
      return `TCP ${src}.${buf.readUInt16BE(o)} > ${dst}.${buf.readUInt16BE(o + 2)}: Flags [${flags || '.'}]`;
    }
    default:
      return `IP ${src} > ${dst}: protocol ${ip.protocol}`;
  }
}
