// Network namespace names and the few `ip netns` verbs the runtime needs. Every namespace
// the lab makes is `vpclab-<lab>-<host>`, so leftovers can always be found by prefix, even
// when the state file is gone.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sh } from './sh';

export const NS_PREFIX = 'vpclab-';
/** Longest namespace name we make; leaves room under NAME_MAX and keeps `ip` output readable. */
export const MAX_NS_NAME = 60;
/** `ip netns exec` bind-mounts files from here over /etc (resolv.conf, hosts…). */
export const ETC_NETNS = '/etc/netns';

/** Lower case, [a-z0-9-] only, no leading/trailing/double dashes; never empty. */
export function sanitizeName(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return out || 'x';
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 6);
}

/** Cut `s` to `max` chars, replacing the tail with a hash of the untruncated input. */
function fit(s: string, max: number, hashInput: string): string {
  if (s.length <= max) return s;
  const hash = shortHash(hashInput);
  return `${s.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The lab's file-system slug: state file `/run/vpclab/<slug>.json`, log dir `/run/vpclab/<slug>/`. */
export function labSlug(lab: string): string {
  return fit(sanitizeName(lab), 40, lab);
}

/** `vpclab-<lab>-<host>`, sanitised, at most 60 chars (a short hash keeps long names unique). */
export function nsName(lab: string, host: string): string {
  return fit(`${NS_PREFIX}${sanitizeName(lab)}-${sanitizeName(host)}`, MAX_NS_NAME, `${lab}\0${host}`);
}

/** Prefix shared by the lab's namespaces, or null when long names make it unreliable. */
export function labNsPrefix(lab: string): string | null {
  const p = `${NS_PREFIX}${sanitizeName(lab)}-`;
  return p.length < MAX_NS_NAME - 8 ? p : null;
}

export function assertNsName(ns: string): void {
  if (!ns.startsWith(NS_PREFIX) || !/^[a-z0-9-]+$/.test(ns) || ns.length > MAX_NS_NAME) {
    throw new Error(`refusing to touch namespace ${JSON.stringify(ns)}: not a vpclab namespace name`);
  }
}

export async function listNetns(): Promise<string[]> {
  const { stdout } = await sh(['ip', 'netns', 'list']);
  // Lines look like `name (id: 3)` or just `name`.
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((n): n is string => !!n);
}

export async function netnsExists(ns: string): Promise<boolean> {
  return (await listNetns()).includes(ns);
}

export async function addNetns(ns: string): Promise<void> {
  assertNsName(ns);
  await sh(['ip', 'netns', 'add', ns]);
}

/** Delete the namespace; true if it existed. */
export async function delNetns(ns: string): Promise<boolean> {
  assertNsName(ns);
  const r = await sh(['ip', 'netns', 'del', ns], { allowFail: true });
  if (r.code === 0) return true;
  if (!(await netnsExists(ns))) return false;
  throw new Error(`ip netns del ${ns}: ${r.stderr.trim()}`);
}

/** Pids of every process whose network namespace is `ns`. */
export async function netnsPids(ns: string): Promise<number[]> {
  const r = await sh(['ip', 'netns', 'pids', ns], { allowFail: true });
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function etcNetnsDir(ns: string): string {
  assertNsName(ns);
  return path.join(ETC_NETNS, ns);
}

/** Write files into /etc/netns/<ns>/, which `ip netns exec` shows the host as its /etc. */
export function writeEtcNetns(ns: string, files: Record<string, string>): string {
  const dir = etcNetnsDir(ns);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [name, text] of Object.entries(files)) {
    if (name.includes('/') || name.startsWith('.')) throw new Error(`bad /etc/netns file name ${name}`);
    fs.writeFileSync(path.join(dir, name), text, { mode: 0o644 });
  }
  return dir;
}

/**
 * Write one file under /etc/netns/<ns>/, in a subfolder if `rel` names one
 * (`swanctl/swanctl.conf`): `ip netns exec` binds each entry over /etc's.
 */
export function writeEtcNetnsFile(ns: string, rel: string, text: string, mode = 0o644): string {
  const parts = rel.split('/');
  if (parts.length > 2 || parts.some((p) => p === '' || p.startsWith('.'))) throw new Error(`bad /etc/netns path ${rel}`);
  const file = path.join(etcNetnsDir(ns), ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(`${file}.tmp`, text, { mode });
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Remove /etc/netns/<ns>; true if it existed. */
export function removeEtcNetns(ns: string): boolean {
  const dir = etcNetnsDir(ns);
  if (!fs.existsSync(dir)) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  return true;
}

/** Names of /etc/netns entries that start with `prefix`. */
export function listEtcNetns(prefix = NS_PREFIX): string[] {
  try {
    return fs.readdirSync(ETC_NETNS).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}
