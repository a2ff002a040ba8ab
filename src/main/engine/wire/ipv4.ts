// IPv4 (RFC 791): a checked view over a packet in a buffer and a repr-style builder.
// Addresses and CIDR blocks as text live in ipv4-addr.ts, public ranges in ipv4-ranges.ts;
// they are re-exported here because the engine, the control plane and the host runtime
// have always imported them from this module (so their import lines need not change).
//
// Addresses are unsigned 32-bit numbers everywhere (`>>> 0`), so the hot path compares and
// hashes numbers, never strings. The view is reused across packets: wrap() allocates nothing.

import {
  csumUpdate16,
  csumUpdate32,
  internetChecksum,
  read16,
  read32,
  udpCsumUpdate32,
  write16,
  write32,
} from './checksum';

export {
  AddressError,
  checkCidr,
  checkIp,
  formatCidr,
  inCidr,
  ipToString,
  parseCidr,
  parseIp,
  prefixMask,
  type AddressErrorCode,
  type Cidr,
  type CidrCheck,
  type CidrOptions,
  type IpCheck,
} from './ipv4-addr';
export { isPublic, whyNotPublic } from './ipv4-ranges';

/** IANA protocol numbers the engine looks into. */
export const IpProtocol = {
  Icmp: 1,
  Tcp: 6,
  Udp: 17,
} as const;

/**
 * Results of Ipv4View.wrap(). Codes are unique across all wire modules (IPv4 1–15,
 * ICMP 16–31, UDP 32–47, TCP 48–63) so one counter array indexed by code serves them all.
 */
export const Ipv4Reason = {
  Ok: 0,
  /** Fewer than 20 bytes, the IHL-announced header does not fit, or the range is outside the buffer. */
  TooShort: 1,
  /** Version nibble is not 4. */
  BadVersion: 2,
  /** IHL below 5 words (RFC 791 §3.1: the minimum header is 5 words). */
  BadIhl: 3,
  /** Total Length smaller than the header or larger than the bytes received. */
  BadTotalLength: 4,
  /** Header checksum does not verify (only when wrap() is asked to check). */
  BadChecksum: 5,
} as const;

export const IPV4_MIN_HEADER = 20;
/** Linux's default TTL, which is what a real host in the tutorials would send. */
export const DEFAULT_TTL = 64;

const EMPTY = Buffer.alloc(0);

/**
 * A checked view over one IPv4 packet. After wrap() returns Ipv4Reason.Ok every accessor reads
 * inside [off, off + totalLength); after a failed wrap the view's contents are unspecified.
 */
export class Ipv4View {
  buf: Buffer = EMPTY;
  off = 0;
  /** Header length in bytes (IHL × 4). */
  headerLength = 0;
  /** Bytes of the datagram present: Total Length for wrap(), possibly less for wrapQuoted(). */
  length = 0;

  /**
   * Checks and adopts the packet at buf[off, off + len). `len` is what was received; bytes
   * past Total Length (link padding) are ignored. Fragments are accepted: reassembly, if any,
   * is the caller's (see isFragment / hasTransportHeader).
   */
  wrap(buf: Buffer, off: number, len: number, checkChecksum = false): number {
    const r = this.adopt(buf, off, len, true);
    if (r === Ipv4Reason.Ok && checkChecksum && internetChecksum(buf, off, this.headerLength) !== 0) return Ipv4Reason.BadChecksum;
    return r;
  }

  /**
   * Like wrap() but for the original datagram quoted inside an ICMP error (RFC 792,
   * RFC 1812 §4.3.2.3): only the header must be whole; the payload is whatever was quoted
   * (usually 8 bytes), so Total Length may exceed `len`.
   */
  wrapQuoted(buf: Buffer, off: number, len: number): number {
    return this.adopt(buf, off, len, false);
  }

  /** The header checks of both; `whole`: the datagram must fit in `len` (else it is cut to it). */
  private adopt(buf: Buffer, off: number, len: number, whole: boolean): number {
    if (off < 0 || len < IPV4_MIN_HEADER || off + len > buf.length) return Ipv4Reason.TooShort;
    const vihl = buf[off];
    if (vihl >> 4 !== 4) return Ipv4Reason.BadVersion;
    const hl = (vihl & 0x0f) << 2;
    if (hl < IPV4_MIN_HEADER) return Ipv4Reason.BadIhl;
    if (hl > len) return Ipv4Reason.TooShort;
    const tl = (buf[off + 2] << 8) | buf[off + 3];
    if (tl < hl || (whole && tl > len)) return Ipv4Reason.BadTotalLength;
    this.buf = buf;
    this.off = off;
    this.headerLength = hl;
    this.length = tl < len ? tl : len;
    return Ipv4Reason.Ok;
  }

  get version(): number {
    return this.buf[this.off] >> 4;
  }
  /** Header length in 32-bit words. */
  get ihl(): number {
    return this.buf[this.off] & 0x0f;
  }
  /** Differentiated Services code point (RFC 2474), the high 6 bits of the old TOS byte. */
  get dscp(): number {
    return this.buf[this.off + 1] >> 2;
  }
  /** ECN bits (RFC 3168 §5). */
  get ecn(): number {
    return this.buf[this.off + 1] & 3;
  }
  get totalLength(): number {
    return read16(this.buf, this.off + 2);
  }
  get id(): number {
    return read16(this.buf, this.off + 4);
  }
  /** The 3 flag bits: 0x4 DF, 0x2 MF (bit 0 is reserved, RFC 791 §3.1). */
  get flags(): number {
    return this.buf[this.off + 6] >> 5;
  }
  get dontFragment(): boolean {
    return (this.buf[this.off + 6] & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.buf[this.off + 6] & 0x20) !== 0;
  }
  /** Fragment offset in bytes (the field counts 8-byte units, RFC 791 §3.1). */
  get fragmentOffset(): number {
    return (((this.buf[this.off + 6] & 0x1f) << 8) | this.buf[this.off + 7]) << 3;
  }
  /** Part of a fragmented datagram: MF set or a non-zero offset. */
  get isFragment(): boolean {
    return (read16(this.buf, this.off + 6) & 0x3fff) !== 0;
  }
  /**
   * True for a whole datagram or its first fragment: only those start with the TCP/UDP/ICMP
   * header, so only those have ports to translate or checksums to fix.
   */
  get hasTransportHeader(): boolean {
    return (read16(this.buf, this.off + 6) & 0x1fff) === 0;
  }
  get ttl(): number {
    return this.buf[this.off + 8];
  }
  get protocol(): number {
    return this.buf[this.off + 9];
  }
  get checksum(): number {
    return read16(this.buf, this.off + 10);
  }
  get src(): number {
    return read32(this.buf, this.off + 12);
  }
  get dst(): number {
    return read32(this.buf, this.off + 16);
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  get payloadLength(): number {
    return this.length - this.headerLength;
  }

  verifyChecksum(): boolean {
    return internetChecksum(this.buf, this.off, this.headerLength) === 0;
  }

  /** Recomputes the header checksum from scratch (after edits not done through this view). */
  fillChecksum(): void {
    write16(this.buf, this.off + 10, 0);
    write16(this.buf, this.off + 10, internetChecksum(this.buf, this.off, this.headerLength));
  }

  /** Sets the source and updates only the header checksum (RFC 1624). See rewriteSrc for NAT. */
  setSrc(addr: number): void {
    this.setAddr(this.off + 12, addr >>> 0);
  }

  /** Sets the destination and updates only the header checksum (RFC 1624). See rewriteDst for NAT. */
  setDst(addr: number): void {
    this.setAddr(this.off + 16, addr >>> 0);
  }

  /**
   * NAT rewrite of the source: fixes the header checksum and, because the TCP and UDP
   * checksums cover a pseudo-header holding both addresses (RFC 9293 §3.1, RFC 768), theirs
   * too. ICMP's checksum covers only the ICMP message (RFC 792), so it is left alone.
   */
  rewriteSrc(addr: number): void {
    addr >>>= 0;
    const old = this.src;
    this.setAddr(this.off + 12, addr);
    this.fixTransportForAddress(old, addr);
  }

  /** NAT rewrite of the destination; see rewriteSrc. */
  rewriteDst(addr: number): void {
    addr >>>= 0;
    const old = this.dst;
    this.setAddr(this.off + 16, addr);
    this.fixTransportForAddress(old, addr);
  }

  /**
   * Exchanges source and destination (a reply built in place). No checksum changes: the
   * one's-complement sum is commutative, and the pseudo-header holds both addresses.
   */
  swapAddresses(): void {
    const b = this.buf;
    const o = this.off;
    for (let i = 12; i < 16; i++) {
      const t = b[o + i];
      b[o + i] = b[o + i + 4];
      b[o + i + 4] = t;
    }
  }

  /** TTL shares a 16-bit word with Protocol (RFC 791 §3.1); the update is over that word. */
  setTtl(ttl: number): void {
    const b = this.buf;
    const o = this.off;
    const oldWord = (b[o + 8] << 8) | b[o + 9];
    b[o + 8] = ttl & 0xff;
    const newWord = (b[o + 8] << 8) | b[o + 9];
    write16(b, o + 10, csumUpdate16(read16(b, o + 10), oldWord, newWord));
  }

  /**
   * Forwarding step of RFC 1812 §5.3.1. Returns the new TTL. Callers check `ttl <= 1`
   * first: such a packet is dropped with an ICMP Time Exceeded, not forwarded with TTL 0.
   */
  decrementTtl(): number {
    const t = this.buf[this.off + 8];
    if (t === 0) return 0;
    this.setTtl(t - 1);
    return t - 1;
  }

  private setAddr(at: number, addr: number): void {
    const b = this.buf;
    const old = read32(b, at);
    write32(b, at, addr);
    write16(b, this.off + 10, csumUpdate32(read16(b, this.off + 10), old, addr));
  }

  private fixTransportForAddress(oldAddr: number, newAddr: number): void {
    // Non-first fragments carry no transport header; the first one does, and its checksum
    // covers the whole reassembled datagram, which an incremental update keeps right.
    if (!this.hasTransportHeader) return;
    const b = this.buf;
    const p = this.off + this.headerLength;
    const plen = this.length - this.headerLength;
    const proto = b[this.off + 9];
    if (proto === IpProtocol.Tcp) {
      if (plen >= 18) write16(b, p + 16, csumUpdate32(read16(b, p + 16), oldAddr, newAddr));
    } else if (proto === IpProtocol.Udp) {
      if (plen >= 8) write16(b, p + 6, udpCsumUpdate32(read16(b, p + 6), oldAddr, newAddr));
    }
  }
}

/** What emitIpv4 needs; the defaults are what Linux sends. */
export interface Ipv4Repr {
  src: number;
  dst: number;
  protocol: number;
  /** Bytes after the 20-byte header. */
  payloadLength: number;
  ttl?: number;
  id?: number;
  dscp?: number;
  ecn?: number;
  dontFragment?: boolean;
}

/**
 * Writes a 20-byte header (no options) with its checksum at buf[off]. Returns 20, the offset
 * of the payload relative to `off`. The caller must leave room for 20 + payloadLength bytes.
 */
export function emitIpv4(buf: Buffer, off: number, r: Ipv4Repr): number {
  buf[off] = 0x45;
  buf[off + 1] = (((r.dscp ?? 0) & 0x3f) << 2) | ((r.ecn ?? 0) & 3);
  write16(buf, off + 2, IPV4_MIN_HEADER + r.payloadLength);
  write16(buf, off + 4, r.id ?? 0);
  write16(buf, off + 6, r.dontFragment ? 0x4000 : 0);
  buf[off + 8] = r.ttl ?? DEFAULT_TTL;
  buf[off + 9] = r.protocol;
  write16(buf, off + 10, 0);
  write32(buf, off + 12, r.src);
  write32(buf, off + 16, r.dst);
  write16(buf, off + 10, internetChecksum(buf, off, IPV4_MIN_HEADER));
  return IPV4_MIN_HEADER;
}
