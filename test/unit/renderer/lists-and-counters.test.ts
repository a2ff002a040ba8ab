// Capped live lists and device counters as rows (src/renderer/src/lib/capped.ts, counters.ts).
import { describe, expect, it } from 'vitest';
import { appendCapped, Batcher } from '../../../src/renderer/src/lib/capped';
import { counterRows, deviceLabels, dropsText, formatBytes, formatCount } from '../../../src/renderer/src/lib/counters';

describe('appendCapped', () => {
  it('keeps the newest items up to the cap', () => {
    expect(appendCapped([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(appendCapped([1, 2], [3], 5)).toEqual([1, 2, 3]);
    expect(appendCapped([1], [2, 3, 4, 5, 6], 3)).toEqual([4, 5, 6]);
    expect(appendCapped([1], [2], 0)).toEqual([]);
  });
  it('does not change its inputs', () => {
    const a = [1, 2];
    appendCapped(a, [3], 2);
    expect(a).toEqual([1, 2]);
  });
});

describe('Batcher', () => {
  it('hands over what was pushed, once per interval', () => {
    const flushed: number[][] = [];
    const timers: (() => void)[] = [];
    const b = new Batcher<number>((xs) => flushed.push(xs), 200, (fn) => {
      timers.push(fn);
      return 0 as unknown as ReturnType<typeof setTimeout>;
    });
    b.push(1);
    b.push(2);
    expect(timers).toHaveLength(1);
    timers[0]();
    b.push(3);
    expect(timers).toHaveLength(2);
    timers[1]();
    expect(flushed).toEqual([[1, 2], [3]]);
  });
  it('drops what is pending on cancel', () => {
    const flushed: number[][] = [];
    const b = new Batcher<number>((xs) => flushed.push(xs), 10_000);
    b.push(1);
    b.cancel();
    b.drain();
    expect(flushed).toEqual([]);
  });
});

describe('counterRows', () => {
  const list = [
    { device: 'ECS-A', rxPackets: 10, rxBytes: 840, txPackets: 8, txBytes: 672, drops: {} },
    { device: 'vtb-1 (rt-a)', rxPackets: 4, rxBytes: 336, txPackets: 1, txBytes: 84, drops: { 'no-route': 3, malformed: 5 } },
    { device: 'idle', rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: {} },
  ];
  it('lists drop reasons most frequent first, with a total', () => {
    const rows = counterRows(list);
    expect(rows).toHaveLength(3);
    expect(rows[1].drops).toEqual([{ reason: 'malformed', count: 5 }, { reason: 'no-route', count: 3 }]);
    expect(rows[1].dropTotal).toBe(8);
    expect(dropsText(rows[1].drops)).toBe('malformed 5, no-route 3');
    expect(dropsText(rows[0].drops)).toBe('-');
  });
  it('can hide devices that carried nothing', () => {
    expect(counterRows(list, { hideIdle: true }).map((r) => r.device)).toEqual(['ECS-A', 'vtb-1 (rt-a)']);
  });
});

describe('formatting numbers', () => {
  it('groups thousands and scales bytes', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
    expect(formatBytes(980)).toBe('980 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12.0 MiB');
  });
});

describe('deviceLabels', () => {
  it('names route tables, gateways and EIPs counted by their IDs', () => {
    const m = deviceLabels([
      { type: 'RouteTable', id: 'vtb-1', name: 'rt-a', detail: 'Custom 1 custom entries' },
      { type: 'RouteTable', id: 'vtb-0', name: '', detail: 'System 0 custom entries' },
      { type: 'EIP', id: 'eip-1', name: '', detail: '47.74.10.1 InUse → i-1' },
    ]);
    expect(m.get('vtb-1')).toBe('RouteTable rt-a');
    expect(m.get('vtb-0')).toBe('RouteTable');
    expect(m.get('eip-1')).toBe('EIP 47.74.10.1');
  });
});
