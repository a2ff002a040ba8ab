// Suite-wide safety net (vitest globalSetup). As root: snapshot the root namespace before
// the run; afterwards remove leftover test labs (`vpclab-t-…`) and fail the run if the root
// namespace changed. Other engineers may run vitest on this machine at the same time, so
// teardown removes only what this run made, plus orphans when no other run is alive.

import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cleanupAll } from '../src/main/host/cleanup';
import { isAlive } from '../src/main/host/registry';
import { diffSnapshots, snapshotRootNs } from './support/rootns';

/** Pids of vitest processes that are neither this one, its ancestors nor its descendants. */
function otherVitestRuns(): number[] {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmd.set(Number(d), fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      /* exited meanwhile */
    }
  }
  const related = (pid: number): boolean => {
    for (let p = pid, n = 0; p > 1 && n < 64; p = parent.get(p) ?? 0, n++) if (p === process.pid) return true; // descendant
    for (let p = process.pid, n = 0; p > 1 && n < 64; p = parent.get(p) ?? 0, n++) if (p === pid) return true; // ancestor
    return false;
  };
  return [...cmd].filter(([pid, c]) => /vitest/.test(c) && !related(pid)).map(([pid]) => pid);
}

export default async function setup(): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0) {
    console.warn('[global-setup] not root: root-namespace safety check and lab cleanup skipped');
    return async () => {};
  }
  // Workers inherit it; the host runtime copies it into each lab's state file.
  const tag = `vitest-${process.pid}-${randomBytes(4).toString('hex')}`;
  process.env.VPCLAB_OWNER_TAG = tag;
  const before = await snapshotRootNs();

  return async function teardown(): Promise<void> {
    const others = otherVitestRuns();
    const report = await cleanupAll({
      labPrefix: 't-',
      stopRuntime: false,
      select: ({ state }) =>
        state ? state.ownerTag === tag || (others.length === 0 && !isAlive(state.runtimePid)) : others.length === 0,
    });
    if (report.namespaces.length || report.killed.length) {
      console.warn(
        `[global-setup] tests left lab state behind; removed namespaces: ${report.namespaces.join(' ') || '-'}; ` +
          `killed pids: ${report.killed.join(' ') || '-'}`,
      );
    }
    if (report.errors.length) console.warn(`[global-setup] cleanup errors:\n${report.errors.join('\n')}`);
    if (others.length) console.warn(`[global-setup] other vitest runs alive (${others.join(' ')}): their labs were left alone`);

    const diff = diffSnapshots(before, await snapshotRootNs());
    if (diff) {
      const msg = `the root network namespace changed during the test run:\n${diff}`;
      console.error(`[global-setup] ${msg}`);
      // vitest 4 reports a teardown error as "error during close" but still exits 0.
      process.exitCode = 1;
      throw new Error(msg);
    }
  };
}
