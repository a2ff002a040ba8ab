// Live lists (trace records, command history) keep only their newest entries, so a chatty
// filter cannot grow the page without end.

/** `list` followed by `more`, keeping the last `cap` items. Returns a new array. */
export function appendCapped<T>(list: readonly T[], more: readonly T[], cap: number): T[] {
  if (cap <= 0) return [];
  if (more.length >= cap) return more.slice(more.length - cap);
  const keep = Math.max(0, list.length + more.length - cap);
  return [...list.slice(keep), ...more];
}

/** Collects items and hands them over in batches, at most once per `intervalMs`. */
export class Batcher<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly intervalMs: number,
    // Wrapped: a browser's setTimeout called as a method of this object throws "Illegal invocation".
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = (fn, ms) => setTimeout(fn, ms),
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.timer === null) this.timer = this.schedule(() => this.drain(), this.intervalMs);
  }

  drain(): void {
    this.timer = null;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.flush(items);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
