// IPv4 (RFC 791): a checked view over a packet in a buffer, a repr-style builder, and the
// control-plane helpers for addresses and CIDR blocks.
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

// ---- Control-plane helpers (may allocate and throw; never on the packet path) ----

export type AddressErrorCode = 'BadAddress' | 'BadCidr' | 'BadPrefixLength' | 'HostBitsSet';

/** A malformed address or CIDR typed by a user; `code` lets callers map it to an API error. */
export class AddressError extends Error {
  constructor(
    readonly code: AddressErrorCode,
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'AddressError';
  }
}

/** Dotted quad of an address held as a number. */
export function ipToString(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Strict dotted-quad parser. Leading zeros are refused ("010.0.0.1"): inet_aton would read
 * them as octal while a reader sees decimal, and a lab should not disagree with its user.
 */
export function parseIp(text: string): number {
  const m = DOTTED.exec(text);
  if (m === null) throw new AddressError('BadAddress', `"${text}" is not an IPv4 address (a.b.c.d)`, text);
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    if (part.length > 1 && part[0] === '0') {
      throw new AddressError('BadAddress', `"${text}" has a leading zero in "${part}"`, text);
    }
    const n = Number(part);
    if (n > 255) throw new AddressError('BadAddress', `"${text}": ${part} is larger than 255`, text);
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Netmask for a prefix length 0..32 (length 0 is the all-zero mask, not 1 << 32). */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export interface Cidr {
  /** The address part as written (the network address unless allowHostBits was given). */
  addr: number;
  len: number;
  mask: number;
}

/**
 * Parses "a.b.c.d/n". A block with host bits set ("192.168.1.5/24") is refused with code
 * HostBitsSet and a message naming the intended network, unless `allowHostBits` (an
 * interface address such as an ECS's primary IP with its vSwitch prefix).
 */
export function parseCidr(text: string, opts?: { allowHostBits?: boolean }): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0) throw new AddressError('BadCidr', `"${text}" is not a CIDR block (a.b.c.d/n)`, text);
  const lenText = text.slice(slash + 1);
  if (!/^(0|[1-9]\d?)$/.test(lenText) || Number(lenText) > 32) {
    throw new AddressError('BadPrefixLength', `"${text}": prefix length must be 0..32`, text);
  }
  const len = Number(lenText);
  let addr: number;
  try {
    addr = parseIp(text.slice(0, slash));
  } catch (e) {
    throw new AddressError('BadCidr', `"${text}": ${(e as Error).message}`, text);
  }
  const mask = prefixMask(len);
  if (!opts?.allowHostBits && (addr & ~mask) !== 0) {
    throw new AddressError(
      'HostBitsSet',
      `"${text}" has host bits set; the network is ${ipToString((addr & mask) >>> 0)}/${len}`,
      text,
    );
  }
  return { addr, len, mask };
}

/** Whether `addr` lies in the block `net`/`mask` (host bits in `net` are ignored). */
export function inCidr(addr: number, net: number, mask: number): boolean {
  return ((addr ^ net) & mask) === 0;
}

/**
 * Whether an address is routable on the lab's "Internet" (what an EIP or the IPv4 gateway
 * may face). Excluded: private space (RFC 1918: 10/8, 172.16/12, 192.168/16), shared CGN
 * space 100.64/10 (RFC 6598; Alibaba Cloud also uses it for internal services such as
 * 100.100.2.136 DNS), "this network" 0/8, loopback 127/8, link-local 169.254/16, and
 * multicast plus reserved 224/4 and 240/4 including broadcast (RFC 6890). The documentation
 * and benchmark blocks (192.0.2/24, 198.18/15, …) count as public on purpose: labs may use
 * them as Internet addresses.
 */
export function isPublic(addr: number): boolean {
  const a = addr >>> 0;
  const o1 = a >>> 24;
  if (o1 === 0 || o1 === 10 || o1 === 127 || o1 >= 224) return false;
  const hi16 = a >>> 16;
  if (hi16 === 0xa9fe /* 169.254 */ || hi16 === 0xc0a8 /* 192.168 */) return false;
  if ((hi16 & 0xfff0) === 0xac10 /* 172.16/12 */) return false;
  if ((hi16 & 0xffc0) === 0x6440 /* 100.64/10 */) return false;
  return true;
}
