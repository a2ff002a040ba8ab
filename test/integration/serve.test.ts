// `vpclab serve` end to end, as root: it brings lab t-serve up, prints its URL, and a
// WebSocket client with the page's Origin and token drives the real lab (status, a real
// ping through the engine) while the wrong token or Origin is refused; Ctrl-C takes the
// lab down again. A lab that was up before `serve` stays up after it. The desk behind the
// page: a real terminal, a killed runtime reported and cleaned up, restart, stop, start.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { listNetns } from '../../src/main/host/netns';
import { isAlive, readLabState } from '../../src/main/host/registry';
import { spawnServe, type ServeProcess } from '../support/serve';
import { cannotRun, integrationBlocker } from '../support/skip';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const rendererBuilt = fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'));

const LAB = 't-serve';
const KEPT = 't-srv-kept';
const SHUT = 't-srv-shut';
afterAll(async () => {
  for (const l of [LAB, KEPT, SHUT]) await cleanupLab(l).catch(() => undefined);
});

const nsOf = async (lab: string): Promise<string[]> => (await listNetns()).filter((n) => n.startsWith(`vpclab-${lab}-`));

interface Served extends Omit<ServeProcess, 'url'> {
  url: URL;
}

/** `vpclab --lab <lab> serve …`, resolved once it printed its URL. */
async function startServe(lab: string, ...args: string[]): Promise<Served> {
  const s = await spawnServe(lab, args);
  return { ...s, url: new URL(s.url) };
}

/** Opens the lab's WebSocket; rejects with the HTTP status of a refused upgrade. */
function connect(url: URL, token: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${url.host}/lab?token=${token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function rpc(ws: WebSocket): (method: string, ...params: unknown[]) => Promise<{ result?: any; error?: { Code: string; Message: string } }> {
  let next = 1;
  const waiting = new Map<number, (m: any) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  return (method, ...params) =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
}

function get(url: string): Promise<{ status: number; type?: string; cookie?: string[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], cookie: res.headers['set-cookie'] }));
      })
      .on('error', reject);
  });
}

async function interrupt(s: Served): Promise<number | null> {
  s.child.kill('SIGINT');
  const code = await Promise.race([s.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
  if (code === 'timeout') {
    s.child.kill('SIGKILL');
    throw new Error(`serve did not stop on SIGINT\n${s.stderr()}`);
  }
  return code;
}

describe.skipIf(skip)('vpclab serve', () => {
  it('refuses a command line it does not understand with the usage text and exit code 2, before any lab', async () => {
    for (const args of [['--bogus'], ['--port', 'x'], ['a.yaml', 'b.yaml']]) {
      const r = await run(process.execPath, [cli, '--lab', 't-srv-usage', 'serve', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^usage: /);
    }
    expect(await nsOf('t-srv-usage')).toEqual([]);
  });

  it('starts the lab, serves window.lab behind the token and Origin, and takes the lab down on Ctrl-C', async () => {
    const s = await startServe(LAB, 'lab-scenarios/vpc-basics.yaml', '--port', '0');
    try {
      const token = s.url.searchParams.get('token')!;
      const origin = `http://127.0.0.1:${s.url.port}`;
      expect(s.url.hostname).toBe('127.0.0.1');

      const ws = await connect(s.url, token, origin);
      const call = rpc(ws);
      const status = await call('status');
      expect(status.error).toBeUndefined();
      expect(status.result.lab).toBe(LAB);
      const hosts = status.result.hosts.map((h: { name: string }) => h.name);
      expect(hosts).toEqual(expect.arrayContaining(['ECS-A', 'ECS-B', 'ECS-C', 'google-dns2']));

      // A real ping through the engine: ECS-A's EIP path to 8.8.4.4 (A9).
      const ping = await call('exec', 'ECS-A', 'ping -c 1 -W 1 8.8.4.4', 10);
      expect(ping.result.code, ping.result.stdout + ping.result.stderr).toBe(0);
      expect(ping.result.stdout).toContain('1 received');

      // Errors come back with the cloud's code.
      const bad = await call('invoke', 'CreateRouteEntry', { RouteTableId: 'rt-a', DestinationCidrBlock: '192.168.1.0/24', NextHopId: 'ECS-B' });
      expect(bad.error?.Code).toBe('InvalidCidrBlock');
      const notForwarded = await call('loadScenario', '/etc/passwd');
      expect(notForwarded.error?.Code).toBe('BadRequest');
      ws.close();

      await expect(connect(s.url, '0'.repeat(32), origin)).rejects.toMatchObject({ status: 403 });
      await expect(connect(s.url, token, 'http://evil.example')).rejects.toMatchObject({ status: 403 });
      await expect(connect(s.url, token, `http://localhost:${s.url.port}`)).rejects.toMatchObject({ status: 403 });
      await expect(connect(s.url, token, undefined)).rejects.toMatchObject({ status: 403 });
      expect(s.stderr()).toMatch(/refused WebSocket: no valid token/);
      expect(s.stderr()).toMatch(/refused WebSocket: Origin http:\/\/evil\.example/);

      expect((await get(`${origin}/`)).status).toBe(403);
      if (rendererBuilt) {
        const page = await get(s.url.href);
        expect(page.status).toBe(200);
        expect(page.type).toBe('text/html; charset=utf-8');
        expect(page.cookie?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
      }
    } finally {
      expect(await interrupt(s)).toBe(0);
    }
    expect(s.stderr()).toContain(`lab "${LAB}": down`);
    expect(await nsOf(LAB)).toEqual([]);
    const st = readLabState(LAB);
    expect(st === null || !isAlive(st.runtimePid)).toBe(true);
  }, 240_000);

  it('serves a lab that was already up, and leaves it up on Ctrl-C', async () => {
    await run(process.execPath, [cli, '--lab', KEPT, 'up', 'lab-scenarios/vpc-basics.yaml'], { cwd: root, timeout: 180_000 });
    const before = await nsOf(KEPT);
    expect(before.length).toBeGreaterThan(0);
    const s = await startServe(KEPT, '--port', '0');
    try {
      const ws = await connect(s.url, s.url.searchParams.get('token')!, `http://127.0.0.1:${s.url.port}`);
      expect((await rpc(ws)('status')).result.lab).toBe(KEPT);
      ws.close();
    } finally {
      expect(await interrupt(s)).toBe(0);
    }
    expect(s.stderr()).toContain('still up');
    expect((await nsOf(KEPT)).sort()).toEqual(before.sort());
    await run(process.execPath, [cli, '--lab', KEPT, 'down'], { cwd: root, timeout: 60_000 });
    expect(await nsOf(KEPT)).toEqual([]);
  }, 240_000);

  it('is a desk: a real terminal, a crash reported and cleaned, restart, stop and another tutorial', async () => {
    const s = await startServe(SHUT, 'lab-scenarios/vpc-basics.yaml');
    try {
      const ws = await connect(s.url, s.url.searchParams.get('token')!, `http://127.0.0.1:${s.url.port}`);
      const events: any[] = [];
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.event) events.push(m.event);
      });
      const call = rpc(ws);
      const until = async (what: string, ok: () => boolean, ms = 60_000): Promise<void> => {
        const end = Date.now() + ms;
        while (!ok()) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events).slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      expect((await call('subscribe')).result).toBe(true);

      // A shell on a real PTY inside ECS-A's namespace: the prompt names the host, and a real
      // ping crosses the engine.
      const term = (await call('openTerminal', 'ECS-A', 100, 30)).result as { id: string };
      const screen = (): string => events.filter((e) => e.type === 'terminal' && e.id === term.id).map((e) => e.data).join('');
      await until('the prompt', () => screen().includes('[root@ECS-A'));
      expect((await call('writeTerminal', term.id, 'ping -c 1 -W 2 8.8.4.4\r')).error).toBeUndefined();
      await until('the ping reply', () => /1 received/.test(screen()));
      expect(screen()).toMatch(/bytes from 8\.8\.4\.4/);

      // The runtime dies: the page is told, the namespaces go, lab calls say there is no lab.
      const pid = (await call('status')).result.pid as number;
      process.kill(pid, 'SIGKILL');
      await until('crashed', () => events.some((e) => e.type === 'session' && e.session.state === 'crashed'));
      expect(events).toContainEqual({ type: 'terminal-exit', id: term.id, code: null });
      for (let i = 0; i < 50 && (await nsOf(SHUT)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await nsOf(SHUT)).toEqual([]);
      expect((await call('status')).error?.Code).toBe('LabNotRunning');

      // Restart: the same tutorial again, from its first step.
      const again = await call('reset');
      expect(again.result).toMatchObject({ state: 'up', scenario: 'vpc-basics.yaml' });
      expect((await call('status')).result.pid).not.toBe(pid);
      expect((await nsOf(SHUT)).length).toBeGreaterThan(0);

      // A page's shutdown stops the lab; serve stays for the next tutorial from the library.
      expect((await call('shutdown')).error).toBeUndefined();
      expect((await call('session')).result.state).toBe('stopped');
      expect(await nsOf(SHUT)).toEqual([]);
      const lib = (await call('library')).result as { file: string; title: string }[];
      expect(lib.find((x) => x.file === 'ipv4-gateway-proxy.yaml')?.title).toMatch(/IPv4 gateway/);
      expect((await call('start', 'ipv4-gateway-proxy.yaml')).result).toMatchObject({ state: 'up', scenario: 'ipv4-gateway-proxy.yaml' });
      expect((await call('status')).result.hosts.map((h: { name: string }) => h.name)).toContain('ECS-B');
      // A page opened after a step ran still gets its results, from steps().
      const ran = (await call('runTo', 1)).result as { passed: boolean }[];
      expect(ran).toHaveLength(1);
      const steps = (await call('steps')).result as { result?: { index: number; passed: boolean } }[];
      expect(steps[0].result).toMatchObject({ index: 1, passed: ran[0].passed });
      expect(steps[1].result).toBeUndefined();
      ws.close();
    } finally {
      expect(await interrupt(s)).toBe(0);
    }
    expect(s.stderr()).toContain(`lab "${SHUT}": down`);
    expect(await nsOf(SHUT)).toEqual([]);
  }, 300_000);
});
