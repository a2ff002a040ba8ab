// Driving the Guide view: run steps with its buttons and read each check's ✓/✗.

import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** How many steps the loaded tutorial has, from the Guide's "N of M steps run". */
export async function stepsTotal(page: Page): Promise<number> {
  const text = await page.getByTestId('steps-progress').innerText();
  const m = /^(\d+) of (\d+) steps run$/.exec(text);
  if (!m) throw new Error(`steps-progress reads "${text}"`);
  return Number(m[2]);
}

/**
 * Runs the tutorial up to step `n` with the Guide's own buttons: "Run step" on step n when
 * it is the next one, else "Run to here"; waits until the page says n steps have run.
 */
export async function runGuideTo(page: Page, n: number, how: 'run-step' | 'run-to'): Promise<void> {
  await page.getByTestId(`${how}-${n}`).click();
  await expect
    .poll(() => page.getByTestId('steps-progress').innerText(), { timeout: 120_000, interval: 250 })
    .toMatch(new RegExp(`^${n} of \\d+ steps run$`));
  // The step's card shows its verdict once its results are in.
  await expect.poll(() => page.getByTestId(`step-${n}-status`).innerText(), { timeout: 30_000 }).toMatch(/Passed|Failed/);
}

/** Every check on the page: its test id and mark (✓ passed, ✗ failed, ○ not run). */
export async function checkMarks(page: Page): Promise<{ id: string; mark: string }[]> {
  return page.$$eval('[data-testid^="check-"][data-testid$="-status"]', (els) =>
    els.map((e) => ({ id: e.getAttribute('data-testid')!, mark: (e.textContent ?? '').trim() })),
  );
}
