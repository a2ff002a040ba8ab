// run.js as the lab runtime uses it: a real child process per service, the `ready` line,
// logs on stdout, exit codes, signals. The sources (services/ and the lower modules it
// imports) are transpiled into a temp directory so this needs no build. Children listen on 127.0.0.1 only (VPCLAB_SERVICE_HOST) and on free
// ports (--port 0, the port is read from the ready line); every child is killed at the end.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { udpRoundTrip } from '../../support/udp';
import { TYPE, encodeQuery, parseResponse, type ParsedResponse } from '../../../src/main/services/dns-wire';

const SRC = path.resolve(__dirname, '../../../src/main');
/** run.js and everything it imports at run time, as directories of src/main. */
const PROGRAM_DIRS = ['services', 'engine/wire', 'util'];
const hasDig = !spawnSync('dig', ['-v'], { stdio: 'ignore' }).error;
const run = promisify(execFile);

let dir: string;
let runJs: string;
let zoneFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-services-'));
  for (const sub of PROGRAM_DIRS) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    for (const f of fs.readdirSync(path.join(SRC, sub)).filter((f) => f.endsWith('.ts'))) {
      const out = ts.transpileModule(fs.readFileSync(path.join(SRC, sub, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: f,
      });
      fs.writeFileSync(path.join(dir, sub, f.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
  runJs = path.join(dir, 'services', 'run.js');
  zoneFile = path.join(dir, 'zone.json');
  fs.writeFileSync(
    zoneFile,
    JSON.stringify({
      ttl: 600,
      records: [
        { name: 'aliyun.com', type: 'A', value: '106.11.249.99' },
        { name: 'www.aliyun.com', type: 'CNAME', value: 'www.aliyun.com.w.cdngslb.com' },
        { name: 'www.aliyun.com.w.cdngslb.com', type: 'A', value: '124.238.245.100' },
        { name: '8.8.8.8.in-addr.arpa', type: 'PTR', value: 'dns.google' },
      ],
    }),
  );
});

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Service {
  proc: ChildProcess;
  port: number;
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line (from `from`) matching `re`. */
  waitLine(re: RegExp, from?: number, ms?: number): Promise<string>;
}

function spawnRun(args: string[], env: Record<string, string> = {}): Omit<Service, 'port'> {
  const proc = spawn(process.execPath, [runJs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VPCLAB_SERVICE_HOST: '127.0.0.1', ...env },
  });
  children.add(proc);
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters = new Set<() => void>();
  proc.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      for (const w of waiters) w();
      resolve({ code, signal });
    }),
  );
  const waitLine = (re: RegExp, from = 0, ms = 5000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.slice(from).find((l) => re.test(l));
        if (hit !== undefined) done(() => resolve(hit));
        else if (proc.exitCode !== null || proc.signalCode !== null)
          done(() => reject(new Error(`exited before ${re}; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${re} within ${ms} ms; stderr:\n${err}`))), ms);
      const done = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });
  return { proc, lines, stderr: () => err, exited, waitLine };
}

async function startService(kind: string, ...opts: string[]): Promise<Service> {
  const s = spawnRun([kind, '--port', '0', ...opts]);
  const ready = await s.waitLine(new RegExp(`^ready ${kind} \\d+$`));
  return { ...s, port: Number(ready.split(' ')[2]) };
}

async function stop(s: Service, signal: NodeJS.Signals = 'SIGTERM') {
  s.proc.kill(signal);
  return s.exited;
}

function get(port: number, pathname = '/'): Promise<{ body: Buffer; headers: http.IncomingHttpHeaders; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ body: Buffer.concat(chunks), headers: res.headers, localPort: req.socket!.localPort! }));
    });
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function udpAsk(port: number, msg: Buffer): Promise<Buffer> {
  return (await udpRoundTrip(port, msg)).msg;
}

describe('run.js http-hello / ip-echo', () => {
  it('serves exactly --body, logs the client address, exits 0 on SIGTERM', async () => {
    const s = await startService('http-hello', '--body', 'Hello World ! This is ECS_B_01.', '--name', 'ECS_B_01');
    const from = s.lines.length;
    const r = await get(s.port, '/');
    expect(r.body.equals(Buffer.from('Hello World ! This is ECS_B_01.'))).toBe(true);
    expect(r.headers['content-type']).toBe('text/plain');
    const line = await s.waitLine(/"GET \/ HTTP\/1\.1" 200$/, from);
    expect(line).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z 127\\.0\\.0\\.1:${r.localPort} "GET / HTTP/1\\.1" 200$`));
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  it('default body names the host; exits 0 on SIGINT', async () => {
    const s = await startService('http-hello', '--name', 'ECS_B_01');
    expect((await get(s.port)).body.toString()).toBe('Hello World ! This is ECS_B_01.');
    expect(await stop(s, 'SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('ip-echo answers 127.0.0.1', async () => {
    const s = await startService('ip-echo');
    expect((await get(s.port, '/')).body.toString()).toBe('127.0.0.1');
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });
});

describe('run.js dns', () => {
  it('answers, survives 10,000 random datagrams, and still answers (UDP and TCP)', async () => {
    const s = await startService('dns', '--zone', zoneFile);
    const first = parseResponse(await udpAsk(s.port, encodeQuery(1, 'www.aliyun.com', TYPE.A))) as ParsedResponse;
    expect(first.answers.map((a) => a.value)).toEqual(['www.aliyun.com.w.cdngslb.com', '124.238.245.100']);
    expect(s.lines.some((l) => /127\.0\.0\.1:\d+ udp "www\.aliyun\.com A" NOERROR 2 answers/.test(l))).toBe(true);

    const sock = dgram.createSocket('udp4');
    sock.on('message', () => undefined);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = encodeQuery(2, 'www.aliyun.com', TYPE.A, { ednsUdpSize: 1232 });
    for (let i = 0; i < 10_000; i++) {
      let b: Buffer;
      if (i % 2) {
        b = Buffer.from(base.subarray(0, Math.floor(rnd() * (base.length + 1))));
        for (let k = 0; k < 3 && b.length; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      } else {
        b = Buffer.alloc(Math.floor(rnd() * 512));
        for (let k = 0; k < b.length; k++) b[k] = Math.floor(rnd() * 256);
      }
      await new Promise<void>((r) => sock.send(b, s.port, '127.0.0.1', () => r()));
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 2));
    }
    sock.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(s.proc.exitCode).toBeNull();
    expect(s.lines.some((l) => / malformed query dropped: /.test(l))).toBe(true);

    const after = parseResponse(await udpAsk(s.port, encodeQuery(3, '8.8.8.8.in-addr.arpa', TYPE.PTR))) as ParsedResponse;
    expect(after.answers[0].value).toBe('dns.google');
    if (hasDig) {
      const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(s.port), '+time=2', '+tries=1', '+tcp', '+short', 'www.aliyun.com']);
      expect(stdout.trim().split('\n')).toEqual(['www.aliyun.com.w.cdngslb.com.', '124.238.245.100']);
    }
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  it('SIGHUP reloads the zone; a broken file keeps the old one', async () => {
    const z = path.join(dir, 'reload.json');
    fs.writeFileSync(z, JSON.stringify({ records: [{ name: 'a.lab', type: 'A', value: '10.0.0.1' }] }));
    const s = await startService('dns', '--zone', z);
    fs.writeFileSync(z, JSON.stringify({ records: [{ name: 'a.lab', type: 'A', value: '10.0.0.2' }] }));
    let from = s.lines.length;
    s.proc.kill('SIGHUP');
    await s.waitLine(/zone reloaded/, from);
    const r = parseResponse(await udpAsk(s.port, encodeQuery(4, 'a.lab', TYPE.A))) as ParsedResponse;
    expect(r.answers[0].value).toBe('10.0.0.2');
    fs.writeFileSync(z, '{');
    from = s.lines.length;
    s.proc.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(s.stderr()).toMatch(/zone not reloaded/);
    const r2 = parseResponse(await udpAsk(s.port, encodeQuery(5, 'a.lab', TYPE.A))) as ParsedResponse;
    expect(r2.answers[0].value).toBe('10.0.0.2');
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });
});

describe('run.js echo services', () => {
  it('tcp-echo round-trips', async () => {
    const s = await startService('tcp-echo');
    const got = await new Promise<string>((resolve, reject) => {
      let data = '';
      const c = net.connect({ port: s.port, host: '127.0.0.1', allowHalfOpen: true }, () => c.end('hello over tcp'));
      c.on('data', (d) => (data += d));
      c.on('end', () => resolve(data));
      c.on('error', reject);
    });
    expect(got).toBe('hello over tcp');
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  it('udp-echo round-trips', async () => {
    const s = await startService('udp-echo');
    expect((await udpAsk(s.port, Buffer.from('hello over udp'))).toString()).toBe('hello over udp');
    await s.waitLine(/127\.0\.0\.1:\d+ udp 14 bytes echoed$/);
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });
});

describe('run.js errors', () => {
  it('invalid options: message on stderr, exit 2', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /missing service kind/],
      [['gopher'], {}, /unknown service kind/],
      [['http-hello', '--port', '99999'], {}, /--port/],
      [['http-hello', '--colour', 'red'], {}, /unknown option/],
      [['dns'], {}, /--zone/],
      [['dns', '--zone', '/nonexistent/zone.json'], {}, /cannot read zone file/],
      [['dns', '--zone', '__BAD__'], {}, /records\[0\]\.value/],
      [['ip-echo', '--port', '0'], { VPCLAB_SERVICE_HOST: 'localhost' }, /IPv4/],
    ];
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ records: [{ name: 'a.lab', type: 'A', value: 'nope' }] }));
    for (const [args, env, re] of cases) {
      const s = spawnRun(args.map((a) => (a === '__BAD__' ? bad : a)), env);
      expect(await s.exited, args.join(' ')).toEqual({ code: 2, signal: null });
      expect(s.stderr()).toMatch(re);
      expect(s.lines.filter((l) => l.startsWith('ready'))).toEqual([]);
    }
  });

  it('a port in use: exit 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const s = spawnRun(['tcp-echo', '--port', String(port)]);
      expect(await s.exited).toEqual({ code: 1, signal: null });
      expect(s.stderr()).toMatch(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const s = spawnRun(['--help']);
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.lines.join('\n')).toMatch(/usage: run\.js <kind>/);
  });
});
