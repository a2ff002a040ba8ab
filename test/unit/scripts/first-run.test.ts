// The README's test command on a fresh clone (issue 10): scripts/install.sh builds what the
// tests need once and skips the build when nothing changed (scripts/up-to-date.js), and the
// summary names every file with skipped tests and why, before the line CI reads.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-first-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const node = (script: string, ...args: string[]) => spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8' });

describe('up-to-date.js', () => {
  it('no stamp (a fresh clone): out of date; a stamp newer than every input: up to date; one newer input: out of date', () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(path.join(src, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'deep', 'a.ts'), 'x');
    const stamp = path.join(tmp, 'stamp');
    expect(node('up-to-date.js', stamp, src).status).toBe(1);
    fs.writeFileSync(stamp, '');
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(stamp, later, later);
    expect(node('up-to-date.js', stamp, src, path.join(tmp, 'missing')).status).toBe(0);
    const edited = new Date(Date.now() + 20_000);
    fs.utimesSync(path.join(src, 'deep', 'a.ts'), edited, edited);
    expect(node('up-to-date.js', stamp, src).status).toBe(1);
  });

  it('install.sh builds the whole app (the renderer included) behind that check, and test.sh runs install.sh', () => {
    const sh = fs.readFileSync(path.join(root, 'scripts', 'install.sh'), 'utf8');
    expect(sh).toMatch(/node scripts\/up-to-date\.js "\$STAMP" src bench /);
    expect(sh).toMatch(/npm run -s build\n/);
    expect(fs.readFileSync(path.join(root, 'scripts', 'test.sh'), 'utf8')).toMatch(/bash scripts\/install\.sh/);
  });
});

describe('summary.js', () => {
  it('lists each file with skipped tests and its reasons, then the line CI reads', () => {
    const report = path.join(tmp, 'vitest.json');
    const skips = path.join(tmp, 'skips.jsonl');
    const t = (status: string) => ({ status, fullName: status });
    fs.writeFileSync(report, JSON.stringify({
      numPassedTests: 3, numFailedTests: 1, numPendingTests: 2, numTodoTests: 0,
      testResults: [
        { name: path.join(root, 'test/e2e/guide.test.ts'), status: 'passed', assertionResults: [t('skipped'), t('skipped')] },
        { name: path.join(root, 'test/unit/a.test.ts'), status: 'failed', assertionResults: [t('passed'), t('passed'), t('passed'), t('failed')] },
        { name: path.join(root, 'test/unit/broken.test.ts'), status: 'failed', assertionResults: [] },
      ],
    }));
    fs.writeFileSync(skips, `${JSON.stringify({ file: 'test/e2e/guide.test.ts', why: 'e2e tests need root' })}\n`);
    const out = node('summary.js', report, skips).stdout.trim().split('\n');
    expect(out).toEqual(['skipped 2 in test/e2e/guide.test.ts: e2e tests need root', '3 passed, 2 failed, 2 skipped']);
  });
});
