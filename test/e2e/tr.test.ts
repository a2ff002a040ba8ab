// The renderer end to end on the transit-router tutorial (lab-scenarios/ipsec-vpn-tr.yaml), as a
// user clicks it in a browser against `vpclab serve`: started from its Library card; the Guide
// run through ECMP (eight TCP flows over four connections), every check green; the Console's
// Transit Routers panel with the CEN, the TR, both VPC connections, the four VPN connections up
// as ECMP members 1–4 of 4, the route entries and OSS's cloud service access; a static route
// refused next to its field, then added and deleted; the Topology with the TR, its VPC
// connection lines and four lit tunnels; a ping traced from ECS-1 drawn through the TR and one
// tunnel; connection ecmp-4 cut on the IDC router (as step 8 does) — red and left out in the
// Console within seconds, with the Critical alert and the event, dashed red on the map — then
// restored; a round of window resizes. Screenshots go to docs/screenshots/. One lab
// (t-e2e-tr), one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleTab } from './support/console';
import { checkMarks, runGuideTo } from './support/guide';
import { e2eReady, openView, resizeRound, scrollToTop, servedPage, shot } from './support/harness';
import { execOn } from './support/hosts';
import { internalWords } from './support/internal-words';

const LAB = 't-e2e-tr';
const ready = e2eReady('tr');
const TITLE = /^IPsec-VPN on a transit router/;
/** "Step 7: ECMP — eight TCP flows over the four connections". */
const UP_TO = 9;

const status = (page: Page, i: number): Promise<string> => page.getByTestId(`tr-tunnel-status-att-ecmp-${i}`).innerText();
const statusClass = async (page: Page, i: number): Promise<string> => (await page.getByTestId(`tr-tunnel-status-att-ecmp-${i}`).getAttribute('class')) ?? '';
const ecmp = (page: Page, i: number): Promise<string> => page.getByTestId(`tr-ecmp-att-ecmp-${i}`).innerText();
const edgeClass = async (page: Page, id: string): Promise<string> => (await page.getByTestId(`topo-edge-${id}`).getAttribute('class')) ?? '';
const onPath = async (page: Page, name: string): Promise<boolean> => /\bon-path\b/.test((await page.getByTestId(`topo-node-${name}`).getAttribute('class')) ?? '');

async function bigShot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.waitForTimeout(500);
  await scrollToTop(page);
  await shot(page, name);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe.skipIf(!ready)('the renderer on the transit-router tutorial: Guide, Console Transit Routers panel, Topology, a cut connection', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/vpc-basics.yaml');

  it('the Library starts the transit-router tutorial from its card', async () => {
    const { page } = ctx.b;
    await openView(page, 'library');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 60_000 }).toMatch(/^up$/i);
    const card = page.getByTestId('scenario-ipsec-vpn-tr');
    await card.waitFor();
    expect(await card.innerText()).toMatch(TITLE);
    await page.getByTestId('start-ipsec-vpn-tr').click();
    await expect.poll(() => page.getByTestId('scenario-title').innerText(), { timeout: 120_000, interval: 500 }).toMatch(TITLE);
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toMatch(/^up$/i);
  }, 180_000);

  it('the Guide runs the steps through ECMP, every check green', async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    await runGuideTo(page, UP_TO, 'run-to');
    for (let i = 1; i <= UP_TO; i++) expect(await page.getByTestId(`step-${i}-status`).innerText(), `step ${i}`).toBe('✓ Passed');
    const marks = (await checkMarks(page)).filter((m) => m.mark !== '○');
    expect(marks.length).toBeGreaterThanOrEqual(12);
    expect(marks.filter((m) => m.mark !== '✓'), JSON.stringify(marks)).toEqual([]);
  }, 300_000);

  it('F7/F8: the Transit Routers panel shows the CEN, the TR, both VPC connections and the four VPN connections up as ECMP members', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'transit-routers');
    const panel = page.getByTestId('console-panel-transit-routers');
    expect(await page.getByTestId('cen-cen-lab').innerText()).toMatch(/Active[\s\S]*tr-hz/);
    expect(await page.getByTestId('tr-tr-hz').innerText()).toMatch(/cen-lab[\s\S]*cn-hangzhou[\s\S]*vtb-\w+[\s\S]*Active/);
    expect(await page.getByTestId('tr-attachment-att-vpc-1').innerText()).toMatch(/vpc-1[\s\S]*cn-hangzhou-h · vsw-1h · 192\.168\.1\.\d+[\s\S]*cn-hangzhou-i · vsw-1i/);
    expect(await page.getByTestId('tr-propagation-att-vpc-2').innerText()).toBe('Enabled');
    for (const i of [1, 2, 3, 4]) {
      await expect.poll(() => status(page, i), { timeout: 15_000, interval: 250 }).toBe('Phase 2 Negotiation Succeeded');
      expect(await statusClass(page, i)).toMatch(/\bok\b/);
      expect(await ecmp(page, i)).toBe(`ECMP ${i} of 4 for 172.16.0.0/16`);
      expect(await page.getByTestId(`tr-attachment-att-ecmp-${i}`).innerText()).toMatch(new RegExp(`ecmp-${i}[\\s\\S]*47\\.97\\.20\\.${i}`));
    }
    // The routes: four static ones for the IDC, the learned vSwitch blocks, OSS's cloud-service route.
    const routes = await page.getByTestId('tr-route-table').innerText();
    expect(routes.match(/172\.16\.0\.0\/16\s+Static/g)).toHaveLength(4);
    for (const cidr of ['192.168.1.0/24', '192.168.2.0/24', '10.1.1.0/24', '10.1.2.0/24']) expect(routes).toMatch(new RegExp(`${cidr.replace(/\./g, '\\.')}\\s+Learned from VPC`));
    expect(routes).toMatch(/100\.118\.28\.0\/24\s+Cloud service/);
    expect(routes).not.toMatch(/100\.64\.0\.0\/10/);
    await expect.poll(() => page.getByTestId('route-service-status-100.118.28.0/24').innerText(), { timeout: 10_000 }).toBe('Active');
    expect(await page.getByTestId('tr-thresholds').innerText()).toMatch(/300 \/ 500 \/ 850 Mbps and 36,000 \/ 60,000 \/ 102,000 packets\/s/);
    expect(internalWords(await panel.innerText())).toEqual([]);
    await page.getByTestId('tr-vpn-attachment-table').scrollIntoViewIfNeeded();
    await shot(page, 'console-tr');
  }, 60_000);

  it('a static route is refused next to its field (a duplicate), then added to the TR\'s table and deleted from the Console', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await consoleTab(page, 'transit-routers');
    await page.getByTestId('tr-route-add').click();
    const form = page.getByTestId('tr-route-form');
    await form.waitFor();
    // 172.16.0.0/16 over att-ecmp-1 exists already.
    const hop = page.getByTestId('tr-route-nexthop').locator('option', { hasText: 'att-ecmp-1 ' });
    await expect.poll(() => hop.count()).toBe(1);
    await page.getByTestId('tr-route-nexthop').selectOption((await hop.getAttribute('value'))!);
    await page.getByTestId('tr-route-dest').fill('172.16.0.0/16');
    await page.getByTestId('tr-route-form-submit').click();
    const fieldError = form.getByTestId('field-error-TransitRouterRouteEntryDestinationCidrBlock');
    await fieldError.waitFor();
    expect(await fieldError.getByTestId('error-alert-code').innerText()).toBe('InvalidRouteEntry.Duplicated');
    await page.getByTestId('tr-route-dest').fill('172.30.0.0/16');
    await page.getByTestId('tr-route-form-submit').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/CreateTransitRouterRouteEntry succeeded/);
    const key = '172.30.0.0/16-att-ecmp-1';
    await expect.poll(() => page.getByTestId(`tr-route-status-${key}`).innerText()).toBe('Active');
    await page.getByTestId(`tr-route-delete-${key}`).click();
    await page.getByTestId(`tr-route-delete-${key}-confirm`).click();
    await expect.poll(() => page.getByTestId(`tr-route-${key}`).count(), { timeout: 10_000 }).toBe(0);
  }, 60_000);

  it('the Topology draws the TR below the VPCs, its VPC connections and four lit tunnels to its ECMP members', async () => {
    const { page } = ctx.b;
    await openView(page, 'topology');
    for (const name of ['tr-hz', 'ecmp-1', 'ecmp-2', 'ecmp-3', 'ecmp-4', 'idc-router', 'vpc-1', 'vpc-2']) await page.getByTestId(`topo-node-${name}`).waitFor();
    for (const att of ['att-vpc-1', 'att-vpc-2']) expect(await edgeClass(page, `attachment-${att}`)).toMatch(/\btopo-edge\b/);
    for (const i of [1, 2, 3, 4]) await expect.poll(() => edgeClass(page, `tunnel-ecmp-${i}-1`), { timeout: 10_000, interval: 250 }).toMatch(/\btunnel-lit\b/);
    expect(await page.getByTestId('topo-node-ecmp-3').innerText()).toMatch(/public 47\.97\.20\.3\s+ECMP 3 of 4/);
    // The TR stands below both VPCs.
    const box = async (name: string) => (await page.getByTestId(`topo-node-${name}`).boundingBox())!;
    const [tr, v1, v2] = [await box('tr-hz'), await box('vpc-1'), await box('vpc-2')];
    expect(tr.y).toBeGreaterThan(Math.max(v1.y + v1.height, v2.y + v2.height));
    expect(internalWords(await page.locator('section.view[aria-label="Topology"]').innerText())).toEqual([]);
    await bigShot(page, 'topology-tr');
  }, 60_000);

  it('a ping from ECS-1 to the IDC is traced and drawn through the vRouter, the TR and the one connection the hash picked', async () => {
    const { page } = ctx.b;
    await openView(page, 'trace');
    await page.getByTestId('trace-filter').fill('host=ECS-1 proto=icmp');
    await page.getByTestId('trace-start').click();
    await expect.poll(async () => (await page.getByTestId('trace-state').innerText()).replace(/\s+/g, ' ')).toBe('Tracing host=ECS-1 proto=icmp');
    expect((await execOn(page, 'ECS-1', 'ping -c 1 -W 2 172.16.0.10')).code).toBe('0');
    await openView(page, 'trace');
    const rec = page.getByTestId('trace-record').filter({ hasText: /192\.168\.1\.10 > 172\.16\.0\.10: echo request/ }).first();
    await rec.waitFor();
    await rec.click();
    const hops = (await page.getByTestId('trace-hop').allInnerTexts()).join('\n');
    const picked = /picks tr-attach-\S+ \(att-ecmp-([1-4]), IPsec ecmp-\1\), member \1 of 4/.exec(hops);
    expect(picked, hops).not.toBeNull();
    await page.getByTestId('trace-stop').click();
    await page.getByTestId('trace-show-topology').click();
    await page.waitForFunction(() => location.hash === '#topology');
    await expect.poll(() => onPath(page, 'ECS-1')).toBe(true);
    expect(await onPath(page, 'tr-hz')).toBe(true);
    const n = Number(picked![1]);
    expect(await onPath(page, `ecmp-${n}`)).toBe(true);
    for (const other of [1, 2, 3, 4].filter((i) => i !== n)) expect(await onPath(page, `ecmp-${other}`), `ecmp-${other}`).toBe(false);
    expect(await edgeClass(page, 'attachment-att-vpc-1')).toMatch(/\bon-path\b/);
    expect(await edgeClass(page, 'attachment-att-vpc-2')).not.toMatch(/\bon-path\b/);
    await bigShot(page, 'topology-tr-path');
  }, 90_000);

  it('F7/F8: ecmp-4 cut on the IDC router turns red and is left out in the Console within seconds, with the Critical alert and the event; dashed red on the map', async () => {
    const { page } = ctx.b;
    expect((await execOn(page, 'idc-router', 'swanctl --terminate --ike ecmp-4 --force')).code).toBe('0');
    const t0 = Date.now();
    await openView(page, 'console');
    await consoleTab(page, 'transit-routers');
    // Nobody presses Refresh: the panel reads the monitor every 2 s.
    await expect.poll(() => statusClass(page, 4), { timeout: 10_000, interval: 250 }).toMatch(/\bbad\b/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await status(page, 4)).toMatch(/Negotiation Failed$/);
    expect(await ecmp(page, 4)).toBe('ECMP 4 of 4 for 172.16.0.0/16 (tunnel down: left out)');
    for (const i of [1, 2, 3]) expect(await ecmp(page, i)).toBe(`ECMP ${i} of 4 for 172.16.0.0/16`);
    await expect.poll(() => page.getByTestId('tr-alerts').innerText(), { timeout: 10_000 }).toMatch(/Critical: tunnel negotiation status 0\s+\(ecmp-4\)/);
    await expect.poll(() => page.getByTestId('tr-event-table').innerText(), { timeout: 10_000 }).toMatch(/IPsec Tunnel Negotiation Failed/);
    expect(internalWords(await page.getByTestId('console-panel-transit-routers').innerText())).toEqual([]);
    await page.getByTestId('tr-vpn-attachment-table').scrollIntoViewIfNeeded();
    await shot(page, 'console-tr-connection-down');

    await openView(page, 'topology');
    await expect.poll(() => edgeClass(page, 'tunnel-ecmp-4-1'), { timeout: 10_000, interval: 250 }).toMatch(/\btunnel-down\b/);
    for (const i of [1, 2, 3]) expect(await edgeClass(page, `tunnel-ecmp-${i}-1`)).toMatch(/\btunnel-lit\b/);
    expect(await page.getByTestId('topo-node-ecmp-4').innerText()).toMatch(/ECMP 4 of 4, down/);
    // The IDC still reaches the VPC over the other three.
    expect((await execOn(page, 'idc-host', 'curl -s -m 5 http://192.168.1.10/')).out).toBe('ECS-1 in vpc-1');
  }, 90_000);

  it('ecmp-4 restored: green again and back in the group', async () => {
    const { page } = ctx.b;
    await execOn(page, 'idc-router', 'swanctl --initiate --child ecmp-4');
    await openView(page, 'console');
    await consoleTab(page, 'transit-routers');
    await expect.poll(() => status(page, 4), { timeout: 20_000, interval: 250 }).toBe('Phase 2 Negotiation Succeeded');
    await expect.poll(() => ecmp(page, 4), { timeout: 10_000, interval: 250 }).toBe('ECMP 4 of 4 for 172.16.0.0/16');
  }, 60_000);

  it('resizing the window on the Transit Routers panel and the Topology logs nothing and keeps the page responsive', async () => {
    const { page } = ctx.b;
    await resizeRound(ctx.b, [{ view: 'console', ready: () => consoleTab(page, 'transit-routers') }, { view: 'topology' }]);
  }, 60_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
