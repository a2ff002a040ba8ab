// The tracer's two kinds of watcher: the user's filter and taps (a check tracing its host).
// A tap adds records for itself only and leaves the user's trace as it was.

import { describe, expect, it } from 'vitest';
import { Tracer, type TraceRecord } from '../../../src/main/engine/trace';

const ICMP = 1;
const UDP = 17;

function packet(t: Tracer, from: string, proto = ICMP): TraceRecord | null {
  const r = t.begin(from, 1, 2, proto, () => `${from} packet`);
  if (r) t.end(r, true, 'delivered to X');
  return r;
}

describe('Tracer', () => {
  it('is inactive, and records nothing, until a filter or a tap is set', () => {
    const t = new Tracer(() => 0);
    expect(t.active).toBe(false);
    expect(packet(t, 'ECS-A')).toBeNull();
    t.filter = {};
    expect(t.active).toBe(true);
    t.filter = null;
    const off = t.tap({ host: 'ECS-A' }, () => undefined);
    expect(t.active).toBe(true);
    off();
    expect(t.active).toBe(false);
  });

  it('a tap sees its host; the user sees their filter only, during and after the tap', () => {
    const t = new Tracer(() => 0);
    const user: string[] = [];
    const tapped: string[] = [];
    t.onRecord((r) => user.push(r.from));
    t.filter = { host: 'ECS-B' };
    const off = t.tap({ host: 'ECS-A' }, (r) => tapped.push(r.from));
    packet(t, 'ECS-A');
    packet(t, 'ECS-B');
    packet(t, 'ECS-C');
    off();
    packet(t, 'ECS-A');
    packet(t, 'ECS-B');
    expect(tapped).toEqual(['ECS-A']);
    expect(user).toEqual(['ECS-B', 'ECS-B']);
    expect(t.filter).toEqual({ host: 'ECS-B' });
  });

  it('one packet matched by both goes to both; protocol filters apply', () => {
    const t = new Tracer(() => 0);
    const user: number[] = [];
    const tapped: number[] = [];
    t.onRecord((r) => user.push(r.id));
    t.filter = { protocol: UDP };
    const off = t.tap({ host: 'ECS-A' }, (r) => tapped.push(r.id));
    const both = packet(t, 'ECS-A', UDP)!;
    const tapOnly = packet(t, 'ECS-A', ICMP)!;
    off();
    expect(user).toEqual([both.id]);
    expect(tapped).toEqual([both.id, tapOnly.id]);
  });
});
