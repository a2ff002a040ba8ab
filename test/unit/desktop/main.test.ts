// Electron main with `electron` mocked: the window's web preferences, the CSP header,
// navigation and new windows blocked, one IPC handler per LabService and DeskService method
// answered by the desk (the runtime behind it mocked), calls from a foreign page refused,
// and events forwarded to our page.

import { describe, expect, it, vi } from 'vitest';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DESK_SERVICE_METHODS } from '../../../src/main/api/desk-service';
import { LAB_SERVICE_METHODS } from '../../../src/main/api/lab-service';

const handlers = new Map<string, (event: unknown, ...a: unknown[]) => Promise<unknown>>();
const appEvents = new Map<string, (...a: unknown[]) => void>();
const windows: { options: Record<string, unknown>; sent: unknown[][]; url: string }[] = [];
const opened: string[] = [];
let headersHook: ((d: unknown, cb: (r: unknown) => void) => void) | undefined;
let eventListener: ((e: unknown) => void) | undefined;

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: { getURL: () => string; send: (...a: unknown[]) => void };
    constructor(options: Record<string, unknown>) {
      const w = { options, sent: [] as unknown[][], url: '' };
      windows.push(w);
      this.webContents = { getURL: () => w.url, send: (...a: unknown[]) => void w.sent.push(a) };
    }
    static getAllWindows = () => windows.map((w) => ({ webContents: { getURL: () => w.url, send: (...a: unknown[]) => void w.sent.push(a) } }));
    once() {}
    show() {}
    loadFile = async () => undefined;
    loadURL = async () => undefined;
  }
  return {
    app: {
      isPackaged: false,
      enableSandbox: () => undefined,
      getAppPath: () => '/app',
      on: (ev: string, l: (...a: unknown[]) => void) => appEvents.set(ev, l),
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
    },
    BrowserWindow,
    shell: { openExternal: async (url: string) => void opened.push(url) },
    ipcMain: { handle: (ch: string, h: (event: unknown, ...a: unknown[]) => Promise<unknown>) => handlers.set(ch, h) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: (h: typeof headersHook) => (headersHook = h) },
      },
    },
  };
});

vi.mock('../../../src/main/desktop/supervisor', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  spawnRuntime: () => ({ pid: 1, ready: Promise.resolve('/run/vpclab/desktop.sock'), stop: async () => undefined }),
}));

vi.mock('../../../src/main/api/client', () => ({
  LabClient: {
    connect: async () => ({
      subscribe: async (l: (e: unknown) => void) => void (eventListener = l),
      status: async () => ({ lab: 'desktop' }),
      invoke: async () => {
        throw Object.assign(new Error('nope'), { code: 'InvalidVpcId.NotFound' });
      },
      close: () => undefined,
    }),
  },
}));

describe('Electron main (electron mocked)', async () => {
  await import('../../../src/main/index');
  await new Promise((r) => setTimeout(r, 10));
  // index.ts loads ../renderer/index.html relative to its own directory (src/main here).
  const ownPage = pathToFileURL(path.resolve(__dirname, '../../../src/renderer/index.html')).href;

  it('opens one window with context isolation, sandbox and no Node', () => {
    expect(windows).toHaveLength(1);
    const prefs = windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });

  it('sets a strict CSP on every response', () => {
    let headers: Record<string, string[]> = {};
    headersHook!({ responseHeaders: {} }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['Content-Security-Policy'][0]).toMatch(/default-src 'none'; script-src 'self'/);
  });

  it('blocks navigation and new windows in every web contents; a document link opens in the user\'s browser', () => {
    const prevented: string[] = [];
    const on = new Map<string, (e: { preventDefault: () => void }) => void>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    appEvents.get('web-contents-created')!({}, {
      on: (ev: string, l: (e: { preventDefault: () => void }) => void) => on.set(ev, l),
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (openHandler = h),
    });
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) on.get(ev)!({ preventDefault: () => prevented.push(ev) });
    expect(prevented).toEqual(['will-navigate', 'will-redirect', 'will-attach-webview']);
    const doc = 'https://www.alibabacloud.com/help/en/vpc/user-guide/create-and-manage-an-ipv4-gateway';
    for (const url of [doc, 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com/']) {
      expect(openHandler!({ url })).toEqual({ action: 'deny' }); // never a window of the app's own
    }
    expect(opened).toEqual([doc]);
  });

  it('forwards each LabService and DeskService method; errors keep their code; foreign pages are refused', async () => {
    expect([...handlers.keys()].sort()).toEqual([...LAB_SERVICE_METHODS, ...DESK_SERVICE_METHODS].map((m) => `lab:${m}`).sort());
    const own = { senderFrame: { url: ownPage } };
    // The desk started the default tutorial at launch, with the app's own scenario file.
    await expect(handlers.get('lab:session')!(own)).resolves.toMatchObject({ ok: true, value: { state: 'up', lab: 'desktop', scenario: 'vpc-basics.yaml' } });
    await expect(handlers.get('lab:status')!(own)).resolves.toEqual({ ok: true, value: { lab: 'desktop' } });
    await expect(handlers.get('lab:invoke')!(own, 'DescribeVpcs', {})).resolves.toEqual({ ok: false, error: { Code: 'InvalidVpcId.NotFound', Message: 'nope' } });
    await expect(handlers.get('lab:status')!({ senderFrame: { url: 'https://evil.example/' } })).resolves.toEqual({ ok: false, error: { Code: 'Forbidden', Message: 'not the vpclab page' } });
  });

  it('sends lab events to our own page only', () => {
    windows[0].url = ownPage;
    eventListener!({ type: 'model', action: 'CreateVpc' });
    windows[0].url = 'https://evil.example/';
    eventListener!({ type: 'model', action: 'again' });
    expect(windows[0].sent).toEqual([['lab:event', { type: 'model', action: 'CreateVpc' }]]);
  });
});
