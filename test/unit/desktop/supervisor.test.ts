// The desktop app's runtime supervisor, with a fake runtime script run by Node in place of
// Electron (ELECTRON_RUN_AS_NODE=1 means nothing to Node, so the same argv works).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type SpawnOptions } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO,
  RUNTIME_SCRIPT,
  RuntimeStartError,
  runtimeCommand,
  spawnRuntime,
  type RuntimeOptions,
  type RuntimeProcess,
} from '../../../src/main/desktop/supervisor';

// Behaves as $FAKE_MODE says; records its argv and ELECTRON_RUN_AS_NODE in $FAKE_RECORD.
const FAKE_RUNTIME = `
const fs = require('node:fs');
const mode = process.env.FAKE_MODE;
if (process.env.FAKE_RECORD) {
  fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE }));
}
const keepAlive = setInterval(() => {}, 1000);
process.on('SIGTERM', () => {
  if (mode === 'stubborn') return;
  if (process.env.FAKE_STOPPED) fs.writeFileSync(process.env.FAKE_STOPPED, 'cleaned up');
  process.exit(0);
});
console.log('loading scenario');
switch (mode) {
  case 'ready':
  case 'stubborn':
    console.error('a warning on stderr');
    console.log('ready /run/vpclab/desktop.sock');
    break;
  case 'split':
    process.stdout.write('rea');
    setTimeout(() => process.stdout.write('dy /tmp/split.sock\\r\\n'), 100);
    break;
  case 'fail':
    console.error('lab "desktop" is already running (pid 42); use \`vpclab down\` first');
    process.exit(3);
  case 'crash':
    console.log('ready /tmp/crash.sock');
    setTimeout(() => process.exit(7), 200);
    break;
  case 'hang':
    break;
}
void keepAlive;
`;

let appRoot: string;
const started: RuntimeProcess[] = [];

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function start(mode: string, extra: Partial<RuntimeOptions> = {}, env: NodeJS.ProcessEnv = {}): RuntimeProcess {
  const rt = spawnRuntime({
    appRoot,
    execPath: process.execPath,
    env: { ...process.env, FAKE_MODE: mode, ...env },
    readyTimeoutMs: 10_000,
    stopGraceMs: 2_000,
    ...extra,
  });
  started.push(rt);
  return rt;
}

beforeAll(() => {
  appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-supervisor-'));
  const script = path.join(appRoot, RUNTIME_SCRIPT);
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, FAKE_RUNTIME);
});

afterAll(async () => {
  await Promise.all(started.map((rt) => rt.stop()));
  fs.rmSync(appRoot, { recursive: true, force: true });
});

describe('runtimeCommand', () => {
  it('runs dist/src/main/runtime/main.js under the app binary as Node, for the desktop lab and the default scenario', () => {
    const env = { PATH: '/usr/bin', VPCLAB_RUN_DIR: '/tmp/x' };
    const cmd = runtimeCommand({ appRoot: '/opt/vpclab', execPath: '/opt/vpclab/vpclab', env });
    expect(cmd.command).toBe('/opt/vpclab/vpclab');
    expect(cmd.args).toEqual([
      '/opt/vpclab/dist/src/main/runtime/main.js',
      '--lab',
      'desktop',
      '--scenario',
      '/opt/vpclab/lab-scenarios/vpc-basics.yaml',
    ]);
    expect(cmd.env).toEqual({ PATH: '/usr/bin', VPCLAB_RUN_DIR: '/tmp/x', ELECTRON_RUN_AS_NODE: '1' });
    expect(env).not.toHaveProperty('ELECTRON_RUN_AS_NODE'); // the caller's env is not touched
  });

  it('takes the lab name and a scenario relative to the app or absolute', () => {
    expect(runtimeCommand({ appRoot: '/a', lab: 'l2', scenario: 'lab-scenarios/other.yaml', env: {} }).args.slice(1)).toEqual([
      '--lab',
      'l2',
      '--scenario',
      '/a/lab-scenarios/other.yaml',
    ]);
    expect(runtimeCommand({ appRoot: '/a', scenario: '/elsewhere/s.yaml', env: {} }).args.at(-1)).toBe('/elsewhere/s.yaml');
  });

  it('defaults to this process binary and environment', () => {
    const cmd = runtimeCommand({ appRoot: '/a' });
    expect(cmd.command).toBe(process.execPath);
    expect(cmd.env.PATH).toBe(process.env.PATH);
    expect(cmd.env.ELECTRON_RUN_AS_NODE).toBe('1');
  });

  it('names a scenario that exists in the repository', () => {
    expect(fs.existsSync(path.join(__dirname, '..', '..', '..', DEFAULT_SCENARIO))).toBe(true);
  });
});

describe('spawnRuntime', () => {
  it('resolves with the socket from the `ready` line, passes every line on, and spawns as told', async () => {
    const record = path.join(appRoot, 'record.json');
    const logs: string[] = [];
    const calls: { command: string; args: string[]; options: SpawnOptions }[] = [];
    const rt = start(
      'ready',
      {
        onLog: (stream, line) => logs.push(`${stream}: ${line}`),
        spawn: (command, args, options) => {
          calls.push({ command, args, options });
          return spawn(command, args, options);
        },
      },
      { FAKE_RECORD: record },
    );
    expect(await rt.ready).toBe('/run/vpclab/desktop.sock');
    expect(alive(rt.pid)).toBe(true);
    expect(logs).toContain('stdout: loading scenario');
    expect(logs).toContain('stdout: ready /run/vpclab/desktop.sock');
    // stderr is a pipe of its own, so its line may come after `ready`.
    await expect.poll(() => logs).toContain('stderr: a warning on stderr');
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toEqual({
      argv: ['--lab', 'desktop', '--scenario', path.join(appRoot, DEFAULT_SCENARIO)],
      runAsNode: '1',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].command).toBe(process.execPath);
    expect(calls[0].options.stdio).toEqual(['ignore', 'pipe', 'pipe']);
    expect(calls[0].options.detached).toBeFalsy();
    await rt.stop();
  });

  it('finds a `ready` line split across reads and ending in CRLF', async () => {
    expect(await start('split').ready).toBe('/tmp/split.sock');
  });

  it('stop() sends SIGTERM and waits for the runtime to clean up and exit', async () => {
    const stopped = path.join(appRoot, 'stopped');
    let exits = 0;
    const rt = start('ready', { onExit: () => exits++ }, { FAKE_STOPPED: stopped });
    await rt.ready;
    await rt.stop();
    expect(fs.readFileSync(stopped, 'utf8')).toBe('cleaned up');
    expect(alive(rt.pid)).toBe(false);
    expect(exits).toBe(0); // an exit we asked for is not news
    await rt.stop(); // and again is harmless
  });

  it('stop() kills a runtime that ignores SIGTERM after the grace period', async () => {
    const rt = start('stubborn', { stopGraceMs: 300 });
    await rt.ready;
    const t0 = Date.now();
    await rt.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(alive(rt.pid)).toBe(false);
  });

  it('rejects with the runtime stderr when it exits before it is ready', async () => {
    const err = (await start('fail').ready.catch((e: unknown) => e)) as RuntimeStartError;
    expect(err).toBeInstanceOf(RuntimeStartError);
    expect(err.message).toMatch(/exited with code 3 before it was ready/);
    expect(err.stderr).toMatch(/lab "desktop" is already running/);
    expect(err.message).toContain(err.stderr);
  });

  it('reports an exit after ready that nobody asked for', async () => {
    const exits: [number | null, string | null][] = [];
    const rt = start('crash', { onExit: (code, signal) => exits.push([code, signal]) });
    expect(await rt.ready).toBe('/tmp/crash.sock');
    await expect.poll(() => exits, { timeout: 5_000 }).toEqual([[7, null]]);
  });

  it('gives up, and stops the runtime, when no `ready` comes in time', async () => {
    const rt = start('hang', { readyTimeoutMs: 300 });
    await expect(rt.ready).rejects.toThrow(/did not come up within 0.3 s/);
    await expect.poll(() => alive(rt.pid), { timeout: 5_000 }).toBe(false);
  });

  it('rejects when the binary cannot be started', async () => {
    const rt = start('ready', { execPath: path.join(appRoot, 'no-such-binary') });
    await expect(rt.ready).rejects.toThrow(/could not start the lab runtime .*ENOENT/);
    await rt.stop();
  });

  it('can be stopped while it is still starting', async () => {
    const rt = start('hang');
    await new Promise((r) => setTimeout(r, 100));
    await rt.stop();
    await expect(rt.ready).rejects.toThrow(/stopped before it was ready/);
    expect(alive(rt.pid)).toBe(false);
  });
});
