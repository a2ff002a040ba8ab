import { describe, expect, it } from 'vitest';
import { clip, quote, QUOTE_MAX } from '../../../src/main/util/quote';

describe('quote', () => {
  it('quotes short values whole, control characters visible', () => {
    expect(quote('vsw-a')).toBe('"vsw-a"');
    expect(quote('a\u0000b')).toBe('"a\\u0000b"');
    expect(quote(' 1')).toBe('" 1"');
    expect(quote('c\u007f\u009b')).toBe('"c\\u007f\\u009b"');
  });

  it('clips long values and says how long they were', () => {
    const q = quote('x'.repeat(10_485_760));
    expect(q).toBe(`"${'x'.repeat(QUOTE_MAX)}"… (10485760 characters)`);
    expect(quote('y'.repeat(QUOTE_MAX))).toBe(`"${'y'.repeat(QUOTE_MAX)}"`);
    expect(quote('y'.repeat(QUOTE_MAX + 1))).toContain('(61 characters)');
  });

  it('does not cut a surrogate pair in half', () => {
    const s = 'a'.repeat(QUOTE_MAX - 1) + '😀' + 'b';
    expect(quote(s)).toBe(`"${'a'.repeat(QUOTE_MAX - 1)}"… (${s.length} characters)`);
  });

  it('clips unquoted text the same way', () => {
    expect(clip('short')).toBe('short');
    expect(clip('z'.repeat(100), 10)).toBe('zzzzzzzzzz… (100 characters)');
  });
});
