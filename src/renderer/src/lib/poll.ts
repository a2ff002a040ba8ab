// A reading repeated on a timer while its panel is in sight (the GWLB backends' health, which
// changes without a model event: health checks are traffic, not actions). One reading at a
// time: a slow answer is not stacked behind by the next tick.

export interface Poller {
  /** Read now (unless a reading is under way), whether or not it is in sight. */
  now(): void;
  stop(): void;
}

export function poll(read: () => Promise<void>, ms: number, inSight: () => boolean): Poller {
  let running = false;
  let stopped = false;
  const run = (): void => {
    if (running || stopped) return;
    running = true;
    read()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(() => {
    if (inSight()) run();
  }, ms);
  return {
    now: run,
    stop(): void {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** Whether an element is drawn: not inside a hidden view or tab, the page not in the background. */
export function drawn(el: Element | undefined | null): boolean {
  if (!el || (typeof document !== 'undefined' && document.hidden)) return false;
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  if (typeof check === 'function') return check.call(el);
  return (el as HTMLElement).offsetParent !== null;
}

/**
 * A reading whose answer counts only if no later one started meanwhile: the lists it was
 * asked about may have changed under it (a reload), and an older answer must not overwrite a
 * newer one. Call the result to read again.
 */
export function latest<T>(read: () => Promise<T>, done: (v: T) => void, failed: (e: unknown) => void): () => Promise<void> {
  let n = 0;
  return async () => {
    const mine = ++n;
    try {
      const v = await read();
      if (mine === n) done(v);
    } catch (e) {
      if (mine === n) failed(e);
    }
  };
}
