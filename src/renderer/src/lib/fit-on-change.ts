// When the topology map is fitted to its pane again: when the map's shape or the pane's
// size changed since the last fit, never twice for the same pair. Fitting rewrites the
// flow's own state (its nodes, its viewport), so whatever decides to fit must not depend
// on anything the fit writes — only on this key — or it re-runs after every fit, for ever.

/** What a fit depends on; null while there is nothing to fit to (a hidden pane, nodes not measured yet). */
export function fitKey(shape: string, width: number, height: number, measured: boolean): string | null {
  if (!measured || !(width > 0) || !(height > 0)) return null;
  return `${Math.round(width)}x${Math.round(height)}|${shape}`;
}

/** Remembers the last key fitted: next() says whether this one needs a fit. */
export class FitOnce {
  private last: string | null = null;

  next(key: string | null): boolean {
    // A pane hidden and shown again at the same size keeps the user's zoom.
    if (key === null || key === this.last) return false;
    this.last = key;
    return true;
  }
}
