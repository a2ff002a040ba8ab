// `vpclab serve`: the renderer for a browser, and `window.lab` for it over a WebSocket.
// Loopback only, and every request needs the token (see ./auth.ts for why each check):
//
//   GET /?token=<hex>        index.html, and the token as a cookie for what the page loads
//   GET /assets/…            the renderer's files (token from the cookie or the query)
//   GET /lab?token=<hex>     WebSocket upgrade; also needs Origin http://127.0.0.1:<port>
//
// Refused: wrong Host or no/wrong token → 403; an upgrade from another Origin → 403;
// anything but GET → 405; a path outside the build (`/../`) or not in it → 404.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { authorized, credentials, hostAllowed, LOOPBACK, newToken, originAllowed, ownOrigin, tokenCookie } from './auth';
import { LabBridge, type LabBackend } from './bridge';
import { contentSecurityPolicy, contentType, readStatic, rendererDir, resolveStatic } from './static-files';

export const WS_PATH = '/lab';
/** Larger than any request a page sends (an action with its parameters). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface ServeOptions {
  lab: LabBackend;
  /** 0 (the default): any free port. */
  port?: number;
  /** Default: out/renderer under the package. */
  rendererDir?: string;
  /** Default: 16 fresh random bytes. For tests only. */
  token?: string;
  /** A `shutdown` call from a page went through. */
  onShutdown?: () => void;
  /** Each refused request, in a few words (the CLI prints them). */
  onRefused?: (what: string) => void;
}

export interface LabWebServer {
  port: number;
  token: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** What to open in a browser: http://127.0.0.1:<port>/?token=<hex> */
  url: string;
  close(): Promise<void>;
}

export async function startServe(opts: ServeOptions): Promise<LabWebServer> {
  const token = opts.token ?? newToken();
  const root = opts.rendererDir ?? rendererDir();
  const bridge = new LabBridge(opts.lab, { onShutdown: opts.onShutdown });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws) => bridge.attach(ws));
  let port = 0;
  let csp = '';

  const refused = (what: string, req: http.IncomingMessage): void => {
    opts.onRefused?.(`${what}: ${req.method} ${(req.url ?? '').replace(/token=[^&]*/g, 'token=…')}`);
  };

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in the page's URL: never hand it on.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });

  const reply = (res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    const body = Buffer.from(text + '\n');
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), ...extra });
    res.end(body);
  };

  const server = http.createServer((req, res) => void handle(req, res));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) {
      refused('unknown Host', req);
      return reply(res, 403, 'Forbidden');
    }
    const creds = credentials(req, port);
    if (!authorized(creds, token)) {
      refused('no valid token', req);
      return reply(res, 403, 'Forbidden: open the URL that `vpclab serve` printed, with its token');
    }
    if (req.method !== 'GET') return reply(res, 405, 'Method Not Allowed', { Allow: 'GET' });
    const target = req.url ?? '/';
    const rawPath = target.split('?')[0];
    if (rawPath === WS_PATH) return reply(res, 426, 'Upgrade Required: this is the WebSocket', { Upgrade: 'websocket', Connection: 'Upgrade' });
    const file = resolveStatic(root, rawPath);
    const body = file ? await readStatic(root, file) : null;
    if (!body) {
      if (rawPath === '/' || rawPath === '/index.html') return reply(res, 503, `The renderer is not built (no ${root}/index.html): run \`npm run build\``);
      return reply(res, 404, 'Not Found');
    }
    const headers: Record<string, string> = { ...baseHeaders(), 'Content-Type': contentType(file!), 'Content-Length': String(body.length) };
    // The page's scripts and styles are fetched without the query: the cookie carries it.
    if (creds.queryToken !== null) headers['Set-Cookie'] = tokenCookie(port, token);
    res.writeHead(200, headers);
    res.end(body);
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const deny = (status: number, text: string, why: string): void => {
      refused(why, req);
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n`);
    };
    const rawPath = (req.url ?? '/').split('?')[0];
    if (!hostAllowed(req.headers.host, port)) return deny(403, 'Forbidden', 'WebSocket: unknown Host');
    if (!authorized(credentials(req, port), token)) return deny(403, 'Forbidden', 'WebSocket: no valid token');
    if (!originAllowed(req.headers.origin, port)) return deny(403, 'Forbidden', `WebSocket: Origin ${req.headers.origin ?? '(none)'}`);
    if (rawPath !== WS_PATH) return deny(404, 'Not Found', 'WebSocket: not the lab path');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = ownOrigin(port);
  csp = contentSecurityPolicy(origin);

  let closing: Promise<void> | null = null;
  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        bridge.close();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
