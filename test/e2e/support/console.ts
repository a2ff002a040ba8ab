// Driving the Console view: tabs, a route table's entries, the "Add Route Entry" form.

import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export type ConsoleTab = 'route-tables' | 'ipv4-gateways' | 'vpcs' | 'vswitches' | 'eips' | 'nat-gateways' | 'ecs' | 'security-groups' | 'network-acls' | 'gwlb' | 'vpn' | 'transit-routers';

export async function consoleTab(page: Page, tab: ConsoleTab): Promise<void> {
  await page.getByTestId(`console-tab-${tab}`).click();
  await page.getByTestId(`console-panel-${tab}`).waitFor();
}

/** Opens a route table's entries (Manage), unless they are open already. */
export async function manageRouteTable(page: Page, name: string): Promise<void> {
  await consoleTab(page, 'route-tables');
  const manage = page.getByTestId(`route-table-manage-${name}`);
  if ((await manage.getAttribute('aria-pressed')) !== 'true') await manage.click();
  await expect.poll(() => page.getByTestId('route-table-detail').innerText()).toContain(`/ ${name}`);
  await page.getByTestId('route-tab-custom').click();
}

/**
 * "Add Route Entry" on the open vSwitch route table, with the form's own fields; the next
 * hop is the option whose label names `hop` (an ECS or gateway name). Resolves once the
 * console says CreateRouteEntry succeeded.
 */
export async function addRouteEntry(page: Page, dest: string, type: 'Instance' | 'Ipv4Gateway' | 'GatewayLoadBalancerEndpoint', hop: string): Promise<void> {
  await page.getByTestId('route-add').click();
  const form = page.getByTestId('route-add-form');
  await form.waitFor();
  await page.getByTestId('route-dest').fill(dest);
  await page.getByTestId('route-nexthop-type').selectOption(type);
  const option = page.getByTestId('route-nexthop').locator('option', { hasText: hop });
  await expect.poll(() => option.count()).toBe(1);
  await page.getByTestId('route-nexthop').selectOption((await option.getAttribute('value'))!);
  await page.getByTestId('route-add-form-submit').click();
  await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/CreateRouteEntry succeeded/);
  await expect.poll(() => form.count()).toBe(0);
  await page.getByTestId(`route-entry-${dest}`).waitFor();
}

/** "Modify" on a custom entry of the open vSwitch route table: a new next hop (ModifyRouteEntry). */
export async function modifyRouteEntry(page: Page, dest: string, type: 'Instance' | 'Ipv4Gateway', hop: string): Promise<void> {
  await page.getByTestId(`route-modify-${dest}`).click();
  const form = page.getByTestId('route-modify-form');
  await form.waitFor();
  expect(await page.getByTestId('route-dest').inputValue()).toBe(dest);
  await page.getByTestId('route-nexthop-type').selectOption(type);
  const option = page.getByTestId('route-nexthop').locator('option', { hasText: hop });
  await expect.poll(() => option.count()).toBe(1);
  await page.getByTestId('route-nexthop').selectOption((await option.getAttribute('value'))!);
  await page.getByTestId('route-modify-form-submit').click();
  await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/ModifyRouteEntry succeeded/);
  await expect.poll(() => form.count()).toBe(0);
}
