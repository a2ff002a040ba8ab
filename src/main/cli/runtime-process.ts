// Starting and finding a lab's runtime process from the CLI.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LabClient } from '../api/client';
import { cleanupLab, crashRemains, RUNTIME_LOG, type CrashRemains } from '../host/cleanup';
import { assertRunDirReadable, ensureLabDir, isSameProcess, readLabState } from '../host/registry';
import { socketPathFor } from '../runtime/main';

export function runtimeScript(): string {
  return path.join(__dirname, '..', 'runtime', 'main.js');
}

const labFlag = (lab: string): string => (lab === 'default' ? '' : ` --lab ${lab}`);

/** Words for what a crashed lab left, e.g. `9 namespaces, 9 /etc/netns entries and 3 processes`. */
export function remainsWords(r: Pick<CrashRemains, 'namespaces' | 'netnsDirs' | 'pids'>): string {
  const n = (k: number, one: string, many = `${one}s`): string | null => (k ? `${k} ${k === 1 ? one : many}` : null);
  const parts = [n(r.namespaces.length, 'namespace'), n(r.netnsDirs.length, '/etc/netns entry', '/etc/netns entries'), n(r.pids.length, 'process', 'processes')]
    .filter((x): x is string => x !== null);
  if (parts.length === 0) return 'nothing but its state file';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** How the runtime ended, for a user: a signal is named, not reported as "code 1". */
function endWords(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? 1}`;
}

/**
 * Start the runtime in the background and wait until it serves its socket. What a crashed
 * runtime of the same lab left behind is removed first (and said so on stderr), so `up`
 * after a `kill -9` just works. If the runtime does not come up, nothing of it is left.
 */
export async function startRuntime(lab: string, scenario: string | undefined, timeoutMs = 120_000): Promise<LabClient> {
  assertRunDirReadable();
  const st = readLabState(lab);
  if (st && isSameProcess(st.runtimePid, st.runtimeStartTime)) {
    throw new Error(`lab "${lab}" is already up (pid ${st.runtimePid}); \`vpclab${labFlag(lab)} down\` first`);
  }
  const remains = await crashRemains(lab);
  // Also without a state file: namespaces with the lab's prefix from a crash before it was written.
  const report = await cleanupLab(lab);
  if (remains) console.error(`lab "${lab}": its runtime (pid ${remains.runtimePid}) had crashed; removed ${remainsWords(remains)} it left`);
  else if (report.namespaces.length) console.error(`lab "${lab}": removed ${report.namespaces.length} leftover namespace(s)`);

  const logFile = path.join(ensureLabDir(lab), RUNTIME_LOG);
  const log = fs.openSync(logFile, 'w', 0o600);
  const args = [runtimeScript(), '--lab', lab, ...(scenario ? ['--scenario', path.resolve(scenario)] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: process.env });
  fs.closeSync(log);
  let ended: string | null = null;
  child.on('exit', (code, signal) => (ended = endWords(code, signal)));
  child.unref();
  const readLog = (): string => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const giveUp = async (why: string): Promise<never> => {
    if (ended === null) child.kill('SIGKILL');
    await cleanupLab(lab); // a runtime that died early (SIGKILL) could not clean up itself
    throw new Error(why);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const text = readLog();
    if (/^ready /m.test(text)) return LabClient.connect(socketPathFor(lab));
    if (ended !== null) {
      // The runtime's own error (a scenario that fails to build) is the best explanation;
      // after a signal its log is only progress, so say what happened first.
      const body = text.trim();
      if (body && /exited/.test(ended)) return giveUp(body);
      return giveUp(`the lab runtime ${ended} before the lab was up${body ? `; its output:\n${body}` : ''}`);
    }
  }
  return giveUp(`the lab runtime did not come up within ${timeoutMs / 1000} s; its output:\n${readLog().trim()}`);
}

/** Connect to the running runtime of `lab`, with a message that says what to do if none. */
export async function connect(lab: string): Promise<LabClient> {
  assertRunDirReadable();
  const st = readLabState(lab);
  if (st && isSameProcess(st.runtimePid, st.runtimeStartTime) && st.socketPath) return LabClient.connect(st.socketPath);
  const remains = await crashRemains(lab);
  if (remains) {
    throw new Error(
      `lab "${lab}" crashed: its runtime (pid ${remains.runtimePid}) is gone and left ${remainsWords(remains)} behind. ` +
        `\`vpclab${labFlag(lab)} down\` removes them; \`vpclab${labFlag(lab)} up\` removes them and starts the lab again.`,
    );
  }
  if (st && isSameProcess(st.runtimePid, st.runtimeStartTime)) throw new Error(`lab "${lab}" is still coming up (runtime pid ${st.runtimePid}); try again in a moment`);
  throw new Error(`lab "${lab}" is not up: start it with \`vpclab up${labFlag(lab)}\``);
}
