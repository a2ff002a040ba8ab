// tcpdump inside a lab host, as a check or a user would run it there. Name resolution stays
// on: the tutorials show `dns.google` from the lab's own PTR records, so `-n` is opt-in.

import { spawn, type ChildProcess } from 'node:child_process';
import { baseEnv, netnsArgv, signalGroup } from './exec';

export interface CaptureOptions {
  /** Interface inside the namespace. Default `eth0`. */
  iface?: string;
  /** Add `-n` (no name resolution). Default false. */
  numeric?: boolean;
  /** How long to wait for tcpdump's `listening on` line. Default 5 s. */
  readyTimeoutMs?: number;
  /** Stop by itself after this long, in case the caller never does. Default 5 min. */
  maxDurationMs?: number;
}

export interface CaptureResult {
  /** Packet lines from stdout, in order. */
  lines: string[];
  text: string;
  /** tcpdump's stderr (banner and packet counts). */
  stderr: string;
}

export interface Capture {
  readonly netns: string;
  readonly iface: string;
  /** Packet lines seen so far. */
  lines(): string[];
  /** Resolves with the first line matching `pattern`; rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** SIGINT, wait (bounded) for tcpdump to exit, and return everything it printed. */
  stop(): Promise<CaptureResult>;
}

function splitFilter(filter: string | readonly string[]): string[] {
  const words = typeof filter === 'string' ? [filter] : [...filter];
  return words.flatMap((w) => w.split(/\s+/)).filter(Boolean);
}

export function startCapture(ns: string, filter: string | readonly string[] = [], opts: CaptureOptions = {}): Promise<Capture> {
  const iface = opts.iface ?? 'eth0';
  // -l: line-buffered stdout, so each packet line arrives as it is printed.
  const args = ['tcpdump', '-l', ...(opts.numeric ? ['-n'] : []), '-i', iface, ...splitFilter(filter)];
  const argv = netnsArgv(ns, args);
  const child: ChildProcess = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: baseEnv(),
    detached: true,
  });

  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let exited = false;
  const exitWaiters: Array<() => void> = [];
  const lineWaiters = new Set<{ test: (l: string) => boolean; resolve: (l: string) => void }>();

  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      for (const w of [...lineWaiters]) if (w.test(l)) w.resolve(l);
    }
  });
  child.stderr!.setEncoding('utf8');

  const exitPromise = new Promise<void>((resolve) => {
    child.on('close', () => {
      exited = true;
      if (partial) lines.push(partial);
      partial = '';
      resolve();
      exitWaiters.forEach((f) => f());
    });
  });

  let stopping: Promise<CaptureResult> | null = null;
  const maxTimer = setTimeout(() => void capture.stop(), opts.maxDurationMs ?? 5 * 60_000);

  const capture: Capture = {
    netns: ns,
    iface,
    lines: () => [...lines],
    waitForLine(pattern, timeoutMs = 5000) {
      const test = typeof pattern === 'string' ? (l: string) => l.includes(pattern) : (l: string) => pattern.test(l);
      const hit = lines.find(test);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = {
          test,
          resolve: (l: string) => {
            clearTimeout(t);
            lineWaiters.delete(w);
            resolve(l);
          },
        };
        const t = setTimeout(() => {
          lineWaiters.delete(w);
          reject(new Error(`capture on ${ns}/${iface}: no line matching ${pattern} within ${timeoutMs} ms; saw:\n${lines.join('\n')}`));
        }, timeoutMs);
        lineWaiters.add(w);
      });
    },
    stop() {
      if (!stopping) {
        stopping = (async () => {
          clearTimeout(maxTimer);
          if (!exited && child.pid) {
            signalGroup(child.pid, 'SIGINT');
            // A pending reverse lookup can hold tcpdump for a few seconds; don't wait forever.
            const killer = setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 3000);
            await exitPromise;
            clearTimeout(killer);
          }
          return { lines: [...lines], text: lines.join('\n') + (lines.length ? '\n' : ''), stderr };
        })();
      }
      return stopping;
    },
  };

  return new Promise((resolve, reject) => {
    const timeoutMs = opts.readyTimeoutMs ?? 5000;
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void capture.stop().then(() => reject(new Error(`tcpdump in ${ns} on ${iface}: ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`)));
    };
    const timer = setTimeout(() => fail(`no "listening on" within ${timeoutMs} ms`), timeoutMs);
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (!done && /listening on/.test(stderr)) {
        done = true;
        clearTimeout(timer);
        resolve(capture);
      }
    });
    child.on('error', (e) => fail(e.message));
    exitWaiters.push(() => fail('exited before it was listening'));
  });
}
