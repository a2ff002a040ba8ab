import { describe, expect, it } from 'vitest';
import {
  emitIpv4,
  emitUdp,
  foldSum,
  IpProtocol,
  Ipv4View,
  parseIp,
  pseudoHeaderSum,
  read16,
  reasonName,
  sumBytes,
  udpChecksum,
  UdpReason,
  UdpView,
} from '../../../src/main/engine/wire';
import { DST as D, rng, SRC as S, UDP } from '../../support/wire-fixtures';

const ip = new Ipv4View();
const udp = new UdpView();

describe('UdpView', () => {
  it('reads and verifies a kernel datagram', () => {
    expect(ip.wrap(UDP, 0, UDP.length, true)).toBe(0);
    expect(udp.wrap(UDP, ip.payloadOffset, ip.payloadLength)).toBe(UdpReason.Ok);
    expect([udp.srcPort, udp.dstPort, udp.udpLength, udp.checksum]).toEqual([40000, 53, 21, 0xb408]);
    expect(udp.payloadOffset).toBe(28);
    expect(UDP.toString('latin1', udp.payloadOffset, udp.payloadOffset + udp.payloadLength)).toBe('hello vpclab\n');
    expect(udp.verifyChecksum(ip.src, ip.dst)).toBe(true);
    expect(udp.verifyChecksum(ip.src, ip.dst + 1)).toBe(false);
  });

  it('emitUdp reproduces the kernel datagram byte for byte', () => {
    const b = Buffer.alloc(41);
    Buffer.from('hello vpclab\n').copy(b, 28);
    emitUdp(b, 20, { srcPort: 40000, dstPort: 53, payloadLength: 13, src: S, dst: D });
    emitIpv4(b, 0, { src: S, dst: D, protocol: IpProtocol.Udp, payloadLength: 21, id: 0xdc28, dontFragment: true });
    expect(b.toString('hex')).toBe(UDP.toString('hex'));
  });

  const cases: Array<[string, () => number, number]> = [
    ['shorter than 8 bytes', () => udp.wrap(UDP, 20, 7), UdpReason.TooShort],
    ['range past the buffer', () => udp.wrap(UDP, 20, 22), UdpReason.TooShort],
    ['Length below 8', () => udp.wrap(withLength(7), 20, 21), UdpReason.BadLength],
    ['Length beyond the IP payload', () => udp.wrap(withLength(22), 20, 21), UdpReason.BadLength],
    ['checksum wrong', () => (udp.wrap(flip(), 20, 21), udp.verifyChecksum(S, D) ? 0 : UdpReason.BadChecksum), UdpReason.BadChecksum],
  ];
  for (const [name, run, want] of cases) it(`${name} -> ${reasonName(want)}`, () => expect(run()).toBe(want));

  it('trusts the Length field over trailing bytes, and wrapPartial needs only the header', () => {
    const b = Buffer.concat([UDP, Buffer.alloc(5, 0xaa)]);
    expect(udp.wrap(b, 20, 26)).toBe(0);
    expect(udp.payloadLength).toBe(13);
    expect(udp.verifyChecksum(S, D)).toBe(true);
    expect(udp.wrapPartial(UDP, 20, 8)).toBe(0);
    expect(udp.dstPort).toBe(53);
  });
});

function withLength(n: number): Buffer {
  const b = Buffer.from(UDP);
  b[24] = n >> 8;
  b[25] = n & 0xff;
  return b;
}
function flip(): Buffer {
  const b = Buffer.from(UDP);
  b[30] ^= 1;
  return b;
}

describe('UDP checksum rules (RFC 768)', () => {
  it('0 means "none": it verifies and survives port and address rewrites', () => {
    const b = Buffer.from(UDP);
    b[26] = b[27] = 0;
    ip.wrap(b, 0, b.length);
    udp.wrap(b, 20, 21);
    expect(udp.verifyChecksum(S, D)).toBe(true);
    udp.setSrcPort(1234);
    udp.setDstPort(4321);
    ip.rewriteSrc(parseIp('47.1.2.3'));
    ip.rewriteDst(parseIp('8.8.8.8'));
    expect(udp.checksum).toBe(0);
  });

  it('a computed 0 is sent as 0xffff, which verifies', () => {
    // Make the datagram's sum 0xffff: put the complement of its sum into a payload word.
    const b = Buffer.alloc(20 + 8 + 4);
    emitUdp(b, 20, { srcPort: 7, dstPort: 7, payloadLength: 4 });
    const sum = foldSum(sumBytes(b, 20, 12, pseudoHeaderSum(S, D, IpProtocol.Udp, 12)));
    b.writeUInt16BE(~sum & 0xffff, 28);
    expect(udpChecksum(b, 20, 12, S, D)).toBe(0xffff);
    emitUdp(b, 20, { srcPort: 7, dstPort: 7, payloadLength: 4, src: S, dst: D });
    expect(read16(b, 26)).toBe(0xffff);
    udp.wrap(b, 20, 12);
    expect(udp.verifyChecksum(S, D)).toBe(true);
    udp.fillChecksum(S, D);
    expect(udp.checksum).toBe(0xffff);
  });

  it('incremental port and address rewrites equal a full recomputation', () => {
    const r = rng(9);
    const b = Buffer.from(UDP);
    for (let n = 0; n < 3000; n++) {
      ip.wrap(b, 0, b.length);
      udp.wrap(b, ip.payloadOffset, ip.payloadLength);
      const k = n % 4;
      const v = Math.floor(r() * 65536);
      if (k === 0) udp.setSrcPort(v);
      else if (k === 1) udp.setDstPort(v);
      else if (k === 2) ip.rewriteSrc(Math.floor(r() * 2 ** 32));
      else ip.rewriteDst(Math.floor(r() * 2 ** 32));
      if (k === 0) expect(udp.srcPort).toBe(v);
      if (k === 1) expect(udp.dstPort).toBe(v);
      expect(udp.checksum).toBe(udpChecksum(b, 20, 21, ip.src, ip.dst));
      expect(udp.verifyChecksum(ip.src, ip.dst)).toBe(true);
      expect(ip.verifyChecksum()).toBe(true);
    }
  });
});
