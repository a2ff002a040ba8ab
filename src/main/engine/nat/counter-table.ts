// A count per three-word key, in one open-addressing table (linear probing, backward-shift
// deletion, so no tombstones pile up). The NAT table keeps two: sessions per (EIP,
// destination) for the per-destination limit, and sessions per EIP for the metrics.
// A key whose count falls to zero is removed, so the table is bounded by live keys.

import { hash4 } from './hash';

const STRIDE = 4; // k0, k1, k2, count (count 0 = empty bucket)
const SEED = 0x2545f491;

export class CounterTable {
  private t: Int32Array;
  private mask: number;
  private n = 0;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.t = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  /** Keys in the table (those with a non-zero count). */
  get size(): number {
    return this.n;
  }

  get(k0: number, k1: number, k2: number): number {
    return this.t[this.bucketOf(k0 | 0, k1 | 0, k2 | 0) * STRIDE + 3];
  }

  /** Adds delta (which must not take the count below zero); a count of zero removes the key. */
  add(k0: number, k1: number, k2: number, delta: number): void {
    k0 |= 0;
    k1 |= 0;
    k2 |= 0;
    const t = this.t;
    const b = this.bucketOf(k0, k1, k2);
    const o = b * STRIDE;
    const c = t[o + 3];
    if (c === 0) {
      if (delta <= 0) return;
      t[o] = k0;
      t[o + 1] = k1;
      t[o + 2] = k2;
      t[o + 3] = delta;
      if (++this.n * 2 > this.mask + 1) this.grow();
      return;
    }
    const v = c + delta;
    if (v > 0) t[o + 3] = v;
    else this.removeAt(b);
  }

  /** The key's bucket, or the empty bucket where it would go. */
  private bucketOf(k0: number, k1: number, k2: number): number {
    const t = this.t;
    const mask = this.mask;
    for (let b = hash4(k0, k1, k2, SEED) & mask; ; b = (b + 1) & mask) {
      const o = b * STRIDE;
      if (t[o + 3] === 0 || (t[o] === k0 && t[o + 1] === k1 && t[o + 2] === k2)) return b;
    }
  }

  clear(): void {
    this.t.fill(0);
    this.n = 0;
  }

  // Knuth's algorithm R: close the gap by pulling back later entries whose home bucket
  // does not lie cyclically between the gap and their current bucket.
  private removeAt(gap: number): void {
    const t = this.t;
    const mask = this.mask;
    this.n--;
    t[gap * STRIDE + 3] = 0;
    for (let j = (gap + 1) & mask; ; j = (j + 1) & mask) {
      const o = j * STRIDE;
      if (t[o + 3] === 0) return;
      const home = hash4(t[o], t[o + 1], t[o + 2], SEED) & mask;
      const stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
      if (stays) continue;
      const g = gap * STRIDE;
      t[g] = t[o];
      t[g + 1] = t[o + 1];
      t[g + 2] = t[o + 2];
      t[g + 3] = t[o + 3];
      t[o + 3] = 0;
      gap = j;
    }
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap * STRIDE);
    const mask = cap - 1;
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + 3] === 0) continue;
      let b = hash4(old[o], old[o + 1], old[o + 2], SEED) & mask;
      while (t[b * STRIDE + 3] !== 0) b = (b + 1) & mask;
      const n = b * STRIDE;
      t[n] = old[o];
      t[n + 1] = old[o + 1];
      t[n + 2] = old[o + 2];
      t[n + 3] = old[o + 3];
    }
    this.t = t;
    this.mask = mask;
  }
}
