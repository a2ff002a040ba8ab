// What users read from the engine and the control plane — trace decisions, drop reasons,
// API error messages — is in the cloud's words: the rule codes of the lab's semantics notes
// (`A9`, `D10.2`) belong in comments and tests only (issue 10). This reads every string
// and template literal outside comments in the sources that produce such text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalWords } from '../../e2e/support/internal-words';

const root = path.resolve(__dirname, '../../..');
const DIRS = ['src/main/engine', 'src/main/cloud', 'src/main/runtime', 'src/main/cli', 'src/main/desk'];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** String and template literals of a source, comments removed first. */
function literals(src: string): string[] {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

describe('messages in the cloud’s words', () => {
  it('finds a code in a literal but not in a comment (the scan itself)', () => {
    expect(literals("// see A9\nconst a = 'x (A9)'; /* B5.2 */").flatMap(internalWords)).toHaveLength(1);
  });

  it('no trace decision, drop reason or error message names a rule code', () => {
    const found: string[] = [];
    for (const dir of DIRS) {
      for (const f of files(path.join(root, dir))) {
        for (const lit of literals(fs.readFileSync(f, 'utf8'))) {
          // seeds/… paths and IDs are not shown text; only codes and SEMANTICS count here.
          for (const w of internalWords(lit)) if (!/a seed file/.test(w)) found.push(`${path.relative(root, f)}: ${w}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
