// What the runtime created, written down before or right after each change so that
// `vpclab down` can undo it after a crash or `kill -9`: /run/vpclab/<lab>.json. The file is
// replaced atomically (temp file + rename), so a reader never sees half of it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { labSlug } from './netns';

/** Override for tests or unusual systems; the default lives on tmpfs and vanishes at reboot. */
export function runDir(): string {
  return process.env.VPCLAB_RUN_DIR || '/run/vpclab';
}

export interface ProcessRecord {
  pid: number;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22): a pid
   * recorded before a crash may since belong to someone else, so cleanup checks it. */
  startTime: number | null;
  netns: string;
  host: string;
  kind: string;
  port?: number;
  log?: string;
}

export interface LabState {
  version: 1;
  lab: string;
  /** The process that writes this file (the lab runtime). */
  runtimePid: number;
  runtimeStartTime: number | null;
  /** The runtime's JSON-RPC socket, when it has one. */
  socketPath?: string;
  /** Copied from $VPCLAB_OWNER_TAG: lets a test run tell its labs from a concurrent run's. */
  ownerTag?: string;
  /** Namespaces, recorded *before* `ip netns add` so none can exist unrecorded. */
  namespaces: string[];
  /** /etc/netns/<ns> directories. */
  netnsDirs: string[];
  processes: ProcessRecord[];
  updatedAt: string;
}

export function stateFile(lab: string): string {
  return path.join(runDir(), `${labSlug(lab)}.json`);
}

/** Per-lab directory for logs and sockets: /run/vpclab/<lab>/. */
export function labDir(lab: string): string {
  return path.join(runDir(), labSlug(lab));
}

/** The services' logs (`<host>.<kind>.<port>.log`), what `$VPCLAB_LOG_DIR` names inside hosts. */
export function logsDir(lab: string): string {
  return path.join(labDir(lab), 'logs');
}

/** A directory only root may enter, whoever makes it first and whatever the umask. */
function privateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700); // mkdir's mode is masked by umask, and the dir may predate us
  return dir;
}

export function ensureRunDir(): string {
  return privateDir(runDir());
}

/** The lab's directory (logs, the DNS zone, the CLI's runtime log): private like the run dir. */
export function ensureLabDir(lab: string): string {
  ensureRunDir();
  return privateDir(labDir(lab));
}

/**
 * Throws when this user may not read the lab's files: the run dir is root's (0700), so a
 * non-root `vpclab down` would otherwise find no lab and say it is down while it runs on.
 * A run dir that does not exist is fine: then no lab is up.
 */
export function assertRunDirReadable(): void {
  try {
    fs.accessSync(runDir(), fs.constants.R_OK | fs.constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new Error(`${runDir()} holds the labs' sockets and state and needs root (${code}): run vpclab as root, e.g. with sudo`);
  }
}

export function readLabState(lab: string): LabState | null {
  return readStateFile(stateFile(lab));
}

export function readStateFile(file: string): LabState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const s = JSON.parse(text) as Partial<LabState>;
    if (typeof s.lab !== 'string') return null;
    return {
      version: 1,
      lab: s.lab,
      runtimePid: Number(s.runtimePid) || 0,
      runtimeStartTime: s.runtimeStartTime ?? null,
      socketPath: s.socketPath,
      ownerTag: s.ownerTag,
      namespaces: Array.isArray(s.namespaces) ? s.namespaces.filter((n) => typeof n === 'string') : [],
      netnsDirs: Array.isArray(s.netnsDirs) ? s.netnsDirs.filter((n) => typeof n === 'string') : [],
      processes: Array.isArray(s.processes) ? s.processes.filter((p) => p && Number.isInteger(p.pid) && p.pid > 0) : [],
      updatedAt: String(s.updatedAt ?? ''),
    };
  } catch {
    return null; // a corrupt file is treated as absent; cleanup falls back to the name prefix
  }
}

/** Every lab state file under the run dir, as [file, state]. Unreadable files have state null. */
export function listStateFiles(): Array<{ file: string; state: LabState | null }> {
  let names: string[];
  try {
    names = fs.readdirSync(runDir());
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => path.join(runDir(), n))
    .map((file) => ({ file, state: readStateFile(file) }));
}

export function listLabStates(): LabState[] {
  return listStateFiles()
    .map((e) => e.state)
    .filter((s): s is LabState => s !== null);
}

/** Clock ticks since boot when `pid` started, or null if it does not exist. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parens; fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[19]); // field 22 overall; rest[0] is field 3
  } catch {
    return null;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** True if the process is alive and is the one that was recorded (same start time). */
export function isSameProcess(pid: number, startTime: number | null): boolean {
  if (!isAlive(pid)) return false;
  return startTime === null || processStartTime(pid) === startTime;
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * The writer for one lab's state file. One per lab per process (see `labRegistry`); writes
 * are synchronous so records land in the order the changes happen.
 */
export class LabRegistry {
  private state: LabState;
  /** Set once the lab was torn down: late writers (a service's exit, a second destroy)
   * must not bring the state file back. */
  private closed = false;

  constructor(readonly lab: string) {
    ensureRunDir();
    // A restarted runtime picks up what an earlier one left, so nothing is forgotten.
    const prev = readLabState(lab);
    this.state = {
      version: 1,
      lab,
      runtimePid: process.pid,
      runtimeStartTime: processStartTime(process.pid),
      ownerTag: process.env.VPCLAB_OWNER_TAG || undefined,
      namespaces: prev?.namespaces ?? [],
      netnsDirs: prev?.netnsDirs ?? [],
      processes: (prev?.processes ?? []).filter((p) => isSameProcess(p.pid, p.startTime)),
      updatedAt: '',
    };
    this.save();
  }

  get snapshot(): LabState {
    return JSON.parse(JSON.stringify(this.state)) as LabState;
  }

  setSocketPath(socketPath: string | undefined): void {
    this.state.socketPath = socketPath;
    this.save();
  }

  addNamespace(ns: string): void {
    if (!this.state.namespaces.includes(ns)) this.state.namespaces.push(ns);
    this.save();
  }

  removeNamespace(ns: string): void {
    this.state.namespaces = this.state.namespaces.filter((n) => n !== ns);
    this.save();
  }

  addNetnsDir(dir: string): void {
    if (!this.state.netnsDirs.includes(dir)) this.state.netnsDirs.push(dir);
    this.save();
  }

  removeNetnsDir(dir: string): void {
    this.state.netnsDirs = this.state.netnsDirs.filter((d) => d !== dir);
    this.save();
  }

  addProcess(rec: Omit<ProcessRecord, 'startTime'> & { startTime?: number | null }): void {
    this.state.processes.push({ ...rec, startTime: rec.startTime ?? processStartTime(rec.pid) });
    this.save();
  }

  removeProcess(pid: number): void {
    this.state.processes = this.state.processes.filter((p) => p.pid !== pid);
    this.save();
  }

  /** True when nothing is left to undo. */
  get empty(): boolean {
    return this.state.namespaces.length === 0 && this.state.netnsDirs.length === 0 && this.state.processes.length === 0;
  }

  /** Delete the state file (the lab is fully torn down) and forget this writer. */
  remove(): void {
    this.close();
    fs.rmSync(stateFile(this.lab), { force: true });
  }

  /** Stop writing; the next `labRegistry(lab)` starts a fresh writer. */
  close(): void {
    this.closed = true;
    if (registries.get(this.lab) === this) registries.delete(this.lab);
  }

  private save(): void {
    if (this.closed) return;
    this.state.updatedAt = new Date().toISOString();
    ensureRunDir();
    atomicWrite(stateFile(this.lab), JSON.stringify(this.state, null, 2) + '\n');
  }
}

const registries = new Map<string, LabRegistry>();

/** The process-wide writer for `lab`, created (and the file written) on first use. */
export function labRegistry(lab: string): LabRegistry {
  let r = registries.get(lab);
  if (!r) {
    r = new LabRegistry(lab);
    registries.set(lab, r);
  }
  return r;
}

/** Drop the in-memory writer without touching the file (after cleanup removed it). */
export function forgetRegistry(lab: string): void {
  registries.get(lab)?.close();
}
