// Crash recovery through the CLI, as a user meets it (issue 10): `kill -9` of the runtime,
// then `status`, `up` and `check` again; a runtime killed while it comes up; and `down` by
// a user who is not root. Needs root (real namespaces) and the compiled CLI.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { listNetns } from '../../src/main/host/netns';
import { isAlive, labDir, readLabState, stateFile } from '../../src/main/host/registry';
import { cannotRun, integrationBlocker } from '../support/skip';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));

const SCENARIO = 'lab-scenarios/vpc-basics.yaml';
const labs = ['t-crash-up', 't-crash-check', 't-crash-early', 't-crash-user'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
const vpclab = (lab: string, ...args: string[]): Run => {
  const r = spawnSync(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const nsOf = async (lab: string): Promise<string[]> => (await listNetns()).filter((n) => n.startsWith(`vpclab-${lab}-`));

/** Kill the runtime with SIGKILL and wait until it is gone: only it dies, its services run on. */
async function crash(lab: string): Promise<ReturnType<typeof readLabState> & object> {
  const st = readLabState(lab)!;
  process.kill(st.runtimePid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(st.runtimePid); i++) await new Promise((r) => setTimeout(r, 50));
  expect(isAlive(st.runtimePid)).toBe(false);
  return st;
}

describe.skipIf(skip)('crash recovery (root)', () => {
  it('after kill -9, status says the lab crashed and how to clean up; up cleans the remains and comes up, 0700', async () => {
    const lab = 't-crash-up';
    expect(vpclab(lab, 'up', SCENARIO).status).toBe(0);
    const before = await crash(lab);
    const services = before.processes.filter((p) => isAlive(p.pid));
    expect(services.length).toBeGreaterThan(0); // the services outlive the runtime…
    expect((await nsOf(lab)).length).toBe(9); // …and so do the namespaces

    const status = vpclab(lab, 'status');
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(new RegExp(`lab "${lab}" crashed: its runtime \\(pid ${before.runtimePid}\\) is gone and left 9 namespaces, 9 /etc/netns entries and \\d+ processes behind`));
    expect(status.stderr).toMatch(/`vpclab --lab t-crash-up down` removes them; `vpclab --lab t-crash-up up` removes them and starts the lab again/);

    const again = vpclab(lab, 'up', SCENARIO);
    expect(again.stderr).not.toMatch(/ENOENT/);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/had crashed; removed 9 namespaces/);
    expect(fs.statSync(labDir(lab)).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(labDir(lab), 'runtime.log'))).toBe(true);
    const after = readLabState(lab)!;
    expect(after.runtimePid).not.toBe(before.runtimePid);
    expect(isAlive(after.runtimePid)).toBe(true);
    // the old services were stopped, not adopted
    expect(services.filter((p) => isAlive(p.pid))).toEqual([]);
    expect(vpclab(lab, 'exec', 'ECS-A', '--', 'ping', '-c', '1', '-W', '2', '8.8.8.8').status).toBe(0);

    expect(vpclab(lab, 'down').status).toBe(0);
    expect(await nsOf(lab)).toEqual([]);
    expect(fs.existsSync(stateFile(lab))).toBe(false);
  }, 240_000);

  it('check after a crash runs and tears down, leaving no runtime behind', async () => {
    const lab = 't-crash-check';
    expect(vpclab(lab, 'up', SCENARIO).status).toBe(0);
    await crash(lab);
    const check = vpclab(lab, 'check', SCENARIO, '--until', '1');
    expect(check.stderr).not.toMatch(/ENOENT/);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^PASS /m);
    expect(readLabState(lab)).toBeNull();
    expect(await nsOf(lab)).toEqual([]);
  }, 240_000);

  it('a runtime killed while the lab comes up is reported with its signal, and nothing of it stays', async () => {
    const lab = 't-crash-early';
    const child = spawn(process.execPath, [cli, '--lab', lab, 'up', SCENARIO], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    // The state file appears as the runtime starts, before the first namespace.
    let pid = 0;
    for (let i = 0; i < 400 && !pid; i++) {
      pid = readLabState(lab)?.runtimePid ?? 0;
      if (!pid) await new Promise((r) => setTimeout(r, 10));
    }
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    expect(await code).toBe(1);
    expect(stderr).toMatch(/the lab runtime was killed by SIGKILL before the lab was up/);
    expect(stderr).not.toMatch(/exited with code 1/);
    expect(await nsOf(lab)).toEqual([]);
    expect(readLabState(lab)).toBeNull();
  }, 240_000);

  it('down by a user who is not root says the lab needs root (EACCES), exits non-zero, and the lab stays up', async () => {
    const lab = 't-crash-user';
    expect(vpclab(lab, 'up', SCENARIO).status).toBe(0);
    try {
      // setpriv (util-linux) drops to nobody without a login shell.
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, '--lab', lab, 'down'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/needs root \(EACCES\)/);
      expect(r.stdout).not.toMatch(/down/);
      expect(isAlive(readLabState(lab)!.runtimePid)).toBe(true);
      expect(vpclab(lab, 'status').status).toBe(0);
    } finally {
      vpclab(lab, 'down');
    }
  }, 240_000);
});
