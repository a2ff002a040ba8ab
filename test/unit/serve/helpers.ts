// A fake LabService for `vpclab serve`'s tests (no root, no runtime), a renderer build in
// a temporary directory, and raw HTTP/WebSocket helpers that send paths exactly as given.

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { LabEvent, LabService, LabStatus } from '../../../src/main/api/lab-service';
import { ApiError } from '../../../src/main/cloud/errors';
import type { LabBackend } from '../../../src/main/serve/bridge';

export const STATUS: LabStatus = {
  lab: 'fake',
  pid: 4242,
  hosts: [{ name: 'ECS-A', kind: 'ecs', ip: '192.168.0.1', eip: '47.91.0.10', netns: 'vpclab-fake-ECS-A' }],
  resources: [],
  stepsRun: 0,
  trace: null,
};

export class FakeLab implements LabBackend {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly listeners: ((e: LabEvent) => void)[] = [];
  subscribeCalls = 0;

  emit(e: LabEvent | { type: string }): void {
    for (const l of this.listeners) l(e as LabEvent);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async subscribe(listener: (e: LabEvent) => void): Promise<void> {
    this.subscribeCalls++;
    this.listeners.push(listener);
  }
  status: LabService['status'] = async () => (this.record('status', []), STATUS);
  invoke: LabService['invoke'] = async (action, params) => {
    this.record('invoke', [action, params]);
    if (action === 'CreateRouteEntry') throw new ApiError('InvalidCidrBlock', 'DestinationCidrBlock: 192.168.1.0/24 lies inside vSwitch vsw-b', 400, 'DestinationCidrBlock');
    if (action === 'Crash') throw new Error('something broke');
    return { RequestId: 'fake', Action: action, Params: params };
  };
  exec: LabService['exec'] = async (host, command, timeoutSec) => {
    this.record('exec', [host, command, timeoutSec]);
    return { code: 0, stdout: `${host}: ${command}\n`, stderr: '', timedOut: false, durationMs: 1 };
  };
  shellArgv: LabService['shellArgv'] = async (host) => (this.record('shellArgv', [host]), ['ip', 'netns', 'exec', host, 'bash']);
  steps: LabService['steps'] = async () => (this.record('steps', []), []);
  runTo: LabService['runTo'] = async (index) => (this.record('runTo', [index]), []);
  counters: LabService['counters'] = async () => (this.record('counters', []), []);
  setTrace: LabService['setTrace'] = async (filter) => void this.record('setTrace', [filter]);
  shutdown: LabService['shutdown'] = async () => void this.record('shutdown', []);
}

/** A renderer build like electron-vite's, plus a file beside it that must never be served. */
export function fakeRendererBuild(): { root: string; dir: string; secret: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-serve-'));
  const dir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/index-abc.js"></script><div id="app"></div>\n');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log("renderer");\n');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.css'), 'body { margin: 0 }\n');
  fs.writeFileSync(path.join(dir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  fs.writeFileSync(path.join(dir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1\n');
  const secret = path.join(root, 'secret.txt');
  fs.writeFileSync(secret, 'root-only secret\n');
  // A link out of the build must not be followed either.
  fs.symlinkSync(secret, path.join(dir, 'assets', 'linked.txt'));
  return { root, dir, secret };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with the path sent byte for byte (no URL normalisation). */
export function rawGet(
  port: number,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string>; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: opts.host ?? '127.0.0.1', port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the open socket, or rejects with the HTTP status the upgrade got. */
export function openWs(url: string, headers: { origin?: string; cookie?: string; host?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const extra: Record<string, string> = {};
    if (headers.cookie) extra.Cookie = headers.cookie;
    if (headers.host) extra.Host = headers.host;
    const ws = new WebSocket(url, { origin: headers.origin, headers: extra });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

/** Sends one request and waits for the reply with its id; events seen meanwhile are kept. */
export class RpcPeer {
  private nextId = 1;
  readonly events: unknown[] = [];
  private readonly pending = new Map<number, (msg: Record<string, unknown>) => void>();
  readonly stray: Record<string, unknown>[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('event' in msg) return void this.events.push(msg.event);
      const p = this.pending.get(msg.id as number);
      if (p) {
        this.pending.delete(msg.id as number);
        p(msg);
      } else this.stray.push(msg);
    });
  }

  call(method: string, params?: unknown[]): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  /** Sends raw text (or bytes) and waits for the next reply that has no pending id. */
  async sendRaw(data: string | Buffer): Promise<Record<string, unknown>> {
    const before = this.stray.length;
    this.ws.send(data);
    const end = Date.now() + 5000;
    while (this.stray.length === before && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.stray[before];
  }
}
