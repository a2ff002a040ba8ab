// The topology map's re-fit: once per change of shape or pane size, never for nothing.

import { describe, expect, it } from 'vitest';
import { fitKey, FitOnce } from '../../../src/renderer/src/lib/fit-on-change';

describe('fitKey and FitOnce', () => {
  it('there is nothing to fit to while the pane is hidden or the nodes are unmeasured', () => {
    expect(fitKey('a', 0, 500, true)).toBeNull();
    expect(fitKey('a', 800, 0, true)).toBeNull();
    expect(fitKey('a', 800, 500, false)).toBeNull();
    expect(fitKey('a', Number.NaN, 500, true)).toBeNull();
    expect(fitKey('a', 800, 500, true)).not.toBeNull();
  });

  it('fits once per shape and size: the same key again (as after its own fit) does nothing', () => {
    const f = new FitOnce();
    const k = fitKey('a', 800, 500, true);
    expect(f.next(k)).toBe(true);
    expect(f.next(k)).toBe(false);
    expect(f.next(fitKey('a', 800, 500, true))).toBe(false);
    // The window resized, then the map changed shape: each fits once.
    expect(f.next(fitKey('a', 1024, 700, true))).toBe(true);
    expect(f.next(fitKey('a', 1024, 700, true))).toBe(false);
    expect(f.next(fitKey('a;b', 1024, 700, true))).toBe(true);
  });

  it('a pane hidden and shown again at the size it was fitted at keeps the user zoom', () => {
    const f = new FitOnce();
    expect(f.next(fitKey('a', 800, 500, true))).toBe(true);
    expect(f.next(fitKey('a', 0, 0, true))).toBe(false);
    expect(f.next(fitKey('a', 800, 500, true))).toBe(false);
    // Hidden at one size, shown at another: fitted.
    expect(f.next(fitKey('a', 0, 0, true))).toBe(false);
    expect(f.next(fitKey('a', 900, 500, true))).toBe(true);
  });

  it('sub-pixel jitter of the pane is not a new size', () => {
    expect(fitKey('a', 800.2, 500.4, true)).toBe(fitKey('a', 799.8, 499.6, true));
  });
});
