// DeskService: what a front end needs around one lab — the tutorial library, starting,
// stopping and resetting the lab, and terminals on its hosts. It lives in the process that
// owns the window (Electron main, or `vpclab serve`), not in the lab runtime: that process
// starts and supervises the runtime, so it can still answer, and restart it, after the
// runtime crashed. The renderer sees it as part of `window.lab`, next to LabService.

import { LAB_SERVICE_METHODS, type LabEvent, type LabService } from './lab-service';
import { methodNames } from './methods';

/** A scenario in lab-scenarios/, as the tutorial library lists it. */
export interface ScenarioSummary {
  /** The file's name in lab-scenarios/ (`ipv4-gateway-proxy.yaml`): what start() takes. */
  file: string;
  title: string;
  /** The source document it follows, as the scenario names it. */
  source?: string;
  summary?: string;
  steps: number;
  checks: number;
  /** The tutorial the app opens with. */
  isDefault: boolean;
  /** Why the file cannot be used (file:line:column …), instead of the fields above. */
  error?: string;
}

/**
 * stopped: no lab. starting/stopping: on the way. up: the runtime serves the lab.
 * crashed: the runtime died on its own (its namespaces were removed); `error` says how.
 * failed: the last start did not come up; `error` says why.
 */
export type SessionState = 'stopped' | 'starting' | 'up' | 'stopping' | 'crashed' | 'failed';

export interface SessionInfo {
  state: SessionState;
  lab: string;
  /** The scenario file (its name in lab-scenarios/, or the path it was started from). */
  scenario?: string;
  title?: string;
  error?: string;
}

export interface TerminalInfo {
  id: string;
  host: string;
}

export interface DeskService {
  library(): Promise<ScenarioSummary[]>;
  session(): Promise<SessionInfo>;
  /** Start the lab with a scenario from the library, stopping the running one first. */
  start(scenario: string): Promise<SessionInfo>;
  /** Tear the lab down (namespaces, services); terminals close. */
  stop(): Promise<SessionInfo>;
  /** Start the current (or last) scenario again from its first step: also the way back after a crash. */
  reset(): Promise<SessionInfo>;
  /** A shell inside the host's namespace on a pseudo-terminal; its output comes as `terminal` events. */
  openTerminal(host: string, cols: number, rows: number): Promise<TerminalInfo>;
  /** Keystrokes, as the terminal emulator encodes them. */
  writeTerminal(id: string, data: string): Promise<void>;
  resizeTerminal(id: string, cols: number, rows: number): Promise<void>;
  closeTerminal(id: string): Promise<void>;
}

const DESK_SERVICE = {
  library: true, session: true, start: true, stop: true, reset: true,
  openTerminal: true, writeTerminal: true, resizeTerminal: true, closeTerminal: true,
} as const satisfies Record<keyof DeskService, true>;

export const DESK_SERVICE_METHODS = methodNames<DeskService>(DESK_SERVICE);

/** Every method `window.lab` forwards: the lab's and the desk's. */
export const APP_SERVICE_METHODS: readonly (keyof LabService | keyof DeskService)[] = [...LAB_SERVICE_METHODS, ...DESK_SERVICE_METHODS];

export type DeskEvent =
  | { type: 'session'; session: SessionInfo }
  | { type: 'terminal'; id: string; data: string }
  | { type: 'terminal-exit'; id: string; code: number | null };

/** Every event a page can receive. */
export type AppEvent = LabEvent | DeskEvent;

/** `window.lab`: the lab, the desk around it, and their events. */
export interface AppService extends LabService, DeskService {
  /** Resolves once events flow to this page; call the result to stop listening. */
  subscribe(listener: (e: AppEvent) => void): Promise<() => void>;
}

/** Raised by LabService calls while there is no lab (stopped, starting, crashed). */
export const NO_LAB = 'LabNotRunning';
