// The WebSocket side of `vpclab serve`: rpc.ts's shapes, LabService's methods and
// `subscribe` only, errors as {Code, Message}, events fanned out to subscribers.

import * as fs from 'node:fs';
import type WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAB_SERVICE_METHODS } from '../../../src/main/api/lab-service';
import { RemoteError } from '../../../src/main/api/rpc';
import { toWireError } from '../../../src/main/serve/bridge';
import { startServe, type LabWebServer } from '../../../src/main/serve/server';
import { FakeLab, fakeRendererBuild, openWs, RpcPeer, STATUS } from './helpers';

describe('toWireError', () => {
  it('keeps the code of a cloud or runtime error, else LabError', () => {
    expect(toWireError(new RemoteError('InvalidVpcId.NotFound', 'no such VPC'))).toEqual({ Code: 'InvalidVpcId.NotFound', Message: 'no such VPC' });
    expect(toWireError(new Error('boom'))).toEqual({ Code: 'LabError', Message: 'boom' });
    expect(toWireError('text')).toEqual({ Code: 'LabError', Message: 'text' });
  });
});

describe('JSON-RPC over the WebSocket', () => {
  const build = fakeRendererBuild();
  let lab: FakeLab;
  let web: LabWebServer;
  let shutdowns = 0;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    lab = new FakeLab();
    web = await startServe({ lab, rendererDir: build.dir, onShutdown: () => shutdowns++ });
  });
  afterEach(() => {
    for (const ws of open.splice(0)) ws.close();
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(build.root, { recursive: true, force: true });
  });

  async function peer(): Promise<RpcPeer> {
    const ws = await openWs(`ws://127.0.0.1:${web.port}/lab?token=${web.token}`, { origin: web.origin });
    open.push(ws);
    return new RpcPeer(ws);
  }

  it('forwards every LabService method with its parameters', async () => {
    const p = await peer();
    lab.calls.length = 0;
    expect((await p.call('status', [])).result).toEqual(STATUS);
    expect((await p.call('invoke', ['CreateVpc', { CidrBlock: '10.0.0.0/8' }])).result).toEqual({ RequestId: 'fake', Action: 'CreateVpc', Params: { CidrBlock: '10.0.0.0/8' } });
    expect((await p.call('exec', ['ECS-A', 'ping -c 1 8.8.4.4', 5])).result).toMatchObject({ code: 0, stdout: 'ECS-A: ping -c 1 8.8.4.4\n' });
    expect((await p.call('shellArgv', ['ECS-A'])).result).toEqual(['ip', 'netns', 'exec', 'ECS-A', 'bash']);
    expect((await p.call('steps')).result).toEqual([]);
    expect((await p.call('runTo', [2])).result).toEqual([]);
    expect((await p.call('counters', [])).result).toEqual([]);
    // A method without a result answers null, as the runtime's socket does.
    expect(await p.call('setTrace', ['host=ECS-A'])).toEqual({ id: 8, result: null });
    expect(lab.calls.map((c) => c.method)).toEqual(LAB_SERVICE_METHODS.filter((m) => m !== 'shutdown'));
    expect(lab.calls.find((c) => c.method === 'exec')!.args).toEqual(['ECS-A', 'ping -c 1 8.8.4.4', 5]);
  });

  it('reports a shutdown that went through', async () => {
    const p = await peer();
    expect(await p.call('shutdown', [])).toMatchObject({ result: null });
    expect(shutdowns).toBe(1);
  });

  it('returns errors as {Code, Message, Param}, the cloud code and parameter kept', async () => {
    const p = await peer();
    expect(await p.call('invoke', ['CreateRouteEntry', {}])).toEqual({
      id: 1,
      error: { Code: 'InvalidCidrBlock', Message: 'DestinationCidrBlock: 192.168.1.0/24 lies inside vSwitch vsw-b', Param: 'DestinationCidrBlock' },
    });
    expect(await p.call('invoke', ['Crash', {}])).toEqual({ id: 2, error: { Code: 'LabError', Message: 'something broke' } });
  });

  it('forwards nothing but LabService methods and subscribe', async () => {
    const p = await peer();
    lab.calls.length = 0;
    for (const method of ['emit', 'record', 'calls', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'close', 'onEvent', 'loadScenario', '', 'STATUS']) {
      const r = await p.call(method, []);
      expect(r.error, method).toMatchObject({ Code: 'BadRequest' });
    }
    expect(lab.calls).toEqual([]);
  });

  it('refuses malformed requests with BadRequest', async () => {
    const p = await peer();
    expect(await p.sendRaw('not json')).toEqual({ id: 0, error: { Code: 'BadRequest', Message: 'not JSON' } });
    expect(await p.sendRaw('[1,2]')).toMatchObject({ id: 0, error: { Code: 'BadRequest' } });
    expect(await p.sendRaw('{"method":"status"}')).toMatchObject({ id: 0, error: { Code: 'BadRequest' } });
    expect(await p.sendRaw('{"id":"7","method":"status"}')).toMatchObject({ id: 0, error: { Code: 'BadRequest' } });
    expect(await p.sendRaw(Buffer.from('{"id":1,"method":"status"}'))).toMatchObject({ id: 0, error: { Code: 'BadRequest' } });
    expect(await p.call('status', 'x' as unknown as unknown[])).toMatchObject({ error: { Code: 'BadRequest' } });
    expect(await p.call('exec', [1, 2, 3, 4, 5])).toMatchObject({ error: { Code: 'BadRequest' } });
  });

  it('sends trace, step, check and model events to the sockets that subscribed, once each', async () => {
    const a = await peer();
    const b = await peer();
    const quiet = await peer();
    expect(await a.call('subscribe', [])).toEqual({ id: 1, result: true });
    expect(await b.call('subscribe')).toEqual({ id: 1, result: true });
    expect(await a.call('subscribe')).toEqual({ id: 2, result: true });
    // One subscription to the lab serves every page.
    expect(lab.subscribeCalls).toBe(1);
    const record = { id: 1, time: 0, from: 'ECS-A', summary: 'ICMP', hops: [], verdict: 'delivered to google-dns2', delivered: true };
    lab.emit({ type: 'trace', record });
    lab.emit({ type: 'model', action: 'CreateRouteEntry' });
    lab.emit({ type: 'secret-internal' });
    lab.emit({ type: 'step', result: { index: 1, name: 's', passed: true, actions: [], checks: [] } });
    await quiet.call('status');
    await a.call('status');
    await b.call('status');
    const want = [{ type: 'trace', record }, { type: 'model', action: 'CreateRouteEntry' }, { type: 'step', result: { index: 1, name: 's', passed: true, actions: [], checks: [] } }];
    expect(a.events).toEqual(want);
    expect(b.events).toEqual(want);
    expect(quiet.events).toEqual([]);
  });

  it('rejects messages over 1 MiB by closing the socket', async () => {
    const p = await peer();
    const closed = new Promise<number>((r) => p.ws.once('close', (code) => r(code)));
    p.ws.send(JSON.stringify({ id: 1, method: 'invoke', params: ['X', { pad: 'x'.repeat(1024 * 1024 + 1) }] }));
    expect(await closed).toBe(1009);
  });
});
