// Packet builders for engine tests, on top of the wire module's emitters.

import { internetChecksum } from '../../src/main/engine/wire/checksum';
import { emitIpv4, IpProtocol, parseIp } from '../../src/main/engine/wire/ipv4';
import { emitTcp } from '../../src/main/engine/wire/tcp';
import { emitUdp } from '../../src/main/engine/wire/udp';

export function icmpEcho(src: string, dst: string, opts: { id?: number; seq?: number; ttl?: number; type?: number } = {}): Buffer {
  const payload = 56;
  const buf = Buffer.alloc(20 + 8 + payload);
  emitIpv4(buf, 0, { src: parseIp(src), dst: parseIp(dst), protocol: IpProtocol.Icmp, payloadLength: 8 + payload, ttl: opts.ttl ?? 64 });
  buf[20] = opts.type ?? 8;
  buf.writeUInt16BE(opts.id ?? 0x1234, 24);
  buf.writeUInt16BE(opts.seq ?? 1, 26);
  for (let i = 0; i < payload; i++) buf[28 + i] = i;
  buf.writeUInt16BE(internetChecksum(buf, 20, 8 + payload), 22);
  return buf;
}

export function udp(src: string, dst: string, sport: number, dport: number, payload = 'hello'): Buffer {
  const data = Buffer.from(payload);
  const buf = Buffer.alloc(20 + 8 + data.length);
  data.copy(buf, 28);
  emitIpv4(buf, 0, { src: parseIp(src), dst: parseIp(dst), protocol: IpProtocol.Udp, payloadLength: 8 + data.length });
  emitUdp(buf, 20, { srcPort: sport, dstPort: dport, payloadLength: data.length, src: parseIp(src), dst: parseIp(dst) });
  return buf;
}

export function tcp(src: string, dst: string, sport: number, dport: number, flags: number, seq = 1, ack = 0, payload = 0): Buffer {
  const b = Buffer.alloc(20 + 20 + payload);
  emitIpv4(b, 0, { src: parseIp(src), dst: parseIp(dst), protocol: IpProtocol.Tcp, payloadLength: 20 + payload });
  emitTcp(b, 20, { srcPort: sport, dstPort: dport, seq, ack, flags, payloadLength: payload, src: parseIp(src), dst: parseIp(dst) });
  return b;
}
