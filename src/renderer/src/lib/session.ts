// The lab session as the page follows it: whether a lab is up, which start/stop/reset is in
// flight, and a generation number that changes each time a lab comes up anew (start, reset,
// restart after a crash). Views that read a lab (steps, status, terminals) are keyed on the
// generation, so a new lab gets fresh views instead of a previous lab's steps and shells.
//
// Session infos come from three places, applied in the order they arrive (they share one
// ordered channel, the WebSocket or Electron's IPC): session() at load, `session` events, and
// the answers of start/stop/reset, which matter where the page has no live events.

import type { DeskService, SessionInfo, SessionState } from '../../../main/api/desk-service';
import type { LabService } from '../../../main/api/lab-service';
import { labFailure, type LabFailure } from './errors';

export type DeskAction = 'start' | 'stop' | 'reset';

export interface SessionSnapshot {
  session: SessionInfo | null;
  /** Bumped each time a lab comes up anew; 0 until the first one is up. */
  generation: number;
  /** The start/stop/reset this page is waiting for. */
  busy: DeskAction | null;
  /** The generation when that call was made: a higher one means its new lab is up. */
  busyGeneration: number;
  /** The scenario file a pending start is for. */
  starting: string | null;
  /** Why the last start/stop/reset call (or the first session()) failed. */
  error: LabFailure | null;
}

export type SessionLab = Pick<DeskService, 'session' | 'start' | 'stop' | 'reset'> & Partial<Pick<LabService, 'status'>>;

export const STATE_WORDS: Record<SessionState, string> = {
  stopped: 'No lab running',
  starting: 'Starting the lab…',
  up: 'Running',
  stopping: 'Stopping the lab…',
  crashed: 'The lab crashed',
  failed: 'The lab did not start',
};

export function isUp(s: SessionInfo | null | undefined): boolean {
  return s?.state === 'up';
}

/** On the way up or down: buttons wait, views say so. */
export function isTransient(s: SessionInfo | null | undefined): boolean {
  return s?.state === 'starting' || s?.state === 'stopping';
}

/** The scenario's stem (`nat-gateway` for `lab-scenarios/nat-gateway.yaml`), as test ids use it. */
export function scenarioStem(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');
}

/** Whether a session runs the library's scenario `file` (sessions may name a path). */
export function runsScenario(s: SessionInfo | null | undefined, file: string): boolean {
  return !!s?.scenario && scenarioStem(s.scenario) === scenarioStem(file);
}

export function emptySnapshot(): SessionSnapshot {
  return { session: null, generation: 0, busy: null, busyGeneration: 0, starting: null, error: null };
}

/**
 * The state to show: the server's, except that from the click on, a start or reset shows
 * `starting` and a stop `stopping`, so the page never says `up` about the lab it is replacing
 * during the moment before the server's first event arrives.
 */
export function shownState(s: SessionSnapshot): SessionState | null {
  const state = s.session?.state ?? null;
  if (!state || !s.busy || isTransient(s.session)) return state;
  if (s.busy === 'stop') return state === 'up' ? 'stopping' : state;
  return s.generation === s.busyGeneration ? 'starting' : state;
}

export class SessionController {
  private snap: SessionSnapshot = emptySnapshot();
  /** A start/reset was asked for: its `up` is a new lab even if no other state was seen between. */
  private expectNew = false;

  constructor(
    private readonly lab: SessionLab,
    private readonly onchange: (s: SessionSnapshot) => void,
  ) {}

  get snapshot(): SessionSnapshot {
    return this.snap;
  }

  /**
   * The session at page load. A window.lab without a desk (an older server) answers status()
   * but not session(): a lab that answers is taken as up.
   */
  async load(): Promise<void> {
    try {
      this.apply(await this.lab.session());
    } catch (e) {
      const failure = labFailure(e);
      try {
        if (!this.lab.status) throw e;
        const st = await this.lab.status();
        this.apply({ state: 'up', lab: st.lab, scenario: st.scenario?.file, title: st.scenario?.title });
      } catch {
        this.set({ error: failure });
      }
    }
  }

  /** A session info from an event or a call's answer. */
  apply(next: SessionInfo): void {
    const prev = this.snap.session;
    let generation = this.snap.generation;
    if (next.state === 'up') {
      const sameLab = isUp(prev) && prev!.lab === next.lab && prev!.scenario === next.scenario;
      if (!sameLab || this.expectNew) generation++;
      this.expectNew = false;
    }
    this.set({ session: next, generation });
  }

  start(file: string): Promise<void> {
    return this.run('start', () => this.lab.start(file), file);
  }

  stop(): Promise<void> {
    return this.run('stop', () => this.lab.stop());
  }

  /** Start the scenario again from its first step; also the restart after a crash. */
  reset(): Promise<void> {
    return this.run('reset', () => this.lab.reset());
  }

  private async run(action: DeskAction, call: () => Promise<SessionInfo>, file: string | null = null): Promise<void> {
    if (this.snap.busy) return;
    this.expectNew = action !== 'stop';
    this.set({ busy: action, busyGeneration: this.snap.generation, starting: file, error: null });
    try {
      this.apply(await call());
    } catch (e) {
      this.set({ error: labFailure(e) });
    } finally {
      this.expectNew = false;
      this.set({ busy: null, starting: null });
    }
  }

  private set(patch: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    this.onchange(this.snap);
  }
}
