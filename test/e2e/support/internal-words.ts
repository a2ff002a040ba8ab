// Words of the lab's own making that users must not be shown: rule numbers of the lab's
// semantics notes (`A5`, `D10.6`, `SEMANTICS B5.4`) and the names of the local copies of
// the source documents (`seeds/004_….txt`). The prose says things in the cloud's words
// and links the public document instead; codes stay in code and tests.

const PATTERNS: { what: string; re: RegExp }[] = [
  { what: 'a rule code', re: /\b[A-G]\d+(\.\d+)?\b/g },
  { what: 'SEMANTICS', re: /\bSEMANTICS\b/gi },
  { what: 'a seed file', re: /\bseeds?\b|\b\d{3}_[0-9a-f]{16}\.txt\b/gi },
];

/** Each internal word in `text`, with a little context: empty when the text is clean. */
export function internalWords(text: string): string[] {
  const found: string[] = [];
  for (const { what, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      found.push(`${what} "${m[0]}" in "…${text.slice(Math.max(0, at - 30), at + m[0].length + 30).replace(/\s+/g, ' ')}…"`);
    }
  }
  return found;
}
