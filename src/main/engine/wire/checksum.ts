// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//
// Sums are kept as plain JS numbers and folded at the end: a double holds integers up to
// 2^53, so even a 64 KB datagram (32768 words of at most 0xffff) cannot lose a carry.
// Nothing here allocates; everything takes (buf, offset, length) and returns a number.

/** Folds carries back into the low 16 bits (end-around carry, RFC 1071 §4.1). */
export function foldSum(sum: number): number {
  // Two folds are not always enough for sums above 2^32, so loop (at most a few rounds).
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum > 0xffffffff ? Math.floor(sum / 0x10000) : sum >>> 16);
  return sum;
}

/**
 * One's-complement sum of `len` bytes at `off`, added to `initial`, NOT folded and NOT
 * complemented, so partial sums (pseudo-header, header, payload) can be chained.
 * An odd trailing byte is padded with a zero low byte (RFC 1071 §4.1).
 */
export function sumBytes(buf: Buffer, off: number, len: number, initial = 0): number {
  let sum = initial;
  const end = off + (len & ~1);
  let i = off;
  // Unrolled by 4 words: the checksum loop is the costliest thing a full recompute does.
  for (; i + 8 <= end; i += 8) {
    sum +=
      ((buf[i] << 8) | buf[i + 1]) +
      ((buf[i + 2] << 8) | buf[i + 3]) +
      ((buf[i + 4] << 8) | buf[i + 5]) +
      ((buf[i + 6] << 8) | buf[i + 7]);
  }
  for (; i < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (len & 1) sum += buf[off + len - 1] << 8;
  return sum;
}

/** The checksum field value for `len` bytes at `off` plus an optional partial sum. */
export function internetChecksum(buf: Buffer, off: number, len: number, initial = 0): number {
  return ~foldSum(sumBytes(buf, off, len, initial)) & 0xffff;
}

/**
 * Partial sum of the IPv4 pseudo-header used by TCP (RFC 9293 §3.1) and UDP (RFC 768):
 * source, destination, zero + protocol, and the L4 length.
 */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (
    (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (protocol & 0xff) + (length & 0xffff)
  );
}

/**
 * RFC 1624 §3 eqn. 3: HC' = ~(~HC + ~m + m'), for one 16-bit word of the checksummed data
 * changing from `oldWord` to `newWord`. Eqn. 3 (not RFC 1141's eqn. 2) is used because it
 * yields the same bits as a full recomputation, including the 0x0000/0xffff corner.
 */
export function csumUpdate16(hc: number, oldWord: number, newWord: number): number {
  const sum = (~hc & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/** Same as csumUpdate16 for a 32-bit field (an IPv4 address, a sequence number). */
export function csumUpdate32(hc: number, oldValue: number, newValue: number): number {
  const sum =
    (~hc & 0xffff) +
    (~(oldValue >>> 16) & 0xffff) +
    (~oldValue & 0xffff) +
    (newValue >>> 16) +
    (newValue & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/**
 * UDP variant of csumUpdate16. RFC 768: a transmitted checksum of 0 means "the sender
 * computed none", so it must stay 0 across a rewrite; and a computed 0 is sent as all ones
 * (0xffff), which is the same value in one's complement.
 */
export function udpCsumUpdate16(hc: number, oldWord: number, newWord: number): number {
  if (hc === 0) return 0;
  const r = csumUpdate16(hc, oldWord, newWord);
  return r === 0 ? 0xffff : r;
}

/** UDP variant of csumUpdate32; see udpCsumUpdate16. */
export function udpCsumUpdate32(hc: number, oldValue: number, newValue: number): number {
  if (hc === 0) return 0;
  const r = csumUpdate32(hc, oldValue, newValue);
  return r === 0 ? 0xffff : r;
}

/** Reads a big-endian 16-bit word without bounds exceptions (callers checked the length). */
export function read16(buf: Buffer, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

/** Writes a big-endian 16-bit word. */
export function write16(buf: Buffer, off: number, v: number): void {
  buf[off] = (v >>> 8) & 0xff;
  buf[off + 1] = v & 0xff;
}

/** Reads a big-endian unsigned 32-bit value as a non-negative number. */
export function read32(buf: Buffer, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/** Writes a big-endian 32-bit value (signed or unsigned input). */
export function write32(buf: Buffer, off: number, v: number): void {
  buf[off] = (v >>> 24) & 0xff;
  buf[off + 1] = (v >>> 16) & 0xff;
  buf[off + 2] = (v >>> 8) & 0xff;
  buf[off + 3] = v & 0xff;
}
