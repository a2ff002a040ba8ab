// soon(): a burst of events makes one reload, and a cancelled one makes none.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { soon } from '../../../src/renderer/src/lib/soon';

afterEach(() => void vi.useRealTimers());

describe('soon', () => {
  it('runs once per burst, again for a later burst', () => {
    vi.useFakeTimers();
    let runs = 0;
    const s = soon(() => runs++, 100);
    s();
    s();
    vi.advanceTimersByTime(50);
    s();
    expect(runs).toBe(0);
    vi.advanceTimersByTime(50);
    expect(runs).toBe(1);
    s();
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
  });

  it('cancel drops the pending run', () => {
    vi.useFakeTimers();
    let runs = 0;
    const s = soon(() => runs++, 100);
    s();
    s.cancel();
    vi.advanceTimersByTime(200);
    expect(runs).toBe(0);
  });
});
