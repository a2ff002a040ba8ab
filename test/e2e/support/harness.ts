// The e2e harness: `vpclab --lab <name> serve <scenario>` as a child process, Debian's
// Chromium driven by playwright-core against the URL it prints, the page's console errors
// (CSP violations included) collected for a final assertion, and screenshots written to
// docs/screenshots/ for the README. One serve and one browser per test file keep the suite
// to a few minutes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { cleanupLab } from '../../../src/main/host/cleanup';
import { spawnServe, type ServeProcess } from '../../support/serve';
import { cannotRun } from '../../support/skip';

export const root = path.resolve(__dirname, '../../..');
const rendererDir = path.join(root, 'out', 'renderer');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(root, 'docs', 'screenshots');
export const SEED_004 = 'lab-scenarios/ipv4-gateway-proxy.yaml';

/** Why this machine cannot run the e2e suite, or null when it can. */
function missing(): string | null {
  if (process.getuid?.() !== 0) return 'e2e tests need root (real namespaces and TUNs behind `vpclab serve`)';
  if (!fs.existsSync(path.join(root, 'dist', 'src', 'main', 'cli', 'main.js'))) return 'run `npm run build` first (dist/ is missing)';
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) return 'run `npm run build` first (out/renderer/index.html is missing)';
  if (!fs.existsSync(CHROMIUM)) return `no ${CHROMIUM} (Debian package chromium; scripts/install.sh installs it)`;
  return null;
}

/** True when the suite can run here; otherwise reports why for the file (test/support/skip.ts) and returns false. */
export function e2eReady(file: string): boolean {
  return !cannotRun(path.join(root, 'test', 'e2e', `${file}.test.ts`), missing());
}

export type Served = ServeProcess;

/** `vpclab --lab <lab> serve <scenario> --port 0`, resolved once it printed its URL. */
export function startServe(lab: string, scenario: string): Promise<Served> {
  return spawnServe(lab, [scenario, '--port', '0']);
}

/**
 * One serve, one lab and one browser for a whole test file: started in beforeAll, and in
 * afterAll the browser closed, serve stopped and the lab removed even if a test failed.
 * The result's fields are filled in once beforeAll has run.
 */
export function servedPage(lab: string, scenario: string): { served?: Served; b: Browsing } {
  const ctx = {} as { served?: Served; b: Browsing };
  beforeAll(async () => {
    ctx.served = await startServe(lab, scenario);
    ctx.b = await openBrowser(ctx.served.url);
  }, 180_000);
  afterAll(async () => {
    await ctx.b?.browser.close().catch(() => undefined);
    await stopServe(ctx.served);
    await cleanupLab(lab).catch(() => undefined);
  }, 120_000);
  return ctx;
}

/** Ctrl-C, as a user would: serve takes the lab it started down. SIGKILL after 60 s. */
export async function stopServe(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGINT');
  const code = await Promise.race([s.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
  if (code === 'timeout') {
    s.child.kill('SIGKILL');
    console.warn(`[e2e] serve of lab ${s.lab} did not stop on SIGINT; killed\n${s.stderr()}`);
  }
}

export interface Browsing {
  browser: Browser;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  errors: string[];
}

/** Chromium (headless, no sandbox as root), one page at 1280×800 with its errors collected. */
export async function openBrowser(url: string): Promise<Browsing> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  // Chromium reports a CSP violation as a console error too; the listener below catches
  // any the console would not (and says which directive).
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.exposeFunction('__e2eCsp', (v: string) => errors.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __e2eCsp: (v: string) => void }).__e2eCsp(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(url);
  return { browser, page, errors };
}

/** The view's PNG in docs/screenshots/, overwritten on each run. */
export async function shot(page: Page, view: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // No blinking caret or half-finished transition in the picture.
  await page.screenshot({ path: path.join(SCREENSHOTS, `${view}.png`), animations: 'disabled', caret: 'hide' });
}

/** Scrolls the views' container back to its top: views share it, so one keeps another's scroll. */
export async function scrollToTop(page: Page): Promise<void> {
  await page.locator('main').evaluate((e) => e.scrollTo(0, 0));
}

/** Opens a view by its navigation entry (hash routes: #guide, #console, …). */
export async function openView(page: Page, view: string): Promise<void> {
  const nav = page.getByTestId(`nav-${view}`);
  if (await nav.count()) await nav.click();
  else await page.evaluate((v) => (location.hash = `#${v}`), view);
  await page.waitForFunction((v) => location.hash === `#${v}`, view);
}

/** Whether `pid` is `ancestor` or runs below it (by /proc's parent links). */
export function isDescendant(pid: number, ancestor: number): boolean {
  for (let p = pid, n = 0; p > 1 && n < 64; n++) {
    if (p === ancestor) return true;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

/** The window sizes a resize round goes through, ending at the harness's 1280×800. */
export const RESIZE_ROUND = [{ width: 1440, height: 900 }, { width: 1024, height: 700 }, { width: 800, height: 600 }, { width: 1440, height: 700 }, { width: 1280, height: 800 }];

/**
 * Each view (opened, then `ready` run on it, such as picking a Console tab) resized through
 * RESIZE_ROUND with no page error after any size; then the navigation still answers within 1 s.
 */
export async function resizeRound(b: Browsing, views: { view: string; ready?: () => Promise<void> }[]): Promise<void> {
  const { page, errors } = b;
  for (const { view, ready } of views) {
    await openView(page, view);
    await ready?.();
    for (const size of RESIZE_ROUND) {
      await page.setViewportSize(size);
      await page.waitForTimeout(250);
      await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      expect(errors, `after resizing to ${size.width}×${size.height} on ${view}`).toEqual([]);
    }
  }
  const t0 = Date.now();
  await page.getByTestId('nav-console').click({ timeout: 1_000 });
  await page.waitForFunction(() => location.hash === '#console', undefined, { timeout: 1_000 });
  expect(Date.now() - t0).toBeLessThan(1_000);
}
