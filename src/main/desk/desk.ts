// The desk: one lab at a time behind `window.lab`. It starts, stops and resets the lab
// runtime (start/stop/reset queue behind each other, so two clicks cannot start two labs),
// forwards LabService calls to it, notices when it dies (reports `crashed`, removes its
// namespaces, keeps the scenario for a restart), and runs the terminals on its hosts.

import * as path from 'node:path';
import type { AppEvent, DeskEvent, DeskService, ScenarioSummary, SessionInfo, TerminalInfo } from '../api/desk-service';
import { NO_LAB } from '../api/desk-service';
import type { ExecReply, LabService, LabStatus, StepInfo, StepResult } from '../api/lab-service';
import type { DeviceCounters } from '../engine/counters';
import { cleanupLab } from '../host/cleanup';
import { DeskError } from './errors';
import type { LaunchedLab, Launcher } from './launchers';
import { loadScenario } from '../scenario/load';
import { listScenarios, resolveScenario } from './library';
import { Terminals, type SpawnPty } from './terminals';

export interface DeskOptions {
  /** The lab's name (namespaces `vpclab-<lab>-…`). */
  lab: string;
  /** lab-scenarios/ */
  scenariosDir: string;
  launch: Launcher;
  /** Removes what a dead runtime left (default: cleanupLab). */
  cleanup?: (lab: string) => Promise<unknown>;
  spawnPty?: SpawnPty;
}

export class Desk implements LabService, DeskService {
  private info: SessionInfo;
  private current: LaunchedLab | null = null;
  /** The scenario reset() starts: the running one, or the last one tried. */
  private scenarioPath: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(e: AppEvent) => void>();
  private readonly terminals: Terminals;
  /** An adopted lab that close() leaves running. */
  private keepOnClose: LaunchedLab | null = null;

  constructor(private readonly opts: DeskOptions) {
    this.info = { state: 'stopped', lab: opts.lab };
    this.terminals = new Terminals((e) => this.emit(e), opts.spawnPty);
  }

  // ---- DeskService ----

  async library(): Promise<ScenarioSummary[]> {
    return listScenarios(this.opts.scenariosDir);
  }

  async session(): Promise<SessionInfo> {
    return { ...this.info };
  }

  async start(scenario: string): Promise<SessionInfo> {
    // Refused before anything is stopped: a bad name must not cost the running lab.
    const file = resolveScenario(this.opts.scenariosDir, scenario);
    return this.serialize(async () => {
      await this.stopCurrent();
      return this.launch(file, scenario);
    });
  }

  stop(): Promise<SessionInfo> {
    return this.serialize(async () => {
      await this.stopCurrent();
      return this.setInfo({ state: 'stopped', lab: this.opts.lab, scenario: this.info.scenario, title: this.info.title });
    });
  }

  reset(): Promise<SessionInfo> {
    return this.serialize(async () => {
      const file = this.scenarioPath;
      if (!file) throw new DeskError('IncorrectStatus.NoScenario', 'no scenario has been started yet: pick one in the library');
      await this.stopCurrent();
      return this.launch(file, this.info.scenario ?? file);
    });
  }

  async openTerminal(host: string, cols: number, rows: number): Promise<TerminalInfo> {
    const argv = await this.lab().shellArgv(host);
    return this.terminals.start(host, argv, cols, rows);
  }

  async writeTerminal(id: string, data: string): Promise<void> {
    this.terminals.write(id, data);
  }

  async resizeTerminal(id: string, cols: number, rows: number): Promise<void> {
    this.terminals.resize(id, cols, rows);
  }

  async closeTerminal(id: string): Promise<void> {
    this.terminals.close(id);
  }

  /** Events of the lab and of the desk; the result stops them. */
  async subscribe(listener: (e: AppEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Start a scenario by its path, in the library or not (the owner's call, not the page's). */
  open(file: string): Promise<SessionInfo> {
    return this.serialize(async () => {
      await this.stopCurrent();
      return this.launch(file, this.nameOf(file));
    });
  }

  /**
   * Serve a lab that is already up (started by `vpclab up`); its scenario file, if known, is
   * what reset() starts. With keepOnClose, close() leaves that lab running.
   */
  adopt(running: LaunchedLab, scenario: { path?: string; title?: string }, opts: { keepOnClose?: boolean } = {}): Promise<SessionInfo> {
    return this.serialize(async () => {
      await this.stopCurrent();
      this.scenarioPath = scenario.path ?? null;
      this.keepOnClose = opts.keepOnClose ? running : null;
      const name = scenario.path ? this.nameOf(scenario.path) : undefined;
      return this.connect(running, { state: 'up', lab: this.opts.lab, scenario: name, title: scenario.title });
    });
  }

  // ---- LabService, forwarded to the running lab ----

  status = async (): Promise<LabStatus> => this.lab().status();
  invoke = async (action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => this.lab().invoke(action, params);
  exec = async (host: string, command: string, timeoutSec?: number): Promise<ExecReply> => this.lab().exec(host, command, timeoutSec);
  shellArgv = async (host: string): Promise<string[]> => this.lab().shellArgv(host);
  steps = async (): Promise<StepInfo[]> => this.lab().steps();
  runTo = async (index: number): Promise<StepResult[]> => this.lab().runTo(index);
  counters = async (): Promise<DeviceCounters[]> => this.lab().counters();
  setTrace = async (filter: string | null): Promise<void> => this.lab().setTrace(filter);
  /** A page's "shut down" stops the lab; the desk stays, so another tutorial can be started. */
  shutdown = async (): Promise<void> => void (await this.stop());

  /**
   * The app or serve is quitting: terminals close and the lab stops — except an adopted lab
   * (keepOnClose) that is still the one running, which is let go. Resolves true then.
   */
  close(): Promise<boolean> {
    return this.serialize(async () => {
      const running = this.current;
      const keep = running !== null && running === this.keepOnClose && this.info.state === 'up';
      if (keep) {
        this.terminals.closeAll();
        this.current = null;
        running.lab.close();
      } else {
        await this.stopCurrent();
      }
      this.listeners.clear();
      return keep;
    });
  }

  // ---- inside ----

  private lab(): LabService {
    if (this.current && this.info.state === 'up') return this.current.lab;
    const why: Record<string, string> = {
      starting: 'the lab is starting',
      stopping: 'the lab is stopping',
      crashed: 'the lab runtime crashed: restart it',
      failed: 'the lab did not start',
      stopped: 'no lab is running: start a tutorial from the library',
    };
    throw new DeskError(NO_LAB, why[this.info.state] ?? 'no lab is running');
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async launch(file: string, name: string): Promise<SessionInfo> {
    this.scenarioPath = file;
    const title = this.titleOf(file);
    this.setInfo({ state: 'starting', lab: this.opts.lab, scenario: name, title });
    let running: LaunchedLab;
    try {
      running = await this.opts.launch(file);
    } catch (e) {
      this.setInfo({ state: 'failed', lab: this.opts.lab, scenario: name, title, error: (e as Error).message });
      throw e;
    }
    return this.connect(running, { state: 'up', lab: this.opts.lab, scenario: name, title });
  }

  private async connect(running: LaunchedLab, info: SessionInfo): Promise<SessionInfo> {
    this.current = running;
    await running.lab.subscribe((e) => {
      if (this.current === running) this.emit(e);
    });
    void running.exited.then((how) => this.onExited(running, how));
    return this.setInfo(info);
  }

  private async onExited(running: LaunchedLab, how: string): Promise<void> {
    if (this.current !== running) return; // stopped on purpose
    this.current = null;
    this.terminals.closeAll();
    running.lab.close();
    this.setInfo({ ...this.info, state: 'crashed', error: how });
    // Its namespaces and services must not outlive it.
    await (this.opts.cleanup ?? cleanupLab)(this.opts.lab).catch(() => undefined);
  }

  private async stopCurrent(): Promise<void> {
    this.terminals.closeAll();
    const running = this.current;
    if (!running) return;
    this.current = null;
    this.setInfo({ ...this.info, state: 'stopping', error: undefined });
    await running.stop();
  }

  /** A library scenario by its file name, anything else by its path. */
  private nameOf(file: string): string {
    return path.dirname(path.resolve(file)) === path.resolve(this.opts.scenariosDir) ? path.basename(file) : file;
  }

  private titleOf(file: string): string | undefined {
    try {
      return loadScenario(file).title;
    } catch {
      return undefined; // the runtime will say what is wrong with it
    }
  }

  private setInfo(info: SessionInfo): SessionInfo {
    this.info = info;
    this.emit({ type: 'session', session: { ...info } });
    return { ...info };
  }

  private emit(e: AppEvent | DeskEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* one listener's failure must not stop the others */
      }
    }
  }
}
