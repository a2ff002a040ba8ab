// `vpclab down`: undo what a lab runtime made, from its state file and the `vpclab-` name
// prefix only, so it works after the runtime died with `kill -9` and without its memory.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  NS_PREFIX,
  assertNsName,
  delNetns,
  labNsPrefix,
  labSlug,
  listEtcNetns,
  listNetns,
  netnsPids,
  removeEtcNetns,
  sanitizeName,
} from './netns';
import { forgetRegistry, isAlive, isSameProcess, labDir, listStateFiles, readLabState, runDir, stateFile, type LabState } from './registry';

/** The file in the lab directory where `vpclab up` collects the runtime's output. */
export const RUNTIME_LOG = 'runtime.log';

export interface CleanupReport {
  labs: string[];
  namespaces: string[];
  netnsDirs: string[];
  /** Pids that were signalled (and are now gone). */
  killed: number[];
  /** State files and lab run dirs removed. */
  files: string[];
  /** Things that could not be removed; cleanup goes on past them. */
  errors: string[];
}

function emptyReport(): CleanupReport {
  return { labs: [], namespaces: [], netnsDirs: [], killed: [], files: [], errors: [] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM each process (its group too: services run in their own), wait up to `graceMs`,
 * then SIGKILL what is left. Returns the pids that were alive when asked to stop.
 */
export async function terminate(pids: ReadonlyArray<{ pid: number; startTime?: number | null }>, graceMs = 2000): Promise<number[]> {
  const live = pids.filter((p) => p.pid > 1 && p.pid !== process.pid && isSameProcess(p.pid, p.startTime ?? null));
  const send = (pid: number, sig: NodeJS.Signals) => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        /* not a group leader, or gone */
      }
    }
  };
  live.forEach((p) => send(p.pid, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some((p) => isAlive(p.pid))) await sleep(50);
  live.filter((p) => isAlive(p.pid)).forEach((p) => send(p.pid, 'SIGKILL'));
  const hard = Date.now() + 2000;
  while (Date.now() < hard && live.some((p) => isAlive(p.pid))) await sleep(20);
  return live.map((p) => p.pid);
}

async function removeNamespace(ns: string, report: CleanupReport): Promise<void> {
  try {
    assertNsName(ns);
  } catch (e) {
    report.errors.push((e as Error).message);
    return;
  }
  try {
    // Everything still running in it: services, shells, a crashed runtime's children.
    const pids = (await netnsPids(ns)).map((pid) => ({ pid }));
    report.killed.push(...(await terminate(pids, 1000)));
    if (await delNetns(ns)) report.namespaces.push(ns);
  } catch (e) {
    report.errors.push(`${ns}: ${(e as Error).message}`);
  }
  try {
    if (removeEtcNetns(ns)) report.netnsDirs.push(path.join('/etc/netns', ns));
  } catch (e) {
    report.errors.push(`/etc/netns/${ns}: ${(e as Error).message}`);
  }
}

function removeLabFiles(lab: string, report: CleanupReport, keepRuntimeLog: boolean): void {
  forgetRegistry(lab);
  // Temp files of a write that a crash interrupted before its rename.
  const base = path.basename(stateFile(lab));
  let temps: string[] = [];
  try {
    temps = fs.readdirSync(runDir()).filter((n) => n.startsWith(`${base}.`) && n.endsWith('.tmp'));
  } catch {
    /* no run dir */
  }
  // The runtime's socket (`<lab>.sock`) outlives a runtime killed with SIGKILL.
  const socket = path.join(runDir(), `${labSlug(lab)}.sock`);
  // A runtime cleaning up after its crashed predecessor keeps the log its starter (the CLI)
  // opened for it and is reading: only the rest of the lab directory goes.
  const dir = labDir(lab);
  let inDir: string[] = [dir];
  if (keepRuntimeLog) {
    try {
      inDir = fs.readdirSync(dir).filter((n) => n !== RUNTIME_LOG).map((n) => path.join(dir, n));
    } catch {
      inDir = [];
    }
  }
  for (const p of [stateFile(lab), ...inDir, socket, ...temps.map((n) => path.join(runDir(), n))]) {
    if (!fs.existsSync(p)) continue;
    try {
      fs.rmSync(p, { recursive: true, force: true });
      report.files.push(p);
    } catch (e) {
      report.errors.push(`${p}: ${(e as Error).message}`);
    }
  }
}

/** Tear down one lab: its recorded processes, namespaces and /etc/netns dirs, then its state. */
async function cleanupState(
  state: LabState,
  sweepPrefix: boolean,
  report: CleanupReport,
  otherLabs: Set<string>,
  stopRuntime: boolean,
  keepRuntimeLog = false,
): Promise<void> {
  report.labs.push(state.lab);
  // A live runtime would keep writing the state and serving the lab we are removing.
  if (stopRuntime && state.runtimePid && !ancestry().has(state.runtimePid)) {
    report.killed.push(...(await terminate([{ pid: state.runtimePid, startTime: state.runtimeStartTime }])));
  }
  report.killed.push(...(await terminate(state.processes)));
  const namespaces = new Set(state.namespaces);
  const prefix = sweepPrefix ? labNsPrefix(state.lab) : null;
  if (prefix) {
    // Names are `vpclab-<lab>-<host>`, so lab `a` would also match lab `a-b`'s namespaces:
    // skip those another state file claims.
    for (const ns of await listNetns()) if (ns.startsWith(prefix) && !otherLabs.has(ns)) namespaces.add(ns);
    for (const ns of listEtcNetns(prefix)) if (!otherLabs.has(ns)) namespaces.add(ns);
  }
  for (const ns of namespaces) await removeNamespace(ns, report);
  for (const dir of state.netnsDirs) {
    const ns = path.basename(dir);
    if (path.dirname(dir) === '/etc/netns' && ns.startsWith(NS_PREFIX) && fs.existsSync(dir)) {
      try {
        removeEtcNetns(ns);
        report.netnsDirs.push(dir);
      } catch (e) {
        report.errors.push(`${dir}: ${(e as Error).message}`);
      }
    }
  }
  removeLabFiles(state.lab, report, keepRuntimeLog);
}

/** This process and its ancestors: never ours to stop. */
function ancestry(): Set<number> {
  const seen = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !seen.has(pid)) {
    seen.add(pid);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return seen;
}

function claimedByOthers(exceptLab: string | null): Set<string> {
  const s = new Set<string>();
  for (const { state } of listStateFiles()) {
    if (state && state.lab !== exceptLab) state.namespaces.forEach((n) => s.add(n));
  }
  return s;
}

/** Remove everything lab `lab` made; works from the state file and the lab's name prefix. */
export interface CleanupOptions {
  /** Also stop the lab's runtime process if it is still alive (never this process or its parents). Default true. */
  stopRuntime?: boolean;
  /** Keep the lab directory's runtime.log (a new runtime removing its predecessor's leftovers). */
  keepRuntimeLog?: boolean;
}

export async function cleanupLab(lab: string, opts: CleanupOptions = {}): Promise<CleanupReport> {
  const report = emptyReport();
  const state = readLabState(lab) ?? {
    version: 1 as const,
    lab,
    runtimePid: 0,
    runtimeStartTime: null,
    namespaces: [],
    netnsDirs: [],
    processes: [],
    updatedAt: '',
  };
  await cleanupState(state, true, report, claimedByOthers(lab), opts.stopRuntime ?? true, opts.keepRuntimeLog);
  return report;
}

export interface CleanupAllOptions extends CleanupOptions {
  /**
   * Only labs whose name starts with this (and namespaces `vpclab-<sanitised prefix>…`),
   * e.g. `t-` for test labs. Default: every lab and every `vpclab-` namespace.
   */
  labPrefix?: string;
  /**
   * Decide per item whether to remove it: `state` is the lab's state file, or null for a
   * namespace no state file claims. Default: remove everything matched.
   */
  select?: (item: { namespace?: string; state: LabState | null }) => boolean;
}

/** Remove every lab (or every lab matching `labPrefix`): `vpclab down --all`. */
export async function cleanupAll(opts: CleanupAllOptions = {}): Promise<CleanupReport> {
  const report = emptyReport();
  const labPrefix = opts.labPrefix ?? '';
  // Sanitising would trim a trailing dash that the caller meant (`t-`), so keep it.
  const nsPrefix = labPrefix ? NS_PREFIX + sanitizeName(labPrefix) + (/[^a-z0-9]$/i.test(labPrefix) ? '-' : '') : NS_PREFIX;
  const select = opts.select ?? (() => true);

  const entries = listStateFiles();
  const claimed = new Set<string>();
  for (const { file, state } of entries) {
    if (!state) {
      // Unreadable state: nothing to go on but the names, which the sweep below covers.
      if (!labPrefix || path.basename(file).startsWith(sanitizeName(labPrefix))) {
        fs.rmSync(file, { force: true });
        report.files.push(file);
      }
      continue;
    }
    const matches = state.lab.startsWith(labPrefix) || state.namespaces.some((n) => n.startsWith(nsPrefix));
    if (!matches) continue;
    if (!select({ state })) {
      state.namespaces.forEach((n) => claimed.add(n));
      continue;
    }
    await cleanupState(state, false, report, new Set(), opts.stopRuntime ?? true);
  }

  // Namespaces with the prefix that no surviving state file claims: leftovers of a crash
  // before the state was written, or of a state file someone deleted.
  for (const { state } of listStateFiles()) state?.namespaces.forEach((n) => claimed.add(n));
  const orphans = new Set([...(await listNetns()), ...listEtcNetns(nsPrefix)].filter((n) => n.startsWith(nsPrefix)));
  for (const ns of orphans) {
    if (claimed.has(ns) || !select({ namespace: ns, state: null })) continue;
    await removeNamespace(ns, report);
  }
  report.killed = [...new Set(report.killed)];
  return report;
}

/** Quick look used by tests and `vpclab status`: is anything of ours still around? */
export async function leftovers(nsPrefix = NS_PREFIX): Promise<{ namespaces: string[]; netnsDirs: string[]; pids: number[] }> {
  const namespaces = (await listNetns()).filter((n) => n.startsWith(nsPrefix));
  const pids: number[] = [];
  for (const ns of namespaces) pids.push(...(await netnsPids(ns)));
  return { namespaces, netnsDirs: listEtcNetns(nsPrefix), pids: pids.filter(isAlive) };
}

/** What a lab whose runtime died (kill -9, a crash) still holds, for `vpclab status`. */
export interface CrashRemains {
  /** The runtime that wrote the state file, now gone. */
  runtimePid: number;
  namespaces: string[];
  netnsDirs: string[];
  /** Live processes: recorded services and anything else inside the namespaces. */
  pids: number[];
}

/**
 * The remains of `lab` when its state file names a runtime that is no longer alive, or
 * null when the runtime is alive or no state is left (the lab is up, or cleanly down).
 */
export async function crashRemains(lab: string): Promise<CrashRemains | null> {
  const st = readLabState(lab);
  if (!st || isSameProcess(st.runtimePid, st.runtimeStartTime)) return null;
  const others = claimedByOthers(lab);
  const prefix = labNsPrefix(lab);
  const mine = (ns: string): boolean => st.namespaces.includes(ns) || (prefix !== null && ns.startsWith(prefix) && !others.has(ns));
  const namespaces = (await listNetns()).filter(mine);
  const netnsDirs = [...new Set([...st.netnsDirs.map((d) => path.basename(d)), ...listEtcNetns(prefix ?? NS_PREFIX)])]
    .filter((ns) => mine(ns) && fs.existsSync(path.join('/etc/netns', ns)));
  const pids = new Set(st.processes.filter((p) => isSameProcess(p.pid, p.startTime)).map((p) => p.pid));
  for (const ns of namespaces) for (const pid of await netnsPids(ns)) if (isAlive(pid)) pids.add(pid);
  return { runtimePid: st.runtimePid, namespaces, netnsDirs, pids: [...pids] };
}
