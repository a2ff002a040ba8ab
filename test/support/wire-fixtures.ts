// Shared by the wire unit tests: real packets captured from a Linux 6.x kernel writing to a
// TUN between 10.9.9.1 and 10.9.9.2, and the small helpers the tests build on them.

import { internetChecksum } from '../../src/main/engine/wire/checksum';
import { parseIp } from '../../src/main/engine/wire/ipv4';

/** Bytes from hex text; whitespace is ignored so fields can be spaced out. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Seeded PRNG (mulberry32) so a failing property prints a reproducible case. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `b` with the byte at `at` set to `v`. */
export function withByte(b: Buffer, at: number, v: number): Buffer {
  const c = Buffer.from(b);
  c[at] = v;
  return c;
}

/** Checksum of the ICMP message at b[off, off + len) recomputed from scratch. */
export function fullIcmpChecksum(b: Buffer, off: number, len: number): number {
  const m = Buffer.from(b.subarray(off, off + len));
  m[2] = m[3] = 0;
  return internetChecksum(m, 0, len);
}

/** The kernel side of the TUN, source of PING, SYN and UDP. */
export const SRC = parseIp('10.9.9.1');
/** The far side of the TUN, their destination. */
export const DST = parseIp('10.9.9.2');

/** `ping -c1 10.9.9.2` from 10.9.9.1: echo id 0x1a1a, seq 1, 56 bytes of data. */
export const PING = hex(
  '45000054593540004001bb5f0a0909010a0909020800f4421a1a0001ab4a016b0000000071190d00000000' +
    '00101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
);

/**
 * A connect() SYN 10.9.9.1:33962 -> 10.9.9.2:80, options MSS 1460, SACK permitted,
 * timestamps, NOP, window scale 10.
 */
export const SYN = hex(
  '4500003c73ed40004006a0ba0a0909010a09090284aa00507ebcea1e00000000a002faf0cfb10000020405b4' +
    '0402080ae7168259000000000103030a',
);

/** A UDP datagram 10.9.9.1:40000 -> 10.9.9.2:53, "hello vpclab\n". */
export const UDP = hex('45000029dc284000401138870a0909010a0909029c4000350015b40868656c6c6f207670636c61620a');

/** A UDP datagram "probe" 10.9.9.2:50000 -> 10.9.9.1:33434 written into the TUN ... */
export const PROBE = hex('4500002112340000401142840a0909020a090901c350829a000d4eff70726f6265');

/** ... and the kernel's answer to it: Destination Unreachable, code 3 (port). */
export const PORT_UNREACH = hex(
  '45c0003d548f00004001ff5c0a0909010a09090203032330000000004500002112340000401142840a0909020a090901c350829a000d4eff70726f6265',
);
