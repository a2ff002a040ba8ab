// TCP (RFC 9293, which obsoletes RFC 793): a checked view over a segment and a minimal
// builder. The engine never terminates TCP; it reads ports and flags (NAT sessions, flow
// tracking, traces), rewrites ports and clamps the MSS when a tunnel shrinks the path MTU.

import {
  csumUpdate16,
  foldSum,
  internetChecksum,
  pseudoHeaderSum,
  read16,
  read32,
  sumBytes,
  write16,
  write32,
} from './checksum';
import { IpProtocol } from './ipv4';

/** Results of TcpView.wrap(); codes are unique across wire modules (TCP 48–63). */
export const TcpReason = {
  Ok: 0,
  /** Fewer than 20 bytes, or the range is outside the buffer. */
  TooShort: 48,
  /** Data Offset below 5 words (RFC 9293 §3.1) or past the end of the segment. */
  BadDataOffset: 49,
  /** Checksum wrong; for callers of verifyChecksum() to count. */
  BadChecksum: 50,
} as const;

/** Control bits of header byte 13 (RFC 9293 §3.1; ECE and CWR from RFC 3168 §6.1). */
export const TcpFlags = {
  Fin: 0x01,
  Syn: 0x02,
  Rst: 0x04,
  Psh: 0x08,
  Ack: 0x10,
  Urg: 0x20,
  Ece: 0x40,
  Cwr: 0x80,
} as const;

export const TCP_MIN_HEADER = 20;

/** Option kinds (RFC 9293 §3.2). */
const OPT_END = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;

const EMPTY = Buffer.alloc(0);

/** A reusable view over one TCP segment; wrap() allocates nothing and never throws. */
export class TcpView {
  buf: Buffer = EMPTY;
  off = 0;
  /** Header length in bytes (Data Offset × 4). */
  headerLength = 0;
  /** Segment length: header + data, i.e. the IP payload length. */
  length = 0;

  /** `len` is the IP payload length: TCP has no length field of its own. */
  wrap(buf: Buffer, off: number, len: number): number {
    if (off < 0 || len < TCP_MIN_HEADER || off + len > buf.length) return TcpReason.TooShort;
    const hl = (buf[off + 12] >> 4) << 2;
    if (hl < TCP_MIN_HEADER || hl > len) return TcpReason.BadDataOffset;
    this.buf = buf;
    this.off = off;
    this.headerLength = hl;
    this.length = len;
    return TcpReason.Ok;
  }

  get srcPort(): number {
    return read16(this.buf, this.off);
  }
  get dstPort(): number {
    return read16(this.buf, this.off + 2);
  }
  get seq(): number {
    return read32(this.buf, this.off + 4);
  }
  get ack(): number {
    return read32(this.buf, this.off + 8);
  }
  /** Data Offset in 32-bit words. */
  get dataOffset(): number {
    return this.buf[this.off + 12] >> 4;
  }
  /** The eight control bits as a TcpFlags bitfield. */
  get flags(): number {
    return this.buf[this.off + 13];
  }
  /** True when every bit of `mask` is set, e.g. hasFlags(TcpFlags.Syn | TcpFlags.Ack). */
  hasFlags(mask: number): boolean {
    return (this.buf[this.off + 13] & mask) === mask;
  }
  get window(): number {
    return read16(this.buf, this.off + 14);
  }
  get checksum(): number {
    return read16(this.buf, this.off + 16);
  }
  get urgentPointer(): number {
    return read16(this.buf, this.off + 18);
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  get payloadLength(): number {
    return this.length - this.headerLength;
  }

  verifyChecksum(src: number, dst: number): boolean {
    const sum = sumBytes(this.buf, this.off, this.length, pseudoHeaderSum(src, dst, IpProtocol.Tcp, this.length));
    return foldSum(sum) === 0xffff;
  }

  fillChecksum(src: number, dst: number): void {
    write16(this.buf, this.off + 16, tcpChecksum(this.buf, this.off, this.length, src, dst));
  }

  /** NAT port rewrite with an incremental checksum update (RFC 1624). */
  setSrcPort(port: number): void {
    this.setWord(this.off, port & 0xffff);
  }
  setDstPort(port: number): void {
    this.setWord(this.off + 2, port & 0xffff);
  }

  /** The MSS option's value (RFC 9293 §3.7.1), or 0 when the segment carries none. */
  get mss(): number {
    const at = this.findMss();
    return at < 0 ? 0 : read16(this.buf, at);
  }

  /**
   * Lowers the MSS option to `max` if it is larger (what a tunnel endpoint does so that
   * encapsulated segments still fit the path MTU). Returns true if the segment changed.
   */
  clampMss(max: number): boolean {
    const at = this.findMss();
    if (at < 0) return false;
    const b = this.buf;
    const old = read16(b, at);
    if (old <= max) return false;
    write16(b, at, max);
    // Options need no alignment, so the value may straddle two checksum words; a 16-bit
    // value at an odd offset adds its bytes swapped (RFC 1071 §2(B), byte-order independence).
    const odd = ((at - this.off) & 1) === 1;
    const o = odd ? swap16(old) : old;
    const n = odd ? swap16(max) : max;
    write16(b, this.off + 16, csumUpdate16(read16(b, this.off + 16), o, n));
    return true;
  }

  /** Offset of the MSS option's value, or -1. Stops at End, at the header's end, or at a bad length. */
  private findMss(): number {
    const b = this.buf;
    const end = this.off + this.headerLength;
    let i = this.off + TCP_MIN_HEADER;
    while (i < end) {
      const kind = b[i];
      if (kind === OPT_END) return -1;
      if (kind === OPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) return -1;
      const len = b[i + 1];
      if (len < 2 || i + len > end) return -1;
      if (kind === OPT_MSS) return len === 4 ? i + 2 : -1;
      i += len;
    }
    return -1;
  }

  private setWord(at: number, v: number): void {
    const b = this.buf;
    const old = read16(b, at);
    write16(b, at, v);
    write16(b, this.off + 16, csumUpdate16(read16(b, this.off + 16), old, v));
  }
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** Full TCP checksum of the `len`-byte segment at `off` (the checksum field is skipped). */
export function tcpChecksum(buf: Buffer, off: number, len: number, src: number, dst: number): number {
  const saved = read16(buf, off + 16);
  write16(buf, off + 16, 0);
  const c = internetChecksum(buf, off, len, pseudoHeaderSum(src, dst, IpProtocol.Tcp, len));
  write16(buf, off + 16, saved);
  return c;
}

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  /** TcpFlags bits. */
  flags: number;
  window?: number;
  urgentPointer?: number;
  /** Adds a 4-byte MSS option (as SYNs carry), making the header 24 bytes. */
  mss?: number;
  payloadLength?: number;
  /** Addresses for the pseudo-header; the checksum is always computed. */
  src: number;
  dst: number;
}

/**
 * Writes a TCP header at buf[off] and its checksum. The payload must already sit at
 * off + (mss ? 24 : 20). Returns the header length.
 */
export function emitTcp(buf: Buffer, off: number, r: TcpRepr): number {
  const hl = r.mss !== undefined ? 24 : TCP_MIN_HEADER;
  write16(buf, off, r.srcPort);
  write16(buf, off + 2, r.dstPort);
  write32(buf, off + 4, r.seq);
  write32(buf, off + 8, r.ack ?? 0);
  buf[off + 12] = (hl >> 2) << 4;
  buf[off + 13] = r.flags & 0xff;
  write16(buf, off + 14, r.window ?? 64240);
  write16(buf, off + 16, 0);
  write16(buf, off + 18, r.urgentPointer ?? 0);
  if (r.mss !== undefined) {
    buf[off + 20] = OPT_MSS;
    buf[off + 21] = 4;
    write16(buf, off + 22, r.mss);
  }
  const len = hl + (r.payloadLength ?? 0);
  write16(buf, off + 16, internetChecksum(buf, off, len, pseudoHeaderSum(r.src, r.dst, IpProtocol.Tcp, len)));
  return hl;
}
