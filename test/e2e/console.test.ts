// The Console end to end on seed 004 (lab-scenarios/ipv4-gateway-proxy.yaml), against
// `vpclab serve` in a browser: a refused activation shows the cloud's error code, and one
// tutorial step done by hand in the Console (step 4's route entry) has the same effect as
// the Guide doing it: the step's own check passes, and so do the steps after it. Then the
// lab's life cycle from the page: Reset in the Guide, and Restart after the runtime was
// killed. One lab (t-e2e-console), one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import { addRouteEntry, consoleTab, manageRouteTable, modifyRouteEntry } from './support/console';
import { checkMarks, runGuideTo } from './support/guide';
import { e2eReady, isDescendant, openView, SEED_004, servedPage, shot, type Browsing } from './support/harness';

const LAB = 't-e2e-console';
const ready = e2eReady('console');

/** The lab runtime's pid, from the page's own window.lab. */
const runtimePid = (page: Browsing['page']): Promise<number> =>
  page.evaluate(async () => (await (window as unknown as { lab: { status(): Promise<{ pid: number }> } }).lab.status()).pid);

describe.skipIf(!ready)('the Console on seed 004: an error code, and step 4 done by hand', () => {
  const ctx = servedPage(LAB, SEED_004);

  it('activating an IPv4 gateway over a table with 0.0.0.0/0 shows OperationDenied.ConflictOfAllZeroRouting, and changes nothing', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');

    // rt-a gets a default route (to ECS-B) before any gateway exists…
    await manageRouteTable(page, 'rt-a');
    await addRouteEntry(page, '0.0.0.0/0', 'Instance', 'ECS-B');

    // …then a new gateway is activated with rt-a chosen in the table picker (SEMANTICS B4.2).
    await consoleTab(page, 'ipv4-gateways');
    await page.getByTestId('igw-create').click();
    await page.getByTestId('igw-name').fill('igw-probe');
    await page.getByTestId('igw-create-form-submit').click();
    await expect.poll(() => page.getByTestId('igw-status-igw-probe').innerText()).toBe('Inactive');
    await page.getByTestId('igw-activate-igw-probe').click();
    await page.getByTestId('igw-activate-table-rt-a').check();
    await page.getByTestId('igw-activate-form-submit').click();

    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    expect(await page.getByTestId('error-alert-code').innerText()).toBe('OperationDenied.ConflictOfAllZeroRouting');
    expect(await page.getByTestId('error-alert-message').innerText()).toMatch(/^routetable \[vtb-\w+\] exist all-zero route entry$/);
    expect(await alert.innerText()).toContain('EnableVpcIpv4Gateway failed — nothing was changed');
    // Atomic: still Inactive, and the form stays open to correct the choice.
    expect(await page.getByTestId('igw-status-igw-probe').innerText()).toBe('Inactive');
    await shot(page, 'console-error');

    // Put the lab back as the tutorial starts it: no gateway, no default route in rt-a.
    await page.getByTestId('igw-activate-form-cancel').click();
    await page.getByTestId('igw-delete-igw-probe').click();
    await page.getByTestId('igw-delete-form-submit').click();
    await expect.poll(() => page.getByTestId('igw-igw-probe').count()).toBe(0);
    await manageRouteTable(page, 'rt-a');
    // Modify changes the entry's next hop in place (ModifyRouteEntry), then it goes.
    await modifyRouteEntry(page, '0.0.0.0/0', 'Instance', 'ECS-A');
    await expect.poll(() => page.getByTestId('route-entry-0.0.0.0/0').innerText()).toMatch(/0\.0\.0\.0\/0\s+ECS Instance\s+.*ECS-A/);
    await page.getByTestId('route-delete-0.0.0.0/0').click();
    await page.getByTestId('route-delete-0.0.0.0/0-confirm').click();
    await expect.poll(() => page.getByTestId('route-entry-0.0.0.0/0').count()).toBe(0);
  }, 120_000);

  it('step 4 through the Console: the route entry 8.8.4.4/32 → IPv4 gateway gives ECS-A 8.8.4.4 back, as the Guide step does', async () => {
    const { page } = ctx.b;
    // Steps 1–3 from the Guide: the gateway is active, and rt-a has no route to it yet.
    await openView(page, 'guide');
    await runGuideTo(page, 3, 'run-to');
    const before = await checkMarks(page);
    expect(before.filter((m) => /^check-[123]-/.test(m.id)).map((m) => m.mark)).toEqual(['✓', '✓', '✓', '✓', '✓']);
    // 3-5: ping 8.8.4.4 fails, dropped at rt-a for want of a route.
    expect(await page.getByTestId('check-3-1-trace').innerText()).toMatch(/dropped at vtb-\w+ \(rt-a\): no entry matches 8\.8\.4\.4/);

    // Step 4's action, by hand: Console › Route Tables › rt-a › Add Route Entry.
    await openView(page, 'console');
    await manageRouteTable(page, 'rt-a');
    await addRouteEntry(page, '8.8.4.4/32', 'Ipv4Gateway', 'igw-tokyo');
    const row = await page.getByTestId('route-entry-8.8.4.4/32').innerText();
    expect(row).toMatch(/8\.8\.4\.4\/32\s+IPv4 Gateway\s+.*igw-tokyo/);
    await page.getByTestId('route-table-detail').scrollIntoViewIfNeeded();
    await shot(page, 'console');

    // The effect, seen with step 4's own command from the Hosts view.
    await openView(page, 'hosts');
    await page.getByTestId('exec-host').selectOption('ECS-A');
    await page.getByTestId('exec-command').fill('ping -c 2 -W 1 8.8.4.4');
    await page.getByTestId('exec-run').click();
    await expect.poll(() => page.getByTestId('exec-code').innerText(), { timeout: 20_000 }).toBe('0');
    expect(await page.getByTestId('exec-stdout').innerText()).toContain('2 packets transmitted, 2 received');

    // Step 4 in the Guide now: its action finds the entry already there (the Console made
    // it), and its check passes on the Console's entry.
    await openView(page, 'guide');
    await runGuideTo(page, 4, 'run-step');
    expect(await page.getByTestId('action-4-1-outcome').innerText()).toMatch(/^Failed: .*VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE/);
    expect(await page.getByTestId('check-4-1-status').innerText()).toBe('✓');
    expect(await page.getByTestId('check-4-1-output').innerText()).toContain('2 received');

    // And the rest of the tutorial builds on it: every later check passes.
    await runGuideTo(page, 7, 'run-to');
    const marks = await checkMarks(page);
    expect(marks).toHaveLength(10);
    expect(marks.filter((m) => m.mark !== '✓'), JSON.stringify(marks)).toEqual([]);
    for (const i of [5, 6, 7]) expect(await page.getByTestId(`step-${i}-status`).innerText()).toBe('✓ Passed');
  }, 240_000);

  it('Reset in the Guide starts the tutorial again from step 1, on a new lab runtime', async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    const before = await runtimePid(page);
    await page.getByTestId('guide-reset').click();
    await expect.poll(() => page.getByTestId('steps-progress').innerText(), { timeout: 120_000, interval: 500 }).toBe('0 of 7 steps run');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toBe('up');
    expect(await runtimePid(page)).not.toBe(before);
    expect(await page.getByTestId('check-1-1-status').innerText()).toBe('○');
    // The fresh lab is the tutorial's start: rt-a holds only step 2's entry-to-be, none yet.
    await openView(page, 'console');
    await manageRouteTable(page, 'rt-a');
    await expect.poll(() => page.getByTestId('route-entries-custom').innerText()).toMatch(/No custom route entries/);
  }, 180_000);

  it('a crashed lab runtime shows the banner, and Restart brings the tutorial back', async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    const pid = await runtimePid(page);
    // Only ever the runtime this file's serve started.
    expect(isDescendant(pid, ctx.served!.child.pid!)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const banner = page.getByTestId('lab-crashed');
    await banner.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('session-state').innerText()).toBe('crashed');
    await page.getByTestId('lab-restart').click();
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toBe('up');
    await expect.poll(() => banner.count()).toBe(0);
    expect(await runtimePid(page)).not.toBe(pid);
    await expect.poll(() => page.getByTestId('steps-progress').innerText()).toBe('0 of 7 steps run');
    // The restarted lab works: step 1 from the Guide, both pings through the EIP.
    await runGuideTo(page, 1, 'run-step');
    expect(await page.getByTestId('step-1-status').innerText()).toBe('✓ Passed');
  }, 180_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
