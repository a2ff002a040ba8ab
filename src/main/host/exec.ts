// Running commands inside a lab host: `ip netns exec <ns> …`. Each command gets its own
// process group so that a timeout kills what it started too (ping under `sh -c`, a pipeline).

import { spawn } from 'node:child_process';
import { assertNsName } from './netns';

export interface ExecOptions {
  /** Kill the process group after this long. Default 30 s; every check must end by itself. */
  timeoutMs?: number;
  /** Added to the base environment (PATH, HOME, LANG=C so tool output is the tutorials' English). */
  env?: Record<string, string>;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Keep at most this many bytes of each of stdout and stderr. Default 8 MiB. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  /** Exit code; 128 + signal number when killed by a signal (as a shell reports it). */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export type ExecCommand = readonly string[] | { shell: string };

const SIGNUMS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME || '/root',
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}

/**
 * argv that runs `cmd` inside namespace `ns`. A shell line runs under `bash -c`, as a user
 * would type it in a lab terminal (bash-isms such as `/dev/tcp` included).
 */
export function netnsArgv(ns: string, cmd: ExecCommand): string[] {
  assertNsName(ns);
  const inner = 'shell' in cmd ? ['bash', '-c', cmd.shell] : [...cmd];
  if (inner.length === 0) throw new Error('execInHost: empty command');
  return ['ip', 'netns', 'exec', ns, ...inner];
}

/** Signal a whole process group, ignoring "already gone". */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* ESRCH: the group is gone */
  }
}

export function execInHost(ns: string, cmd: ExecCommand, opts: ExecOptions = {}): Promise<ExecResult> {
  const argv = netnsArgv(ns, cmd);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const max = opts.maxOutputBytes ?? 8 << 20;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: baseEnv(opts.env),
      detached: true, // own process group, so the timeout reaches grandchildren
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const finish = () => {
      if (settled || !exit) return;
      settled = true;
      timers.forEach(clearTimeout);
      const { code, signal } = exit;
      resolve({
        code: code ?? 128 + (signal ? (SIGNUMS[signal] ?? 0) : 0),
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    };

    child.stdout.on('data', (b: Buffer) => {
      if (outLen < max) out.push(b.subarray(0, max - outLen));
      outLen += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errLen < max) err.push(b.subarray(0, max - errLen));
      errLen += b.length;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');

    timers.push(
      setTimeout(() => {
        timedOut = true;
        if (child.pid) signalGroup(child.pid, 'SIGTERM');
        // Whatever ignores SIGTERM gets SIGKILL a moment later.
        timers.push(setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 1000));
      }, timeoutMs),
    );

    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      reject(new Error(`${argv.join(' ')}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background job that escaped the group could hold the pipes open forever;
      // give output a moment to drain, then stop waiting.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish();
        }, timedOut ? 500 : 5000),
      );
    });
    child.on('close', () => finish());
  });
}

/**
 * argv for an interactive shell in the host, for a TTY client to spawn with inherited stdio.
 * `ip netns exec` does not switch the UTS namespace, so the host's name lives in the prompt.
 */
export function shellCommand(ns: string, hostName: string, env: Record<string, string> = {}): string[] {
  assertNsName(ns);
  // PS1 is expanded by bash (command substitution included), so only plain characters get in.
  const safe = hostName.replace(/[^A-Za-z0-9._-]/g, '-') || 'host';
  const extra = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return ['ip', 'netns', 'exec', ns, 'env', `PS1=[root@${safe} \\W]# `, `HOSTNAME=${safe}`, ...extra, 'bash', '--norc', '-i'];
}
