// Integer hashing for the NAT gateway's typed-array tables: MurmurHash3's 32-bit block
// round and finaliser over four words, all Math.imul and shifts, so V8 keeps it in int32
// registers and a lookup allocates nothing. Not cryptographic: the lab's traffic is its own.

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593;

function round(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Finaliser: every input bit affects every output bit (int32 result). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Hash of four 32-bit words (int32 result). */
export function hash4(a: number, b: number, c: number, d: number): number {
  let h = round(0x5bd1e995, a);
  h = round(h, b);
  h = round(h, c);
  h = round(h, d);
  return mix32(h ^ 16);
}
