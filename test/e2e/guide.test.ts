// The renderer end to end on seed 004 (lab-scenarios/ipv4-gateway-proxy.yaml), as a user
// clicks it in a browser against `vpclab serve`: the tutorial library, every step of the
// Guide with all its checks green, a command on the Hosts view traced hop by hop (the route
// table entry that sent 8.8.4.4 to the IPv4 gateway), that path on the topology, and a real
// shell in a terminal pane answering `ping -c 1 8.8.4.4`. Each view leaves a screenshot in
// docs/screenshots/. One lab (t-e2e-guide), one serve and one browser for the whole file.

import { describe, expect, it } from 'vitest';
import { e2eReady, openView, scrollToTop, servedPage, shot } from './support/harness';
import { checkMarks, runGuideTo, stepsTotal } from './support/guide';

const LAB = 't-e2e-guide';
const ready = e2eReady('guide');

describe.skipIf(!ready)('the renderer on seed 004: Library, Guide, Hosts, Trace, Topology, Terminals', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/vpc-basics.yaml');

  it('the Library lists the tutorials and starts seed 004 in place of the running one', async () => {
    const { page } = ctx.b;
    await openView(page, 'library');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 30_000 }).toMatch(/^up$/i);
    await expect.poll(() => page.getByTestId('scenario-title').innerText()).toMatch(/^VPC basics/);
    const card = page.getByTestId('scenario-ipv4-gateway-proxy');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.innerText()).toMatch(/IPv4 gateway — 8\.8\.4\.4 direct[\s\S]*7 steps, 10 checks/);
    for (const stem of ['vpc-basics', 'ipv4-gateway', 'nat-gateway']) expect(await page.getByTestId(`scenario-${stem}`).count()).toBe(1);

    // Start seed 004: serve's lab is torn down and comes up again with the new tutorial.
    await page.getByTestId('start-ipv4-gateway-proxy').click();
    await expect.poll(() => page.getByTestId('scenario-title').innerText(), { timeout: 120_000, interval: 500 }).toMatch(/^IPv4 gateway — 8\.8\.4\.4 direct/);
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 120_000, interval: 500 }).toMatch(/^up$/i);
    await expect.poll(() => card.innerText()).toMatch(/Running/);
    await shot(page, 'library');
  }, 180_000);

  it('the Guide runs every step of seed 004 and every check passes', async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    await expect.poll(() => page.getByTestId('scenario-title').innerText()).toMatch(/^IPv4 gateway — 8\.8\.4\.4 direct/);
    const total = await stepsTotal(page);
    expect(total).toBe(7);

    // Step by step, as a student would: "Run step" on each, reading the results as they come.
    for (let i = 1; i <= total; i++) await runGuideTo(page, i, 'run-step');
    await expect.poll(() => page.getByTestId('run-next').innerText()).toBe('All steps run');

    const marks = await checkMarks(page);
    // 2 + 1 + 2 + 1 + 0 + 1 + 3 checks (`vpclab check` counts 11: it adds step 3's expected refusal).
    expect(marks).toHaveLength(10);
    expect(marks.filter((m) => m.mark !== '✓'), JSON.stringify(marks)).toEqual([]);
    for (let i = 1; i <= total; i++) expect(await page.getByTestId(`step-${i}-status`).innerText()).toBe('✓ Passed');
    // Real output on the page: tcpdump on ECS-B saw the reply cross it, traceroute shows ECS-B as hop 1.
    expect(await page.getByTestId('check-7-1-capture').innerText()).toMatch(/IP dns\.google > 192\.168\.0\.1: ICMP echo reply/);
    expect(await page.getByTestId('check-7-3-output').innerText()).toMatch(/^ 1 {2}192\.168\.1\.1 /m);
    // The expected refusal in step 3 is shown as the cloud's code.
    expect(await page.getByTestId('action-3-3-outcome').innerText()).toContain('OperationDenied.VpcExistIpv4Gateway');

    // The last step's first check in sight, below the bar that reads "7 of 7 steps run": its
    // ✓, and tcpdump on ECS-B showing the request and the reply crossing it.
    await page.getByTestId('check-7-1').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, 'guide');
  }, 240_000);

  it('a ping from the Hosts view is traced: the route table entry that sent it to the IPv4 gateway', async () => {
    const { page } = ctx.b;
    const igwId = await page.evaluate(async () => {
      const lab = (window as unknown as { lab: { invoke(a: string, p: object): Promise<Record<string, unknown>> } }).lab;
      const r = await lab.invoke('GetIpv4GatewayAttribute', { Ipv4GatewayId: 'igw-tokyo' });
      return r.Ipv4GatewayId as string;
    });
    expect(igwId).toMatch(/^\S+$/);

    await openView(page, 'trace');
    await page.getByTestId('trace-filter').fill('host=ECS-A addr=8.8.4.4 proto=icmp');
    await page.getByTestId('trace-start').click();
    await expect.poll(async () => (await page.getByTestId('trace-state').innerText()).replace(/\s+/g, ' ')).toBe('Tracing host=ECS-A addr=8.8.4.4 proto=icmp');

    await openView(page, 'hosts');
    await expect.poll(() => page.getByTestId('host-table').innerText()).toMatch(/ECS-A[\s\S]*192\.168\.0\.1[\s\S]*47\.74\.10\.1/);
    await page.getByTestId('host-select-ECS-A').click();
    await expect.poll(() => page.getByTestId('exec-host').inputValue()).toBe('ECS-A');
    await page.getByTestId('exec-command').fill('ping -c 1 8.8.4.4');
    await page.getByTestId('exec-run').click();
    await expect.poll(() => page.getByTestId('exec-code').innerText(), { timeout: 20_000 }).toBe('0');
    expect(await page.getByTestId('exec-stdout').innerText()).toMatch(/64 bytes from 8\.8\.4\.4[\s\S]*1 packets transmitted, 1 received/);
    await page.getByTestId('exec-result').evaluate((e) => e.scrollIntoView({ block: 'end' }));
    await shot(page, 'hosts');

    await openView(page, 'trace');
    const request = page.getByTestId('trace-record').filter({ hasText: 'echo request' }).first();
    await request.waitFor();
    await request.click();
    const detail = page.getByTestId('trace-detail');
    await expect.poll(() => detail.innerText()).toContain('ECS-A');
    const hops = await page.getByTestId('trace-hop').allInnerTexts();
    // rt-a's entry 8.8.4.4/32 → the IPv4 gateway (step 4) decided, not the EIP (A9 no longer applies).
    const rtHop = hops.find((h) => /vtb-\S+ \(rt-a\)/.test(h));
    expect(rtHop, hops.join('\n')).toBeDefined();
    expect(rtHop).toContain(`8.8.4.4/32 → ${igwId} (custom)`);
    expect(hops.some((h) => h.includes(igwId) && /SNAT 192\.168\.0\.1 → 47\.74\.10\.1/.test(h)), hops.join('\n')).toBe(true);
    expect(await page.getByTestId('trace-verdict').innerText()).toMatch(/✓ delivered/);
    await scrollToTop(page);
    await shot(page, 'trace');
  }, 120_000);

  it('the traced packet shows as a path on the topology', async () => {
    const { page } = ctx.b;
    await openView(page, 'trace');
    // The record selected by the previous test is still selected (views stay mounted).
    await page.getByTestId('trace-show-topology').click();
    await page.waitForFunction(() => location.hash === '#topology');
    const onPath = async (name: string): Promise<boolean> =>
      /\bon-path\b/.test((await page.getByTestId(`topo-node-${name}`).getAttribute('class')) ?? '');
    await expect.poll(() => onPath('ECS-A')).toBe(true);
    expect(await onPath('google-dns2')).toBe(true);
    // ECS-B, the proxy for 8.8.8.8, is not on 8.8.4.4's way.
    expect(await onPath('ECS-B')).toBe(false);
    // The path's hops, with rt-a's decision among them.
    const hops = await page.getByTestId('topo-path-hop').allInnerTexts();
    expect(hops.join('\n')).toMatch(/8\.8\.4\.4\/32 → \S+ \(custom\)/);
    await scrollToTop(page);
    await shot(page, 'topology');
  }, 60_000);

  it('a terminal on ECS-A: `ping -c 1 8.8.4.4` and its reply on screen', async () => {
    const { page } = ctx.b;
    await openView(page, 'terminals');
    await page.getByTestId('terminal-host').selectOption('ECS-A');
    await page.getByTestId('terminal-open').click();
    const pane = page.getByTestId('terminal-ECS-A');
    const rows = pane.locator('.xterm-rows');
    // The prompt carries the host's name: a real shell inside ECS-A's namespace.
    await expect.poll(() => rows.innerText(), { timeout: 20_000 }).toContain('ECS-A');
    await pane.click();
    await page.keyboard.type('ping -c 1 8.8.4.4');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.innerText(), { timeout: 20_000 }).toMatch(/1 packets transmitted, 1 received/);
    const text = await rows.innerText();
    expect(text).toMatch(/64 bytes from 8\.8\.4\.4: icmp_seq=1/);
    await shot(page, 'terminals');
    await page.getByTestId('terminal-close-ECS-A').click();
    await expect.poll(() => pane.count()).toBe(0);
  }, 60_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
