import { describe, expect, it } from 'vitest';
import {
  emitEcho,
  emitIcmpError,
  emitIpv4,
  ICMP_ERROR_MAX_QUOTE,
  IcmpReason,
  IcmpType,
  IcmpView,
  IpProtocol,
  ipToString,
  Ipv4View,
  mayQuoteInIcmpError,
  parseIp,
  read16,
  reasonName,
  TimeExceededCode,
  UdpView,
  UnreachableCode,
} from '../../../src/main/engine/wire';
import { fullIcmpChecksum, PING, PORT_UNREACH, PROBE, rng, withByte } from '../../support/wire-fixtures';

const ip = new Ipv4View();
const icmp = new IcmpView();

function wrapIcmp(b: Buffer, check = true): number {
  expect(ip.wrap(b, 0, b.length, true)).toBe(0);
  return icmp.wrap(b, ip.payloadOffset, ip.payloadLength, check);
}

describe('IcmpView over real packets', () => {
  it('reads a kernel echo request', () => {
    expect(wrapIcmp(PING)).toBe(IcmpReason.Ok);
    expect(icmp.type).toBe(IcmpType.EchoRequest);
    expect(icmp.code).toBe(0);
    expect(icmp.checksum).toBe(0xf442);
    expect(icmp.echoId).toBe(0x1a1a);
    expect(icmp.echoSeq).toBe(1);
    expect(icmp.isError).toBe(false);
    expect(icmp.payloadLength).toBe(56);
    expect(icmp.verifyChecksum()).toBe(true);
  });

  it('reads the datagram quoted by a kernel port unreachable', () => {
    expect(wrapIcmp(PORT_UNREACH)).toBe(IcmpReason.Ok);
    expect(icmp.type).toBe(IcmpType.DestUnreachable);
    expect(icmp.code).toBe(UnreachableCode.Port);
    expect(icmp.isError).toBe(true);
    expect(icmp.quotedHeaderLength).toBe(20);
    expect(icmp.quotedProtocol).toBe(IpProtocol.Udp);
    expect(ipToString(icmp.quotedSrc)).toBe('10.9.9.2');
    expect(ipToString(icmp.quotedDst)).toBe('10.9.9.1');
    expect(icmp.quotedHasTransportHeader).toBe(true);
    expect(icmp.quotedSrcPort).toBe(50000);
    expect(icmp.quotedDstPort).toBe(33434);
    expect(icmp.quotedEchoId).toBe(-1);
    expect(icmp.quotedL4Length).toBe(13);
    // The quote is an ordinary (possibly truncated) datagram for the other views.
    const q = new Ipv4View();
    expect(q.wrapQuoted(PORT_UNREACH, icmp.quotedOffset, icmp.payloadLength)).toBe(0);
    expect(q.verifyChecksum()).toBe(true);
  });
});

describe('IcmpView.wrap malformed input', () => {
  const err = Buffer.from(PORT_UNREACH.subarray(20));
  const cases: Array<[string, () => number, number]> = [
    ['shorter than 8 bytes', () => icmp.wrap(err, 0, 7), IcmpReason.TooShort],
    ['range past the buffer', () => icmp.wrap(err, 4, err.length), IcmpReason.TooShort],
    ['bad checksum', () => icmp.wrap(withByte(err, 30, 0x99), 0, err.length, true), IcmpReason.BadChecksum],
    ['error quoting < 20 bytes', () => icmp.wrap(err, 0, 27), IcmpReason.BadQuote],
    ['error quoting a non-IPv4 header', () => icmp.wrap(withByte(err, 8, 0x60), 0, err.length), IcmpReason.BadQuote],
    ['error quoting IHL 4', () => icmp.wrap(withByte(err, 8, 0x44), 0, err.length), IcmpReason.BadQuote],
    ['error quoting IHL 15 in 33 bytes', () => icmp.wrap(withByte(err, 8, 0x4f), 0, err.length), IcmpReason.BadQuote],
  ];
  for (const [name, run, want] of cases) it(`${name} -> ${reasonName(want)}`, () => expect(run()).toBe(want));

  it('an echo needs only its 8-byte header', () => {
    expect(icmp.wrap(PING, 20, 8)).toBe(IcmpReason.Ok);
  });
});

describe('echo reply in place', () => {
  it('turns the kernel ping into a valid reply without a full recomputation', () => {
    const b = Buffer.from(PING);
    wrapIcmp(b);
    icmp.makeEchoReply();
    ip.swapAddresses();
    expect(icmp.type).toBe(IcmpType.EchoReply);
    expect(icmp.checksum).toBe(fullIcmpChecksum(b, 20, 64));
    expect(wrapIcmp(b)).toBe(0);
    expect(ipToString(ip.src)).toBe('10.9.9.2');
    expect([icmp.echoId, icmp.echoSeq]).toEqual([0x1a1a, 1]);
    expect(b.subarray(28)).toEqual(PING.subarray(28));
  });

  it('setEchoId (NAT of ping) matches a recomputation', () => {
    const b = Buffer.from(PING);
    const r = rng(11);
    for (let n = 0; n < 500; n++) {
      wrapIcmp(b);
      icmp.setEchoId(Math.floor(r() * 65536));
      expect(icmp.checksum).toBe(fullIcmpChecksum(b, 20, 64));
    }
  });

  it('emitEcho round-trips', () => {
    const b = Buffer.alloc(100);
    const len = emitEcho(b, 20, { id: 77, seq: 3, data: Buffer.from('abcdefg') });
    emitIpv4(b, 0, { src: 1, dst: 2, protocol: IpProtocol.Icmp, payloadLength: len });
    expect(wrapIcmp(b.subarray(0, 20 + len))).toBe(0);
    expect([icmp.type, icmp.echoId, icmp.echoSeq, icmp.payloadLength]).toEqual([8, 77, 3, 7]);
  });
});

describe('emitIcmpError', () => {
  it("rebuilds the kernel's port unreachable byte for byte", () => {
    const b = Buffer.alloc(128);
    const len = emitIcmpError(b, 20, IcmpType.DestUnreachable, UnreachableCode.Port, PROBE, 0, PROBE.length);
    // Linux marks ICMP errors as internetwork control: TOS 0xc0 = DSCP 48 (CS6).
    emitIpv4(b, 0, { src: parseIp('10.9.9.1'), dst: parseIp('10.9.9.2'), protocol: 1, payloadLength: len, id: 0x548f, dscp: 48 });
    expect(b.subarray(0, 20 + len).toString('hex')).toBe(PORT_UNREACH.toString('hex'));
  });

  it('quotes at most what fits a 576-byte datagram (RFC 1812 §4.3.2.3)', () => {
    const big = Buffer.alloc(1500, 0x5a);
    emitIpv4(big, 0, { src: parseIp('192.168.0.2'), dst: parseIp('8.8.8.8'), protocol: IpProtocol.Udp, payloadLength: 1480, ttl: 1 });
    const b = Buffer.alloc(2048);
    const len = emitIcmpError(b, 20, IcmpType.TimeExceeded, TimeExceededCode.TtlExceeded, big, 0, 1500);
    expect(len).toBe(8 + ICMP_ERROR_MAX_QUOTE);
    expect(20 + len).toBe(576);
    expect(icmp.wrap(b, 20, len, true)).toBe(0);
    expect(ipToString(icmp.quotedDst)).toBe('8.8.8.8');
  });

  it('never writes past the buffer', () => {
    const b = Buffer.alloc(56);
    const len = emitIcmpError(b, 20, 3, 1, PING, 0, PING.length);
    expect(len).toBe(36);
    expect(icmp.wrap(b, 20, len, true)).toBe(0);
    expect(icmp.quotedL4Length).toBe(8);
    // Too little room for even the quoted header: the result is short, and wrap() says so.
    const tiny = Buffer.alloc(40);
    expect(emitIcmpError(tiny, 20, 3, 1, PING, 0, PING.length)).toBe(20);
    expect(icmp.wrap(tiny, 20, 20)).toBe(IcmpReason.BadQuote);
  });

  it('can build the error in place over the offending packet (overlapping copy)', () => {
    const slot = Buffer.alloc(256);
    PROBE.copy(slot, 0);
    const len = emitIcmpError(slot, 20, 3, 3, slot, 0, PROBE.length);
    emitIpv4(slot, 0, { src: parseIp('10.9.9.1'), dst: parseIp('10.9.9.2'), protocol: 1, payloadLength: len, id: 0x548f, dscp: 48 });
    expect(slot.subarray(0, 20 + len)).toEqual(PORT_UNREACH);
  });

  it('carries the next-hop MTU of Fragmentation Needed (RFC 1191)', () => {
    const b = Buffer.alloc(128);
    const len = emitIcmpError(b, 0, 3, UnreachableCode.FragmentationNeeded, PROBE, 0, PROBE.length, 1400);
    expect(icmp.wrap(b, 0, len, true)).toBe(0);
    expect(icmp.nextHopMtu).toBe(1400);
  });
});

describe('NAT of the datagram quoted in an error (traceroute through SNAT)', () => {
  it('rewrites quoted address and port and keeps all three checksums right', () => {
    const r = rng(5);
    const b = Buffer.from(PORT_UNREACH);
    const q = new Ipv4View();
    const u = new UdpView();
    for (let n = 0; n < 1000; n++) {
      expect(wrapIcmp(b)).toBe(0);
      const a = Math.floor(r() * 2 ** 32);
      const port = Math.floor(r() * 65536);
      if (n % 2) {
        icmp.rewriteQuotedSrc(a);
        icmp.setQuotedSrcPort(port);
      } else {
        icmp.rewriteQuotedDst(a);
        icmp.setQuotedDstPort(port);
      }
      expect(n % 2 ? icmp.quotedSrc : icmp.quotedDst).toBe(a);
      expect(n % 2 ? icmp.quotedSrcPort : icmp.quotedDstPort).toBe(port);
      expect(icmp.checksum).toBe(fullIcmpChecksum(b, 20, icmp.length));
      expect(q.wrapQuoted(b, icmp.quotedOffset, icmp.payloadLength)).toBe(0);
      expect(q.verifyChecksum()).toBe(true);
      // The whole probe is quoted here, so its UDP checksum can be checked too.
      expect(u.wrap(b, q.payloadOffset, q.payloadLength)).toBe(0);
      expect(u.verifyChecksum(q.src, q.dst)).toBe(true);
    }
  });

  it('rewrites the echo id of a quoted ping (Time Exceeded for `traceroute -I`)', () => {
    const b = Buffer.alloc(128);
    // A router quotes header + 8 bytes of the ping.
    const len = emitIcmpError(b, 20, IcmpType.TimeExceeded, 0, PING, 0, 28);
    emitIpv4(b, 0, { src: parseIp('10.9.9.254'), dst: parseIp('10.9.9.1'), protocol: 1, payloadLength: len });
    const pkt = b.subarray(0, 20 + len);
    expect(wrapIcmp(pkt)).toBe(0);
    expect(icmp.quotedEchoId).toBe(0x1a1a);
    expect(icmp.quotedSrcPort).toBe(-1);
    icmp.setQuotedEchoId(0x4242);
    icmp.rewriteQuotedSrc(parseIp('47.83.0.9'));
    expect(icmp.quotedEchoId).toBe(0x4242);
    expect(icmp.checksum).toBe(fullIcmpChecksum(pkt, 20, len));
    // The quoted echo's own checksum moved with its identifier: the same as rewriting the
    // original ping, whose checksum is at quoted L4 + 2.
    const p = Buffer.from(PING);
    wrapIcmp(p);
    icmp.setEchoId(0x4242);
    expect(read16(pkt, 20 + 8 + 20 + 2)).toBe(icmp.checksum);
  });

  it('quoted rewrites are no-ops where the fields are not quoted', () => {
    const b = Buffer.from(PING);
    wrapIcmp(b);
    icmp.rewriteQuotedSrc(1);
    icmp.setQuotedSrcPort(1);
    icmp.setQuotedEchoId(1);
    expect(b).toEqual(PING);
  });
});

describe('mayQuoteInIcmpError (RFC 1812 §4.3.2.7)', () => {
  const probe = (mut: (b: Buffer) => void): boolean => {
    const b = Buffer.from(PROBE);
    mut(b);
    ip.wrap(b, 0, b.length);
    return mayQuoteInIcmpError(ip);
  };
  it('allows an ordinary unicast datagram and an echo', () => {
    expect(probe(() => {})).toBe(true);
    ip.wrap(PING, 0, PING.length);
    expect(mayQuoteInIcmpError(ip)).toBe(true);
  });
  it('refuses errors about errors, later fragments, broadcast/multicast and bogus sources', () => {
    ip.wrap(PORT_UNREACH, 0, PORT_UNREACH.length);
    expect(mayQuoteInIcmpError(ip)).toBe(false);
    expect(probe((b) => (b[7] = 1))).toBe(false);
    expect(probe((b) => b.writeUInt32BE(0xffffffff, 16))).toBe(false);
    expect(probe((b) => b.writeUInt32BE(parseIp('224.0.0.5'), 16))).toBe(false);
    expect(probe((b) => b.writeUInt32BE(0, 12))).toBe(false);
    expect(probe((b) => b.writeUInt32BE(parseIp('127.0.0.1'), 12))).toBe(false);
  });
});
