// The Trace view's helpers: the filter the lab understands (`host=ECS-A addr=8.8.8.8
// proto=icmp`, any subset, or `all`; see src/main/engine/trace.ts), checked here first so
// a typo is explained before anything is switched on; the filter a lab starts with and the
// host picker's edits of it; and the record's clock time.

import type { HostInfo } from '../../../main/api/lab-service';

const KEYS = new Set(['host', 'addr', 'proto']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export type FilterCheck = { ok: true; filter: string } | { ok: false; error: string };

export function checkTraceFilter(text: string): FilterCheck {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, error: 'Type a filter such as host=ECS-A proto=icmp, or all.' };
  if (words.length === 1 && words[0].toLowerCase() === 'all') return { ok: true, filter: 'all' };
  const seen = new Set<string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    const k = eq < 0 ? w : w.slice(0, eq);
    const v = eq < 0 ? '' : w.slice(eq + 1);
    if (eq < 0 || !KEYS.has(k)) return { ok: false, error: `"${w}" is not host=…, addr=… or proto=… (or all on its own).` };
    if (v === '') return { ok: false, error: `${k}= needs a value.` };
    if (seen.has(k)) return { ok: false, error: `${k}= is given twice.` };
    seen.add(k);
    if (k === 'addr' && !IPV4.test(v)) return { ok: false, error: `addr=${v} is not an IPv4 address.` };
    if (k === 'proto' && !['icmp', 'tcp', 'udp'].includes(v.toLowerCase())) return { ok: false, error: `proto=${v}: use icmp, tcp or udp.` };
  }
  return { ok: true, filter: words.join(' ') };
}

/**
 * The filter the view opens with: the lab's own when one is on (set from the CLI, or before
 * a reload), else the tutorial's first ECS (its first host when it has no ECS), pings only.
 */
export function defaultTraceFilter(active: string | null, hosts: readonly Pick<HostInfo, 'name' | 'kind'>[]): string {
  if (active) return active;
  const first = hosts.find((h) => h.kind === 'ecs') ?? hosts[0];
  return first ? `host=${first.name} proto=icmp` : 'all';
}

const words = (text: string): string[] => text.trim().split(/\s+/).filter(Boolean);

/** The host a filter names with host=, or null (none, or not a filter at all). */
export function filterHost(text: string): string | null {
  const w = words(text).find((x) => x.startsWith('host='));
  return w && w.length > 5 ? w.slice(5) : null;
}

/** The filter with its host= set to `host` (added first when missing), or removed for null; the other keys kept. */
export function withHost(text: string, host: string | null): string {
  const rest = words(text).filter((w) => !w.startsWith('host=') && w.toLowerCase() !== 'all');
  const out = host ? [`host=${host}`, ...rest] : rest;
  return out.length > 0 ? out.join(' ') : 'all';
}

/** `07:44:12.381` in local time (UTC when asked, for tests). */
export function formatClock(ms: number, utc = false): string {
  const d = new Date(ms);
  const [h, m, s, milli] = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}.${String(milli).padStart(3, '0')}`;
}
