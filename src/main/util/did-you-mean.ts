// "Did you mean …?" for names a user typed: scenario fields and references, action names,
// and (for the control plane) API parameters. It lives below every layer that reports
// names so the cloud can use it without importing the scenario loader.

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a, b, Infinity);
}

/**
 * The distance, or `limit + 1` as soon as it is sure to exceed `limit`: most candidates are
 * nowhere near the word, and a file can ask for a suggestion among thousands of names for
 * each of thousands of mistakes.
 */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (row.length <= b.length) row = new Int32Array(2 * (b.length + 1));
  const prev = row;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    let diag = prev[0];
    prev[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      let d = diag + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      if (up + 1 < d) d = up + 1;
      if (prev[j - 1] + 1 < d) d = prev[j - 1] + 1;
      prev[j] = d;
      diag = up;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1; // every later row is at least this
  }
  return prev[b.length];
}

/** One row of the distance table, reused: a suggestion may compare thousands of names. */
let row = new Int32Array(64);

/**
 * Longer words than this are not compared: nobody mistypes a 200-character name, and the
 * distance costs length × length (a pasted megabyte would take minutes).
 */
const MAX_WORD = 100;

/**
 * Among more names than this there is no suggestion: each comparison costs up to
 * length × length, a file can make thousands of mistakes, and a near miss among thousands
 * of names is a guess anyway.
 */
export const MAX_CANDIDATES = 1000;

/** The closest candidate when it is close enough to be a likely typo (case is ignored). */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  const pool: string[] = [];
  for (const c of candidates) {
    if (pool.length === MAX_CANDIDATES) return undefined;
    pool.push(c);
  }
  // Close enough to be a typo, and not merely as long as the word (`Q` is not a typo of `A`).
  const limit = Math.min(Math.max(1, Math.floor(word.length / 3)), word.length - 1);
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of pool) {
    if (c.length > MAX_WORD) continue;
    // Only a closer candidate than the best so far matters, so the bound tightens.
    const d = boundedDistance(w, c.toLowerCase(), Math.min(limit, bestD - 1));
    if (d < bestD && d <= limit) {
      best = c;
      bestD = d;
      if (d === 0) break;
    }
  }
  return best;
}

/** ` (did you mean X?)` when there is a likely candidate, else `''`: for appending to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : ` (did you mean ${s}?)`;
}
