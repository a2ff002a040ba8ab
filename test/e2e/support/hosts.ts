// Running a command on a lab host from the Hosts view's command box, as a user does.

import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { openView } from './harness';

/**
 * Runs `command` on `host` from the Hosts view; resolves to its exit code and its output
 * (trimmed) once the result shown is this command's — the previous one's stays until then.
 */
export async function execOn(page: Page, host: string, command: string): Promise<{ code: string; out: string }> {
  await openView(page, 'hosts');
  await page.getByTestId('exec-host').selectOption(host);
  await page.getByTestId('exec-command').fill(command);
  await page.getByTestId('exec-run').click();
  const mine = async (): Promise<boolean> =>
    (await page.getByTestId('exec-run').innerText()) === 'Run' && (await page.getByTestId('exec-result').innerText().catch(() => '')).includes(`[root@${host} ~]# ${command}`);
  await expect.poll(mine, { timeout: 20_000, interval: 100 }).toBe(true);
  return { code: await page.getByTestId('exec-code').innerText(), out: (await page.getByTestId('exec-stdout').innerText()).trim() };
}
