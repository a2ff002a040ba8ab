// Preload: `window.lab`, the LabService, for a renderer that has no Node. Each method is a
// round trip to Electron main (`lab:<method>`), which forwards it to the lab runtime.
//
// Only an Error's message crosses the context bridge, so a failed call rejects with an
// Error whose message is `<Code>: <Message>` (e.g. `InvalidVpcId.NotFound: …`).

import { contextBridge, ipcRenderer } from 'electron';
import type { LabEvent, LabService } from '../main/api/lab-service';

type Reply = { ok: true; value: unknown } | { ok: false; error: { Code: string; Message: string } };

async function call<T>(method: keyof LabService, ...args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(`lab:${method}`, ...args)) as Reply;
  if (!reply.ok) throw new Error(`${reply.error.Code}: ${reply.error.Message}`);
  return reply.value as T;
}

// Spelled out, not generated from LAB_SERVICE_METHODS: typed as LabService, the compiler
// notices when a method is added there and not here.
const lab: LabService = {
  status: () => call('status'),
  invoke: (action, params) => call('invoke', action, params),
  exec: (host, command, timeoutSec) => call('exec', host, command, timeoutSec),
  shellArgv: (host) => call('shellArgv', host),
  steps: () => call('steps'),
  runTo: (index) => call('runTo', index),
  counters: () => call('counters'),
  setTrace: (filter) => call('setTrace', filter),
  shutdown: () => call('shutdown'),
};

/** Events pushed by Electron main (`lab:event`); resolves to an unsubscribe function, as in the browser. */
async function subscribe(listener: (e: LabEvent) => void): Promise<() => void> {
  const h = (_event: unknown, e: unknown): void => listener(e as LabEvent);
  ipcRenderer.on('lab:event', h);
  return () => void ipcRenderer.removeListener('lab:event', h);
}

contextBridge.exposeInMainWorld('lab', { ...lab, subscribe });
