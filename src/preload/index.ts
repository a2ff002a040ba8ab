// Preload: `window.lab` (LabService and DeskService) for a renderer that has no Node. Each
// method is a round trip to Electron main (`lab:<method>`), which answers desk calls itself
// and forwards lab calls to the lab runtime.
//
// Only an Error's message crosses the context bridge, so a failed call rejects with an
// Error whose message is `<Code>: <Message>` (e.g. `InvalidVpcId.NotFound: …`).

import { contextBridge, ipcRenderer } from 'electron';
import { APP_SERVICE_METHODS, type AppEvent, type DeskService } from '../main/api/desk-service';
import { clientOf } from '../main/api/methods';
import type { LabService } from '../main/api/lab-service';

type Reply = { ok: true; value: unknown } | { ok: false; error: { Code: string; Message: string } };

async function call(method: keyof LabService | keyof DeskService, ...args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(`lab:${method}`, ...args)) as Reply;
  if (!reply.ok) throw new Error(`${reply.error.Code}: ${reply.error.Message}`);
  return reply.value;
}

// Built from the services' method tables (src/main/api/methods.ts), which the compiler
// checks against the service interfaces.
const lab = clientOf<LabService & DeskService>(APP_SERVICE_METHODS, call);

/** Events pushed by Electron main (`lab:event`); resolves to an unsubscribe function, as in the browser. */
async function subscribe(listener: (e: AppEvent) => void): Promise<() => void> {
  const h = (_event: unknown, e: unknown): void => listener(e as AppEvent);
  ipcRenderer.on('lab:event', h);
  return () => void ipcRenderer.removeListener('lab:event', h);
}

contextBridge.exposeInMainWorld('lab', { ...lab, subscribe });
