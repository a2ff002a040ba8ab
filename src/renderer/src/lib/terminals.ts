// Terminals on lab hosts, page-side: naming the panes, routing the server's `terminal`
// output to the pane that owns the id, and sending resizes without flooding the server.
// The PTY and the shell are on the server (src/main/desk/terminals.ts).

/**
 * The pane's name, which its test ids use: the host's name for its first terminal, then
 * `<host>-2`, `<host>-3`… taking the lowest number free again after a close.
 */
export function paneName(open: readonly string[], host: string): string {
  const taken = new Set(open);
  if (!taken.has(host)) return host;
  for (let n = 2; ; n++) if (!taken.has(`${host}-${n}`)) return `${host}-${n}`;
}

export interface TerminalSink {
  data(data: string): void;
  exit(code: number | null): void;
}

interface Early {
  chunks: string[];
  size: number;
  exited: boolean;
  code: number | null;
}

/**
 * Output for a terminal id goes to the pane that attached it. The server can send a shell's
 * first output (its prompt) before the page has the answer to openTerminal, so output for an
 * id nobody has attached yet is kept, a bounded amount, and handed over on attach. Ids of
 * other pages' terminals (every page gets every event) age out of that bound.
 */
export class TerminalRouter {
  private readonly sinks = new Map<string, TerminalSink>();
  private readonly early = new Map<string, Early>();
  private readonly finished = new Set<string>();

  constructor(
    private readonly maxEarlyIds = 16,
    private readonly maxEarlyChars = 64 * 1024,
  ) {}

  data(id: string, data: string): void {
    const sink = this.sinks.get(id);
    if (sink) return sink.data(data);
    if (this.finished.has(id)) return;
    const e = this.earlyFor(id);
    e.chunks.push(data);
    e.size += data.length;
    // Keep the latest output: a prompt after a flood matters more than the flood's start.
    while (e.size > this.maxEarlyChars && e.chunks.length > 1) e.size -= e.chunks.shift()!.length;
  }

  exit(id: string, code: number | null): void {
    const sink = this.sinks.get(id);
    if (sink) return sink.exit(code);
    if (this.finished.has(id)) return;
    const e = this.earlyFor(id);
    e.exited = true;
    e.code = code;
  }

  /** Start delivering to `sink`, first what came early. Returns the detach function. */
  attach(id: string, sink: TerminalSink): () => void {
    this.sinks.set(id, sink);
    const e = this.early.get(id);
    this.early.delete(id);
    if (e) {
      if (e.chunks.length) sink.data(e.chunks.join(''));
      if (e.exited) sink.exit(e.code);
    }
    return () => {
      if (this.sinks.get(id) !== sink) return;
      this.sinks.delete(id);
      // Output still in flight for a closed pane is not kept for a pane that never comes.
      this.finished.add(id);
    };
  }

  /** Ids with output waiting for a pane (for tests and diagnostics). */
  get waiting(): string[] {
    return [...this.early.keys()];
  }

  private earlyFor(id: string): Early {
    let e = this.early.get(id);
    if (!e) {
      if (this.early.size >= this.maxEarlyIds) this.early.delete(this.early.keys().next().value!);
      this.early.set(id, (e = { chunks: [], size: 0, exited: false, code: null }));
    }
    return e;
  }
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * Sends a terminal's size to the server once it has settled: dragging a window resizes the
 * terminal many times a second, and each resize makes the shell redraw its line.
 */
export class ResizeSync {
  private timer: Timer | null = null;
  private pending: { cols: number; rows: number } | null = null;
  private sent = '';

  constructor(
    private readonly send: (cols: number, rows: number) => void,
    private readonly delayMs = 100,
    private readonly timers: { set: (f: () => void, ms: number) => Timer; clear: (t: Timer) => void } = {
      set: (f, ms) => setTimeout(f, ms),
      clear: (t) => clearTimeout(t),
    },
  ) {}

  /** The size the server already has (what openTerminal was given). */
  known(cols: number, rows: number): void {
    this.sent = `${cols}x${rows}`;
  }

  request(cols: number, rows: number): void {
    if (!(cols >= 1 && rows >= 1)) return;
    this.pending = { cols, rows };
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p || `${p.cols}x${p.rows}` === this.sent) return;
    this.sent = `${p.cols}x${p.rows}`;
    this.send(p.cols, p.rows);
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
