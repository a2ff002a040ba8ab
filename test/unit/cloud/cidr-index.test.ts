import { describe, expect, it } from 'vitest';
import { CidrIndex, contains, overlaps, type Cidr } from '../../../src/main/cloud/cidr';
import { formatCidr, parseCidr, prefixMask } from '../../../src/main/engine/wire/ipv4-addr';

describe('CidrIndex', () => {
  it('answers what a scan in insertion order answers', () => {
    let seed = 3;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    // Blocks inside 10.0.0.0/16 so that they often nest and overlap.
    const block = (): Cidr => {
      const len = 16 + rnd(13);
      const addr = ((0x0a000000 | rnd(0x10000)) & prefixMask(len)) >>> 0;
      return { addr, len, mask: prefixMask(len) };
    };
    for (let round = 0; round < 50; round++) {
      const index = new CidrIndex<number>();
      const added: Cidr[] = [];
      for (let i = 0; i < 60; i++) {
        const q = block();
        const name = formatCidr(q);
        expect(index.containing(q), `containing ${name}`).toBe(firstIndex(added, (c) => contains(c, q)));
        expect(index.overlapping(q), `overlapping ${name}`).toBe(firstIndex(added, (c) => overlaps(c, q)));
        index.add(q, added.length);
        added.push(q);
      }
    }
  });

  it('finds blocks above, equal and below', () => {
    const index = new CidrIndex<string>();
    index.add(parseCidr('192.168.1.0/24'), 'b');
    index.add(parseCidr('192.168.0.0/16'), 'a');
    expect(index.containing(parseCidr('192.168.1.128/25'))).toBe('b');
    expect(index.overlapping(parseCidr('192.0.0.0/8'))).toBe('b');
    expect(index.overlapping(parseCidr('192.168.2.0/24'))).toBe('a');
    expect(index.overlapping(parseCidr('10.0.0.0/8'))).toBeUndefined();
    expect(index.containing(parseCidr('0.0.0.0/0'))).toBeUndefined();
  });
});

function firstIndex(blocks: Cidr[], test: (c: Cidr) => boolean): number | undefined {
  const i = blocks.findIndex(test);
  return i < 0 ? undefined : i;
}
