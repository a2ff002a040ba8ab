// Geneve (RFC 8926): a checked view over the header that follows the outer UDP header, a
// walk over its options, and a builder for the one layout the GWLB emits.
//
//   0                   1                   2                   3
//   |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |   §3.4
//   |        Virtual Network Identifier (VNI)       |    Reserved   |
//   |                    Variable-Length Options                    |
//
// Each option (§3.5): Option Class (16) | Type (8) | R R R | Length (5) | data, where Length
// and Opt Len count 4-byte words and exclude the 4-byte option header / the 8-byte base.
//
// The GWLB's options follow SEMANTICS E5 (the layout AWS documents; Alibaba publishes only
// the 32-byte total): three options of class 0x0108 — type 1, 8 bytes, the GWLB endpoint;
// type 2, 8 bytes, the endpoint connection; type 3, 4 bytes, a per-flow cookie.

import { read16, read32, write16, write32 } from './checksum';

/** Results of GeneveView.wrap(); codes are unique across wire modules (Geneve 64–79). */
export const GeneveReason = {
  Ok: 0,
  /** Fewer than 8 bytes, or the range is outside the buffer. */
  TooShort: 64,
  /** Version is not 0 (§3.4: the only version defined). */
  BadVersion: 65,
  /** Opt Len reaches past the datagram, or an option's Length past Opt Len (§3.5). */
  BadOptions: 66,
  /** The GWLB options are not exactly E5's three (class 0x0108, types 1, 2, 3). */
  NotGwlbOptions: 67,
} as const;

export const GENEVE_PORT = 6081; // IANA, §3.3
export const GENEVE_BASE = 8;
export const ETHERTYPE_IPV4 = 0x0800;
/** Option class SEMANTICS E5 uses (AWS's, as registered with IANA for Amazon). */
export const GWLB_OPTION_CLASS = 0x0108;
export const GwlbOption = { Endpoint: 1, Connection: 2, FlowCookie: 3 } as const;
/** (4 + 8) + (4 + 8) + (4 + 4): tcpdump's `options [32 bytes]` (SEMANTICS G1). */
export const GWLB_OPTIONS_BYTES = 32;
/** Outer IPv4 + UDP + Geneve base + options: what an inner packet grows by (E5, E6). */
export const GWLB_OVERHEAD = 20 + 8 + GENEVE_BASE + GWLB_OPTIONS_BYTES;

const EMPTY = Buffer.alloc(0);

/** A reusable view over one Geneve header and what follows it; wrap() never throws. */
export class GeneveView {
  buf: Buffer = EMPTY;
  off = 0;
  /** Bytes from the Geneve header to the end of the UDP payload. */
  length = 0;

  /** `len` is the UDP payload length. The option chain is checked to stay inside Opt Len. */
  wrap(buf: Buffer, off: number, len: number): number {
    if (off < 0 || len < GENEVE_BASE || off + len > buf.length) return GeneveReason.TooShort;
    if (buf[off] >> 6 !== 0) return GeneveReason.BadVersion;
    const optBytes = (buf[off] & 0x3f) << 2;
    if (GENEVE_BASE + optBytes > len) return GeneveReason.BadOptions;
    // Every option header and its data must fit in the options area.
    const end = off + GENEVE_BASE + optBytes;
    for (let p = off + GENEVE_BASE; p < end; ) {
      if (p + 4 > end) return GeneveReason.BadOptions;
      p += 4 + ((buf[p + 3] & 0x1f) << 2);
      if (p > end) return GeneveReason.BadOptions;
    }
    this.buf = buf;
    this.off = off;
    this.length = len;
    return GeneveReason.Ok;
  }

  get version(): number {
    return this.buf[this.off] >> 6;
  }
  /** Bytes of options (Opt Len × 4). */
  get optionsLength(): number {
    return (this.buf[this.off] & 0x3f) << 2;
  }
  /** O: an OAM (control) packet (§3.4). */
  get oam(): boolean {
    return (this.buf[this.off + 1] & 0x80) !== 0;
  }
  /** C: critical options are present (§3.4). */
  get critical(): boolean {
    return (this.buf[this.off + 1] & 0x40) !== 0;
  }
  get protocolType(): number {
    return read16(this.buf, this.off + 2);
  }
  get vni(): number {
    return read32(this.buf, this.off + 4) >>> 8;
  }
  get payloadOffset(): number {
    return this.off + GENEVE_BASE + this.optionsLength;
  }
  get payloadLength(): number {
    return this.length - GENEVE_BASE - this.optionsLength;
  }

  /** Offset of the data of the first option (class, type), or -1; its length in `lengthOut[0]`. */
  findOption(cls: number, type: number, lengthOut?: number[]): number {
    const b = this.buf;
    const end = this.off + GENEVE_BASE + this.optionsLength;
    for (let p = this.off + GENEVE_BASE; p < end; p += 4 + ((b[p + 3] & 0x1f) << 2)) {
      if (read16(b, p) === cls && b[p + 2] === type) {
        if (lengthOut) lengthOut[0] = (b[p + 3] & 0x1f) << 2;
        return p + 4;
      }
    }
    return -1;
  }

  /**
   * Reads E5's three GWLB options into `out`, or says why they are not there: exactly
   * types 1, 2 and 3 of class 0x0108, in that order, of 8, 8 and 4 bytes, and nothing else.
   */
  readGwlbOptions(out: GwlbOptions): number {
    const b = this.buf;
    if (this.optionsLength !== GWLB_OPTIONS_BYTES) return GeneveReason.NotGwlbOptions;
    const p = this.off + GENEVE_BASE;
    if (!isOption(b, p, GwlbOption.Endpoint, 2) || !isOption(b, p + 12, GwlbOption.Connection, 2) || !isOption(b, p + 24, GwlbOption.FlowCookie, 1)) {
      return GeneveReason.NotGwlbOptions;
    }
    out.endpointHi = read32(b, p + 4);
    out.endpointLo = read32(b, p + 8);
    out.connectionHi = read32(b, p + 16);
    out.connectionLo = read32(b, p + 20);
    out.cookie = read32(b, p + 28);
    return GeneveReason.Ok;
  }
}

function isOption(b: Buffer, p: number, type: number, words: number): boolean {
  return read16(b, p) === GWLB_OPTION_CLASS && b[p + 2] === type && b[p + 3] === words; // R bits clear
}

/** E5's option values: two 64-bit IDs as 32-bit halves (numbers on the hot path, not bigints). */
export interface GwlbOptions {
  endpointHi: number;
  endpointLo: number;
  connectionHi: number;
  connectionLo: number;
  cookie: number;
}

/**
 * Writes the 40-byte Geneve header of a GWLB datagram at buf[off]: version 0, Opt Len 8,
 * no O or C flag, protocol 0x0800 (the inner packet is raw IPv4, E3.2), VNI 0, and E5's
 * three options. The inner packet goes at off + 40. Returns 40.
 */
export function emitGwlbGeneve(buf: Buffer, off: number, o: GwlbOptions): number {
  buf[off] = GWLB_OPTIONS_BYTES >> 2; // Ver 0, Opt Len 8 words
  buf[off + 1] = 0; // O = C = 0: tcpdump's `Flags [none]`
  write16(buf, off + 2, ETHERTYPE_IPV4);
  write32(buf, off + 4, 0); // VNI 0, reserved 0
  let p = off + GENEVE_BASE;
  p = emitOption(buf, p, GwlbOption.Endpoint, 2);
  write32(buf, p - 8, o.endpointHi);
  write32(buf, p - 4, o.endpointLo);
  p = emitOption(buf, p, GwlbOption.Connection, 2);
  write32(buf, p - 8, o.connectionHi);
  write32(buf, p - 4, o.connectionLo);
  p = emitOption(buf, p, GwlbOption.FlowCookie, 1);
  write32(buf, p - 4, o.cookie >>> 0);
  return GENEVE_BASE + GWLB_OPTIONS_BYTES;
}

/** An option header for `words` 4-byte words of data; returns the offset after its data. */
function emitOption(buf: Buffer, p: number, type: number, words: number): number {
  write16(buf, p, GWLB_OPTION_CLASS);
  buf[p + 2] = type;
  buf[p + 3] = words;
  return p + 4 + (words << 2);
}
