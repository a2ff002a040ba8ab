// The renderer end to end on the GWLB tutorial (lab-scenarios/gwlb-firewall.yaml), as a user
// clicks it in a browser against `vpclab serve`: started from its Library card, every step run
// from the Guide with every check green; the Console's GWLB panel with both appliances Healthy,
// ECS_01 stopped from the Console and turning Unhealthy, started again; the rebalance switch,
// a backend removed and added back; GWLB endpoints as next hops in the route forms, with a
// refusal next to its field; a curl from the client traced through the GWLB, and its path on
// the Topology. Screenshots of the new views go to docs/screenshots/. One lab (t-e2e-gwlb),
// one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addRouteEntry, consoleTab, manageRouteTable } from './support/console';
import { checkMarks, runGuideTo, stepsTotal } from './support/guide';
import { e2eReady, openView, scrollToTop, servedPage, shot } from './support/harness';
import { internalWords } from './support/internal-words';

const LAB = 't-e2e-gwlb';
const ready = e2eReady('gwlb');
const TITLE = /^Internet boundary firewall — Gateway Load Balancer/;

type LabHandle = { lab: { invoke(a: string, p: object): Promise<Record<string, unknown>> } };
const invoke = (page: Page, action: string, params: object): Promise<Record<string, unknown>> =>
  page.evaluate(([a, p]) => (window as unknown as LabHandle).lab.invoke(a as string, p as object), [action, params] as const);

const health = (page: Page, ecs: string): Promise<string> => page.getByTestId(`health-${ecs}`).innerText();
const onPath = async (page: Page, name: string): Promise<boolean> =>
  /\bon-path\b/.test((await page.getByTestId(`topo-node-${name}`).getAttribute('class')) ?? '');

describe.skipIf(!ready)('the renderer on the GWLB tutorial: Guide, Console GWLB panel, Trace, Topology', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/vpc-basics.yaml');

  it('the Library starts the GWLB tutorial from its card', async () => {
    const { page } = ctx.b;
    await openView(page, 'library');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 60_000 }).toMatch(/^up$/i);
    const card = page.getByTestId('scenario-gwlb-firewall');
    await card.waitFor();
    expect(await card.innerText()).toMatch(/Internet boundary firewall — Gateway Load Balancer and an IPv4 gateway/);
    await page.getByTestId('start-gwlb-firewall').click();
    await expect.poll(() => page.getByTestId('scenario-title').innerText(), { timeout: 120_000, interval: 500 }).toMatch(TITLE);
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toMatch(/^up$/i);
    await expect.poll(() => card.innerText()).toMatch(/Running/);
  }, 180_000);

  it('the Guide runs every step and every check passes', async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    await expect.poll(() => page.getByTestId('scenario-title').innerText()).toMatch(TITLE);
    const total = await stepsTotal(page);
    expect(total).toBeGreaterThanOrEqual(10);
    // All of it at once ("Run to here" on the last step): about a minute of real checks.
    await runGuideTo(page, total, 'run-to');
    await expect.poll(() => page.getByTestId('run-next').innerText()).toBe('All steps run');
    const marks = await checkMarks(page);
    expect(marks.length).toBeGreaterThanOrEqual(20);
    expect(marks.filter((m) => m.mark !== '✓'), JSON.stringify(marks)).toEqual([]);
    for (let i = 1; i <= total; i++) expect(await page.getByTestId(`step-${i}-status`).innerText()).toBe('✓ Passed');
    // The refusals the tutorial expects are shown in the cloud's codes.
    const guide = await page.locator('section.view[aria-label="Guide"]').innerText();
    expect(guide).toContain('ResourceInUse.ServerGroup');
    expect(guide).toContain('EndpointZoneNotSupported');
    expect(internalWords(guide)).toEqual([]);
  }, 240_000);

  it('the Console shows the GWLB, its listener, both backends Healthy, the endpoint service and the Connected endpoints', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'gwlb');
    const panel = page.getByTestId('console-panel-gwlb');
    await expect.poll(() => page.getByTestId('gwlb-status-gwlb-fw').innerText()).toBe('Active');
    expect(await page.getByTestId('gwlb-gwlb-fw').innerText()).toMatch(/cn-wulanchabu-b: vsw-sec-b 10\.0\.1\.41[\s\S]*cn-wulanchabu-c: vsw-sec-c 10\.0\.3\.41/);
    expect(await page.getByTestId('listener-table').innerText()).toMatch(/IP \(all traffic\)[\s\S]*nva-group[\s\S]*350 s[\s\S]*Running/);
    // The last step started ECS_01 again: two passed checks, 2 s apart, and it is Healthy.
    await expect.poll(() => health(page, 'ECS_01'), { timeout: 20_000, interval: 500 }).toBe('Healthy');
    await expect.poll(() => health(page, 'ECS_02'), { timeout: 20_000, interval: 500 }).toBe('Healthy');
    expect(await page.getByTestId('sg-status-nva-group').innerText()).toBe('Available');
    expect(await page.getByTestId('sg-servers-nva-group').innerText()).toMatch(/10\.0\.1\.11\s+6081[\s\S]*10\.0\.3\.12\s+6081/);
    // The tutorial turned rebalancing off.
    expect(await page.getByTestId('sg-failover-nva-group').innerText()).toBe('Off (NoRebalance)');
    expect(await page.getByTestId('epsrv-status-fw-service').innerText()).toBe('Active');
    for (const ep of ['GWLBe_01', 'GWLBe_02']) {
      expect(await page.getByTestId(`endpoint-status-${ep}`).innerText()).toBe('Active');
      expect(await page.getByTestId(`endpoint-connection-${ep}`).innerText()).toBe('Connected');
    }
    expect(internalWords(await panel.innerText())).toEqual([]);
    // The instances and the group with both backends in sight.
    await page.getByTestId('sg-servers-nva-group').evaluate((e) => e.scrollIntoView({ block: 'end' }));
    await shot(page, 'console-gwlb');
  }, 90_000);

  it('Stop ECS_01 from the Console: it turns Unhealthy within seconds; Start: Healthy again', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'gwlb');
    await page.getByTestId('sg-server-stop-ECS_01').click();
    await page.getByTestId('sg-server-stop-ECS_01-confirm').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/StopInstances succeeded/);
    await expect.poll(() => page.getByTestId('sg-instance-status-ECS_01').innerText()).toBe('Stopped');
    // Two failed checks 2 s apart, read within the next 2 s: well within 10 s, nobody pressed Refresh.
    const t0 = Date.now();
    await expect.poll(() => health(page, 'ECS_01'), { timeout: 10_000, interval: 250 }).toMatch(/^Unhealthy/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await health(page, 'ECS_02')).toBe('Healthy');
    // The ECS list says so too.
    await consoleTab(page, 'ecs');
    expect(await page.getByTestId('ecs-status-ECS_01').innerText()).toBe('Stopped');
    expect(await page.getByTestId('ecs-ECS_01').innerText()).toMatch(/backend of nva-group/);
    await consoleTab(page, 'gwlb');
    await page.getByTestId('sg-nva-group').scrollIntoViewIfNeeded();
    await shot(page, 'console-gwlb-unhealthy');

    // Started from the ECS list this time.
    await consoleTab(page, 'ecs');
    await page.getByTestId('ecs-start-ECS_01').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/StartInstances succeeded/);
    await expect.poll(() => page.getByTestId('ecs-status-ECS_01').innerText()).toBe('Running');
    await consoleTab(page, 'gwlb');
    await expect.poll(() => health(page, 'ECS_01'), { timeout: 15_000, interval: 250 }).toBe('Healthy');
  }, 90_000);

  it('the rebalance switch, and a backend removed and added back, change the server group', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'gwlb');
    const mode = async (): Promise<string> =>
      ((await invoke(page, 'ListServerGroups', {})).ServerGroups as { ServerFailoverMode: string }[])[0].ServerFailoverMode;
    await page.getByTestId('sg-rebalance-nva-group').click();
    await expect.poll(() => page.getByTestId('sg-failover-nva-group').innerText()).toBe('On (Rebalance)');
    expect(await page.getByTestId('sg-rebalance-nva-group').getAttribute('aria-checked')).toBe('true');
    expect(await mode()).toBe('Rebalance');

    await page.getByTestId('sg-remove-ECS_02').click();
    await page.getByTestId('sg-remove-ECS_02-confirm').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/RemoveServersFromServerGroup succeeded/);
    await expect.poll(() => page.getByTestId('sg-server-ECS_02').count()).toBe(0);

    await page.getByTestId('sg-add-nva-group').click();
    const form = page.getByTestId('sg-add-form');
    await form.waitFor();
    await page.getByTestId('sg-add-server-ECS_02').check();
    await page.getByTestId('sg-add-form-submit').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/AddServersToServerGroup succeeded/);
    await expect.poll(() => form.count()).toBe(0);
    await page.getByTestId('sg-server-ECS_02').waitFor();
    // A new backend is health-checked from the start: Initial, then Healthy.
    await expect.poll(() => health(page, 'ECS_02'), { timeout: 15_000, interval: 250 }).toBe('Healthy');
  }, 90_000);

  it('route tables show GWLB endpoint next hops; Add Route Entry and the gateway table\'s Modify offer them', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    // The gateway route table: both application subnets to their zone's endpoint.
    await manageRouteTable(page, 'rt-igw');
    await expect.poll(() => page.getByTestId('route-entry-192.168.1.0/24').innerText()).toMatch(/GWLB Endpoint\s+GWLBe_01 \(ep-\w+\)/);
    expect(await page.getByTestId('route-entry-192.168.2.0/24').innerText()).toMatch(/GWLB Endpoint\s+GWLBe_02 \(ep-\w+\)/);
    await page.getByTestId('route-modify-192.168.1.0/24').click();
    await page.getByTestId('gateway-entry-form').waitFor();
    expect(await page.getByTestId('gateway-entry-nexthop-type').inputValue()).toBe('GatewayLoadBalancerEndpoint');
    const hops = await page.getByTestId('gateway-entry-nexthop').locator('option').allInnerTexts();
    expect(hops).toEqual([expect.stringMatching(/^GWLBe_01 \(ep-\w+, cn-wulanchabu-b, Connected\)$/), expect.stringMatching(/^GWLBe_02 \(ep-\w+, cn-wulanchabu-c, Connected\)$/)]);
    expect(await page.getByTestId('gateway-entry-nexthop').inputValue()).toBe(
      await page.getByTestId('gateway-entry-nexthop').locator('option', { hasText: 'GWLBe_01' }).getAttribute('value'),
    );
    await page.getByTestId('route-table-detail').scrollIntoViewIfNeeded();
    await shot(page, 'console-gwlb-routes');
    await page.getByTestId('gateway-entry-form-cancel').click();

    // rt-app-b already sends 0.0.0.0/0 to GWLBe_01: the refusal shows next to the destination.
    await manageRouteTable(page, 'rt-app-b');
    await page.getByTestId('route-add').click();
    const form = page.getByTestId('route-add-form');
    await form.waitFor();
    await page.getByTestId('route-dest').fill('0.0.0.0/0');
    await page.getByTestId('route-nexthop-type').selectOption('GatewayLoadBalancerEndpoint');
    const option = page.getByTestId('route-nexthop').locator('option', { hasText: 'GWLBe_01' });
    await page.getByTestId('route-nexthop').selectOption((await option.getAttribute('value'))!);
    await page.getByTestId('route-add-form-submit').click();
    const fieldError = form.getByTestId('field-error-DestinationCidrBlock');
    await fieldError.waitFor();
    expect(await fieldError.getByTestId('error-alert-code').innerText()).toMatch(/^\S+$/);
    expect(await fieldError.innerText()).toContain('CreateRouteEntry failed — nothing was changed');
    await page.getByTestId('route-add-form-cancel').click();
    // A new destination through the endpoint goes in, and out again.
    await addRouteEntry(page, '10.99.0.0/16', 'GatewayLoadBalancerEndpoint', 'GWLBe_01');
    expect(await page.getByTestId('route-entry-10.99.0.0/16').innerText()).toMatch(/GWLB Endpoint\s+GWLBe_01 \(ep-\w+\)/);
    await page.getByTestId('route-delete-10.99.0.0/16').click();
    await page.getByTestId('route-delete-10.99.0.0/16-confirm').click();
    await expect.poll(() => page.getByTestId('route-entry-10.99.0.0/16').count()).toBe(0);
  }, 90_000);

  it('a curl from the client is traced through the GWLB, and its path drawn on the Topology', async () => {
    const { page } = ctx.b;
    await openView(page, 'trace');
    await page.getByTestId('trace-filter').fill('host=client proto=tcp');
    await page.getByTestId('trace-start').click();
    await expect.poll(async () => (await page.getByTestId('trace-state').innerText()).replace(/\s+/g, ' ')).toBe('Tracing host=client proto=tcp');

    await openView(page, 'hosts');
    await page.getByTestId('exec-host').selectOption('client');
    await page.getByTestId('exec-command').fill('curl -s -m 5 http://8.130.10.130/');
    await page.getByTestId('exec-run').click();
    await expect.poll(() => page.getByTestId('exec-code').innerText(), { timeout: 20_000 }).toBe('0');
    expect(await page.getByTestId('exec-stdout').innerText()).toBe('Hello World ! This is ECS_B_01.');

    await openView(page, 'trace');
    const syn = page.getByTestId('trace-record').filter({ hasText: /8\.130\.10\.130\.80: Flags \[S\]/ }).first();
    await syn.waitFor();
    await syn.click();
    const hops = await page.getByTestId('trace-hop').allInnerTexts();
    const all = hops.join('\n');
    expect(all).toMatch(/DNAT 8\.130\.10\.130 → 192\.168\.1\.153/);
    expect(all).toMatch(/\(rt-igw\)[\s\S]*192\.168\.1\.0\/24 → ep-\w+ \(custom\)/);
    expect(all).toMatch(/ep-\w+[\s\S]*to gwlb-\w+ through its endpoint service/);
    expect(all).toMatch(/gwlb-\w+[\s\S]*5-tuple hash → ECS_0[12] 10\.0\.[13]\.1[12] \(Healthy\)/);
    expect(all).toMatch(/back to ep-\w+/);
    expect(await page.getByTestId('trace-verdict').innerText()).toMatch(/✓ delivered to ECS_B_01/);
    await scrollToTop(page);
    await shot(page, 'trace-gwlb');
    await page.getByTestId('trace-stop').click();

    await page.getByTestId('trace-show-topology').click();
    await page.waitForFunction(() => location.hash === '#topology');
    await expect.poll(() => onPath(page, 'client')).toBe(true);
    for (const name of ['igw-biz', 'GWLBe_01', 'gwlb-fw', 'ECS_B_01']) expect(await onPath(page, name), name).toBe(true);
    // The hash picked one appliance; the flow crossed it and not the other, nor zone C's endpoint.
    const nva = /→ (ECS_0[12]) /.exec(all)![1];
    expect(await onPath(page, nva)).toBe(true);
    expect(await onPath(page, nva === 'ECS_01' ? 'ECS_02' : 'ECS_01')).toBe(false);
    expect(await onPath(page, 'GWLBe_02')).toBe(false);
    // The lines between them are on the path too: endpoint → GWLB, GWLB → appliance.
    const map = page.getByTestId('topo-map');
    expect(await map.locator('.svelte-flow__edge.on-path').count()).toBeGreaterThanOrEqual(6);
    const steps = await page.getByTestId('topo-path-hop').allInnerTexts();
    expect(steps.join("\n")).toMatch(/gwlb-\w+ →[\s\S]*?5-tuple hash/);
    expect(internalWords(await page.locator('section.view[aria-label="Topology"]').innerText())).toEqual([]);
    // The map at a larger window, so its names read in the picture.
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.waitForTimeout(500);
    await scrollToTop(page);
    await shot(page, 'topology-gwlb');
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
