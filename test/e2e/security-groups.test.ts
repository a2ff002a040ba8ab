// The Console's Security Groups and Network ACLs panels end to end on the security-groups
// tutorial (lab-scenarios/security-groups.yaml), as a user clicks them in a browser against
// `vpclab serve`, with real packets between the hosts: the groups with their type, instances
// and rules in evaluation order; a rule refused next to its port field, then a Drop rule that
// closes HTTP (curl from the Internet fails), modified to a priority after the Accept rule
// (curl works again), and deleted; internal
// access switched off and on; an instance joining and leaving a group; then a network ACL
// created, given an inbound entry, associated with the database's vSwitch — the query goes in
// but the answer dies (stateless) until an outbound entry lets it out — entries moved and
// deleted, the vSwitch unassociated and the ACL deleted. Screenshots go to docs/screenshots/.
// One lab (t-e2e-sg), one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleTab } from './support/console';
import { e2eReady, openView, resizeRound, servedPage, shot } from './support/harness';
import { execOn } from './support/hosts';
import { internalWords } from './support/internal-words';

const LAB = 't-e2e-sg';
const ready = e2eReady('security-groups');

async function done(page: Page, action: string): Promise<void> {
  await expect.poll(() => page.getByTestId('action-done').innerText().catch(() => ''), { timeout: 10_000 }).toMatch(new RegExp(`${action} succeeded`));
}

async function confirm(page: Page, testid: string): Promise<void> {
  await page.getByTestId(testid).click();
  await page.getByTestId(`${testid}-confirm`).click();
}

/** Opens a group's rules (Manage), unless they are open already. */
async function manageGroup(page: Page, name: string): Promise<void> {
  await openView(page, 'console');
  await consoleTab(page, 'security-groups');
  const manage = page.getByTestId(`sg-manage-${name}`);
  if ((await manage.getAttribute('aria-pressed')) !== 'true') await manage.click();
  await expect.poll(() => page.getByTestId('sg-detail').innerText()).toContain(`/ ${name}`);
}

async function manageAcl(page: Page, name: string): Promise<void> {
  await openView(page, 'console');
  await consoleTab(page, 'network-acls');
  const manage = page.getByTestId(`nacl-manage-${name}`);
  if ((await manage.getAttribute('aria-pressed')) !== 'true') await manage.click();
  await expect.poll(() => page.getByTestId('nacl-detail').innerText()).toContain(`/ ${name}`);
}

const ruleRows = (page: Page, dir: 'ingress' | 'egress') => page.getByTestId(`sg-rules-${dir}`).locator('tbody tr');
const curlWeb = (page: Page) => execOn(page, 'client', 'curl -s -m 3 http://47.96.1.10/');
const mysql = (page: Page) => execOn(page, 'web', 'echo hello | nc -w 2 192.168.2.20 3306');

/** Fills the open Add Entry form and submits it. */
async function addEntry(page: Page, e: { name: string; port: string; cidr: string }): Promise<void> {
  await page.getByTestId('nacl-entry-form').waitFor();
  await page.getByTestId('nacl-entry-name').fill(e.name);
  await page.getByTestId('nacl-entry-protocol').selectOption('tcp');
  await page.getByTestId('nacl-entry-port').fill(e.port);
  await page.getByTestId('nacl-entry-cidr').fill(e.cidr);
  await page.getByTestId('nacl-entry-form-submit').click();
  await done(page, 'UpdateNetworkAclEntries');
  await expect.poll(() => page.getByTestId('nacl-entry-form').count()).toBe(0);
}

describe.skipIf(!ready)('the Console on the security-groups tutorial: Security Groups and Network ACLs panels, with real packets', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/security-groups.yaml');

  it('lists the groups with their type, instances and internal access, in the cloud console\'s words', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toMatch(/^up$/i);
    await consoleTab(page, 'security-groups');
    await page.getByTestId('sg-sg-web').waitFor();
    expect(await page.getByTestId('sg-type-sg-web').innerText()).toBe('Basic');
    expect(await page.getByTestId('sg-instances-sg-web').innerText()).toBe('web');
    expect(await page.getByTestId('sg-instances-sg-db').innerText()).toBe('db');
    expect(await page.getByTestId('sg-inner-sg-web').innerText()).toBe('Interconnected');
    expect(await page.getByTestId('sg-note').innerText()).toMatch(/smaller priority number applies, and at one priority Drop wins/);
    expect(internalWords(await page.getByTestId('console-panel-security-groups').innerText())).toEqual([]);
    // The ECS list names each instance's groups.
    await consoleTab(page, 'ecs');
    expect(await page.getByTestId('ecs-groups-web').innerText()).toBe('sg-web');
    expect(await page.getByTestId('ecs-groups-admin').innerText()).toBe('sg-admin');
  }, 180_000);

  it('shows sg-web\'s inbound rules in the order they are evaluated, and what applies when none matches', async () => {
    const { page } = ctx.b;
    await manageGroup(page, 'sg-web');
    const rows = await ruleRows(page, 'ingress').allInnerTexts();
    // ICMP at priority 1 before HTTP at priority 10; the last row is the group's default.
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^1\s+1\s+Accept\s+ICMP\s+0\.0\.0\.0\/0/);
    expect(rows[1]).toMatch(/^2\s+10\s+Accept\s+TCP 80\/80\s+0\.0\.0\.0\/0\s+HTTP from anywhere/);
    expect(rows[2]).toMatch(/When no rule matches:\s+Allowed only from instances in this group/);
    expect(await page.getByTestId('sg-rule-egress-default').innerText()).toMatch(/When no rule matches:\s+Allowed$/);
    expect(await page.getByTestId('sg-members').innerText()).toMatch(/web\s+192\.168\.1\.10\s+sg-web/);
    await page.getByTestId('sg-detail').scrollIntoViewIfNeeded();
    await shot(page, 'console-security-group');
  }, 60_000);

  it('a rule with a bad port range is refused next to the port field; a Drop rule at priority 1 closes HTTP, at priority 20 (after the Accept at 10) it does not, and it is deleted', async () => {
    const { page } = ctx.b;
    expect((await curlWeb(page)).out).toBe('47.83.1.59');
    await manageGroup(page, 'sg-web');
    await page.getByTestId('sg-rule-add').click();
    const form = page.getByTestId('sg-rule-form');
    await form.waitFor();
    await page.getByTestId('sg-rule-policy').selectOption('drop');
    await page.getByTestId('sg-rule-protocol').selectOption('tcp');
    await page.getByTestId('sg-rule-ports').fill('80/99999');
    await page.getByTestId('sg-rule-priority').fill('1');
    await page.getByTestId('sg-rule-form-submit').click();
    await form.getByTestId('field-error-PortRange').waitFor();
    await page.getByTestId('sg-rule-ports').fill('80');
    await page.getByTestId('sg-rule-description').fill('closed by the trainer');
    await page.getByTestId('sg-rule-form-submit').click();
    await done(page, 'AuthorizeSecurityGroup');
    await expect.poll(() => form.count()).toBe(0);
    const first = ruleRows(page, 'ingress').first();
    await expect.poll(() => first.innerText()).toMatch(/^1\s+1\s+Drop\s+TCP 80\/80\s+0\.0\.0\.0\/0\s+closed by the trainer/);
    const id = (await first.getAttribute('data-testid'))!.replace(/^sg-rule-ingress-/, '');

    expect((await curlWeb(page)).code).not.toBe('0');

    // Modified to priority 20, the Drop rule comes after the Accept rule at 10: HTTP is open again.
    await manageGroup(page, 'sg-web');
    await page.getByTestId(`sg-rule-modify-${id}`).click();
    await form.waitFor();
    expect(await page.getByTestId('sg-rule-ports').inputValue()).toBe('80/80');
    await page.getByTestId('sg-rule-priority').fill('20');
    await page.getByTestId('sg-rule-form-submit').click();
    await done(page, 'ModifySecurityGroupRule');
    await expect.poll(() => ruleRows(page, 'ingress').nth(2).innerText()).toMatch(/^3\s+20\s+Drop\s+TCP 80\/80/);
    expect((await curlWeb(page)).out).toBe('47.83.1.59');

    await manageGroup(page, 'sg-web');
    await confirm(page, `sg-rule-delete-${id}`);
    await done(page, 'RevokeSecurityGroup');
    await expect.poll(() => page.getByTestId(`sg-rule-ingress-${id}`).count()).toBe(0);
    expect((await curlWeb(page)).out).toBe('47.83.1.59');
  }, 120_000);

  it('switches internal access off and on, and an instance joins and leaves a group', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'security-groups');
    await page.getByTestId('sg-inner-toggle-sg-web').click();
    await done(page, 'ModifySecurityGroupPolicy');
    await expect.poll(() => page.getByTestId('sg-inner-sg-web').innerText()).toBe('Isolated');
    await page.getByTestId('sg-inner-toggle-sg-web').click();
    await expect.poll(() => page.getByTestId('sg-inner-sg-web').innerText()).toBe('Interconnected');

    await manageGroup(page, 'sg-admin');
    await page.getByTestId('sg-join-instance').selectOption({ label: (await page.getByTestId('sg-join-instance').locator('option', { hasText: /^db / }).innerText()).trim() });
    await page.getByTestId('sg-join').click();
    await done(page, 'JoinSecurityGroup');
    await page.getByTestId('sg-member-db').waitFor();
    expect(await page.getByTestId('sg-instances-sg-admin').innerText()).toBe('admin, db');
    await confirm(page, 'sg-leave-db');
    await done(page, 'LeaveSecurityGroup');
    await expect.poll(() => page.getByTestId('sg-member-db').count()).toBe(0);
  }, 60_000);

  it('a network ACL on the database\'s vSwitch is stateless: the answer needs an outbound entry; entries move and go; then the ACL goes', async () => {
    const { page } = ctx.b;
    expect((await mysql(page)).out).toBe('hello');
    await openView(page, 'console');
    await consoleTab(page, 'network-acls');
    expect(await page.getByTestId('nacl-note').innerText()).toMatch(/first that matches applies[\s\S]*stateless/);
    await page.getByTestId('nacl-create').click();
    await page.getByTestId('nacl-create-form').waitFor();
    await page.getByTestId('nacl-create-name').fill('acl-ui');
    await page.getByTestId('nacl-create-form-submit').click();
    await done(page, 'CreateNetworkAcl');
    await manageAcl(page, 'acl-ui');

    await page.getByTestId('nacl-entry-add').click();
    await addEntry(page, { name: 'mysql-in', port: '3306', cidr: '192.168.1.0/24' });
    expect(await page.getByTestId('nacl-entry-ingress-1').innerText()).toMatch(/^1\s+mysql-in\s+Accept\s+TCP 3306\/3306\s+192\.168\.1\.0\/24\s+Custom/);
    await page.getByTestId('nacl-associate-vswitch').selectOption({ label: (await page.getByTestId('nacl-associate-vswitch').locator('option', { hasText: /^vsw-db / }).innerText()).trim() });
    await page.getByTestId('nacl-associate').click();
    await done(page, 'AssociateNetworkAcl');
    await page.getByTestId('nacl-vswitch-vsw-db').waitFor();

    // No outbound entry: the answer to the web server's ephemeral port is denied.
    expect((await mysql(page)).out).not.toBe('hello');

    await manageAcl(page, 'acl-ui');
    await page.getByTestId('nacl-entry-add-egress').click();
    await addEntry(page, { name: 'replies-out', port: '1024/65535', cidr: '192.168.1.0/24' });
    expect(await page.getByTestId('nacl-entry-egress-1').innerText()).toMatch(/replies-out\s+Accept\s+TCP 1024\/65535\s+192\.168\.1\.0\/24/);
    expect((await mysql(page)).out).toBe('hello');

    // A second inbound entry, placed first, then moved down: the order is the list's.
    await manageAcl(page, 'acl-ui');
    await page.getByTestId('nacl-entry-add').click();
    await page.getByTestId('nacl-entry-position').selectOption('1');
    await addEntry(page, { name: 'ssh-in', port: '22', cidr: '10.0.0.0/8' });
    expect(await page.getByTestId('nacl-entry-ingress-1').innerText()).toMatch(/ssh-in/);
    await page.getByTestId('nacl-entry-down-ingress-1').click();
    await done(page, 'UpdateNetworkAclEntries');
    await expect.poll(() => page.getByTestId('nacl-entry-ingress-1').innerText()).toMatch(/mysql-in/);
    expect(await page.getByTestId('nacl-entry-ingress-2').innerText()).toMatch(/ssh-in/);
    expect(internalWords(await page.getByTestId('console-panel-network-acls').innerText())).toEqual([]);
    await page.getByTestId('nacl-detail').scrollIntoViewIfNeeded();
    await shot(page, 'console-network-acl');

    await confirm(page, 'nacl-entry-delete-ingress-2');
    await done(page, 'UpdateNetworkAclEntries');
    await expect.poll(() => page.getByTestId('nacl-entry-ingress-2').count()).toBe(0);

    // Delete is refused while a vSwitch is associated; unassociated, it goes, and MySQL is open again.
    await confirm(page, 'nacl-delete-acl-ui');
    await expect.poll(() => page.getByTestId('error-alert-code').first().innerText().catch(() => '')).not.toBe('');
    await manageAcl(page, 'acl-ui');
    await confirm(page, 'nacl-unassociate-vsw-db');
    await done(page, 'UnassociateNetworkAcl');
    await confirm(page, 'nacl-delete-acl-ui');
    await done(page, 'DeleteNetworkAcl');
    await expect.poll(() => page.getByTestId('nacl-acl-ui').count()).toBe(0);
    expect((await mysql(page)).out).toBe('hello');
  }, 120_000);

  it('a connection to a closed port is traced: the Trace names the group that had no rule for it, the Topology marks the instance it died at', async () => {
    const { page } = ctx.b;
    await openView(page, 'trace');
    await page.getByTestId('trace-filter').fill('host=client proto=tcp');
    await page.getByTestId('trace-start').click();
    await expect.poll(async () => (await page.getByTestId('trace-state').innerText()).replace(/\s+/g, ' ')).toBe('Tracing host=client proto=tcp');
    expect((await execOn(page, 'client', 'nc -z -w 2 47.96.1.10 22')).code).not.toBe('0');
    await openView(page, 'trace');
    const syn = page.getByTestId('trace-record').filter({ hasText: /47\.96\.1\.10\.22: Flags \[S\]/ }).first();
    await syn.waitFor();
    await syn.click();
    await expect.poll(() => page.getByTestId('trace-verdict').innerText()).toMatch(/dropped at web: no inbound rule of its security groups \(sg-\w+ \(sg-web\)\) accepts tcp port 22 from 47\.83\.1\.59/);
    await page.getByTestId('trace-stop').click();
    await page.getByTestId('trace-show-topology').click();
    await page.waitForFunction(() => location.hash === '#topology');
    await expect.poll(async () => (await page.getByTestId('topo-node-web').getAttribute('class')) ?? '').toMatch(/\bdrop-at\b/);
    expect((await page.getByTestId('topo-path-hop').allInnerTexts()).join('\n')).toMatch(/no inbound rule of its security groups/);
    expect(internalWords(await page.locator('section.view[aria-label="Topology"]').innerText())).toEqual([]);
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.waitForTimeout(500);
    await shot(page, 'topology-sg-drop');
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('resizing the window on both panels logs nothing and keeps the page responsive', async () => {
    const { page } = ctx.b;
    await resizeRound(ctx.b, [
      { view: 'console', ready: () => consoleTab(page, 'security-groups') },
      { view: 'console', ready: () => consoleTab(page, 'network-acls') },
    ]);
  }, 60_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
