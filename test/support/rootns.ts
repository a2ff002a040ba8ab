// The root namespace as the safety rule sees it: links, addresses, routes, rules and
// iptables. Taken before and after a run; any difference means lab traffic could leak.
// Only what can change by itself (counters, address lifetimes, expiry timers) is dropped.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type RootNsSnapshot = Record<string, string>;

async function output(argv: string[]): Promise<string | null> {
  try {
    const { stdout } = await run(argv[0], argv.slice(1), { maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // tool not installed
    throw e;
  }
}

const lines = (text: string, f: (l: string) => string | null) =>
  text
    .split('\n')
    .map((l) => f(l))
    .filter((l): l is string => !!l && l.trim() !== '')
    .join('\n');

/** `2: eth0: <…> mtu 1500 qdisc … state UP mode DEFAULT group default qlen 1000\ link/ether …` */
function normaliseLink(l: string): string {
  return l
    .replace(/^\d+:\s*/, '') // ifindex: a name that comes back gets a new one, that is not a leak
    .replace(/\s+qdisc \S+/, '')
    .replace(/\s+qlen \d+/, '')
    .replace(/\\\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function normaliseAddr(l: string): string {
  return l
    .replace(/^\d+:\s*/, '')
    .replace(/\\?\s*valid_lft \S+ preferred_lft \S+/, '')
    .replace(/\\\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function normaliseRoute(l: string): string {
  return l.replace(/\s+expires \S+/, '').replace(/\s+/g, ' ').trim();
}

function normaliseIptables(l: string): string | null {
  if (l.startsWith('#')) return null; // generator banner and timestamps
  return l.replace(/\[\d+:\d+\]/g, '[]'); // chain counters
}

export async function snapshotRootNs(): Promise<RootNsSnapshot> {
  const snap: RootNsSnapshot = {};
  snap['ip -o link'] = lines((await output(['ip', '-o', 'link', 'show'])) ?? '', normaliseLink);
  snap['ip -o addr'] = lines((await output(['ip', '-o', 'addr', 'show'])) ?? '', normaliseAddr);
  snap['ip route show table all'] = lines((await output(['ip', 'route', 'show', 'table', 'all'])) ?? '', normaliseRoute);
  snap['ip rule'] = lines((await output(['ip', 'rule', 'show'])) ?? '', (l) => l.trim());
  const ipt = await output(['iptables-save']).catch(() => null);
  if (ipt !== null) snap['iptables-save'] = lines(ipt, normaliseIptables);
  return snap;
}

/** '' when equal; otherwise per section, lines only before (`-`) and only after (`+`). */
export function diffSnapshots(a: RootNsSnapshot, b: RootNsSnapshot): string {
  const out: string[] = [];
  for (const section of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = (a[section] ?? '').split('\n').filter(Boolean);
    const after = (b[section] ?? '').split('\n').filter(Boolean);
    const gone = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    if (!gone.length && !added.length && (section in a) === (section in b)) continue;
    out.push(`== ${section}`, ...gone.map((l) => `- ${l}`), ...added.map((l) => `+ ${l}`));
  }
  return out.join('\n');
}
