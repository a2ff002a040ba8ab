import { describe, expect, it } from 'vitest';
import {
  AddressError,
  emitIpv4,
  emitUdp,
  inCidr,
  internetChecksum,
  IpProtocol,
  ipToString,
  Ipv4Reason,
  Ipv4View,
  isPublic,
  parseCidr,
  parseIp,
  prefixMask,
  read16,
  reasonName,
  tcpChecksum,
  udpChecksum,
} from '../../../src/main/engine/wire';
import { fullIcmpChecksum, PING, rng, SYN, UDP, withByte } from '../../support/wire-fixtures';

const ip = new Ipv4View();

/** Full recomputation of the IP and L4 checksums, to compare incremental updates against. */
function fullChecksums(b: Buffer): { ip: number; l4: number } {
  const v = new Ipv4View();
  expect(v.wrap(b, 0, b.length)).toBe(0);
  const h = Buffer.from(b.subarray(0, v.headerLength));
  h[10] = h[11] = 0;
  const p = v.payloadOffset;
  const n = v.payloadLength;
  let l4 = -1;
  if (v.protocol === IpProtocol.Tcp) l4 = tcpChecksum(b, p, n, v.src, v.dst);
  else if (v.protocol === IpProtocol.Udp) l4 = read16(b, p + 6) === 0 ? 0 : udpChecksum(b, p, n, v.src, v.dst);
  else if (v.protocol === IpProtocol.Icmp) l4 = fullIcmpChecksum(b, p, n);
  return { ip: internetChecksum(h, 0, h.length), l4 };
}

function l4ChecksumAt(b: Buffer): number {
  const proto = b[9];
  const p = (b[0] & 15) * 4;
  return read16(b, p + (proto === 6 ? 16 : proto === 17 ? 6 : 2));
}

describe('Ipv4View over real packets', () => {
  it('reads every field of a kernel ping', () => {
    expect(ip.wrap(PING, 0, PING.length, true)).toBe(Ipv4Reason.Ok);
    expect(ip.version).toBe(4);
    expect(ip.ihl).toBe(5);
    expect(ip.headerLength).toBe(20);
    expect(ip.dscp).toBe(0);
    expect(ip.ecn).toBe(0);
    expect(ip.totalLength).toBe(84);
    expect(ip.id).toBe(0x5935);
    expect(ip.flags).toBe(0b010);
    expect(ip.dontFragment).toBe(true);
    expect(ip.moreFragments).toBe(false);
    expect(ip.fragmentOffset).toBe(0);
    expect(ip.isFragment).toBe(false);
    expect(ip.hasTransportHeader).toBe(true);
    expect(ip.ttl).toBe(64);
    expect(ip.protocol).toBe(IpProtocol.Icmp);
    expect(ip.checksum).toBe(0xbb5f);
    expect(ipToString(ip.src)).toBe('10.9.9.1');
    expect(ipToString(ip.dst)).toBe('10.9.9.2');
    expect(ip.payloadOffset).toBe(20);
    expect(ip.payloadLength).toBe(64);
    expect(ip.verifyChecksum()).toBe(true);
  });

  it('verifies the SYN and the UDP datagram headers', () => {
    expect(ip.wrap(SYN, 0, SYN.length, true)).toBe(0);
    expect(ip.protocol).toBe(IpProtocol.Tcp);
    expect(ip.wrap(UDP, 0, UDP.length, true)).toBe(0);
    expect(ip.protocol).toBe(IpProtocol.Udp);
    expect(ip.payloadLength).toBe(21);
  });

  it('works at an offset inside a larger slab and ignores trailing padding', () => {
    const slab = Buffer.alloc(2048, 0xee);
    PING.copy(slab, 512);
    expect(ip.wrap(slab, 512, PING.length + 30, true)).toBe(0);
    expect(ip.payloadOffset).toBe(532);
    expect(ip.payloadLength).toBe(64);
  });
});

describe('Ipv4View.wrap malformed input', () => {
  const cases: Array<[string, () => number, number]> = [
    ['shorter than 20 bytes', () => ip.wrap(PING, 0, 19), Ipv4Reason.TooShort],
    ['range past the buffer', () => ip.wrap(PING, 10, PING.length), Ipv4Reason.TooShort],
    ['negative offset', () => ip.wrap(PING, -1, 20), Ipv4Reason.TooShort],
    ['version 6', () => ip.wrap(withByte(PING, 0, 0x65), 0, 84), Ipv4Reason.BadVersion],
    ['IHL 4', () => ip.wrap(withByte(PING, 0, 0x44), 0, 84), Ipv4Reason.BadIhl],
    ['IHL 15 in a 40-byte packet', () => ip.wrap(withByte(PING, 0, 0x4f), 0, 40), Ipv4Reason.TooShort],
    ['total length < header', () => ip.wrap(withByte(PING, 3, 19), 0, 84), Ipv4Reason.BadTotalLength],
    ['total length > received', () => ip.wrap(PING, 0, 83), Ipv4Reason.BadTotalLength],
    ['bad header checksum', () => ip.wrap(withByte(PING, 11, 0), 0, 84, true), Ipv4Reason.BadChecksum],
  ];
  for (const [name, run, want] of cases) {
    it(`${name} -> ${reasonName(want)}`, () => expect(run()).toBe(want));
  }
  it('only checks the checksum when asked', () => {
    expect(ip.wrap(withByte(PING, 11, 0), 0, 84)).toBe(Ipv4Reason.Ok);
    expect(ip.verifyChecksum()).toBe(false);
  });
});

describe('emitIpv4', () => {
  it('round-trips through the view', () => {
    const b = Buffer.alloc(64);
    const n = emitIpv4(b, 4, {
      src: parseIp('192.168.0.10'),
      dst: parseIp('47.83.1.2'),
      protocol: IpProtocol.Udp,
      payloadLength: 12,
      ttl: 7,
      id: 0xbeef,
      dscp: 46,
      ecn: 2,
      dontFragment: true,
    });
    expect(n).toBe(20);
    expect(ip.wrap(b, 4, 32, true)).toBe(0);
    expect([ip.ttl, ip.id, ip.dscp, ip.ecn, ip.dontFragment, ip.totalLength]).toEqual([7, 0xbeef, 46, 2, true, 32]);
    expect(ipToString(ip.src)).toBe('192.168.0.10');
    expect(ipToString(ip.dst)).toBe('47.83.1.2');
  });

  it('reproduces the kernel header of the ping byte for byte', () => {
    const b = Buffer.alloc(20);
    emitIpv4(b, 0, {
      src: parseIp('10.9.9.1'),
      dst: parseIp('10.9.9.2'),
      protocol: 1,
      payloadLength: 64,
      id: 0x5935,
      dontFragment: true,
    });
    expect(b.toString('hex')).toBe(PING.subarray(0, 20).toString('hex'));
  });
});

describe('fragments', () => {
  it('reads MF and the offset in bytes, and knows which fragment has the L4 header', () => {
    const b = Buffer.from(UDP);
    ip.wrap(b, 0, b.length);
    b[6] = 0x20; // MF, offset 0: first fragment
    b[7] = 0;
    expect([ip.isFragment, ip.moreFragments, ip.hasTransportHeader, ip.fragmentOffset]).toEqual([true, true, true, 0]);
    b[6] = 0x00; // last fragment at 185 * 8 bytes
    b[7] = 185;
    expect([ip.isFragment, ip.moreFragments, ip.hasTransportHeader, ip.fragmentOffset]).toEqual([true, false, false, 1480]);
  });

  it('leaves the payload of a non-first fragment alone on rewrite', () => {
    const b = Buffer.from(UDP);
    b[6] = 0;
    b[7] = 185;
    ip.wrap(b, 0, b.length);
    ip.fillChecksum();
    const payload = Buffer.from(b.subarray(20));
    ip.rewriteSrc(parseIp('47.1.1.1'));
    expect(ip.verifyChecksum()).toBe(true);
    expect(b.subarray(20)).toEqual(payload);
  });
});

describe('NAT rewrites keep checksums equal to a full recomputation', () => {
  const r = rng(7);
  for (const [name, pkt] of [
    ['TCP SYN', SYN],
    ['UDP', UDP],
    ['ICMP echo', PING],
  ] as const) {
    it(`${name}: random src/dst rewrites`, () => {
      const b = Buffer.from(pkt);
      const icmpBefore = l4ChecksumAt(b);
      for (let n = 0; n < 2000; n++) {
        expect(ip.wrap(b, 0, b.length)).toBe(0);
        const a = Math.floor(r() * 2 ** 32);
        if (n % 2) ip.rewriteSrc(a);
        else ip.rewriteDst(a);
        expect(n % 2 ? ip.src : ip.dst).toBe(a);
        const full = fullChecksums(b);
        expect(ip.checksum).toBe(full.ip);
        expect(l4ChecksumAt(b)).toBe(full.l4);
      }
      // ICMP has no pseudo-header (RFC 792): its checksum never moves.
      if (pkt === PING) expect(l4ChecksumAt(b)).toBe(icmpBefore);
    });
  }

  it('setSrc/setDst touch only the IP header checksum', () => {
    const b = Buffer.from(SYN);
    ip.wrap(b, 0, b.length);
    const tcpSum = l4ChecksumAt(b);
    ip.setSrc(parseIp('1.2.3.4'));
    ip.setDst(parseIp('5.6.7.8'));
    expect(ip.verifyChecksum()).toBe(true);
    expect(l4ChecksumAt(b)).toBe(tcpSum);
  });

  it('a UDP checksum of 0 stays 0 through address rewrites', () => {
    const b = Buffer.alloc(40);
    const s = parseIp('10.0.0.1');
    const d = parseIp('10.0.0.2');
    emitIpv4(b, 0, { src: s, dst: d, protocol: IpProtocol.Udp, payloadLength: 20 });
    emitUdp(b, 20, { srcPort: 1000, dstPort: 2000, payloadLength: 12 });
    ip.wrap(b, 0, 40);
    for (let n = 0; n < 100; n++) ip.rewriteSrc(Math.floor(r() * 2 ** 32));
    expect(read16(b, 26)).toBe(0);
    expect(ip.verifyChecksum()).toBe(true);
  });

  it('skips a TCP checksum that is not in the packet (truncated first fragment)', () => {
    const b = Buffer.from(SYN.subarray(0, 36));
    b[2] = 0;
    b[3] = 36;
    b[6] = 0x20; // MF: first fragment carrying 16 bytes of TCP header
    ip.wrap(b, 0, 36);
    ip.fillChecksum();
    const tail = Buffer.from(b.subarray(20));
    ip.rewriteDst(parseIp('8.8.8.8'));
    expect(ip.verifyChecksum()).toBe(true);
    expect(b.subarray(20)).toEqual(tail);
  });
});

describe('TTL and in-place replies', () => {
  it('setTtl and decrementTtl update the checksum like a recomputation', () => {
    const b = Buffer.from(SYN);
    ip.wrap(b, 0, b.length);
    for (let t = 255; t >= 0; t -= 17) {
      ip.setTtl(t);
      expect(ip.ttl).toBe(t);
      expect(ip.checksum).toBe(fullChecksums(b).ip);
    }
    ip.setTtl(2);
    expect(ip.decrementTtl()).toBe(1);
    expect(ip.decrementTtl()).toBe(0);
    expect(ip.decrementTtl()).toBe(0);
    expect(ip.verifyChecksum()).toBe(true);
    expect(ip.protocol).toBe(IpProtocol.Tcp);
  });

  it('swapAddresses needs no checksum change at either layer', () => {
    const b = Buffer.from(SYN);
    ip.wrap(b, 0, b.length);
    ip.swapAddresses();
    expect(ipToString(ip.src)).toBe('10.9.9.2');
    expect(ipToString(ip.dst)).toBe('10.9.9.1');
    expect(fullChecksums(b)).toEqual({ ip: ip.checksum, l4: l4ChecksumAt(b) });
  });
});

describe('address helpers', () => {
  it('parseIp / ipToString round-trip', () => {
    expect(parseIp('0.0.0.0')).toBe(0);
    expect(parseIp('255.255.255.255')).toBe(0xffffffff);
    expect(parseIp('192.168.1.254')).toBe(0xc0a801fe);
    const r = rng(3);
    for (let n = 0; n < 1000; n++) {
      const a = Math.floor(r() * 2 ** 32);
      expect(parseIp(ipToString(a))).toBe(a);
    }
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-4', '01.2.3.4', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', '1..2.3'])(
    'parseIp rejects %j with an AddressError',
    (t) => {
      expect(() => parseIp(t)).toThrow(AddressError);
      try {
        parseIp(t);
      } catch (e) {
        expect((e as AddressError).code).toBe('BadAddress');
      }
    },
  );

  it('parseCidr returns address, length and mask', () => {
    expect(parseCidr('192.168.0.0/16')).toEqual({ addr: 0xc0a80000, len: 16, mask: 0xffff0000 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ addr: 0, len: 0, mask: 0 });
    expect(parseCidr('8.8.4.4/32')).toEqual({ addr: 0x08080404, len: 32, mask: 0xffffffff });
    expect(parseCidr('172.16.1.7/24', { allowHostBits: true }).addr).toBe(parseIp('172.16.1.7'));
  });

  it('parseCidr names what is wrong', () => {
    const code = (t: string): string => {
      try {
        parseCidr(t);
        return 'ok';
      } catch (e) {
        return (e as AddressError).code;
      }
    };
    expect(code('192.168.1.5/24')).toBe('HostBitsSet');
    expect(() => parseCidr('192.168.1.5/24')).toThrow('the network is 192.168.1.0/24');
    expect(code('10.0.0.0/33')).toBe('BadPrefixLength');
    expect(code('10.0.0.0/08')).toBe('BadPrefixLength');
    expect(code('10.0.0.0/')).toBe('BadPrefixLength');
    expect(code('10.0.0.0')).toBe('BadCidr');
    expect(code('10.0.0/8')).toBe('BadCidr');
  });

  it('inCidr and prefixMask', () => {
    const { addr, mask } = parseCidr('100.64.0.0/10');
    expect(inCidr(parseIp('100.100.2.136'), addr, mask)).toBe(true);
    expect(inCidr(parseIp('100.128.0.1'), addr, mask)).toBe(false);
    expect(inCidr(parseIp('203.0.113.9'), 0, prefixMask(0))).toBe(true);
    expect(inCidr(0xffffffff, 0xffffffff, prefixMask(32))).toBe(true);
    expect(prefixMask(1)).toBe(0x80000000);
  });

  it.each([
    ['8.8.8.8', true],
    ['47.83.1.2', true],
    ['124.238.1.1', true],
    ['192.0.2.1', true],
    ['100.63.255.255', true],
    ['100.128.0.0', true],
    ['172.15.255.255', true],
    ['172.32.0.0', true],
    ['223.255.255.255', true],
    ['0.1.2.3', false],
    ['10.1.2.3', false],
    ['100.64.0.1', false],
    ['100.100.2.136', false],
    ['127.0.0.1', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
  ])('isPublic(%s) is %s', (a, want) => expect(isPublic(parseIp(a))).toBe(want));
});
