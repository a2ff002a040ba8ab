// Starting and finding a lab's runtime process from the CLI.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LabClient } from '../api/client';
import { ensureRunDir, isAlive, labDir, readLabState } from '../host/registry';
import { socketPathFor } from '../runtime/main';

export function runtimeScript(): string {
  return path.join(__dirname, '..', 'runtime', 'main.js');
}

/** Start the runtime in the background and wait until it serves its socket. */
export async function startRuntime(lab: string, scenario: string | undefined, timeoutMs = 120_000): Promise<LabClient> {
  const st = readLabState(lab);
  if (st && isAlive(st.runtimePid)) throw new Error(`lab "${lab}" is already up (pid ${st.runtimePid}); \`vpclab down${lab === 'default' ? '' : ` --lab ${lab}`}\` first`);
  ensureRunDir();
  fs.mkdirSync(labDir(lab), { recursive: true, mode: 0o700 });
  const logFile = path.join(labDir(lab), 'runtime.log');
  const log = fs.openSync(logFile, 'w', 0o600);
  const args = [runtimeScript(), '--lab', lab, ...(scenario ? ['--scenario', path.resolve(scenario)] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: process.env });
  fs.closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const text = fs.readFileSync(logFile, 'utf8');
    if (/^ready /m.test(text)) return LabClient.connect(socketPathFor(lab));
    if (exited !== null) throw new Error(text.trim() || `the lab runtime exited with code ${exited}`);
  }
  process.kill(child.pid!, 'SIGTERM');
  throw new Error(`the lab runtime did not come up within ${timeoutMs / 1000} s (log: ${logFile})`);
}

/** Connect to the running runtime of `lab`, with a message that says what to do if none. */
export async function connect(lab: string): Promise<LabClient> {
  const st = readLabState(lab);
  if (!st || !isAlive(st.runtimePid) || !st.socketPath) {
    throw new Error(`lab "${lab}" is not up: start it with \`vpclab up${lab === 'default' ? '' : ` --lab ${lab}`}\``);
  }
  return LabClient.connect(st.socketPath);
}
