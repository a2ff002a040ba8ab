// Electron main: one window, and the desk (src/main/desk/) behind `window.lab`: it starts,
// supervises and restarts the lab runtime and runs the terminals. Kept to window plumbing
// because the Electron binary is not available on the build machines: what can be tested
// lives in ./desk/, ./desktop/ and ./api/.

import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DESK_SERVICE_METHODS } from './api/desk-service';
import { LAB_SERVICE_METHODS } from './api/lab-service';
import { Desk } from './desk/desk';
import { superviseRuntime } from './desk/launchers';
import { scenariosDir } from './desk/library';
import { isExternalDocLink } from './desktop/links';
import { DEFAULT_SCENARIO, DESKTOP_LAB } from './desktop/supervisor';

// electron-vite sets this in `electron-vite dev`; the built app loads its own files.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

// The same policy as the <meta> in src/renderer/index.html; both apply, so the stricter
// wins. Vite's dev server needs inline styles and its HMR WebSocket.
const CSP = devServerUrl
  ? "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  : "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const rendererFile = path.join(__dirname, '..', 'renderer', 'index.html');

// The desk starts, supervises and restarts the lab runtime (under this binary, with
// ELECTRON_RUN_AS_NODE) and answers `window.lab`; see src/main/desk/.
const desk = new Desk({
  lab: DESKTOP_LAB,
  scenariosDir: scenariosDir(app.getAppPath()),
  launch: superviseRuntime({
    appRoot: app.getAppPath(),
    lab: DESKTOP_LAB,
    onLog: (stream, line) => (stream === 'stderr' ? console.error : console.log)(`[runtime] ${line}`),
  }),
});

function isOwnPage(url: string | undefined): boolean {
  if (!url) return false;
  if (devServerUrl) return url.startsWith(devServerUrl);
  return url.split(/[?#]/)[0] === pathToFileURL(rendererFile).href;
}

function forwardToDesk(): void {
  for (const method of [...LAB_SERVICE_METHODS, ...DESK_SERVICE_METHODS]) {
    ipcMain.handle(`lab:${method}`, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      // Only our own page may drive the lab (an injected frame could otherwise).
      if (!isOwnPage(event.senderFrame?.url)) return { ok: false, error: { Code: 'Forbidden', Message: 'not the vpclab page' } };
      try {
        const fn = desk[method] as (...a: unknown[]) => Promise<unknown>;
        return { ok: true, value: await fn.apply(desk, args) };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false, error: { Code: err.code ?? 'LabError', Message: err.message } };
      }
    });
  }
  // Events (trace, step, check, model, session, terminal) go to our own page only.
  void desk.subscribe((e) => {
    for (const w of BrowserWindow.getAllWindows()) if (isOwnPage(w.webContents.getURL())) w.webContents.send('lab:event', e);
  });
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // A tutorial's source link (target=_blank) opens in the user's browser, never in the app.
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalDocLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'vpclab',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
}

function startLab(): void {
  // scripts/lab.sh passes the scenario it was given; otherwise the default tutorial.
  const scenario = process.env.VPCLAB_SCENARIO ? path.resolve(process.env.VPCLAB_SCENARIO) : path.join(app.getAppPath(), DEFAULT_SCENARIO);
  desk.open(scenario).catch((e: Error) => {
    // The page shows the failed session with this message and offers the library.
    console.error(`vpclab: the lab did not start: ${e.message}`);
  });
}

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => lockDown(contents));

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  // Tear the lab down (namespaces, services, terminals) before we go.
  event.preventDefault();
  quitting = true;
  void desk.close().finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  forwardToDesk();
  startLab();
  createWindow();
});
