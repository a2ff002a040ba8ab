// Events come in bursts (a step's actions each send `model`, then the step its own), and a
// reload per event would read the whole model several times over: coalesce them.

export interface Soon {
  /** Run `fn` once, `ms` after the first call since the last run. */
  (): void;
  /** Forget a pending run (the view is going away). */
  cancel(): void;
}

export function soon(fn: () => void, ms: number): Soon {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (): void => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  return Object.assign(call, {
    cancel(): void {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  });
}
