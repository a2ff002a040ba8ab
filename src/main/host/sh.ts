// The one way the host runtime runs a command: an argv array handed to spawn, never a shell
// string built from input, so a host or lab name can never become shell syntax. Errors carry
// the argv and the command's stderr, because "ip: exit 2" alone explains nothing.

import { spawn } from 'node:child_process';

export interface ShOptions {
  /** Kill the command (SIGKILL) after this many ms. Default 30 s: `ip` never needs longer. */
  timeoutMs?: number;
  /** Resolve instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ShResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
    reason: string,
  ) {
    const detail = stderr.trim() || stdout.trim();
    super(`${formatArgv(argv)}: ${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Quote argv for messages only; the quoting is never executed. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function sh(argv: readonly string[], opts: ShOptions = {}): Promise<ShResult> {
  if (argv.length === 0) throw new Error('sh: empty argv');
  const args = [...argv];
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // the command may exit without reading its input
    child.stdin.end(opts.input ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CommandError(args, null, '', '', `cannot run: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) return reject(new CommandError(args, code, stdout, stderr, `timed out after ${timeoutMs} ms`));
      if (code === 0 || (opts.allowFail && code !== null)) return resolve({ argv: args, code: code ?? -1, stdout, stderr });
      if (opts.allowFail) return resolve({ argv: args, code: -1, stdout, stderr });
      reject(new CommandError(args, code, stdout, stderr, signal ? `killed by ${signal}` : `exit ${code}`));
    });
  });
}
