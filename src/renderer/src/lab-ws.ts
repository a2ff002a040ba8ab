// `window.lab` in a browser: the LabService over `vpclab serve`'s WebSocket, for the same
// renderer that gets it from the preload in the desktop app. The wire format is
// src/main/api/rpc.ts's, one JSON object per message (see src/main/serve/bridge.ts).
//
// A failed call rejects as the preload's do: an Error whose message is `<Code>: <Message>`,
// with `code` set as well. The socket opens on first use and again after it drops; event
// listeners are subscribed again on the new socket.

import { APP_SERVICE_METHODS, type AppEvent, type AppService, type DeskService } from '../../main/api/desk-service';
import { clientOf } from '../../main/api/methods';
import type { LabService } from '../../main/api/lab-service';

/** `window.lab` (LabService and DeskService, with their events) over the WebSocket. */
export interface BrowserLab extends AppService {
  close(): void;
}

export interface LabErrorLike extends Error {
  code: string;
  /** The request parameter at fault, when the cloud named one. */
  param?: string;
}

type WebSocketLike = Pick<WebSocket, 'readyState' | 'send' | 'close' | 'addEventListener'>;
type WebSocketCtor = new (url: string) => WebSocketLike;

export interface BrowserLabOptions {
  /** ws://127.0.0.1:<port>/lab?token=… */
  url: string;
  /** The browser's WebSocket unless given (tests pass the `ws` package's). */
  WebSocket?: WebSocketCtor;
}

const OPEN = 1;

/** `param`: the request parameter the cloud names as wrong, so a form can show the error by it. */
function labError(code: string, message: string, param?: string): LabErrorLike {
  return Object.assign(new Error(`${code}: ${message}`), { code }, param ? { param } : {});
}

export function createBrowserLab(opts: BrowserLabOptions): BrowserLab {
  const Ctor: WebSocketCtor = opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const listeners = new Set<(e: AppEvent) => void>();
  const waiting = new Map<number, { ws: WebSocketLike; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let socket: Promise<WebSocketLike> | null = null;
  /** The socket on which the server knows we want events. */
  let subscribedOn: WebSocketLike | null = null;

  function open(): Promise<WebSocketLike> {
    if (socket) return socket;
    const ws = new Ctor(opts.url);
    const opened = new Promise<WebSocketLike>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(ws));
      ws.addEventListener('error', () => reject(labError('Disconnected', 'cannot reach the lab: is `vpclab serve` still running, and is the token right?')));
    });
    ws.addEventListener('message', (ev) => onMessage((ev as MessageEvent).data));
    ws.addEventListener('close', () => {
      if (socket === current) socket = null;
      for (const [id, w] of waiting) {
        if (w.ws !== ws) continue;
        waiting.delete(id);
        w.reject(labError('Disconnected', 'the connection to the lab closed'));
      }
    });
    const current: Promise<WebSocketLike> = opened.then(async (s) => {
      // Listeners outlive a socket: a new one subscribes again before anything else.
      if (listeners.size > 0) await subscribeOn(s);
      return s;
    });
    current.catch(() => {
      if (socket === current) socket = null;
    });
    socket = current;
    return current;
  }

  function onMessage(data: unknown): void {
    let msg: { id?: number; result?: unknown; error?: { Code: string; Message: string; Param?: string }; event?: AppEvent };
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (msg.event) {
      for (const l of listeners) l(msg.event);
      return;
    }
    const w = msg.id !== undefined ? waiting.get(msg.id) : undefined;
    if (!w) return;
    waiting.delete(msg.id!);
    if (msg.error) w.reject(labError(msg.error.Code, msg.error.Message, msg.error.Param));
    else w.resolve(msg.result);
  }

  function request<T>(ws: WebSocketLike, method: string, params: unknown[]): Promise<T> {
    if (ws.readyState !== OPEN) return Promise.reject(labError('Disconnected', 'the connection to the lab closed'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { ws, resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async function subscribeOn(ws: WebSocketLike): Promise<void> {
    if (subscribedOn === ws) return;
    await request(ws, 'subscribe', []);
    subscribedOn = ws;
  }

  async function call(method: keyof LabService | keyof DeskService, ...params: unknown[]): Promise<unknown> {
    return request(await open(), method, params);
  }

  return {
    // Built from the services' method tables (src/main/api/methods.ts).
    ...clientOf<LabService & DeskService>(APP_SERVICE_METHODS, call),
    async subscribe(listener) {
      listeners.add(listener);
      try {
        await subscribeOn(await open());
      } catch (e) {
        listeners.delete(listener);
        throw e;
      }
      return () => void listeners.delete(listener);
    },
    close() {
      void socket?.then((ws) => ws.close()).catch(() => undefined);
      socket = null;
    },
  };
}

/** The lab's WebSocket for a page served by `vpclab serve` at `loc` (see src/main/serve/server.ts). */
export function labSocketUrl(loc: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(loc.search).get('token');
  // Without ?token= the cookie set by the first page load authorises the socket.
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/lab${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** Make `window.lab` the WebSocket client, unless the desktop app's preload set it already. */
export function installBrowserLab(win: Window = window): BrowserLab | null {
  if (win.lab || !/^https?:$/.test(win.location.protocol)) return null;
  const lab = createBrowserLab({ url: labSocketUrl(win.location) });
  win.lab = lab;
  return lab;
}
