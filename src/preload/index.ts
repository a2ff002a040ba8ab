// Preload: `window.lab` (LabService and DeskService) for a renderer that has no Node. Each
// method is a round trip to Electron main (`lab:<method>`), which answers desk calls itself
// and forwards lab calls to the lab runtime.
//
// Only an Error's message crosses the context bridge, so a failed call rejects with an
// Error whose message is `<Code>: <Message>` (e.g. `InvalidVpcId.NotFound: …`).

import { contextBridge, ipcRenderer } from 'electron';
import type { AppEvent, DeskService } from '../main/api/desk-service';
import type { LabService } from '../main/api/lab-service';

type Reply = { ok: true; value: unknown } | { ok: false; error: { Code: string; Message: string } };

async function call<T>(method: keyof LabService | keyof DeskService, ...args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(`lab:${method}`, ...args)) as Reply;
  if (!reply.ok) throw new Error(`${reply.error.Code}: ${reply.error.Message}`);
  return reply.value as T;
}

// Spelled out, not generated from the method lists: typed as the services, the compiler
// notices when a method is added there and not here.
const lab: LabService & DeskService = {
  status: () => call('status'),
  invoke: (action, params) => call('invoke', action, params),
  exec: (host, command, timeoutSec) => call('exec', host, command, timeoutSec),
  shellArgv: (host) => call('shellArgv', host),
  steps: () => call('steps'),
  runTo: (index) => call('runTo', index),
  counters: () => call('counters'),
  setTrace: (filter) => call('setTrace', filter),
  shutdown: () => call('shutdown'),
  library: () => call('library'),
  session: () => call('session'),
  start: (scenario) => call('start', scenario),
  stop: () => call('stop'),
  reset: () => call('reset'),
  openTerminal: (host, cols, rows) => call('openTerminal', host, cols, rows),
  writeTerminal: (id, data) => call('writeTerminal', id, data),
  resizeTerminal: (id, cols, rows) => call('resizeTerminal', id, cols, rows),
  closeTerminal: (id) => call('closeTerminal', id),
};

/** Events pushed by Electron main (`lab:event`); resolves to an unsubscribe function, as in the browser. */
async function subscribe(listener: (e: AppEvent) => void): Promise<() => void> {
  const h = (_event: unknown, e: unknown): void => listener(e as AppEvent);
  ipcRenderer.on('lab:event', h);
  return () => void ipcRenderer.removeListener('lab:event', h);
}

contextBridge.exposeInMainWorld('lab', { ...lab, subscribe });
