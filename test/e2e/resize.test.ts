// Resizing the window with any view open, as a user drags the window's corner: the page
// logs no error (Svelte's effect_update_depth_exceeded among them, which an effect that
// writes what it reads throws in a loop) and stays responsive — a click on the navigation
// still switches views at once. Every view is opened first, so each is mounted (views stay
// mounted while hidden) and each is the shown one during a round of resizes. One lab
// (t-e2e-resize), one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { VIEWS } from '../../src/renderer/src/lib/nav';
import { e2eReady, openView, servedPage } from './support/harness';

const LAB = 't-e2e-resize';
const ready = e2eReady('resize');

/** 1440×900 → 1024×700 → 1440×700 → 800×600 and back, the sizes issue 10 names. */
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
  { width: 1440, height: 700 },
  { width: 800, height: 600 },
  { width: 1440, height: 700 },
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];

/** Resolves once the page has run two animation frames: it is not stuck in a loop. */
async function frames(page: Page, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await Promise.race([
    page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no animation frame within ${timeoutMs} ms: the page hangs`)), timeoutMs)),
  ]);
  return Date.now() - t0;
}

describe.skipIf(!ready)('resizing the window with every view open', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/vpc-basics.yaml');

  it('opens every view, then resizes through 1440×900 → 1024×700 → 1440×700 → 800×600 and back on each', async () => {
    const { page, errors } = ctx.b;
    await openView(page, 'library');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 60_000 }).toMatch(/^up$/i);
    for (const v of VIEWS) {
      await openView(page, v.id);
      await page.locator(`section.view[aria-label="${v.label}"]`).waitFor();
    }
    // The topology map is drawn (its nodes measured) before the window moves under it.
    await openView(page, 'topology');
    await page.getByTestId('topo-map').locator('.svelte-flow__node').first().waitFor();

    for (const v of VIEWS) {
      await openView(page, v.id);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // A resize loop shows within a frame or two; give it a few hundred ms to start.
        await page.waitForTimeout(250);
        await frames(page, 2_000);
        expect(errors, `after resizing to ${size.width}×${size.height} on ${v.label}`).toEqual([]);
      }
    }
  }, 240_000);

  it('stays responsive after the resizes: a click on the navigation switches views within a second', async () => {
    const { page } = ctx.b;
    await openView(page, 'topology');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(300);
    for (const target of ['guide', 'topology', 'console', 'topology'] as const) {
      const t0 = Date.now();
      await page.getByTestId(`nav-${target}`).click({ timeout: 1_000 });
      await page.waitForFunction((v) => location.hash === `#${v}`, target, { timeout: 1_000 });
      const label = VIEWS.find((v) => v.id === target)!.label;
      await page.locator(`section.view[aria-label="${label}"]`).waitFor({ state: 'visible', timeout: 1_000 });
      expect(Date.now() - t0).toBeLessThan(1_000);
    }
    expect(await frames(page, 1_000)).toBeLessThan(1_000);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('the map is fitted to its pane again when the window changes size', async () => {
    const { page } = ctx.b;
    await openView(page, 'topology');
    const viewport = page.getByTestId('topo-map').locator('.svelte-flow__viewport');
    const zoom = async (): Promise<number> => {
      const t = (await viewport.getAttribute('style')) ?? '';
      const m = /scale\(([\d.]+)\)/.exec(t);
      if (!m) throw new Error(`no scale in the viewport's transform: ${t}`);
      return Number(m[1]);
    };
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForTimeout(400);
    const large = await zoom();
    await page.setViewportSize({ width: 800, height: 600 });
    // The whole map in a smaller pane: it is drawn smaller.
    await expect.poll(zoom, { timeout: 5_000 }).toBeLessThan(large);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
