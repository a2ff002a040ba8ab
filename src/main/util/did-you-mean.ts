// "Did you mean …?" for names a user typed: scenario fields and references, action names,
// and (for the control plane) API parameters. It lives below every layer that reports
// names so the cloud can use it without importing the scenario loader.

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Longer words than this are not compared: nobody mistypes a 200-character name, and the
 * distance costs length × length (a pasted megabyte would take minutes).
 */
const MAX_WORD = 100;

/** The closest candidate when it is close enough to be a likely typo (case is ignored). */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    if (c.length > MAX_WORD) continue;
    const d = c.toLowerCase() === w ? 0 : editDistance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  // Close enough to be a typo, and not merely as long as the word (`Q` is not a typo of `A`).
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestD === 0 || (bestD <= limit && bestD < word.length) ? best : undefined;
}

/** ` (did you mean X?)` when there is a likely candidate, else `''`: for appending to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : ` (did you mean ${s}?)`;
}
