// Longest-prefix match over IPv4 (SEMANTICS A7). One hash map per prefix length, probed
// from the longest length down: route tables hold at most a few hundred entries spread
// over a handful of lengths, so a lookup is a few numeric Map probes and no allocation.

export class Lpm<T> {
  private lengths: number[] = [];
  private masks: number[] = [];
  private tables: Map<number, T>[] = [];

  /** Later inserts of the same prefix replace earlier ones. */
  insert(addr: number, len: number, value: T): void {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    let i = this.lengths.indexOf(len);
    if (i < 0) {
      this.lengths.push(len);
      // keep lengths sorted longest first
      const order = this.lengths.map((l, k) => [l, k] as const).sort((a, b) => b[0] - a[0]);
      const tables = order.map(([, k]) => this.tables[k] ?? new Map<number, T>());
      this.lengths = order.map(([l]) => l);
      this.tables = tables;
      this.masks = this.lengths.map((l) => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0));
      i = this.lengths.indexOf(len);
    }
    this.tables[i].set((addr & mask) >>> 0, value);
  }

  lookup(addr: number): T | undefined {
    const tables = this.tables;
    const masks = this.masks;
    for (let i = 0; i < tables.length; i++) {
      const v = tables[i].get((addr & masks[i]) >>> 0);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  get size(): number {
    let n = 0;
    for (const t of this.tables) n += t.size;
    return n;
  }
}
