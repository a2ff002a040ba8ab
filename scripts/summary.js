#!/usr/bin/env node
// Prints vitest's JSON report as what CI reads: one line per file with skipped tests and the
// reason its tests gave (test/support/skip.ts writes them), then the last line,
// `N passed, N failed, N skipped`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [file, skipLog] = process.argv.slice(2);
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const reasons = new Map();
if (skipLog && fs.existsSync(skipLog)) {
  for (const line of fs.readFileSync(skipLog, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { file: f, why } = JSON.parse(line);
    if (!reasons.has(f)) reasons.set(f, new Set());
    reasons.get(f).add(why);
  }
}
const root = process.cwd();
for (const t of r.testResults || []) {
  const n = (t.assertionResults || []).filter((a) => a.status !== 'passed' && a.status !== 'failed').length;
  if (n === 0) continue;
  const rel = path.relative(root, t.name);
  const why = reasons.get(rel);
  console.log(`skipped ${n} in ${rel}: ${why ? [...why].join('; ') : 'no reason given'}`);
}
const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
// A file that failed to load has no tests but must still count as a failure.
const brokenFiles = (r.testResults || []).filter((t) => t.status === 'failed' && (t.assertionResults || []).length === 0).length;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped`);
