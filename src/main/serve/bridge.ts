// LabService over WebSocket: the shapes of src/main/api/rpc.ts, one JSON object per
// WebSocket message instead of per line.
//   request  {"id": 1, "method": "status", "params": [...]}
//   response {"id": 1, "result": …} | {"id": 1, "error": {"Code": …, "Message": …}}
//   event    {"event": LabEvent}          (after a `subscribe` request)
//
// Only LabService's and DeskService's own methods and `subscribe` pass (the desk's only
// when the backend has them); anything else is answered here and never reaches the lab.
// All sockets share the serve process's one backend (its Desk); events fan out to the
// sockets that subscribed, except a terminal's, which go to the socket that opened it
// only — and a socket that closes hangs up its terminals.

import type { WebSocket } from 'ws';
import { DESK_SERVICE_METHODS, type AppEvent, type DeskService } from '../api/desk-service';
import { LAB_SERVICE_METHODS, type LabService } from '../api/lab-service';
import type { RpcError } from '../api/rpc';

/** What the bridge forwards to: the serve process's Desk, or a fake in tests. */
export interface LabBackend extends LabService, Partial<DeskService> {
  subscribe(listener: (e: AppEvent) => void): Promise<unknown>;
}

const METHODS: ReadonlySet<string> = new Set<string>([...LAB_SERVICE_METHODS, ...DESK_SERVICE_METHODS]);
const EVENT_TYPES: ReadonlySet<string> = new Set(['trace', 'step', 'check', 'model', 'session', 'terminal', 'terminal-exit']);
/** No LabService method takes more. */
const MAX_PARAMS = 4;
/**
 * A browser tab that stops reading (asleep, or just slow) must not make us buffer a
 * packet trace without end: above this, its trace events are dropped, not queued.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Codes from the cloud (ApiError) and from the runtime (RemoteError) pass unchanged. */
export function toWireError(e: unknown): RpcError {
  const err = e as { code?: unknown; message?: unknown; param?: unknown } | null;
  const Code = err && typeof err.code === 'string' && err.code ? err.code : 'LabError';
  const Message = err && typeof err.message === 'string' ? err.message : String(e);
  return { Code, Message, ...(err && typeof err.param === 'string' && err.param ? { Param: err.param } : {}) };
}

export interface BridgeOptions {
  /** A `shutdown` call went through: the lab is going away on purpose. */
  onShutdown?: () => void;
}

export class LabBridge {
  private readonly subscribers = new Set<WebSocket>();
  private subscribed: Promise<unknown> | null = null;
  /** Terminal id → the socket that opened it. */
  private readonly terminalOwners = new Map<string, WebSocket>();

  constructor(private readonly lab: LabBackend, private readonly opts: BridgeOptions = {}) {}

  attach(ws: WebSocket): void {
    const send = (msg: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ id: 0, error: { Code: 'BadRequest', Message: 'binary messages are not understood: send JSON text' } });
      void this.handle(data.toString(), send, ws);
    });
    ws.on('close', () => {
      this.subscribers.delete(ws);
      for (const [id, owner] of this.terminalOwners) {
        if (owner !== ws) continue;
        this.terminalOwners.delete(id);
        void this.lab.closeTerminal?.(id).catch(() => undefined);
      }
    });
    ws.on('error', () => undefined);
  }

  /** Stop sending events (the server is closing). */
  close(): void {
    this.subscribers.clear();
  }

  private async handle(text: string, send: (msg: unknown) => void, ws: WebSocket): Promise<void> {
    let req: unknown;
    try {
      req = JSON.parse(text);
    } catch {
      return send({ id: 0, error: { Code: 'BadRequest', Message: 'not JSON' } });
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return send({ id: 0, error: { Code: 'BadRequest', Message: 'expected {"id", "method", "params"}' } });
    }
    const { id, method, params } = req as { id?: unknown; method?: unknown; params?: unknown };
    const replyId = typeof id === 'number' && Number.isFinite(id) ? id : 0;
    if (replyId === 0 && id !== 0) {
      return send({ id: 0, error: { Code: 'BadRequest', Message: '"id" must be a number' } });
    }
    const backend = this.lab as unknown as Record<string, unknown>;
    if (typeof method !== 'string' || (method !== 'subscribe' && (!METHODS.has(method) || typeof backend[method] !== 'function'))) {
      return send({ id: replyId, error: { Code: 'BadRequest', Message: `unknown method ${JSON.stringify(method)}` } });
    }
    if (params !== undefined && (!Array.isArray(params) || params.length > MAX_PARAMS)) {
      return send({ id: replyId, error: { Code: 'BadRequest', Message: '"params" must be an array of at most 4 values' } });
    }
    try {
      if (method === 'subscribe') {
        await this.ensureSubscribed();
        this.subscribers.add(ws);
        return send({ id: replyId, result: true });
      }
      // A terminal's output comes as events: make sure they flow to us.
      if (method === 'openTerminal') await this.ensureSubscribed();
      const fn = backend[method] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn.apply(this.lab, (params as unknown[] | undefined) ?? []);
      if (method === 'openTerminal') this.ownTerminal((result as { id: string }).id, ws);
      send({ id: replyId, result: result ?? null });
      if (method === 'shutdown') this.opts.onShutdown?.();
    } catch (e) {
      send({ id: replyId, error: toWireError(e) });
    }
  }

  private ownTerminal(id: string, ws: WebSocket): void {
    // The page may have gone while the shell started.
    if (ws.readyState === ws.OPEN) this.terminalOwners.set(id, ws);
    else void this.lab.closeTerminal?.(id).catch(() => undefined);
  }

  private ensureSubscribed(): Promise<unknown> {
    if (!this.subscribed) {
      this.subscribed = this.lab.subscribe((e) => this.fanOut(e));
      // A failed subscription may be retried by the next request.
      this.subscribed.catch(() => (this.subscribed = null));
    }
    return this.subscribed;
  }

  private fanOut(e: AppEvent): void {
    if (!EVENT_TYPES.has(e.type)) return;
    if (e.type === 'terminal' || e.type === 'terminal-exit') {
      const owner = this.terminalOwners.get(e.id);
      if (e.type === 'terminal-exit') this.terminalOwners.delete(e.id);
      if (owner?.readyState === owner?.OPEN) owner?.send(JSON.stringify({ event: e }));
      return;
    }
    let text: string | null = null;
    for (const ws of this.subscribers) {
      if (ws.readyState !== ws.OPEN) continue;
      if (e.type === 'trace' && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      text ??= JSON.stringify({ event: e });
      ws.send(text);
    }
  }
}
