import { describe, expect, it } from 'vitest';
import {
  emitIcmpError,
  IcmpReason,
  IcmpView,
  internetChecksum,
  Ipv4Reason,
  Ipv4View,
  mayQuoteInIcmpError,
  REASON_CODE_LIMIT,
  reasonName,
  TcpReason,
  TcpView,
  UdpReason,
  UdpView,
} from '../../../src/main/engine/wire';
import { rng } from '../../support/wire-fixtures';

/** Reads every accessor and runs every mutator: none may throw on an accepted packet. */
function exercise(ip: Ipv4View, icmp: IcmpView, udp: UdpView, tcp: TcpView, r: () => number): number {
  let acc = 0;
  acc += ip.version + ip.ihl + ip.dscp + ip.ecn + ip.totalLength + ip.id + ip.flags + ip.fragmentOffset;
  acc += ip.ttl + ip.protocol + ip.checksum + ip.src + ip.dst + ip.payloadOffset + ip.payloadLength;
  acc += Number(ip.isFragment) + Number(ip.hasTransportHeader) + Number(ip.verifyChecksum());
  acc += Number(mayQuoteInIcmpError(ip));
  ip.rewriteSrc(Math.floor(r() * 2 ** 32));
  ip.rewriteDst(Math.floor(r() * 2 ** 32));
  ip.decrementTtl();
  ip.swapAddresses();
  const p = ip.payloadOffset;
  const n = ip.payloadLength;
  if (icmp.wrap(ip.buf, p, n, r() < 0.5) === 0) {
    acc += icmp.type + icmp.code + icmp.checksum + icmp.echoId + icmp.echoSeq + icmp.restOfHeader + icmp.nextHopMtu;
    acc += icmp.quotedSrcPort + icmp.quotedDstPort + icmp.quotedEchoId + Number(icmp.verifyChecksum());
    if (icmp.isError) acc += icmp.quotedSrc + icmp.quotedDst + icmp.quotedProtocol + icmp.quotedL4Length;
    icmp.rewriteQuotedSrc(1);
    icmp.rewriteQuotedDst(2);
    icmp.setQuotedSrcPort(3);
    icmp.setQuotedDstPort(4);
    icmp.setQuotedEchoId(5);
    icmp.setEchoId(6);
    icmp.makeEchoReply();
  }
  if (udp.wrap(ip.buf, p, n) === 0) {
    acc += udp.srcPort + udp.dstPort + udp.udpLength + udp.checksum + udp.payloadLength;
    acc += Number(udp.verifyChecksum(ip.src, ip.dst));
    udp.setSrcPort(7);
    udp.setDstPort(8);
  }
  if (tcp.wrap(ip.buf, p, n) === 0) {
    acc += tcp.srcPort + tcp.dstPort + tcp.seq + tcp.ack + tcp.flags + tcp.window + tcp.mss + tcp.payloadLength;
    acc += Number(tcp.verifyChecksum(ip.src, ip.dst));
    tcp.setSrcPort(9);
    tcp.setDstPort(10);
    tcp.clampMss(536);
  }
  return acc;
}

describe('fuzz: untrusted bytes never throw', () => {
  it('10,000 random buffers of random lengths through every view', () => {
    const r = rng(42);
    const ip = new Ipv4View();
    const icmp = new IcmpView();
    const udp = new UdpView();
    const tcp = new TcpView();
    const seen = new Set<number>();
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const size = Math.floor(r() * (r() < 0.9 ? 100 : 1600));
      const b = Buffer.alloc(size);
      for (let j = 0; j < size; j++) b[j] = Math.floor(r() * 256);
      const off = Math.floor(r() * 8) - 1;
      const len = Math.floor(r() * (size + 10)) - 2;
      // Bias toward plausible headers at `off` so the deeper paths run, not only the first checks.
      const h = Math.max(off, 0);
      const room = size - h;
      if (room > 0 && r() < 0.8) b[h] = 0x40 | (r() < 0.8 ? 5 : b[h] & 0x0f);
      if (room > 3 && r() < 0.7) b.writeUInt16BE(r() < 0.7 ? Math.max(len, 0) & 0xffff : Math.floor(r() * (size + 8)), h + 2);
      if (room > 9 && r() < 0.7) b[h + 9] = [1, 6, 17][Math.floor(r() * 3)];
      if (room > 20 && b[h + 9] === 1 && r() < 0.6) b[h + 20] = [0, 3, 8, 11][Math.floor(r() * 4)];
      if (room > 28 && r() < 0.5) b[h + 28] = 0x45;
      if (room > 32 && b[h + 9] === 6 && r() < 0.5) b[h + 32] = (5 + Math.floor(r() * 4)) << 4;
      if (room > 20 && r() < 0.3) {
        b[h + 10] = b[h + 11] = 0;
        b.writeUInt16BE(internetChecksum(b, h, 20), h + 10);
      }
      let status = -1;
      expect(() => {
        status = ip.wrap(b, off, len, r() < 0.5);
        seen.add(status);
        if (status === 0) {
          accepted++;
          exercise(ip, icmp, udp, tcp, r);
        }
        seen.add(ip.wrapQuoted(b, off, len));
        seen.add(icmp.wrap(b, off, len, true));
        seen.add(udp.wrap(b, off, len));
        seen.add(tcp.wrap(b, off, len));
        emitIcmpError(b, Math.max(0, off), 11, 0, b, 0, len);
      }).not.toThrow();
      expect(status).toBeGreaterThanOrEqual(0);
      expect(status).toBeLessThan(REASON_CODE_LIMIT);
    }
    expect(accepted).toBeGreaterThan(500);
    // Random input alone reaches every status wrap() can return (UDP/TCP BadChecksum come
    // from verifyChecksum, covered in their own tests).
    const wrapCodes = [Ipv4Reason, IcmpReason, UdpReason, TcpReason]
      .flatMap((o) => Object.values(o))
      .filter((c) => c !== UdpReason.BadChecksum && c !== TcpReason.BadChecksum);
    expect([...seen].sort((a, b) => a - b)).toEqual([...new Set(wrapCodes)].sort((a, b) => a - b));
    for (const code of seen) expect(reasonName(code)).not.toMatch(/^unknown/);
  });
});

describe('reason codes', () => {
  it('are unique across protocols, below REASON_CODE_LIMIT, and all named', () => {
    const all = [Ipv4Reason, IcmpReason, UdpReason, TcpReason].flatMap((o) => Object.values(o)).filter((c) => c !== 0);
    expect(new Set(all).size).toBe(all.length);
    for (const c of all) {
      expect(c).toBeLessThan(REASON_CODE_LIMIT);
      expect(reasonName(c)).toMatch(/^(ipv4|icmp|udp|tcp)\.[A-Z]/);
    }
    expect(reasonName(0)).toBe('ok');
    expect(reasonName(Ipv4Reason.BadChecksum)).toBe('ipv4.BadChecksum');
    expect(reasonName(63)).toBe('unknown.63');
  });
});
