// The preload's window.lab with `electron` mocked: every LabService method is one IPC
// round trip, errors keep their Alibaba code, and events arrive through subscribe().

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LAB_SERVICE_METHODS } from '../../../src/main/api/lab-service';
import { DESK_SERVICE_METHODS } from '../../../src/main/api/desk-service';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, ((e: unknown, ...a: unknown[]) => void)[]>();
const invoke = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...a: unknown[]) => invoke(...a),
    on: (ch: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(ch, [...(listeners.get(ch) ?? []), l]),
    removeListener: (ch: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l)),
  },
}));

type Lab = Record<string, (...a: unknown[]) => Promise<unknown>>;

describe('preload: window.lab', () => {
  beforeEach(async () => {
    invoke.mockReset();
    await import('../../../src/preload/index');
  });

  it('exposes every LabService method plus subscribe, each a lab:<method> round trip', async () => {
    const lab = exposed.lab as Lab;
    expect(Object.keys(lab).sort()).toEqual([...LAB_SERVICE_METHODS, ...DESK_SERVICE_METHODS, 'subscribe'].sort());
    invoke.mockResolvedValue({ ok: true, value: { lab: 'x' } });
    await expect(lab.status()).resolves.toEqual({ lab: 'x' });
    await lab.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8' });
    expect(invoke).toHaveBeenLastCalledWith('lab:invoke', 'CreateVpc', { CidrBlock: '10.0.0.0/8' });
  });

  it('a failed call rejects with "<Code>: <Message>"', async () => {
    const lab = exposed.lab as Lab;
    invoke.mockResolvedValue({ ok: false, error: { Code: 'OperationDenied.ConflictOfAllZeroRouting', Message: 'routetable [vtb-1] exist all-zero route entry' } });
    await expect(lab.invoke('EnableVpcIpv4Gateway', {})).rejects.toThrow('OperationDenied.ConflictOfAllZeroRouting: routetable [vtb-1] exist all-zero route entry');
  });

  it('subscribe delivers lab:event payloads until unsubscribed', async () => {
    const lab = exposed.lab as unknown as { subscribe: (l: (e: unknown) => void) => Promise<() => void> };
    const got: unknown[] = [];
    const off = await lab.subscribe((e) => got.push(e));
    for (const l of listeners.get('lab:event') ?? []) l({}, { type: 'model', action: 'CreateVpc' });
    off();
    for (const l of listeners.get('lab:event') ?? []) l({}, { type: 'model', action: 'again' });
    expect(got).toEqual([{ type: 'model', action: 'CreateVpc' }]);
  });
});
