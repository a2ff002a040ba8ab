// `tcp-echo` (RFC 862 on TCP): every byte comes back; when the client half-closes, we
// finish echoing and close our side, so `nc -N` style clients see the whole echo.

import * as net from 'node:net';
import { DEFAULT_HOST, ListenOptions, RunningService, logPrefix } from './service';

export function startTcpEcho(opts: ListenOptions): Promise<RunningService> {
  const conns = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    conns.add(sock);
    // Captured now: a closed socket no longer knows its peer.
    const addr = sock.remoteAddress;
    const port = sock.remotePort;
    opts.log(`${logPrefix(addr, port)} tcp connected`);
    let bytes = 0;
    sock.on('data', (d: Buffer) => (bytes += d.length));
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      conns.delete(sock);
      opts.log(`${logPrefix(addr, port)} tcp closed, ${bytes} bytes echoed`);
    });
    sock.pipe(sock);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port, host: opts.host ?? DEFAULT_HOST }, () => {
      server.off('error', reject);
      server.on('error', (err) => process.stderr.write(`tcp-echo: ${String(err)}\n`));
      const addr = server.address();
      let closed: Promise<void> | undefined;
      resolve({
        kind: 'tcp-echo',
        port: typeof addr === 'object' && addr ? addr.port : opts.port,
        close() {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const c of conns) c.destroy();
          });
          return closed;
        },
      });
    });
  });
}
