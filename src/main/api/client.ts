// A LabService client over the runtime's Unix socket: what the CLI (and later the
// browser bridge) uses. Every method is the remote one; errors come back as RemoteError.

import * as net from 'node:net';
import { LAB_SERVICE_METHODS, type CheckResult, type LabEvent, type LabService } from './lab-service';
import { clientOf } from './methods';
import { lineReader, RemoteError, type RpcError } from './rpc';

// The methods come from LAB_SERVICE_METHODS (see the constructor); this merges their types in.
export interface LabClient extends LabService {}

export class LabClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly eventListeners: ((e: LabEvent) => void)[] = [];

  private constructor(private readonly sock: net.Socket) {
    Object.assign(this, clientOf<LabService>(LAB_SERVICE_METHODS, (m, ...args) => this.call(m, ...args)));
    sock.on('data', lineReader((line) => this.onLine(line)));
    sock.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new RemoteError('RuntimeGone', 'the lab runtime closed the connection'));
      this.waiting.clear();
    });
    sock.on('error', () => undefined);
  }

  static connect(socketPath: string): Promise<LabClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(socketPath);
      s.once('connect', () => resolve(new LabClient(s)));
      s.once('error', reject);
    });
  }

  close(): void {
    this.sock.end();
  }

  private onLine(line: string): void {
    const msg = JSON.parse(line) as { id?: number; result?: unknown; error?: RpcError; event?: LabEvent };
    if (msg.event) {
      for (const l of this.eventListeners) l(msg.event);
      return;
    }
    const w = this.waiting.get(msg.id!);
    if (!w) return;
    this.waiting.delete(msg.id!);
    if (msg.error) w.reject(new RemoteError(msg.error.Code, msg.error.Message, msg.error.Param));
    else w.resolve(msg.result);
  }

  private call<T>(method: string, ...params: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.sock.write(JSON.stringify({ id, method, params }) + '\n');
    });
  }

  async subscribe(listener: (e: LabEvent) => void): Promise<void> {
    this.eventListeners.push(listener);
    await this.call('subscribe');
  }
}

export type { CheckResult };
