import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, MAX_CANDIDATES, suggest } from '../../../src/main/util/did-you-mean';

describe('did you mean', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('CreateRoutEntry', 'CreateRouteEntry')).toBe(1);
  });

  it('proposes close names only, ignoring case', () => {
    expect(suggest('CreateRoutEntry', ['CreateRouteEntry', 'CreateRouteTable', 'DeleteRouteEntry'])).toBe('CreateRouteEntry');
    expect(suggest('createvpc', ['CreateVpc', 'CreateVSwitch'])).toBe('CreateVpc');
    expect(suggest('Frobnicate', ['CreateVpc'])).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
  });

  it('does not compare pasted walls of text (the cost is length × length)', () => {
    const t = Date.now();
    expect(suggest('x'.repeat(1_000_000), ['x'.repeat(99), 'name'])).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(200);
  });

  it('picks what an exhaustive search picks (the first of the closest, within len/3)', () => {
    const exhaustive = (word: string, cs: string[]): string | undefined => {
      let best: string | undefined;
      let bestD = Infinity;
      for (const c of cs) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestD) [best, bestD] = [c, d];
      }
      const limit = Math.max(1, Math.floor(word.length / 3));
      return bestD === 0 || (bestD <= limit && bestD < word.length) ? best : undefined;
    };
    let seed = 1;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 48271) + 11) >>> 0) % n);
    const word = () => Array.from({ length: 1 + rnd(12) }, () => 'abcAB-'[rnd(6)]).join('');
    for (let i = 0; i < 3000; i++) {
      const cs = Array.from({ length: 1 + rnd(8) }, word);
      const w = word();
      expect(suggest(w, cs), `${w} in ${cs}`).toBe(exhaustive(w, cs));
    }
  });

  it('stays fast for hundreds of mistakes among a thousand names, and gives up beyond', () => {
    const names = Array.from({ length: MAX_CANDIDATES }, (_, i) => `host-${i}`);
    const t = Date.now();
    for (let i = 0; i < 200; i++) expect(suggest(`qost-${i}`, names)).toBe(`host-${i}`);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(suggest('qost-1', [...names, 'one more'])).toBeUndefined();
  });

  it('formats a suffix for a message', () => {
    expect(didYouMean('vsw-c', ['vsw-a'])).toBe(' (did you mean vsw-a?)');
    expect(didYouMean('zzz', ['vsw-a'])).toBe('');
  });
});
