// ICMP for IPv4 (RFC 792): a checked view, echo replies built in place, ICMP errors built
// from the offending packet (RFC 1812 §4.3.2), and the rewrites NAT needs on the datagram
// an error quotes (so `traceroute` works through SNAT).
//
// ICMP's checksum covers the ICMP message only, no pseudo-header (RFC 792), so rewriting the
// outer IP addresses never touches it; rewriting the quoted datagram always does.

import {
  csumUpdate16,
  csumUpdate32,
  internetChecksum,
  read16,
  read32,
  udpCsumUpdate16,
  udpCsumUpdate32,
  write16,
  write32,
} from './checksum';
import { IpProtocol, Ipv4View, IPV4_MIN_HEADER } from './ipv4';

/** Results of IcmpView.wrap(); codes are unique across wire modules (ICMP 16–31). */
export const IcmpReason = {
  Ok: 0,
  /** Fewer than the 8-byte header, or the range is outside the buffer. */
  TooShort: 16,
  /** Checksum does not verify (only when wrap() is asked to check). */
  BadChecksum: 17,
  /** An error message whose quoted IPv4 header is missing, truncated or not IPv4. */
  BadQuote: 18,
} as const;

export const IcmpType = {
  EchoReply: 0,
  DestUnreachable: 3,
  SourceQuench: 4,
  Redirect: 5,
  EchoRequest: 8,
  TimeExceeded: 11,
  ParameterProblem: 12,
} as const;

/** Codes of Destination Unreachable (RFC 792; 13 from RFC 1812 §5.2.7.1). */
export const UnreachableCode = {
  Net: 0,
  Host: 1,
  Protocol: 2,
  Port: 3,
  FragmentationNeeded: 4,
  AdminProhibited: 13,
} as const;

/** Codes of Time Exceeded (RFC 792). */
export const TimeExceededCode = {
  TtlExceeded: 0,
  FragmentReassembly: 1,
} as const;

export const ICMP_HEADER = 8;
/**
 * RFC 1812 §4.3.2.3: an ICMP error quotes as much of the original datagram as fits in a
 * 576-byte IP datagram; minus 20 bytes of IP header and 8 of ICMP header.
 */
export const ICMP_ERROR_MAX_QUOTE = 576 - IPV4_MIN_HEADER - ICMP_HEADER;

/** Types that carry a quoted datagram (RFC 792). */
export function isIcmpError(type: number): boolean {
  return type === 3 || type === 11 || type === 12 || type === 5 || type === 4;
}

const EMPTY = Buffer.alloc(0);

/**
 * A reusable view over one ICMP message. For error messages wrap() also checks the quoted
 * IPv4 header, and the `quoted*` accessors read it (offsets are absolute in `buf`).
 */
export class IcmpView {
  buf: Buffer = EMPTY;
  off = 0;
  length = 0;
  /** For error messages: quoted IP header length in bytes; 0 for other types. */
  quotedHeaderLength = 0;

  /** `len` is the IP payload length. */
  wrap(buf: Buffer, off: number, len: number, checkChecksum = false): number {
    if (off < 0 || len < ICMP_HEADER || off + len > buf.length) return IcmpReason.TooShort;
    this.buf = buf;
    this.off = off;
    this.length = len;
    this.quotedHeaderLength = 0;
    if (isIcmpError(buf[off])) {
      const q = off + ICMP_HEADER;
      const qlen = len - ICMP_HEADER;
      if (qlen < IPV4_MIN_HEADER || buf[q] >> 4 !== 4) return IcmpReason.BadQuote;
      const hl = (buf[q] & 0x0f) << 2;
      if (hl < IPV4_MIN_HEADER || hl > qlen) return IcmpReason.BadQuote;
      this.quotedHeaderLength = hl;
    }
    if (checkChecksum && internetChecksum(buf, off, len) !== 0) return IcmpReason.BadChecksum;
    return IcmpReason.Ok;
  }

  get type(): number {
    return this.buf[this.off];
  }
  get code(): number {
    return this.buf[this.off + 1];
  }
  get checksum(): number {
    return read16(this.buf, this.off + 2);
  }
  get isError(): boolean {
    return this.quotedHeaderLength !== 0;
  }
  /** Echo request/reply identifier (RFC 792), which NAT translates like a port. */
  get echoId(): number {
    return read16(this.buf, this.off + 4);
  }
  get echoSeq(): number {
    return read16(this.buf, this.off + 6);
  }
  /** Bytes 4..7, whose meaning depends on the type (unused, pointer, gateway, MTU). */
  get restOfHeader(): number {
    return read32(this.buf, this.off + 4);
  }
  /** Next-hop MTU of a Fragmentation Needed message (RFC 1191 §4), 0 if not given. */
  get nextHopMtu(): number {
    return read16(this.buf, this.off + 6);
  }
  get payloadOffset(): number {
    return this.off + ICMP_HEADER;
  }
  get payloadLength(): number {
    return this.length - ICMP_HEADER;
  }

  verifyChecksum(): boolean {
    return internetChecksum(this.buf, this.off, this.length) === 0;
  }

  fillChecksum(): void {
    write16(this.buf, this.off + 2, 0);
    write16(this.buf, this.off + 2, internetChecksum(this.buf, this.off, this.length));
  }

  /**
   * Turns an Echo Request into its Echo Reply in place: type 8 becomes 0, and identifier,
   * sequence and data stay (RFC 792, "Echo or Echo Reply Message"). The IP addresses are the
   * caller's (Ipv4View.swapAddresses, which needs no checksum change).
   */
  makeEchoReply(): void {
    this.patch(this.off, (IcmpType.EchoReply << 8) | this.buf[this.off + 1]);
  }

  /** NAT of an echo identifier, with an incremental checksum update. */
  setEchoId(id: number): void {
    this.patch(this.off + 4, id & 0xffff);
  }

  // ---- The datagram quoted by an error message (valid when isError) ----

  get quotedOffset(): number {
    return this.off + ICMP_HEADER;
  }
  get quotedProtocol(): number {
    return this.buf[this.off + ICMP_HEADER + 9];
  }
  get quotedSrc(): number {
    return read32(this.buf, this.off + ICMP_HEADER + 12);
  }
  get quotedDst(): number {
    return read32(this.buf, this.off + ICMP_HEADER + 16);
  }
  /** Quoted datagram was a whole datagram or a first fragment, so its L4 header is quoted. */
  get quotedHasTransportHeader(): boolean {
    return (read16(this.buf, this.off + ICMP_HEADER + 6) & 0x1fff) === 0;
  }
  get quotedL4Offset(): number {
    return this.off + ICMP_HEADER + this.quotedHeaderLength;
  }
  /** Bytes of the quoted transport header present (RFC 792 promises 8; may be more or less). */
  get quotedL4Length(): number {
    return this.length - ICMP_HEADER - this.quotedHeaderLength;
  }
  /** Quoted TCP/UDP source port, or -1 when not quoted. */
  get quotedSrcPort(): number {
    return this.quotedPortsPresent() ? read16(this.buf, this.quotedL4Offset) : -1;
  }
  /** Quoted TCP/UDP destination port, or -1 when not quoted. */
  get quotedDstPort(): number {
    return this.quotedPortsPresent() ? read16(this.buf, this.quotedL4Offset + 2) : -1;
  }
  /** Identifier of a quoted ICMP echo (a ping that hit a TTL limit), or -1. */
  get quotedEchoId(): number {
    return this.quotedEchoPresent() ? read16(this.buf, this.quotedL4Offset + 4) : -1;
  }

  /**
   * NAT rewrite of the quoted source address: keeps the quoted IP header checksum, the quoted
   * UDP/TCP checksum when it is inside the quote, and this message's checksum all right.
   */
  rewriteQuotedSrc(addr: number): void {
    this.rewriteQuotedAddr(this.off + ICMP_HEADER + 12, addr >>> 0);
  }
  rewriteQuotedDst(addr: number): void {
    this.rewriteQuotedAddr(this.off + ICMP_HEADER + 16, addr >>> 0);
  }
  /** NAT rewrite of the quoted TCP/UDP source port; no-op when the ports are not quoted. */
  setQuotedSrcPort(port: number): void {
    if (this.quotedPortsPresent()) this.setQuotedL4Word(0, port & 0xffff);
  }
  setQuotedDstPort(port: number): void {
    if (this.quotedPortsPresent()) this.setQuotedL4Word(2, port & 0xffff);
  }
  /** NAT rewrite of a quoted echo identifier; also fixes the quoted ICMP checksum. */
  setQuotedEchoId(id: number): void {
    if (this.quotedEchoPresent()) this.setQuotedL4Word(4, id & 0xffff);
  }

  private quotedPortsPresent(): boolean {
    const p = this.quotedProtocol;
    return (
      this.quotedHeaderLength !== 0 &&
      (p === IpProtocol.Tcp || p === IpProtocol.Udp) &&
      this.quotedHasTransportHeader &&
      this.quotedL4Length >= 4
    );
  }

  private quotedEchoPresent(): boolean {
    if (this.quotedHeaderLength === 0 || this.quotedProtocol !== IpProtocol.Icmp) return false;
    if (!this.quotedHasTransportHeader || this.quotedL4Length < 6) return false;
    const t = this.buf[this.quotedL4Offset];
    return t === IcmpType.EchoRequest || t === IcmpType.EchoReply;
  }

  private rewriteQuotedAddr(at: number, addr: number): void {
    if (this.quotedHeaderLength === 0) return;
    const b = this.buf;
    const q = this.off + ICMP_HEADER;
    const old = read32(b, at);
    this.patch(at, addr >>> 16);
    this.patch(at + 2, addr & 0xffff);
    this.patch(q + 10, csumUpdate32(read16(b, q + 10), old, addr));
    if (!this.quotedHasTransportHeader) return;
    // The quoted L4 checksum covers the pseudo-header too (RFC 768, RFC 9293 §3.1).
    const l4 = this.quotedL4Offset;
    const l4len = this.quotedL4Length;
    const p = b[q + 9];
    if (p === IpProtocol.Udp && l4len >= 8) {
      this.patch(l4 + 6, udpCsumUpdate32(read16(b, l4 + 6), old, addr));
    } else if (p === IpProtocol.Tcp && l4len >= 18) {
      this.patch(l4 + 16, csumUpdate32(read16(b, l4 + 16), old, addr));
    }
  }

  /** Changes a 16-bit word of the quoted L4 header and that header's checksum if quoted. */
  private setQuotedL4Word(rel: number, v: number): void {
    const b = this.buf;
    const l4 = this.quotedL4Offset;
    const l4len = this.quotedL4Length;
    const old = read16(b, l4 + rel);
    this.patch(l4 + rel, v);
    const p = this.quotedProtocol;
    if (p === IpProtocol.Udp && l4len >= 8) {
      this.patch(l4 + 6, udpCsumUpdate16(read16(b, l4 + 6), old, v));
    } else if (p === IpProtocol.Tcp && l4len >= 18) {
      this.patch(l4 + 16, csumUpdate16(read16(b, l4 + 16), old, v));
    } else if (p === IpProtocol.Icmp && l4len >= 4) {
      this.patch(l4 + 2, csumUpdate16(read16(b, l4 + 2), old, v));
    }
  }

  /**
   * Writes a 16-bit word of this message and updates the ICMP checksum. Every word patched
   * is at an even distance from the message start (the quote starts at +8 and IP/L4 headers
   * are multiples of 4), so it lines up with a checksum word.
   */
  private patch(at: number, v: number): void {
    const b = this.buf;
    const old = read16(b, at);
    write16(b, at, v);
    write16(b, this.off + 2, csumUpdate16(read16(b, this.off + 2), old, v));
  }
}

/**
 * Whether a router may answer this datagram with an ICMP error (RFC 1812 §4.3.2.7; RFC 1122
 * §3.2.2): not for an ICMP error, a non-first fragment, a broadcast or multicast destination,
 * or a source that does not name one host (0/8, 127/8, multicast, 255.255.255.255).
 */
export function mayQuoteInIcmpError(ip: Ipv4View): boolean {
  if (!ip.hasTransportHeader) return false;
  const dst = ip.dst;
  if (dst >>> 28 === 0xe || dst === 0xffffffff) return false;
  const src = ip.src;
  const s1 = src >>> 24;
  if (s1 === 0 || s1 === 127 || s1 >= 224) return false;
  if (ip.protocol === IpProtocol.Icmp) {
    if (ip.payloadLength < 1) return true;
    if (isIcmpError(ip.buf[ip.payloadOffset])) return false;
  }
  return true;
}

/**
 * Builds an ICMP error message at buf[off] quoting the datagram orig[origOff, +origLen):
 * as much of it as fits a 576-byte reply (RFC 1812 §4.3.2.3; at least header + 8 bytes,
 * RFC 792), and no more than the buffer holds. `rest` fills bytes 4..7: 0 ("unused") except
 * the next-hop MTU for Fragmentation Needed (RFC 1191 §4) or the pointer of a Parameter
 * Problem (in the high byte). `orig` may be `buf` itself, overlapping: Buffer.copy moves
 * like memmove. Returns the ICMP message length (the IP payload length for emitIpv4).
 */
export function emitIcmpError(
  buf: Buffer,
  off: number,
  type: number,
  code: number,
  orig: Buffer,
  origOff: number,
  origLen: number,
  rest = 0,
): number {
  let quote = origLen < ICMP_ERROR_MAX_QUOTE ? origLen : ICMP_ERROR_MAX_QUOTE;
  const room = buf.length - off - ICMP_HEADER;
  if (quote > room) quote = room;
  if (quote > orig.length - origOff) quote = orig.length - origOff;
  if (quote < 0 || origOff < 0) quote = 0;
  // Copy first: with orig === buf the header below may overwrite the quoted bytes' old place.
  orig.copy(buf, off + ICMP_HEADER, origOff, origOff + quote);
  buf[off] = type;
  buf[off + 1] = code;
  write16(buf, off + 2, 0);
  write32(buf, off + 4, rest);
  const len = ICMP_HEADER + quote;
  write16(buf, off + 2, internetChecksum(buf, off, len));
  return len;
}

export interface IcmpEchoRepr {
  /** IcmpType.EchoRequest (default) or IcmpType.EchoReply. */
  type?: number;
  id: number;
  seq: number;
  /** Data to copy after the header; or leave `payloadLength` bytes already in place. */
  data?: Uint8Array;
  payloadLength?: number;
}

/** Writes an echo message with its checksum at buf[off]; returns its length. */
export function emitEcho(buf: Buffer, off: number, r: IcmpEchoRepr): number {
  let plen = r.payloadLength ?? 0;
  if (r.data !== undefined) {
    buf.set(r.data, off + ICMP_HEADER);
    plen = r.data.length;
  }
  buf[off] = r.type ?? IcmpType.EchoRequest;
  buf[off + 1] = 0;
  write16(buf, off + 2, 0);
  write16(buf, off + 4, r.id);
  write16(buf, off + 6, r.seq);
  const len = ICMP_HEADER + plen;
  write16(buf, off + 2, internetChecksum(buf, off, len));
  return len;
}
