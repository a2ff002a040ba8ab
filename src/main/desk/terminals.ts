// Terminals on lab hosts: a shell on a pseudo-terminal (node-pty), started with the argv the
// lab gives for the host (`ip netns exec <ns> … bash -i`, prompt `[root@ECS-A ~]#`), so it
// is the same shell `vpclab shell` opens. Output is sent on as `terminal` events, a little
// at a time: a PTY delivers many small chunks, and one event per chunk would flood a page.

import * as os from 'node:os';
import type { DeskEvent, TerminalInfo } from '../api/desk-service';
import { DeskError } from './errors';

/** What we use of node-pty's IPty. */
export interface PtyLike {
  readonly pid: number;
  onData(listener: (data: string) => void): unknown;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

export type SpawnPty = (
  file: string,
  args: string[],
  opts: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> },
) => PtyLike;

/** node-pty, loaded on first use: a CLI command that never opens a terminal need not load it. */
export const nodePty: SpawnPty = (file, args, opts) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pty = require('node-pty') as typeof import('node-pty');
  return pty.spawn(file, args, opts);
};

export const MAX_TERMINALS = 16;
/** One write is keystrokes or a paste; anything larger is not typing. */
const MAX_WRITE = 64 * 1024;
const FLUSH_MS = 8;

interface Open {
  host: string;
  pty: PtyLike;
  pending: string;
  timer: NodeJS.Timeout | null;
}

function checkSize(cols: unknown, rows: unknown): { cols: number; rows: number } {
  const ok = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!ok(cols, 1000) || !ok(rows, 500)) {
    throw new DeskError('InvalidParameter.Size', `cols must be 1..1000 and rows 1..500, got ${JSON.stringify(cols)}×${JSON.stringify(rows)}`);
  }
  return { cols, rows };
}

export class Terminals {
  private nextId = 1;
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly emit: (e: DeskEvent) => void,
    private readonly spawnPty: SpawnPty = nodePty,
    private readonly max = MAX_TERMINALS,
  ) {}

  get count(): number {
    return this.open.size;
  }

  start(host: string, argv: string[], cols: unknown, rows: unknown): TerminalInfo {
    const size = checkSize(cols, rows);
    if (this.open.size >= this.max) throw new DeskError('QuotaExceeded.Terminal', `at most ${this.max} terminals may be open at once`);
    const env: Record<string, string> = {
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      LANG: process.env.LANG ?? 'C.UTF-8',
      PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: os.homedir(),
    };
    const pty = this.spawnPty(argv[0], argv.slice(1), { name: 'xterm-256color', ...size, cwd: os.homedir(), env });
    const id = `term-${this.nextId++}`;
    const t: Open = { host, pty, pending: '', timer: null };
    this.open.set(id, t);
    pty.onData((data) => {
      t.pending += data;
      t.timer ??= setTimeout(() => this.flush(id, t), FLUSH_MS);
    });
    pty.onExit(({ exitCode }) => {
      this.flush(id, t);
      if (this.open.get(id) !== t) return;
      this.open.delete(id);
      this.emit({ type: 'terminal-exit', id, code: exitCode });
    });
    return { id, host };
  }

  write(id: unknown, data: unknown): void {
    const t = this.get(id);
    if (typeof data !== 'string' || data.length > MAX_WRITE) {
      throw new DeskError('InvalidParameter.Data', `data must be a string of at most ${MAX_WRITE} characters`);
    }
    t.pty.write(data);
  }

  resize(id: unknown, cols: unknown, rows: unknown): void {
    const t = this.get(id);
    const size = checkSize(cols, rows);
    t.pty.resize(size.cols, size.rows);
  }

  /** Hang up the shell (SIGHUP, as closing a terminal window does). */
  close(id: unknown): void {
    const t = this.get(id);
    this.open.delete(id as string);
    if (t.timer) clearTimeout(t.timer);
    try {
      t.pty.kill('SIGHUP');
    } catch {
      /* already gone */
    }
    this.emit({ type: 'terminal-exit', id: id as string, code: null });
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }

  private get(id: unknown): Open {
    const t = typeof id === 'string' ? this.open.get(id) : undefined;
    if (!t) throw new DeskError('InvalidTerminalId.NotFound', `no open terminal ${JSON.stringify(id)}`);
    return t;
  }

  private flush(id: string, t: Open): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    if (!t.pending) return;
    const data = t.pending;
    t.pending = '';
    this.emit({ type: 'terminal', id, data });
  }
}
