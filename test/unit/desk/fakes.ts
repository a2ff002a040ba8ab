// Stand-ins for a lab runtime and a PTY, so the desk's bookkeeping is tested without root.

import type { LabEvent } from '../../../src/main/api/lab-service';
import type { LabConnection, LaunchedLab } from '../../../src/main/desk/launchers';
import type { PtyLike, SpawnPty } from '../../../src/main/desk/terminals';

export class FakeRuntime implements LaunchedLab {
  stopped = 0;
  closed = 0;
  listener: ((e: LabEvent) => void) | null = null;
  private die!: (how: string) => void;
  readonly exited = new Promise<string>((r) => (this.die = r));
  readonly lab: LabConnection;

  constructor(readonly scenario: string, readonly pid: number) {
    const self = this;
    this.lab = {
      status: async () => ({ lab: 't', pid, hosts: [], resources: [], stepsRun: 0, trace: null, scenario: { file: scenario, title: 'T' } }),
      invoke: async (action) => ({ action }),
      exec: async () => ({ code: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 }),
      shellArgv: async (host) => ['ip', 'netns', 'exec', `vpclab-t-${host}`, 'bash'],
      steps: async () => [],
      runTo: async () => [],
      counters: async () => [],
      setTrace: async () => undefined,
      shutdown: async () => undefined,
      async subscribe(l) {
        self.listener = l;
      },
      close: () => void this.closed++,
    };
  }

  async stop(): Promise<void> {
    this.stopped++;
  }

  crash(how = 'killed by SIGKILL'): void {
    this.die(how);
  }
}

export class FakePty implements PtyLike {
  readonly written: string[] = [];
  readonly sizes: [number, number][] = [];
  killed: string[] = [];
  private dataL: ((d: string) => void) | null = null;
  private exitL: ((e: { exitCode: number }) => void) | null = null;
  constructor(readonly pid: number, readonly file: string, readonly args: string[], readonly env: Record<string, string>) {}
  onData(l: (d: string) => void): void {
    this.dataL = l;
  }
  onExit(l: (e: { exitCode: number }) => void): void {
    this.exitL = l;
  }
  write(d: string): void {
    this.written.push(d);
  }
  resize(c: number, r: number): void {
    this.sizes.push([c, r]);
  }
  kill(sig?: string): void {
    this.killed.push(sig ?? 'SIGTERM');
  }
  out(d: string): void {
    this.dataL?.(d);
  }
  exit(code: number): void {
    this.exitL?.({ exitCode: code });
  }
}

export function fakePtys(): { spawn: SpawnPty; made: FakePty[] } {
  const made: FakePty[] = [];
  return {
    made,
    spawn: (file, args, opts) => {
      const p = new FakePty(1000 + made.length, file, args, opts.env);
      made.push(p);
      return p;
    },
  };
}

export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));
