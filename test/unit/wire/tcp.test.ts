import { describe, expect, it } from 'vitest';
import {
  emitIpv4,
  emitTcp,
  IpProtocol,
  Ipv4View,
  reasonName,
  tcpChecksum,
  TcpFlags,
  TcpReason,
  TcpView,
} from '../../../src/main/engine/wire';
import { DST as D, hex, rng, SRC as S, SYN, withByte } from '../../support/wire-fixtures';

const ip = new Ipv4View();
const tcp = new TcpView();

describe('TcpView', () => {
  it('reads and verifies a kernel SYN', () => {
    expect(ip.wrap(SYN, 0, SYN.length, true)).toBe(0);
    expect(tcp.wrap(SYN, ip.payloadOffset, ip.payloadLength)).toBe(TcpReason.Ok);
    expect([tcp.srcPort, tcp.dstPort]).toEqual([33962, 80]);
    expect(tcp.seq).toBe(0x7ebcea1e);
    expect(tcp.ack).toBe(0);
    expect(tcp.dataOffset).toBe(10);
    expect(tcp.headerLength).toBe(40);
    expect(tcp.flags).toBe(TcpFlags.Syn);
    expect(tcp.hasFlags(TcpFlags.Syn)).toBe(true);
    expect(tcp.hasFlags(TcpFlags.Syn | TcpFlags.Ack)).toBe(false);
    expect(tcp.window).toBe(64240);
    expect(tcp.checksum).toBe(0xcfb1);
    expect(tcp.urgentPointer).toBe(0);
    expect(tcp.mss).toBe(1460);
    expect(tcp.payloadLength).toBe(0);
    expect(tcp.verifyChecksum(S, D)).toBe(true);
    expect(tcp.verifyChecksum(D, S + 1)).toBe(false);
  });

  it('reads unsigned 32-bit sequence numbers and every flag bit', () => {
    const b = Buffer.alloc(60);
    for (const [name, bit] of Object.entries(TcpFlags)) {
      emitTcp(b, 0, { srcPort: 1, dstPort: 2, seq: 0xffffffff, ack: 0x80000000, flags: bit, src: S, dst: D });
      tcp.wrap(b, 0, 20);
      expect(tcp.flags, name).toBe(bit);
      expect(tcp.seq).toBe(0xffffffff);
      expect(tcp.ack).toBe(0x80000000);
    }
  });

  it('emitTcp round-trips with payload and MSS option', () => {
    const b = Buffer.alloc(20 + 24 + 5);
    Buffer.from('hello').copy(b, 44);
    const hl = emitTcp(b, 20, {
      srcPort: 40000,
      dstPort: 443,
      seq: 123456789,
      ack: 987654321,
      flags: TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Ece,
      window: 29200,
      mss: 1400,
      payloadLength: 5,
      src: S,
      dst: D,
    });
    expect(hl).toBe(24);
    emitIpv4(b, 0, { src: S, dst: D, protocol: IpProtocol.Tcp, payloadLength: 29 });
    expect(ip.wrap(b, 0, b.length, true)).toBe(0);
    expect(tcp.wrap(b, ip.payloadOffset, ip.payloadLength)).toBe(0);
    expect([tcp.seq, tcp.ack, tcp.window, tcp.mss, tcp.payloadLength]).toEqual([123456789, 987654321, 29200, 1400, 5]);
    expect(tcp.hasFlags(TcpFlags.Syn | TcpFlags.Ack)).toBe(true);
    expect(tcp.verifyChecksum(S, D)).toBe(true);
  });

  const cases: Array<[string, () => number, number]> = [
    ['shorter than 20 bytes', () => tcp.wrap(SYN, 20, 19), TcpReason.TooShort],
    ['range past the buffer', () => tcp.wrap(SYN, 20, 41), TcpReason.TooShort],
    ['Data Offset 4', () => tcp.wrap(withByte(SYN, 32, 0x40), 20, 40), TcpReason.BadDataOffset],
    ['Data Offset past the segment', () => tcp.wrap(SYN, 20, 36), TcpReason.BadDataOffset],
    ['checksum wrong', () => (tcp.wrap(withByte(SYN, 45, 0), 20, 40), tcp.verifyChecksum(S, D) ? 0 : TcpReason.BadChecksum), TcpReason.BadChecksum],
  ];
  for (const [name, run, want] of cases) it(`${name} -> ${reasonName(want)}`, () => expect(run()).toBe(want));
});

describe('TCP rewrites', () => {
  it('incremental port and address rewrites equal a full recomputation', () => {
    const r = rng(13);
    const b = Buffer.from(SYN);
    for (let n = 0; n < 3000; n++) {
      ip.wrap(b, 0, b.length);
      tcp.wrap(b, ip.payloadOffset, ip.payloadLength);
      const k = n % 4;
      const v = Math.floor(r() * 65536);
      if (k === 0) tcp.setSrcPort(v);
      else if (k === 1) tcp.setDstPort(v);
      else if (k === 2) ip.rewriteSrc(Math.floor(r() * 2 ** 32));
      else ip.rewriteDst(Math.floor(r() * 2 ** 32));
      if (k === 0) expect(tcp.srcPort).toBe(v);
      if (k === 1) expect(tcp.dstPort).toBe(v);
      expect(tcp.checksum).toBe(tcpChecksum(b, 20, 40, ip.src, ip.dst));
      expect(ip.verifyChecksum()).toBe(true);
    }
  });

  it('clampMss lowers an MSS at an even offset', () => {
    const b = Buffer.from(SYN);
    tcp.wrap(b, 20, 40);
    expect(tcp.clampMss(1500)).toBe(false);
    expect(tcp.clampMss(1360)).toBe(true);
    expect(tcp.mss).toBe(1360);
    expect(tcp.checksum).toBe(tcpChecksum(b, 20, 40, S, D));
  });

  it('clampMss lowers an MSS at an odd offset (after one NOP)', () => {
    const b = Buffer.alloc(28);
    emitTcp(b, 0, { srcPort: 1, dstPort: 2, seq: 3, flags: TcpFlags.Syn, src: S, dst: D });
    b[12] = 7 << 4;
    hex('01 020405b4 010101').copy(b, 20);
    tcp.wrap(b, 0, 28);
    tcp.fillChecksum(S, D);
    expect(tcp.mss).toBe(1460);
    expect(tcp.clampMss(1300)).toBe(true);
    expect(tcp.mss).toBe(1300);
    expect(tcp.checksum).toBe(tcpChecksum(b, 0, 28, S, D));
    expect(tcp.verifyChecksum(S, D)).toBe(true);
  });

  it('finds no MSS in malformed or absent options', () => {
    const b = Buffer.alloc(24);
    emitTcp(b, 0, { srcPort: 1, dstPort: 2, seq: 3, flags: TcpFlags.Syn, src: S, dst: D });
    b[12] = 6 << 4;
    for (const opts of ['00000000', '01010101', '02030000', '0800 0000', '02050000', '0a020000']) {
      hex(opts.padEnd(8, '0')).copy(b, 20);
      tcp.wrap(b, 0, 24);
      expect(tcp.mss, opts).toBe(0);
      expect(tcp.clampMss(1), opts).toBe(false);
    }
  });
});
