// `vpclab serve`'s doors, with a fake lab: loopback only, the token on every request, our
// own Host, our own Origin for the WebSocket, GET only, nothing outside the build.

import * as fs from 'node:fs';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorized, cookieName, hostAllowed, newToken, originAllowed, readCookie, tokenMatches } from '../../../src/main/serve/auth';
import { startServe, type LabWebServer } from '../../../src/main/serve/server';
import { contentSecurityPolicy, contentType, resolveStatic } from '../../../src/main/serve/static-files';
import { FakeLab, fakeRendererBuild, openWs, rawGet, RpcPeer, STATUS } from './helpers';

describe('token and origin rules', () => {
  it('makes 16 random bytes of hex, different every time', () => {
    const a = newToken();
    const b = newToken();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it('compares tokens whole: same length but one digit off, shorter, longer, empty, absent', () => {
    const t = 'a'.repeat(31) + 'b';
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches('a'.repeat(32), t)).toBe(false);
    expect(tokenMatches(t.slice(0, 31), t)).toBe(false);
    expect(tokenMatches(t + '0', t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
    expect(tokenMatches(t.toUpperCase(), t)).toBe(false);
  });

  it('lets a query token decide alone, else the cookie', () => {
    const t = newToken();
    expect(authorized({ queryToken: t, cookieToken: null }, t)).toBe(true);
    expect(authorized({ queryToken: null, cookieToken: t }, t)).toBe(true);
    expect(authorized({ queryToken: 'wrong', cookieToken: t }, t)).toBe(false);
    expect(authorized({ queryToken: null, cookieToken: null }, t)).toBe(false);
  });

  it('reads one cookie among others', () => {
    expect(readCookie('a=1; vpclab-8080=xyz; b=2', cookieName(8080))).toBe('xyz');
    expect(readCookie('vpclab-8081=xyz', cookieName(8080))).toBeNull();
    expect(readCookie(undefined, cookieName(8080))).toBeNull();
  });

  it('accepts only its own Host and Origin', () => {
    expect(hostAllowed('127.0.0.1:5000', 5000)).toBe(true);
    for (const h of ['localhost:5000', '127.0.0.1:5001', 'evil.example:5000', '127.0.0.1', undefined]) expect(hostAllowed(h, 5000)).toBe(false);
    expect(originAllowed('http://127.0.0.1:5000', 5000)).toBe(true);
    for (const o of ['http://localhost:5000', 'http://127.0.0.1:5001', 'https://127.0.0.1:5000', 'http://evil.example', 'null', '', undefined]) {
      expect(originAllowed(o, 5000)).toBe(false);
    }
  });
});

describe('static files', () => {
  it('refuses traversal before any normalisation', () => {
    const root = '/srv/renderer';
    expect(resolveStatic(root, '/')).toBe('/srv/renderer/index.html');
    expect(resolveStatic(root, '/assets/a.js')).toBe('/srv/renderer/assets/a.js');
    for (const p of ['/../x', '/assets/../index.html', '/%2e%2e/x', '/assets/%2E%2E/%2e%2e/x', '/..%2fx', '/./index.html', '/a\\..\\x', '/x%00.js', '/%zz', 'x', '/.env']) {
      expect(resolveStatic(root, p), p).toBeNull();
    }
  });

  it('names the content types a browser needs', () => {
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('a.css')).toBe('text/css; charset=utf-8');
    expect(contentType('a.svg')).toBe('image/svg+xml');
    expect(contentType('a.woff2')).toBe('font/woff2');
    expect(contentType('a.unknown')).toBe('application/octet-stream');
  });

  it('has a CSP as strict as the desktop app, plus our WebSocket', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:5000');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });
});

describe('the server', () => {
  const lab = new FakeLab();
  const build = fakeRendererBuild();
  let web: LabWebServer;
  let refused: string[] = [];

  beforeAll(async () => {
    web = await startServe({ lab, port: 0, rendererDir: build.dir, onRefused: (w) => refused.push(w) });
  });
  afterAll(async () => {
    await web.close();
    fs.rmSync(build.root, { recursive: true, force: true });
  });

  const q = (): string => `?token=${web.token}`;
  const cookie = (): string => `${cookieName(web.port)}=${web.token}`;

  it('prints a URL on 127.0.0.1 with the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
    expect(web.origin).toBe(`http://127.0.0.1:${web.port}`);
  });

  it('listens on 127.0.0.1 only (not even 127.0.0.2, the rest of loopback)', async () => {
    const refusedAt = (host: string): Promise<string> =>
      new Promise((resolve) => {
        const s = net.connect(web.port, host);
        s.once('connect', () => (s.destroy(), resolve('connected')));
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    expect(await refusedAt('127.0.0.1')).toBe('connected');
    expect(await refusedAt('127.0.0.2')).toBe('ECONNREFUSED');
  });

  it('serves the page with the token, and sets the cookie its assets need', async () => {
    const r = await rawGet(web.port, `/${q()}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<div id="app">');
    expect(r.headers['set-cookie']).toEqual([`${cookie()}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(r.headers['content-security-policy']).toBe(contentSecurityPolicy(web.origin));
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('serves assets with the cookie or the query, with their content types', async () => {
    for (const [p, type] of [
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['/assets/index-abc.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/font.woff2', 'font/woff2'],
      ['/index.html', 'text/html; charset=utf-8'],
    ]) {
      const r = await rawGet(web.port, p, { headers: { Cookie: cookie() } });
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type'], p).toBe(type);
      expect(r.headers['content-security-policy'], p).toBeDefined();
      expect((await rawGet(web.port, `${p}${q()}`)).status, p).toBe(200);
    }
  });

  it('answers 403 without the token, with a wrong one, or with a cookie for another port', async () => {
    refused = [];
    const wrong = newToken();
    for (const [p, headers] of [
      ['/', {}],
      ['/assets/index-abc.js', {}],
      [`/?token=${wrong}`, {}],
      [`/?token=${web.token.slice(0, 31)}`, {}],
      ['/?token=', {}],
      [`/?token=${wrong}`, { Cookie: cookie() }],
      ['/', { Cookie: `${cookieName(web.port + 1)}=${web.token}` }],
      ['/', { Cookie: `${cookieName(web.port)}=${wrong}` }],
      ['/does-not-exist', {}],
      ['/../secret.txt', {}],
    ] as [string, Record<string, string>][]) {
      const r = await rawGet(web.port, p, { headers });
      expect(r.status, `${p} ${JSON.stringify(headers)}`).toBe(403);
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.body).not.toContain('<div id="app">');
    }
    expect(refused.length).toBe(10);
    expect(refused.join('\n')).not.toContain(web.token);
  });

  it('answers 403 to another Host, even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${web.port}`, `localhost:${web.port}`, `127.0.0.1:${web.port + 1}`]) {
      const r = await rawGet(web.port, `/${q()}`, { headers: { Host: host } });
      expect(r.status, host).toBe(403);
    }
  });

  it('serves GET only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']) {
      const r = await rawGet(web.port, `/${q()}`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET');
    }
  });

  it('gives 404 for anything outside the build or not in it, and lists no directory', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/../renderer/index.html',
      '/assets/../index.html',
      '/assets/linked.txt',
      '/assets',
      '/assets/',
      '/.env',
      '/nope.js',
      '/secret.txt',
      '/%00',
    ]) {
      const r = await rawGet(web.port, `${p}${q()}`);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('secret');
    }
  });

  it('says 426 to a plain GET of the WebSocket path', async () => {
    expect((await rawGet(web.port, `/lab${q()}`)).status).toBe(426);
  });

  describe('WebSocket upgrade', () => {
    const wsUrl = (token: string | null): string => `ws://127.0.0.1:${web.port}/lab${token === null ? '' : `?token=${token}`}`;

    it('opens with the token and our Origin, and speaks LabService', async () => {
      const ws = await openWs(wsUrl(web.token), { origin: web.origin });
      const peer = new RpcPeer(ws);
      expect(await peer.call('status', [])).toEqual({ id: 1, result: STATUS });
      ws.close();
    });

    it('opens with the cookie instead of the query', async () => {
      const ws = await openWs(wsUrl(null), { origin: web.origin, cookie: cookie() });
      expect((await new RpcPeer(ws).call('status')).result).toEqual(STATUS);
      ws.close();
    });

    it('is refused (403) without the token or with a wrong one, even from our Origin', async () => {
      for (const t of [null, newToken(), web.token.slice(1), '']) {
        await expect(openWs(wsUrl(t), { origin: web.origin }), String(t)).rejects.toMatchObject({ status: 403 });
      }
    });

    it('is refused (403) from another Origin or none, even with the token', async () => {
      for (const origin of [undefined, 'http://evil.example', `http://localhost:${web.port}`, `http://127.0.0.1:${web.port + 1}`, 'null', `https://127.0.0.1:${web.port}`]) {
        await expect(openWs(wsUrl(web.token), { origin }), String(origin)).rejects.toMatchObject({ status: 403 });
        await expect(openWs(wsUrl(null), { origin, cookie: cookie() }), String(origin)).rejects.toMatchObject({ status: 403 });
      }
    });

    it('is refused (403) with another Host', async () => {
      await expect(openWs(wsUrl(web.token), { origin: web.origin, host: `localhost:${web.port}` })).rejects.toMatchObject({ status: 403 });
    });

    it('is refused (404) on another path', async () => {
      await expect(openWs(`ws://127.0.0.1:${web.port}/other?token=${web.token}`, { origin: web.origin })).rejects.toMatchObject({ status: 404 });
    });
  });
});

describe('the server without a renderer build', () => {
  it('still guards the door, and says the page is not built', async () => {
    const web = await startServe({ lab: new FakeLab(), rendererDir: '/nonexistent/out/renderer' });
    try {
      expect((await rawGet(web.port, '/')).status).toBe(403);
      const r = await rawGet(web.port, `/?token=${web.token}`);
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build');
      expect((await rawGet(web.port, `/assets/x.js?token=${web.token}`)).status).toBe(404);
    } finally {
      await web.close();
    }
  });

  it('refuses to start on a port already taken', async () => {
    const a = await startServe({ lab: new FakeLab(), rendererDir: '/nonexistent' });
    try {
      await expect(startServe({ lab: new FakeLab(), port: a.port, rendererDir: '/nonexistent' })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await a.close();
    }
  });
});
