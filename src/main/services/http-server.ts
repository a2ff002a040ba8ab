// The HTTP plumbing shared by http-hello and ip-echo: node:http on an IPv4 socket, one log line
// per request with the peer's real address (the lab shows it to prove SNAT/DNAT/EIP rewrites).

import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { ServiceKind } from './kinds';
import { DEFAULT_HOST, ListenOptions, RunningService, clientIp, logPrefix } from './service';

export interface HttpReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** Decides the reply; `ip` is the peer's IPv4 address (no `::ffff:`). */
export type HttpHandler = (req: http.IncomingMessage, ip: string) => HttpReply;

/** Keeps a hostile path from forging extra log lines or breaking the quoting. */
function printable(s: string): string {
  return s.replace(/[^\x21-\x7e]|"/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `<ISO time> <ip>:<port> "<METHOD> <path> HTTP/<ver>" <status>`, like a common log format line. */
export function httpLogLine(req: http.IncomingMessage, status: number): string {
  const sock = req.socket;
  return `${logPrefix(sock.remoteAddress, sock.remotePort)} "${printable(req.method ?? '-')} ${printable(
    req.url ?? '-',
  )} HTTP/${req.httpVersion}" ${status}`;
}

export function startHttp(
  kind: ServiceKind,
  opts: ListenOptions,
  handler: HttpHandler,
): Promise<RunningService> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let reply: HttpReply;
    try {
      reply = handler(req, clientIp(req.socket.remoteAddress));
    } catch (err) {
      reply = { status: 500, body: '' };
      process.stderr.write(`${kind}: handler failed: ${String(err)}\n`);
    }
    const body = Buffer.from(reply.body, 'utf8');
    // An explicit length (never chunked) so `curl -i` shows exactly the bytes of the body,
    // and HEAD reports the length GET would send.
    res.writeHead(reply.status, {
      'Content-Type': 'text/plain',
      'Content-Length': String(body.length),
      ...reply.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    opts.log(httpLogLine(req, reply.status));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Garbage on the socket is answered 400 and logged, like a real server, never thrown.
  server.on('clientError', (err: NodeJS.ErrnoException, s: Socket) => {
    if (err.code !== 'ECONNRESET' && s.writable) {
      opts.log(`${logPrefix(s.remoteAddress, s.remotePort)} "-" 400`);
      s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } else {
      s.destroy();
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port, host: opts.host ?? DEFAULT_HOST }, () => {
      server.off('error', reject);
      server.on('error', (err) => process.stderr.write(`${kind}: ${String(err)}\n`));
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      let closed: Promise<void> | undefined;
      resolve({
        kind,
        port,
        close() {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
          return closed;
        },
      });
    });
  });
}
