// Why a group of tests cannot run on this machine. A skip must always say why: the reason
// is warned about and, when scripts/test.sh asks ($VPCLAB_SKIP_LOG), written down so the
// run's summary (scripts/summary.js) lists every skipped file with its reason.

import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** True (skip) when `why` gives a reason, which is then reported for `file`. */
export function cannotRun(file: string, why: string | null | undefined | false): boolean {
  if (!why) return false;
  const rel = path.relative(root, file);
  console.warn(`[${rel}] skipped: ${why}`);
  const log = process.env.VPCLAB_SKIP_LOG;
  if (log) fs.appendFileSync(log, JSON.stringify({ file: rel, why }) + '\n');
  return true;
}

/** What an integration test needs: root (namespaces, TUNs) and, for CLI tests, the compiled CLI. */
export function integrationBlocker(opts: { cli?: boolean } = {}): string | null {
  if (process.getuid?.() !== 0) return 'integration tests need root (real namespaces and TUNs)';
  if (opts.cli && !fs.existsSync(path.join(root, 'dist', 'src', 'main', 'cli', 'main.js'))) {
    return 'the compiled CLI is missing: run `npm run build:node` (scripts/test.sh does)';
  }
  return null;
}
