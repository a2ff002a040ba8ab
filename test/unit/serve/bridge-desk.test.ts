// The bridge with a Desk behind it (fake runtime and PTYs): DeskService methods pass, a
// terminal's output reaches only the page that opened it, session events reach every
// subscribed page, and a page that goes away hangs up its terminals.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../../src/main/desk/desk';
import { startServe, type LabWebServer } from '../../../src/main/serve/server';
import { FakeRuntime, fakePtys, tick } from '../desk/fakes';
import { fakeRendererBuild, openWs, RpcPeer } from './helpers';

describe('the bridge in front of a Desk', () => {
  const build = fakeRendererBuild();
  const ptys = fakePtys();
  let web: LabWebServer;
  const desk = new Desk({
    lab: 't-bridge',
    scenariosDir: path.resolve(__dirname, '../../../lab-scenarios'),
    spawnPty: ptys.spawn,
    cleanup: async () => undefined,
    launch: async (file) => new FakeRuntime(file, 1),
  });

  beforeAll(async () => {
    web = await startServe({ lab: desk, rendererDir: build.dir });
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(build.root, { recursive: true, force: true });
  });

  const peer = async (): Promise<RpcPeer> =>
    new RpcPeer(await openWs(`ws://127.0.0.1:${web.port}/lab?token=${web.token}`, { origin: web.origin }));

  it('passes library, start, session and terminal calls; terminal output to its page only', async () => {
    const a = await peer();
    const b = await peer();
    expect((await b.call('subscribe', [])).result).toBe(true);
    const lib = (await a.call('library', [])).result as { file: string }[];
    expect(lib.map((s) => s.file)).toContain('ipv4-gateway-proxy.yaml');
    expect((await a.call('start', ['ipv4-gateway-proxy.yaml'])).result).toMatchObject({ state: 'up' });
    expect((await a.call('session', [])).result).toMatchObject({ state: 'up', scenario: 'ipv4-gateway-proxy.yaml' });
    expect(b.events).toContainEqual({ type: 'session', session: expect.objectContaining({ state: 'up' }) });

    // a opened the terminal without subscribing: output still comes to it, and only to it.
    const opened = (await a.call('openTerminal', ['ECS-A', 80, 24])).result as { id: string };
    ptys.made[0].out('[root@ECS-A ~]# ');
    await tick();
    expect(a.events).toContainEqual({ type: 'terminal', id: opened.id, data: '[root@ECS-A ~]# ' });
    expect(b.events.some((e) => (e as { type: string }).type === 'terminal')).toBe(false);
    expect((await a.call('writeTerminal', [opened.id, 'ping -c 1 8.8.4.4\r'])).error).toBeUndefined();
    expect(ptys.made[0].written).toEqual(['ping -c 1 8.8.4.4\r']);
    expect((await a.call('resizeTerminal', [opened.id, 0, 0])).error).toMatchObject({ Code: 'InvalidParameter.Size' });

    // The page that opened it goes away: the shell is hung up.
    (a.ws as WebSocket).close();
    await tick(50);
    expect(ptys.made[0].killed).toEqual(['SIGHUP']);
    (b.ws as WebSocket).close();
  });

  it('answers a start outside the library with the code, and no lab changes', async () => {
    const p = await peer();
    expect((await p.call('start', ['/etc/passwd'])).error).toMatchObject({ Code: 'InvalidParameter.Scenario' });
    expect((await p.call('session', [])).result).toMatchObject({ state: 'up', scenario: 'ipv4-gateway-proxy.yaml' });
    (p.ws as WebSocket).close();
  });
});
