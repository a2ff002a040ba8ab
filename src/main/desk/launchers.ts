// How a desk gets its lab runtime: started as its child and supervised (the desktop app,
// and `vpclab serve` when no lab is up), or attached to a lab some other command started
// (`vpclab up` before `vpclab serve`). Either way the desk learns when the runtime dies, and
// stopping leaves no namespace behind even if the runtime was killed.

import { LabClient } from '../api/client';
import type { LabEvent, LabService } from '../api/lab-service';
import { cleanupLab } from '../host/cleanup';
import { isAlive, readLabState } from '../host/registry';
import { spawnRuntime, type RuntimeOptions } from '../desktop/supervisor';

/** A lab the desk talks to. */
export interface LabConnection extends LabService {
  subscribe(listener: (e: LabEvent) => void): Promise<void>;
  close(): void;
}

export interface LaunchedLab {
  lab: LabConnection;
  pid: number;
  /** Resolves when the runtime is gone, with words for the user saying how (a crash report). */
  exited: Promise<string>;
  /** Tear the lab down: the runtime exits, its namespaces and services are removed. */
  stop(): Promise<void>;
}

export type Launcher = (scenarioPath: string) => Promise<LaunchedLab>;

const POLL_MS = 500;

function exitWords(code: number | null, signal: NodeJS.Signals | null): string {
  return `the lab runtime stopped unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`})`;
}

/** Start the runtime as a supervised child (src/main/desktop/supervisor.ts). */
export function superviseRuntime(base: Omit<RuntimeOptions, 'scenario' | 'onExit'> & { lab: string }): Launcher {
  return async (scenarioPath) => {
    let onExit!: (how: string) => void;
    const exited = new Promise<string>((r) => (onExit = r));
    const stderrTail: string[] = [];
    const rt = spawnRuntime({
      ...base,
      scenario: scenarioPath,
      onLog: (stream, line) => {
        if (stream === 'stderr') {
          stderrTail.push(line);
          if (stderrTail.length > 20) stderrTail.shift();
        }
        base.onLog?.(stream, line);
      },
      onExit: (code, signal) => onExit([exitWords(code, signal), ...stderrTail].join('\n')),
    });
    const socketPath = await rt.ready;
    let lab: LabClient;
    try {
      lab = await LabClient.connect(socketPath);
    } catch (e) {
      await rt.stop();
      await cleanupLab(base.lab);
      throw e;
    }
    return {
      lab,
      pid: rt.pid ?? 0,
      exited,
      async stop() {
        lab.close();
        await rt.stop();
        // The runtime removes its namespaces itself; after a SIGKILL it could not.
        await cleanupLab(base.lab);
      },
    };
  };
}

/** Connect to a lab that is already up; null when none is. */
export async function attachRunning(labName: string): Promise<LaunchedLab | null> {
  const st = readLabState(labName);
  if (!st || !isAlive(st.runtimePid) || !st.socketPath) return null;
  const lab = await LabClient.connect(st.socketPath);
  const pid = st.runtimePid;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<string>((resolve) => {
    timer = setInterval(() => {
      if (isAlive(pid)) return;
      clearInterval(timer);
      resolve(`the lab runtime (pid ${pid}) stopped unexpectedly`);
    }, POLL_MS);
    timer.unref();
  });
  return {
    lab,
    pid,
    exited,
    async stop() {
      clearInterval(timer);
      await lab.shutdown().catch(() => undefined);
      lab.close();
      const end = Date.now() + 15_000;
      while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await cleanupLab(labName);
    },
  };
}
