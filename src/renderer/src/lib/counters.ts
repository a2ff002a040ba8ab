// Device counters (LabService.counters()) as table rows: packets and bytes each way, and
// the drop reasons with their counts, most frequent first.

import type { ResourceInfo } from '../../../main/api/lab-service';
import type { DeviceCounters } from '../../../main/engine/counters';

export interface DropCount {
  reason: string;
  count: number;
}

export interface CounterRow {
  device: string;
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  drops: DropCount[];
  dropTotal: number;
}

export function counterRows(list: readonly DeviceCounters[], opts: { hideIdle?: boolean } = {}): CounterRow[] {
  const rows = list.map((c): CounterRow => {
    const drops = Object.entries(c.drops ?? {})
      .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      device: c.device, rxPackets: c.rxPackets, rxBytes: c.rxBytes, txPackets: c.txPackets, txBytes: c.txBytes,
      drops, dropTotal: drops.reduce((n, d) => n + d.count, 0),
    };
  });
  return opts.hideIdle ? rows.filter((r) => r.rxPackets + r.txPackets + r.dropTotal > 0) : rows;
}

/** `12,345` */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `980 B`, `1.5 KiB`, `12.0 MiB` */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** `no-route 3, gateway-inactive 1`, or `-` */
export function dropsText(drops: readonly DropCount[]): string {
  return drops.length === 0 ? '-' : drops.map((d) => `${d.reason} ${formatCount(d.count)}`).join(', ');
}

/**
 * What a device named by its ID is, from status().resources: `RouteTable rt-a`,
 * `EIP 47.74.10.1`. Hosts are counted under their own names and need none.
 */
export function deviceLabels(resources: readonly ResourceInfo[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of resources) {
    const what = r.name || (r.type === 'EIP' ? r.detail.split(' ')[0] : '');
    m.set(r.id, what ? `${r.type} ${what}` : r.type);
  }
  return m;
}
