// Serves a LabService on a Unix socket readable by root only. Each connection may call any
// method; a `subscribe` call turns on the event stream (trace, steps, checks) for it.

import * as fs from 'node:fs';
import * as net from 'node:net';
import { LAB_SERVICE_METHODS, type LabEvent } from '../api/lab-service';
import { lineReader, toRpcError, type RpcRequest } from '../api/rpc';
import type { Lab } from './lab';

export function serve(lab: Lab, socketPath: string, onShutdown: () => void): Promise<net.Server> {
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((conn) => {
    let unsubscribe: (() => void) | null = null;
    const send = (msg: unknown): void => {
      if (!conn.destroyed) conn.write(JSON.stringify(msg) + '\n');
    };
    conn.on('data', lineReader((line) => void handle(line)));
    conn.on('error', () => undefined);
    conn.on('close', () => unsubscribe?.());

    async function handle(line: string): Promise<void> {
      let req: RpcRequest;
      try {
        req = JSON.parse(line) as RpcRequest;
      } catch {
        return send({ id: 0, error: { Code: 'BadRequest', Message: 'not JSON' } });
      }
      try {
        if (req.method === 'subscribe') {
          unsubscribe?.();
          unsubscribe = lab.onEvent((e: LabEvent) => send({ event: e }));
          return send({ id: req.id, result: true });
        }
        if (!(LAB_SERVICE_METHODS as readonly string[]).includes(req.method)) {
          throw new Error(`unknown method ${req.method}`);
        }
        const fn = (lab as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[req.method];
        const result = await fn.apply(lab, req.params ?? []);
        send({ id: req.id, result: result ?? null });
        if (req.method === 'shutdown') onShutdown();
      } catch (e) {
        send({ id: req.id, error: toRpcError(e) });
      }
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Root only: the socket drives namespaces and runs commands as root.
    const old = process.umask(0o077);
    server.listen(socketPath, () => {
      process.umask(old);
      fs.chmodSync(socketPath, 0o600);
      resolve(server);
    });
  });
}
