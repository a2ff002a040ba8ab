// Starting and stopping the lab runtime for the desktop app. Electron main calls this;
// nothing here imports `electron`, so it is tested with plain Node (the Electron binary
// cannot be downloaded on the build machines).
//
// The runtime runs under the app's own binary with ELECTRON_RUN_AS_NODE=1, so a packaged
// app needs no separate Node. It prints `ready <socket>` when the lab is up; until then
// its stderr is the only explanation we can give the user if it fails.

import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as path from 'node:path';
import { lineReader } from '../api/rpc';

export const DESKTOP_LAB = 'desktop';
/** Relative to the app root. */
export const DEFAULT_SCENARIO = path.join('lab-scenarios', 'vpc-basics.yaml');
/** Where `tsc -p tsconfig.node.json` puts the runtime, relative to the app root. */
export const RUNTIME_SCRIPT = path.join('dist', 'src', 'main', 'runtime', 'main.js');

export interface RuntimeOptions {
  /** The directory holding package.json, dist/ and lab-scenarios/ (app.getAppPath()). */
  appRoot: string;
  /** The binary that runs the script: Electron's own (process.execPath) in the app. */
  execPath?: string;
  lab?: string;
  /** Scenario file, absolute or relative to appRoot. */
  scenario?: string;
  /** Base environment; ELECTRON_RUN_AS_NODE=1 is added to it. */
  env?: NodeJS.ProcessEnv;
  /** Setting up namespaces and services takes a while; the CLI allows as long. */
  readyTimeoutMs?: number;
  /** How long the runtime may take to tear the lab down after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
  /** Every line the runtime writes, after `ready` as well as before. */
  onLog?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** The runtime exited after it was ready, without stop() asking it to. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** For tests. */
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
}

export interface RuntimeCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function runtimeCommand(opts: RuntimeOptions): RuntimeCommand {
  const scenario = path.resolve(opts.appRoot, opts.scenario ?? DEFAULT_SCENARIO);
  return {
    command: opts.execPath ?? process.execPath,
    args: [path.join(opts.appRoot, RUNTIME_SCRIPT), '--lab', opts.lab ?? DESKTOP_LAB, '--scenario', scenario],
    env: { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
  };
}

export interface RuntimeProcess {
  readonly pid: number | undefined;
  /** The runtime's socket, once it printed `ready <socket>`; rejects with RuntimeStartError. */
  readonly ready: Promise<string>;
  /** SIGTERM (the runtime tears the lab down), then SIGKILL after the grace period. Safe at
   * any time, also while the runtime is still starting. */
  stop(): Promise<void>;
}

export class RuntimeStartError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(stderr ? `${message}:\n${stderr}` : message);
    this.name = 'RuntimeStartError';
  }
}

const STDERR_TAIL_LINES = 40;

/** Spawn the runtime; `ready` resolves once it has printed `ready <socket>`. */
export function spawnRuntime(opts: RuntimeOptions): RuntimeProcess {
  const { command, args, env } = runtimeCommand(opts);
  const spawn = opts.spawn ?? nodeSpawn;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const stopGraceMs = opts.stopGraceMs ?? 15_000;

  // Not detached: the runtime shares the app's process group, so a Ctrl-C in the
  // terminal that started the app reaches it too and it still cleans up.
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  let isReady = false;
  let stopping = false;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      // spawn itself failed (ENOENT, EACCES): there will be no 'exit'.
      if (child.pid === undefined) {
        exited = true;
        resolve();
      }
    });
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    if (exited) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), stopGraceMs)));
    if (await Promise.race([exitedPromise.then(() => false), graceOver])) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
    clearTimeout(timer);
  };

  const ready = new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new RuntimeStartError(message, stderrTail.join('\n')));
    };
    const timer = setTimeout(() => {
      fail(`the lab runtime did not come up within ${readyTimeoutMs / 1000} s`);
      void stop();
    }, readyTimeoutMs);

    // Keep draining both pipes for the runtime's whole life, or its writes pile up.
    child.stdout?.on(
      'data',
      lineReader((raw) => {
        const line = raw.replace(/\r$/, '');
        opts.onLog?.('stdout', line);
        const m = /^ready (.+)$/.exec(line);
        if (m && !settled) {
          settled = true;
          isReady = true;
          clearTimeout(timer);
          resolve(m[1]);
        }
      }),
    );
    child.stderr?.on(
      'data',
      lineReader((raw) => {
        const line = raw.replace(/\r$/, '');
        opts.onLog?.('stderr', line);
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      }),
    );
    child.once('error', (e) => fail(`could not start the lab runtime (${command}): ${e.message}`));
    child.once('exit', (code, signal) => {
      if (!settled) {
        const why = stopping
          ? 'the lab runtime was stopped before it was ready'
          : `the lab runtime exited ${signal ? `on ${signal}` : `with code ${code}`} before it was ready`;
        // 'exit' can come before the last stderr lines are read; 'close' comes after, unless
        // a grandchild still holds the pipe, so wait for it only briefly.
        const t = setTimeout(() => fail(why), 500);
        child.once('close', () => {
          clearTimeout(t);
          fail(why);
        });
      } else if (isReady && !stopping) {
        opts.onExit?.(code, signal);
      }
    });
  });
  // Callers may learn of a failed start through stop() alone; that is not an unhandled rejection.
  ready.catch(() => undefined);

  return { pid: child.pid, ready, stop };
}
