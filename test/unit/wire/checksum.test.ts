import { describe, expect, it } from 'vitest';
import {
  csumUpdate16,
  csumUpdate32,
  foldSum,
  internetChecksum,
  pseudoHeaderSum,
  read32,
  sumBytes,
  udpCsumUpdate16,
  udpCsumUpdate32,
  write32,
} from '../../../src/main/engine/wire';
import { hex, rng } from '../../support/wire-fixtures';

/** Textbook RFC 1071 checksum, written independently of the code under test. */
function naiveChecksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) + (i + 1 < b.length ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return ~s & 0xffff;
}

describe('Internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    // 0001 f203 f4f5 f6f7 sums to 0xddf2 (one's complement), so the checksum is 0x220d.
    const b = hex('0001f203f4f5f6f7');
    expect(foldSum(sumBytes(b, 0, 8))).toBe(0xddf2);
    expect(internetChecksum(b, 0, 8)).toBe(0x220d);
  });

  it('validates a textbook IPv4 header (checksum b861)', () => {
    const h = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');
    expect(internetChecksum(h, 0, 20)).toBe(0);
    h[10] = h[11] = 0;
    expect(internetChecksum(h, 0, 20)).toBe(0xb861);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(hex('0102 03'), 0, 3)).toBe(~(0x0102 + 0x0300) & 0xffff);
  });

  it('agrees with a naive implementation at any offset and length', () => {
    const r = rng(1);
    for (let n = 0; n < 2000; n++) {
      const len = Math.floor(r() * 300);
      const off = Math.floor(r() * 7);
      const b = Buffer.alloc(off + len + 3);
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      expect(internetChecksum(b, off, len)).toBe(naiveChecksum(b.subarray(off, off + len)));
    }
  });

  it('does not lose carries on a 64 KB buffer of 0xff', () => {
    const b = Buffer.alloc(65535, 0xff);
    expect(internetChecksum(b, 0, b.length)).toBe(naiveChecksum(b));
  });

  it('sums the pseudo-header words', () => {
    expect(pseudoHeaderSum(0x0a090901, 0x0a090902, 6, 40)).toBe(0x0a09 + 0x0901 + 0x0a09 + 0x0902 + 6 + 40);
  });
});

describe('incremental update (RFC 1624)', () => {
  it('equals a full recomputation for random 16- and 32-bit changes', () => {
    const r = rng(2);
    for (let n = 0; n < 3000; n++) {
      const len = 8 + 2 * Math.floor(r() * 40);
      const width = n % 2 === 0 ? 2 : 4;
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(r() * 256);
      b[0] = b[1] = 0;
      const hc = internetChecksum(b, 0, len);
      b[0] = hc >> 8;
      b[1] = hc & 0xff;
      // Any even offset after the checksum word where the field fits.
      const at = 2 + 2 * Math.floor(r() * ((len - 2 - width) / 2 + 1));
      if (n % 2 === 0) {
        const old = (b[at] << 8) | b[at + 1];
        const nw = Math.floor(r() * 65536);
        b[at] = nw >> 8;
        b[at + 1] = nw & 0xff;
        const inc = csumUpdate16(hc, old, nw);
        b[0] = b[1] = 0;
        expect(inc).toBe(internetChecksum(b, 0, len));
      } else {
        const old = read32(b, at);
        const nw = Math.floor(r() * 2 ** 32);
        write32(b, at, nw);
        const inc = csumUpdate32(hc, old, nw);
        b[0] = b[1] = 0;
        expect(inc).toBe(internetChecksum(b, 0, len));
      }
    }
  });

  it('keeps a UDP checksum of 0 ("none") and sends a computed 0 as 0xffff (RFC 768)', () => {
    expect(udpCsumUpdate16(0, 0x1234, 0x4321)).toBe(0);
    expect(udpCsumUpdate32(0, 0x0a000001, 0x2f000001)).toBe(0);
    // ~0x0001 + ~0xffff + 0x0001 = 0xffff, so eqn. 3 yields 0x0000: plain TCP keeps it,
    // UDP must send all ones instead.
    expect(csumUpdate16(0x0001, 0xffff, 0x0001)).toBe(0);
    expect(udpCsumUpdate16(0x0001, 0xffff, 0x0001)).toBe(0xffff);
    expect(udpCsumUpdate32(0x0001, 0x0000ffff, 0x00000001)).toBe(0xffff);
  });
});
