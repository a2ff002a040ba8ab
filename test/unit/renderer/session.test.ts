// The page's view of the lab session (src/renderer/src/lib/session.ts): generations that
// re-key the lab views, start/stop/reset with and without live events, the load fallback.
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../src/main/api/desk-service';
import type { LabStatus } from '../../../src/main/api/lab-service';
import { isTransient, runsScenario, scenarioStem, SessionController, shownState, type SessionLab, type SessionSnapshot } from '../../../src/renderer/src/lib/session';

const up = (scenario = 'nat-gateway.yaml', lab = 'lib'): SessionInfo => ({ state: 'up', lab, scenario, title: 'T' });
const st = (state: SessionInfo['state'], extra: Partial<SessionInfo> = {}): SessionInfo => ({ state, lab: 'lib', ...extra });

/** A desk whose calls resolve when the test says so, so events can be interleaved. */
function fakeDesk(initial: SessionInfo | Error = st('stopped')) {
  const calls: string[] = [];
  const pending: { resolve: (s: SessionInfo) => void; reject: (e: Error) => void }[] = [];
  const wait = (name: string) =>
    new Promise<SessionInfo>((resolve, reject) => {
      calls.push(name);
      pending.push({ resolve, reject });
    });
  const lab: SessionLab = {
    session: async () => {
      if (initial instanceof Error) throw initial;
      return initial;
    },
    start: (file) => wait(`start ${file}`),
    stop: () => wait('stop'),
    reset: () => wait('reset'),
  };
  const snaps: SessionSnapshot[] = [];
  const ctl = new SessionController(lab, (s) => snaps.push(s));
  const answer = async (s: SessionInfo | Error) => {
    const p = pending.shift()!;
    if (s instanceof Error) p.reject(s);
    else p.resolve(s);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { lab, ctl, calls, snaps, answer };
}

describe('SessionController', () => {
  it('loads the session; a lab already up is generation 1', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    expect(f.ctl.snapshot.session?.state).toBe('up');
    expect(f.ctl.snapshot.generation).toBe(1);
    expect(f.ctl.snapshot.error).toBeNull();
  });

  it('counts one new generation per start, however many states the events show on the way', async () => {
    const f = fakeDesk(up('a.yaml'));
    await f.ctl.load();
    const done = f.ctl.start('b.yaml');
    expect(f.ctl.snapshot.busy).toBe('start');
    expect(f.ctl.snapshot.starting).toBe('b.yaml');
    for (const s of [st('stopping'), st('stopped'), st('starting', { scenario: 'b.yaml' }), up('b.yaml')]) f.ctl.apply(s);
    expect(f.ctl.snapshot.generation).toBe(2);
    // The call's own answer, after the events, is the same lab.
    await f.answer(up('b.yaml'));
    await done;
    expect(f.ctl.snapshot.generation).toBe(2);
    expect(f.ctl.snapshot.busy).toBeNull();
    expect(f.calls).toEqual(['start b.yaml']);
  });

  it('sees a reset of the same scenario as a new lab even without events in between', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    const done = f.ctl.reset();
    await f.answer(up());
    await done;
    expect(f.ctl.snapshot.generation).toBe(2);
    // An `up` repeated outside any start/reset (a second session event) is not a new lab.
    f.ctl.apply(up());
    expect(f.ctl.snapshot.generation).toBe(2);
  });

  it('reports a crash, and restarting (reset) brings a new generation', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    f.ctl.apply(st('crashed', { scenario: 'nat-gateway.yaml', error: 'runtime exited with signal SIGKILL' }));
    expect(f.ctl.snapshot.session).toMatchObject({ state: 'crashed', error: 'runtime exited with signal SIGKILL' });
    const done = f.ctl.reset();
    f.ctl.apply(st('starting'));
    f.ctl.apply(up());
    await f.answer(up());
    await done;
    expect(f.ctl.snapshot.generation).toBe(2);
  });

  it('keeps a failed call as the error and allows the next call', async () => {
    const f = fakeDesk(st('stopped'));
    await f.ctl.load();
    const first = f.ctl.start('broken.yaml');
    // A second click while busy is ignored, not queued.
    await f.ctl.start('other.yaml');
    expect(f.calls).toEqual(['start broken.yaml']);
    await f.answer(Object.assign(new Error('ScenarioInvalid: broken.yaml:3:1 topology is required'), { code: 'ScenarioInvalid' }));
    await first;
    expect(f.ctl.snapshot.error).toEqual({ code: 'ScenarioInvalid', message: 'broken.yaml:3:1 topology is required' });
    expect(f.ctl.snapshot.busy).toBeNull();
    expect(f.ctl.snapshot.generation).toBe(0);
    const second = f.ctl.start('nat-gateway.yaml');
    expect(f.ctl.snapshot.error).toBeNull();
    await f.answer(up());
    await second;
    expect(f.ctl.snapshot.generation).toBe(1);
  });

  it('a failed reset does not make a later unrelated up look like a new lab twice', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    const done = f.ctl.reset();
    await f.answer(st('failed', { error: 'port in use' }));
    await done;
    expect(f.ctl.snapshot.session?.state).toBe('failed');
    f.ctl.apply(up());
    expect(f.ctl.snapshot.generation).toBe(2);
    f.ctl.apply(up());
    expect(f.ctl.snapshot.generation).toBe(2);
  });

  it('stop leaves no lab and the generation where it was', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    const done = f.ctl.stop();
    await f.answer(st('stopped'));
    await done;
    expect(f.ctl.snapshot.session?.state).toBe('stopped');
    expect(f.ctl.snapshot.generation).toBe(1);
  });

  it('falls back to status() when the page has no desk, and reports when neither answers', async () => {
    const status = { lab: 'lib', pid: 1, hosts: [], resources: [], stepsRun: 0, trace: null, scenario: { file: 'x.yaml', title: 'X' } } as LabStatus;
    const noDesk = new Error('MethodNotFound: session');
    const withStatus = new SessionController({ ...fakeDesk(noDesk).lab, status: async () => status }, () => undefined);
    await withStatus.load();
    expect(withStatus.snapshot.session).toEqual({ state: 'up', lab: 'lib', scenario: 'x.yaml', title: 'X' });

    const neither = new SessionController(
      { ...fakeDesk(noDesk).lab, status: async () => Promise.reject(new Error('LabNotRunning: no lab')) },
      () => undefined,
    );
    await neither.load();
    expect(neither.snapshot.session).toBeNull();
    expect(neither.snapshot.error).toEqual({ code: 'MethodNotFound', message: 'session' });
  });

  it('shows starting from the click on, and up only once the new lab is', async () => {
    const f = fakeDesk(up('a.yaml'));
    await f.ctl.load();
    expect(shownState(f.ctl.snapshot)).toBe('up');
    const done = f.ctl.start('b.yaml');
    // The server has said nothing yet: the lab being replaced is not shown as up.
    expect(shownState(f.ctl.snapshot)).toBe('starting');
    f.ctl.apply(st('stopping'));
    expect(shownState(f.ctl.snapshot)).toBe('stopping');
    f.ctl.apply(st('stopped'));
    expect(shownState(f.ctl.snapshot)).toBe('starting');
    f.ctl.apply(up('b.yaml'));
    expect(shownState(f.ctl.snapshot)).toBe('up');
    await f.answer(up('b.yaml'));
    await done;
    expect(shownState(f.ctl.snapshot)).toBe('up');

    const stopping = f.ctl.stop();
    expect(shownState(f.ctl.snapshot)).toBe('stopping');
    await f.answer(st('stopped'));
    await stopping;
    expect(shownState(f.ctl.snapshot)).toBe('stopped');

    const failing = f.ctl.start('c.yaml');
    await f.answer(new Error('ScenarioNotFound: c.yaml'));
    await failing;
    expect(shownState(f.ctl.snapshot)).toBe('stopped');
  });

  it('hands every change to its listener', async () => {
    const f = fakeDesk(up());
    await f.ctl.load();
    const done = f.ctl.stop();
    await f.answer(st('stopped'));
    await done;
    expect(f.snaps.map((s) => `${s.session?.state}/${s.busy}`)).toEqual(['up/null', 'up/stop', 'stopped/stop', 'stopped/null']);
  });
});

describe('session helpers', () => {
  it('names scenarios by their stem, from a file name or a path', () => {
    expect(scenarioStem('ipv4-gateway-proxy.yaml')).toBe('ipv4-gateway-proxy');
    expect(scenarioStem('/work/main/lab-scenarios/nat-gateway.yml')).toBe('nat-gateway');
    expect(runsScenario(up('/x/lab-scenarios/nat-gateway.yaml'), 'nat-gateway.yaml')).toBe(true);
    expect(runsScenario(up('vpc-basics.yaml'), 'nat-gateway.yaml')).toBe(false);
    expect(runsScenario(st('stopped'), 'nat-gateway.yaml')).toBe(false);
  });

  it('tells the states on the way from the settled ones', () => {
    expect(isTransient(st('starting'))).toBe(true);
    expect(isTransient(st('stopping'))).toBe(true);
    expect(isTransient(st('crashed'))).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});
