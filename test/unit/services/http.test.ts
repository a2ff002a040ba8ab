// http-hello and ip-echo in-process on 127.0.0.1: exact body bytes, headers, and the log
// line carrying the client's real address and port.

import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultHelloBody, startHttpHello } from '../../../src/main/services/http-hello';
import { startIpEcho } from '../../../src/main/services/ip-echo';
import type { RunningService } from '../../../src/main/services/service';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  localPort: number;
}

function request(port: number, method = 'GET', path = '/'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), localPort: req.socket!.localPort! }),
      );
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function hello(opts: { body?: string; name?: string }, logs: string[]) {
  const s = await startHttpHello({ port: 0, host: '127.0.0.1', log: (l) => logs.push(l), ...opts });
  running.push(s);
  return s;
}

describe('http-hello', () => {
  it('answers exactly the --body bytes, text/plain, no trailing newline', async () => {
    const logs: string[] = [];
    const s = await hello({ body: 'Hello World ! This is ECS_B_01.' }, logs);
    const r = await request(s.port, 'GET', '/index.html');
    expect(r.status).toBe(200);
    expect(r.body.equals(Buffer.from('Hello World ! This is ECS_B_01.'))).toBe(true);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.headers['content-length']).toBe('31');
    expect(logs).toHaveLength(1);
    const m = logs[0].match(/^(\S+) 127\.0\.0\.1:(\d+) "GET \/index\.html HTTP\/1\.1" 200$/);
    expect(m, logs[0]).not.toBeNull();
    expect(Number(m![2])).toBe(r.localPort);
    expect(new Date(m![1]).toISOString()).toBe(m![1]);
  });

  it('defaults the body to the host name given by --name', async () => {
    const s = await hello({ name: 'ECS_B_01' }, []);
    expect((await request(s.port)).body.toString()).toBe('Hello World ! This is ECS_B_01.');
    expect(defaultHelloBody('x')).toBe('Hello World ! This is x.');
  });

  it('HEAD: same headers, no body; other methods: 405 with Allow', async () => {
    const logs: string[] = [];
    const s = await hello({ body: 'abc' }, logs);
    const head = await request(s.port, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('3');
    expect(head.body.length).toBe(0);
    const post = await request(s.port, 'POST', '/x');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(logs[1]).toMatch(/"POST \/x HTTP\/1\.1" 405$/);
  });

  it('HTTP/1.0 and raw bytes: the wire answer is exact', async () => {
    const logs: string[] = [];
    const s = await hello({ body: 'Hello World ! This is ECS_B_01.' }, logs);
    const raw = await new Promise<string>((resolve, reject) => {
      let data = '';
      const sock = net.connect(s.port, '127.0.0.1', () => sock.write('GET / HTTP/1.0\r\n\r\n'));
      sock.on('data', (d) => (data += d.toString('latin1')));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(raw.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(raw.endsWith('\r\n\r\nHello World ! This is ECS_B_01.')).toBe(true);
    expect(logs[0]).toMatch(/"GET \/ HTTP\/1\.0" 200$/);
  });

  it('garbage gets 400, is logged, and the server keeps serving', async () => {
    const logs: string[] = [];
    const s = await hello({ body: 'ok' }, logs);
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      const sock = net.connect(s.port, '127.0.0.1', () => sock.write('\x00\x01garbage\r\n\r\n'));
      sock.on('data', (d) => (data += d.toString('latin1')));
      sock.on('close', () => resolve(data));
      sock.on('error', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(logs[0]).toMatch(/^\S+ 127\.0\.0\.1:\d+ "-" 400$/);
    expect((await request(s.port)).body.toString()).toBe('ok');
  });

  it('close() ends keep-alive connections too', async () => {
    const s = await startHttpHello({ port: 0, host: '127.0.0.1', log: () => undefined, body: 'x' });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port: s.port, agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
    );
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    agent.destroy();
  });
});

describe('ip-echo', () => {
  it('returns the client address, no newline, text/plain, and logs it', async () => {
    const logs: string[] = [];
    const s = await startIpEcho({ port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    running.push(s);
    const r = await request(s.port, 'GET', '/');
    expect(r.status).toBe(200);
    expect(r.body.toString('latin1')).toBe('127.0.0.1');
    expect(r.headers['content-type']).toBe('text/plain');
    expect(logs[0]).toMatch(new RegExp(`^\\S+ 127\\.0\\.0\\.1:${r.localPort} "GET / HTTP/1\\.1" 200$`));
  });
});
