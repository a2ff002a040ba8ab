import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../../src/main/util/did-you-mean';

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

  it('formats a suffix for a message', () => {
    expect(didYouMean('vsw-c', ['vsw-a'])).toBe(' (did you mean vsw-a?)');
    expect(didYouMean('zzz', ['vsw-a'])).toBe('');
  });
});
