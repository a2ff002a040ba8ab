// The desk's life cycle with fake runtimes: start/stop/reset in order, LabService calls only
// while a lab is up, a crash reported and cleaned up and undone by reset, an adopted lab
// let go on close, terminals closed with their lab, events from the current lab only.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppEvent, SessionState } from '../../../src/main/api/desk-service';
import { Desk } from '../../../src/main/desk/desk';
import { FakeRuntime, fakePtys, tick } from './fakes';

const scenarios = path.resolve(__dirname, '../../../lab-scenarios');

function setup(opts: { failFirst?: boolean } = {}) {
  const launched: FakeRuntime[] = [];
  const cleaned: string[] = [];
  const events: AppEvent[] = [];
  const ptys = fakePtys();
  let fail = opts.failFirst ?? false;
  const desk = new Desk({
    lab: 't-desk',
    scenariosDir: scenarios,
    spawnPty: ptys.spawn,
    cleanup: async (lab) => void cleaned.push(lab),
    launch: async (file) => {
      await tick(5);
      if (fail) {
        fail = false;
        throw new Error('the lab runtime exited with code 1 before it was ready');
      }
      const rt = new FakeRuntime(file, 100 + launched.length);
      launched.push(rt);
      return rt;
    },
  });
  void desk.subscribe((e) => events.push(e));
  const states = (): SessionState[] => events.flatMap((e) => (e.type === 'session' ? [e.session.state] : []));
  return { desk, launched, cleaned, events, ptys, states };
}

describe('Desk', () => {
  it('starts a library scenario, forwards LabService calls, stops it', async () => {
    const { desk, launched, states } = setup();
    await expect(desk.status()).rejects.toMatchObject({ code: 'LabNotRunning' });
    const s = await desk.start('ipv4-gateway-proxy.yaml');
    expect(s).toMatchObject({ state: 'up', lab: 't-desk', scenario: 'ipv4-gateway-proxy.yaml' });
    expect(s.title).toMatch(/IPv4 gateway/);
    expect(launched[0].scenario).toBe(path.join(scenarios, 'ipv4-gateway-proxy.yaml'));
    expect(await desk.invoke('DescribeVpcs', {})).toEqual({ action: 'DescribeVpcs' });
    expect((await desk.status()).pid).toBe(100);
    expect((await desk.stop()).state).toBe('stopped');
    expect(launched[0].stopped).toBe(1);
    await expect(desk.exec('ECS-A', 'true')).rejects.toMatchObject({ code: 'LabNotRunning', message: /no lab is running/ });
    expect(states()).toEqual(['starting', 'up', 'stopping', 'stopped']);
  });

  it('refuses a name outside the library without touching the running lab', async () => {
    const { desk, launched } = setup();
    await desk.start('vpc-basics.yaml');
    await expect(desk.start('../package.json')).rejects.toMatchObject({ code: 'InvalidParameter.Scenario' });
    expect(launched[0].stopped).toBe(0);
    expect((await desk.session()).state).toBe('up');
  });

  it('runs start requests one after another: two clicks never make two labs', async () => {
    const { desk, launched } = setup();
    const [a, b] = await Promise.all([desk.start('vpc-basics.yaml'), desk.start('nat-gateway.yaml')]);
    expect(a.scenario).toBe('vpc-basics.yaml');
    expect(b.scenario).toBe('nat-gateway.yaml');
    expect(launched.map((r) => r.stopped)).toEqual([1, 0]);
    expect((await desk.session()).scenario).toBe('nat-gateway.yaml');
  });

  it('reports a crash, removes the namespaces, and reset brings the same scenario back', async () => {
    const { desk, launched, cleaned, states } = setup();
    await expect(desk.reset()).rejects.toMatchObject({ code: 'IncorrectStatus.NoScenario' });
    await desk.start('ipv4-gateway-proxy.yaml');
    const t = await desk.openTerminal('ECS-A', 80, 24);
    launched[0].crash('the lab runtime stopped unexpectedly (killed by SIGKILL)');
    await tick();
    const s = await desk.session();
    expect(s).toMatchObject({ state: 'crashed', scenario: 'ipv4-gateway-proxy.yaml', error: /SIGKILL/ });
    expect(cleaned).toEqual(['t-desk']);
    expect(launched[0].closed).toBe(1);
    await expect(desk.status()).rejects.toMatchObject({ code: 'LabNotRunning', message: /crashed/ });
    await expect(desk.writeTerminal(t.id, 'x')).rejects.toMatchObject({ code: 'InvalidTerminalId.NotFound' });
    expect((await desk.reset()).state).toBe('up');
    expect(launched[1].scenario).toBe(launched[0].scenario);
    expect(states()).toEqual(['starting', 'up', 'crashed', 'starting', 'up']);
  });

  it('a failed start is a session of its own, and the next start works', async () => {
    const { desk } = setup({ failFirst: true });
    await expect(desk.start('vpc-basics.yaml')).rejects.toThrow(/before it was ready/);
    expect(await desk.session()).toMatchObject({ state: 'failed', error: /before it was ready/ });
    expect((await desk.reset()).state).toBe('up');
  });

  it('passes on events of the current lab only', async () => {
    const { desk, launched, events } = setup();
    await desk.start('vpc-basics.yaml');
    await desk.start('nat-gateway.yaml');
    launched[0].listener!({ type: 'model', action: 'old' });
    launched[1].listener!({ type: 'model', action: 'new' });
    expect(events.filter((e) => e.type === 'model')).toEqual([{ type: 'model', action: 'new' }]);
  });

  it('opens terminals with the lab shell argv and closes them when the lab stops', async () => {
    const { desk, ptys, events } = setup();
    await desk.start('vpc-basics.yaml');
    const t = await desk.openTerminal('ECS-B', 80, 24);
    expect(ptys.made[0].args).toEqual(['netns', 'exec', 'vpclab-t-ECS-B', 'bash']);
    await desk.writeTerminal(t.id, 'ping -c 1 8.8.4.4\r');
    await desk.resizeTerminal(t.id, 100, 30);
    expect(ptys.made[0].written).toEqual(['ping -c 1 8.8.4.4\r']);
    await desk.stop();
    expect(ptys.made[0].killed).toEqual(['SIGHUP']);
    expect(events).toContainEqual({ type: 'terminal-exit', id: t.id, code: null });
    await expect(desk.openTerminal('ECS-B', 80, 24)).rejects.toMatchObject({ code: 'LabNotRunning' });
  });

  it('lets an adopted lab go on close, but stops one it started itself', async () => {
    const { desk } = setup();
    const adopted = new FakeRuntime('/x/vpc-basics.yaml', 7);
    await desk.adopt(adopted, { path: '/x/vpc-basics.yaml', title: 'T' }, { keepOnClose: true });
    expect(await desk.session()).toMatchObject({ state: 'up', scenario: '/x/vpc-basics.yaml' });
    expect(await desk.close()).toBe(true);
    expect(adopted.stopped).toBe(0);
    expect(adopted.closed).toBe(1);

    const other = setup();
    const kept = new FakeRuntime('a', 8);
    await other.desk.adopt(kept, {}, { keepOnClose: true });
    await other.desk.start('vpc-basics.yaml'); // replaced by the page: now the desk's own
    expect(kept.stopped).toBe(1);
    expect(await other.desk.close()).toBe(false);
    expect(other.launched[0].stopped).toBe(1);
  });

  it('shutdown from a page stops the lab but keeps the desk', async () => {
    const { desk, launched } = setup();
    await desk.start('vpc-basics.yaml');
    await desk.shutdown();
    expect(launched[0].stopped).toBe(1);
    expect((await desk.start('vpc-basics.yaml')).state).toBe('up');
  });

  it('lists the library', async () => {
    const { desk } = setup();
    expect((await desk.library()).map((s) => s.file)).toContain('ipv4-gateway-proxy.yaml');
  });
});
