// UDP (RFC 768): a checked view over a datagram and a builder.
//
// The checksum is optional in IPv4: a transmitted 0 means "none" and stays 0 through every
// rewrite, and a computed 0 is sent as 0xffff (RFC 768, "Fields"). The helpers in
// checksum.ts (udpCsumUpdate16/32) carry that rule for incremental updates.

import { foldSum, pseudoHeaderSum, read16, sumBytes, udpCsumUpdate16, write16 } from './checksum';
import { IpProtocol } from './ipv4';

/** Results of UdpView.wrap(); codes are unique across wire modules (UDP 32–47). */
export const UdpReason = {
  Ok: 0,
  /** Fewer than 8 bytes, or the range is outside the buffer. */
  TooShort: 32,
  /** Length field below 8 or beyond the bytes the IP layer carried. */
  BadLength: 33,
  /** Checksum present and wrong; for callers of verifyChecksum() to count. */
  BadChecksum: 34,
} as const;

export const UDP_HEADER = 8;

const EMPTY = Buffer.alloc(0);

/** A reusable view over one UDP datagram; wrap() allocates nothing and never throws. */
export class UdpView {
  buf: Buffer = EMPTY;
  off = 0;
  /** Bytes of the datagram covered by this view (the Length field after wrap()). */
  length = 0;

  /** `len` is the IP payload length; bytes past UDP Length are ignored. */
  wrap(buf: Buffer, off: number, len: number): number {
    if (off < 0 || len < UDP_HEADER || off + len > buf.length) return UdpReason.TooShort;
    const ul = (buf[off + 4] << 8) | buf[off + 5];
    if (ul < UDP_HEADER || ul > len) return UdpReason.BadLength;
    this.buf = buf;
    this.off = off;
    this.length = ul;
    return UdpReason.Ok;
  }

  /**
   * Only the 8-byte header must be present: for a first fragment or the datagram quoted in
   * an ICMP error, where the Length field describes bytes that are not here.
   * verifyChecksum() is meaningless on such a view.
   */
  wrapPartial(buf: Buffer, off: number, len: number): number {
    if (off < 0 || len < UDP_HEADER || off + len > buf.length) return UdpReason.TooShort;
    this.buf = buf;
    this.off = off;
    this.length = len;
    return UdpReason.Ok;
  }

  get srcPort(): number {
    return read16(this.buf, this.off);
  }
  get dstPort(): number {
    return read16(this.buf, this.off + 2);
  }
  /** The Length field (header + data). */
  get udpLength(): number {
    return read16(this.buf, this.off + 4);
  }
  get checksum(): number {
    return read16(this.buf, this.off + 6);
  }
  get payloadOffset(): number {
    return this.off + UDP_HEADER;
  }
  get payloadLength(): number {
    return this.length - UDP_HEADER;
  }

  /** True when the checksum verifies against the pseudo-header, or is 0 ("none", RFC 768). */
  verifyChecksum(src: number, dst: number): boolean {
    if (read16(this.buf, this.off + 6) === 0) return true;
    const sum = sumBytes(this.buf, this.off, this.length, pseudoHeaderSum(src, dst, IpProtocol.Udp, this.length));
    return foldSum(sum) === 0xffff;
  }

  /** Computes the checksum from scratch; a result of 0 is sent as 0xffff (RFC 768). */
  fillChecksum(src: number, dst: number): void {
    write16(this.buf, this.off + 6, udpChecksum(this.buf, this.off, this.length, src, dst));
  }

  /** NAT port rewrite; the checksum is updated incrementally and a 0 ("none") is kept. */
  setSrcPort(port: number): void {
    this.setPort(this.off, port);
  }
  setDstPort(port: number): void {
    this.setPort(this.off + 2, port);
  }

  private setPort(at: number, port: number): void {
    const b = this.buf;
    const old = read16(b, at);
    write16(b, at, port);
    write16(b, this.off + 6, udpCsumUpdate16(read16(b, this.off + 6), old, port & 0xffff));
  }
}

/** Full UDP checksum of `len` bytes at `off` (checksum field must be 0 or is summed as is). */
export function udpChecksum(buf: Buffer, off: number, len: number, src: number, dst: number): number {
  const saved = read16(buf, off + 6);
  write16(buf, off + 6, 0);
  const c = ~foldSum(sumBytes(buf, off, len, pseudoHeaderSum(src, dst, IpProtocol.Udp, len))) & 0xffff;
  write16(buf, off + 6, saved);
  return c === 0 ? 0xffff : c;
}

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payloadLength: number;
  /** With both addresses the checksum is computed; without, it is 0 ("none"). */
  src?: number;
  dst?: number;
}

/**
 * Writes the 8-byte header at buf[off]; the payload must already sit at off + 8 when a
 * checksum is wanted. Returns 8.
 */
export function emitUdp(buf: Buffer, off: number, r: UdpRepr): number {
  const len = UDP_HEADER + r.payloadLength;
  write16(buf, off, r.srcPort);
  write16(buf, off + 2, r.dstPort);
  write16(buf, off + 4, len);
  write16(buf, off + 6, 0);
  if (r.src !== undefined && r.dst !== undefined) write16(buf, off + 6, udpChecksum(buf, off, len, r.src, r.dst));
  return UDP_HEADER;
}
