// One event subscription for the page, fanned out by type (src/renderer/src/lib/events.ts).
import { describe, expect, it } from 'vitest';
import type { LabEvent, LabService } from '../../../src/main/api/lab-service';
import { canSubscribe, EventHub } from '../../../src/renderer/src/lib/events';

function fakeLab(opts: { fail?: boolean } = {}) {
  let listener: ((e: LabEvent) => void) | null = null;
  let subscribes = 0;
  const lab = {
    async subscribe(l: (e: LabEvent) => void) {
      subscribes++;
      if (opts.fail) throw new Error('Disconnected: cannot reach the lab');
      listener = l;
      return () => (listener = null);
    },
  };
  return { lab, emit: (e: LabEvent) => listener?.(e), subscribes: () => subscribes, listening: () => listener !== null };
}

describe('EventHub', () => {
  it('subscribes once and hands each event to the listeners of its type', async () => {
    const f = fakeLab();
    const hub = new EventHub(f.lab);
    const models: string[] = [];
    const steps: number[] = [];
    hub.on('model', (e) => models.push(e.action));
    const offStep = hub.on('step', (e) => steps.push(e.result.index));
    expect(await hub.start()).toBe('live');
    expect(await hub.start()).toBe('live');
    expect(f.subscribes()).toBe(1);
    f.emit({ type: 'model', action: 'CreateRouteEntry' });
    f.emit({ type: 'step', result: { index: 2, name: 's', passed: true, actions: [], checks: [] } });
    offStep();
    f.emit({ type: 'step', result: { index: 3, name: 's', passed: true, actions: [], checks: [] } });
    expect(models).toEqual(['CreateRouteEntry']);
    expect(steps).toEqual([2]);
    hub.stop();
    expect(f.listening()).toBe(false);
  });

  it('keeps other listeners going when one throws', async () => {
    const f = fakeLab();
    const hub = new EventHub(f.lab);
    const seen: string[] = [];
    const err = console.error;
    console.error = () => undefined;
    try {
      hub.on('model', () => {
        throw new Error('bug');
      });
      hub.on('model', (e) => seen.push(e.action));
      await hub.start();
      f.emit({ type: 'model', action: 'X' });
    } finally {
      console.error = err;
    }
    expect(seen).toEqual(['X']);
  });

  it('reports unavailable without subscribe (the desktop preload) or when it fails, and may retry', async () => {
    const states: string[] = [];
    const noSub = new EventHub({} as LabService);
    noSub.onState((s) => states.push(s));
    expect(await noSub.start()).toBe('unavailable');
    expect(states).toEqual(['connecting', 'unavailable']);
    expect(canSubscribe({})).toBe(false);

    const f = fakeLab({ fail: true });
    const hub = new EventHub(f.lab);
    expect(await hub.start()).toBe('unavailable');
    expect(hub.error).toMatch(/cannot reach the lab/);
    await hub.start();
    expect(f.subscribes()).toBe(2);
  });
});
