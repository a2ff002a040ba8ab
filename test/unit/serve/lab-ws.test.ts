// The browser's `window.lab` (src/renderer/src/lab-ws.ts) against the real serve bridge
// and a fake lab, with the `ws` package standing in for the browser's WebSocket (and
// sending the Origin a browser would).

import * as fs from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../../src/main/api/desk-service';
import { startServe, type LabWebServer } from '../../../src/main/serve/server';
import { createBrowserLab, installBrowserLab, labSocketUrl } from '../../../src/renderer/src/lab-ws';
import { FakeLab, fakeRendererBuild, STATUS } from './helpers';

describe('labSocketUrl', () => {
  it('points at /lab on the page host, with the page token when there is one', () => {
    expect(labSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=abc123' })).toBe('ws://127.0.0.1:5000/lab?token=abc123');
    expect(labSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '' })).toBe('ws://127.0.0.1:5000/lab');
  });
});

describe('installBrowserLab', () => {
  it('leaves a window.lab from the preload alone, and does nothing outside http(s)', () => {
    const preload = { status: async () => STATUS };
    const electronWin = { lab: preload, location: { protocol: 'file:', host: '', search: '' } } as unknown as Window;
    expect(installBrowserLab(electronWin)).toBeNull();
    expect(electronWin.lab).toBe(preload);
    const fileWin = { location: { protocol: 'file:', host: '', search: '' } } as unknown as Window;
    expect(installBrowserLab(fileWin)).toBeNull();
    expect(fileWin.lab).toBeUndefined();
    const servedWin = { location: { protocol: 'http:', host: '127.0.0.1:5000', search: '?token=ab' } } as unknown as Window;
    const lab = installBrowserLab(servedWin);
    expect(lab).not.toBeNull();
    expect(servedWin.lab).toBe(lab);
  });
});

describe('createBrowserLab', () => {
  const build = fakeRendererBuild();
  const lab = new FakeLab();
  let web: LabWebServer;
  let BrowserWs: new (url: string) => WebSocket;

  beforeAll(async () => {
    web = await startServe({ lab, rendererDir: build.dir });
    const origin = web.origin;
    BrowserWs = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    };
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(build.root, { recursive: true, force: true });
  });

  const client = (token = web.token) =>
    createBrowserLab({ url: labSocketUrl({ protocol: 'http:', host: `127.0.0.1:${web.port}`, search: `?token=${token}` }), WebSocket: BrowserWs });

  it('calls every method, and rejects as the preload does: "Code: Message" with code', async () => {
    const c = client();
    expect(await c.status()).toEqual(STATUS);
    expect(await c.exec('ECS-A', 'hostname', 3)).toMatchObject({ code: 0, stdout: 'ECS-A: hostname\n' });
    expect(await c.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8' })).toMatchObject({ Action: 'CreateVpc' });
    expect(await c.setTrace(null)).toBeNull();
    const err = await c.invoke('CreateRouteEntry', {}).catch((e: Error & { code: string }) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('InvalidCidrBlock: DestinationCidrBlock: 192.168.1.0/24 lies inside vSwitch vsw-b');
    expect((err as Error & { code: string }).code).toBe('InvalidCidrBlock');
    // the parameter the cloud names travels too, so a form shows the error next to its field
    expect((err as Error & { param?: string }).param).toBe('DestinationCidrBlock');
    c.close();
  });

  it('streams events to subscribers until they stop listening, and again after a reconnect', async () => {
    const c = client();
    const seen: AppEvent[] = [];
    const stop = await c.subscribe((e) => seen.push(e));
    lab.emit({ type: 'model', action: 'CreateVpc' });
    await c.status(); // the event was sent before this reply
    expect(seen).toEqual([{ type: 'model', action: 'CreateVpc' }]);

    // The socket drops (the server restarts its side): the next call opens a new one and
    // the listener is subscribed on it again.
    c.close();
    await c.status();
    lab.emit({ type: 'model', action: 'CreateVSwitch' });
    await c.status();
    expect(seen.map((e) => (e as { action: string }).action)).toEqual(['CreateVpc', 'CreateVSwitch']);

    stop();
    lab.emit({ type: 'model', action: 'DeleteVpc' });
    await c.status();
    expect(seen).toHaveLength(2);
    c.close();
  });

  it('rejects with Disconnected when the token is wrong', async () => {
    const c = client('0'.repeat(32));
    await expect(c.status()).rejects.toMatchObject({ code: 'Disconnected' });
  });
});

describe('the parameter at fault crosses every hop', () => {
  it('ApiError → runtime reply (toRpcError) → RemoteError → the serve bridge (toWireError)', async () => {
    const { ApiError } = await import('../../../src/main/cloud/errors');
    const { toRpcError, RemoteError } = await import('../../../src/main/api/rpc');
    const { toWireError } = await import('../../../src/main/serve/bridge');
    const wire = toRpcError(new ApiError('UnsupportedParameter', 'The parameter "Bogus" is not supported by CreateVpc.', 400, 'Bogus'));
    expect(wire).toEqual({ Code: 'UnsupportedParameter', Message: 'The parameter "Bogus" is not supported by CreateVpc.', Param: 'Bogus' });
    const remote = new RemoteError(wire.Code, wire.Message, wire.Param);
    expect(toWireError(remote)).toEqual(wire);
    expect(toRpcError(new Error('plain'))).toEqual({ Code: 'LabError', Message: 'plain' });
  });
});
