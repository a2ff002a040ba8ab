// The renderer's details on seed 000's tutorial (lab-scenarios/ipv4-gateway.yaml), whose
// hosts are ECS-1…ECS-3 (no ECS-A), against `vpclab serve` in a browser: the Library and
// the Guide speak the cloud's words and link the public document; the Guide's next-step bar
// stays in reach; the Trace view opens on this lab's first host, picks hosts, shows both
// directions of a ping and keeps its counters current; the theme button names the theme it
// switches to; a Console refusal shows next to the field at fault; a terminal fills the
// view and follows the window's size. One lab (t-e2e-views), one serve, one browser.

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleTab, manageRouteTable } from './support/console';
import { e2eReady, openView, servedPage } from './support/harness';
import { internalWords } from './support/internal-words';

const LAB = 't-e2e-views';
const ready = e2eReady('views');

type LabHandle = { lab: { invoke(a: string, p: object): Promise<Record<string, unknown>> } };
const invoke = (page: Page, action: string, params: object): Promise<Record<string, unknown>> =>
  page.evaluate(([a, p]) => (window as unknown as LabHandle).lab.invoke(a as string, p as object), [action, params] as const);

/** The viewport-relative box of a test id, failing when it is not rendered. */
async function box(page: Page, testid: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.getByTestId(testid).boundingBox();
  if (!b) throw new Error(`${testid} has no box`);
  return b;
}

describe.skipIf(!ready)('the renderer on seed 000: words, Guide bar, Trace, theme, Console errors, Terminals', () => {
  const ctx = servedPage(LAB, 'lab-scenarios/ipv4-gateway.yaml');

  it("the Library and the Guide show the cloud's words, no rule codes or seed file names, and link the public document", async () => {
    const { page } = ctx.b;
    await openView(page, 'library');
    await expect.poll(() => page.getByTestId('session-state').innerText(), { timeout: 60_000 }).toMatch(/^up$/i);
    await page.getByTestId('scenario-ipv4-gateway').waitFor();
    const library = await page.locator('section.view[aria-label="Library"]').innerText();
    expect(library).toMatch(/IPv4 gateway — centralised Internet access/);
    expect(internalWords(library)).toEqual([]);
    const link = page.getByTestId('scenario-ipv4-gateway-source').locator('a');
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/www\.alibabacloud\.com\/help\/en\/vpc\//);
    expect(await link.innerText()).toMatch(/IPv4 gateway/);
    expect(await link.getAttribute('target')).toBe('_blank');

    await openView(page, 'guide');
    await expect.poll(() => page.getByTestId('steps-progress').innerText()).toMatch(/^0 of \d+ steps run$/);
    const guide = await page.locator('section.view[aria-label="Guide"]').innerText();
    // Its step names, descriptions, actions and checks are all on the page.
    expect(guide).toMatch(/Delete in public mode: back to EIP direct access/);
    expect(guide).toMatch(/ECS-1 pings aliyun\.com through its EIP/);
    expect(internalWords(guide)).toEqual([]);
  }, 120_000);

  it("the Guide's next-step bar stays in sight, and works, with the steps scrolled to the bottom", async () => {
    const { page } = ctx.b;
    await openView(page, 'guide');
    const main = page.locator('main');
    const scrolled = await main.evaluate((e) => {
      e.scrollTo(0, e.scrollHeight);
      return e.scrollTop;
    });
    // The steps are longer than the window: there is something to scroll away from.
    expect(scrolled).toBeGreaterThan(500);
    const vh = page.viewportSize()!.height;
    const b = await box(page, 'run-next');
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.y + b.height).toBeLessThanOrEqual(vh);
    // Nothing covers it: the point at its centre is the button.
    const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid]')?.getAttribute('data-testid'), [b.x + b.width / 2, b.y + b.height / 2]);
    expect(onTop).toBe('run-next');
    await page.getByTestId('run-next').click();
    await expect.poll(() => page.getByTestId('steps-progress').innerText(), { timeout: 60_000 }).toMatch(/^1 of \d+ steps run$/);
    // Still there, still at the top of the pane.
    expect((await box(page, 'guide-bar')).y).toBeLessThan(80);
  }, 90_000);

  it("the Trace view opens on this lab's first host, picks hosts, shows both directions of a ping and refreshes its counters", async () => {
    const { page } = ctx.b;
    await openView(page, 'trace');
    const filter = page.getByTestId('trace-filter');
    const picker = page.getByTestId('trace-host');
    expect(await filter.inputValue()).toBe('host=ECS-1 proto=icmp');
    expect(await picker.inputValue()).toBe('ECS-1');
    const options = await picker.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(expect.arrayContaining(['', 'ECS-1', 'ECS-2', 'ECS-3', 'google-dns', 'aliyun-web', 'client']));
    // The picker edits the filter's host= and keeps the other keys.
    await picker.selectOption('ECS-2');
    expect(await filter.inputValue()).toBe('host=ECS-2 proto=icmp');
    await picker.selectOption('');
    expect(await filter.inputValue()).toBe('proto=icmp');
    await picker.selectOption('ECS-1');
    expect(await filter.inputValue()).toBe('host=ECS-1 proto=icmp');
    await page.getByTestId('trace-start').click();
    await expect.poll(async () => (await page.getByTestId('trace-state').innerText()).replace(/\s+/g, ' ')).toBe('Tracing host=ECS-1 proto=icmp');

    // The counters as the view read them when it opened (step 1's pings moved ECS-1's).
    const row = page.getByTestId('counter-ECS-1');
    const packets = async (): Promise<{ rx: number; tx: number }> => {
      if ((await row.count()) === 0) return { rx: 0, tx: 0 };
      const cells = await row.locator('td').allInnerTexts();
      return { rx: Number(cells[1].replace(/,/g, '')), tx: Number(cells[3].replace(/,/g, '')) };
    };
    await expect.poll(() => page.getByTestId('counters-table').innerText()).not.toMatch(/Reading…/);
    const before = await packets();

    await openView(page, 'hosts');
    await page.getByTestId('exec-host').selectOption('ECS-1');
    await page.getByTestId('exec-command').fill('ping -n -c 2 -W 1 8.8.8.8');
    await page.getByTestId('exec-run').click();
    await expect.poll(() => page.getByTestId('exec-code').innerText(), { timeout: 20_000 }).toBe('0');

    await openView(page, 'trace');
    const records = page.getByTestId('trace-record');
    // ECS-1's requests, and the replies delivered to it: the reply comes from google-dns.
    await expect.poll(() => records.filter({ hasText: 'echo request' }).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => records.filter({ hasText: 'echo reply' }).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const reply = records.filter({ hasText: 'echo reply' }).first();
    expect(await reply.innerText()).toMatch(/google-dns[\s\S]*ICMP 8\.8\.8\.8 > 47\.96\.20\.1: echo reply/);
    await reply.click();
    expect(await page.getByTestId('trace-verdict').innerText()).toMatch(/delivered to ECS-1/);
    // Nobody pressed Refresh: the traced packets had the counters read again.
    await expect.poll(async () => {
      const now = await packets();
      return now.rx - before.rx >= 2 && now.tx - before.tx >= 2;
    }, { timeout: 10_000 }).toBe(true);
    await page.getByTestId('trace-stop').click();
    await expect.poll(() => page.getByTestId('trace-state').innerText()).toBe('Off');
  }, 90_000);

  it('the theme button names the theme it switches to, in both themes', async () => {
    const { page } = ctx.b;
    const button = page.getByTestId('theme-toggle');
    const theme = (): Promise<string | undefined> => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await button.innerText()).toMatch(/Dark theme$/);
    await button.click();
    expect(await theme()).toBe('dark');
    expect(await button.innerText()).toMatch(/Light theme$/);
    expect(await button.getAttribute('aria-label')).toBe('Switch to the light theme');
    await button.click();
    expect(await theme()).toBe('light');
    expect(await button.innerText()).toMatch(/Dark theme$/);
    expect(await button.getAttribute('aria-label')).toBe('Switch to the dark theme');
  });

  it('a Console refusal shows next to the field the API names, else at the top of its form, never at the page top', async () => {
    const { page } = ctx.b;
    await openView(page, 'console');
    await manageRouteTable(page, 'rt-1');
    await page.getByTestId('route-add').click();
    const form = page.getByTestId('route-add-form');
    await form.waitFor();
    // 192.168.0.0/24 is vsw-1's own CIDR block: the API refuses DestinationCidrBlock.
    await page.getByTestId('route-dest').fill('192.168.0.0/24');
    await page.getByTestId('route-nexthop-type').selectOption('Instance');
    await page.getByTestId('route-add-form-submit').click();
    const fieldError = form.getByTestId('field-error-DestinationCidrBlock');
    await fieldError.waitFor();
    expect(await fieldError.getByTestId('error-alert-code').innerText()).toBe('InvalidCidrBlock');
    expect(await fieldError.innerText()).toContain('CreateRouteEntry failed — nothing was changed');
    expect(await page.getByTestId('route-dest').getAttribute('aria-invalid')).toBe('true');
    // Between the destination field and the next one, and the only error on the page.
    const dest = await box(page, 'route-dest');
    const next = await box(page, 'route-nexthop-type');
    const err = (await fieldError.boundingBox())!;
    expect(err.y).toBeGreaterThanOrEqual(dest.y + dest.height - 1);
    expect(err.y + err.height).toBeLessThanOrEqual(next.y + 1);
    expect(await page.getByTestId('error-alert').count()).toBe(1);
    // Corrected, it goes through, and the error is gone with the form.
    await page.getByTestId('route-dest').fill('8.8.8.8/32');
    await page.getByTestId('route-add-form-submit').click();
    await expect.poll(() => page.getByTestId('action-done').innerText()).toMatch(/CreateRouteEntry succeeded/);
    expect(await page.getByTestId('error-alert').count()).toBe(0);
    await page.getByTestId('route-delete-8.8.8.8/32').click();
    await page.getByTestId('route-delete-8.8.8.8/32-confirm').click();
    await expect.poll(() => page.getByTestId('route-entry-8.8.8.8/32').count()).toBe(0);

    // A second IPv4 gateway in the VPC: the API names VpcId, shown under the VPC picker.
    await consoleTab(page, 'ipv4-gateways');
    const create = async (name: string): Promise<void> => {
      await page.getByTestId('igw-create').click();
      await page.getByTestId('igw-name').fill(name);
      await page.getByTestId('igw-create-form-submit').click();
    };
    await create('igw-one');
    await expect.poll(() => page.getByTestId('igw-status-igw-one').innerText()).toBe('Inactive');
    await create('igw-two');
    const vpcError = page.getByTestId('igw-create-form').getByTestId('field-error-VpcId');
    await vpcError.waitFor();
    expect(await vpcError.getByTestId('error-alert-code').innerText()).toBe('OperationDenied.VpcExistIpv4Gateway');
    await page.getByTestId('igw-create-form-cancel').click();

    // Activation over a table with 0.0.0.0/0: the refusal stays inside the activation form.
    await invoke(page, 'CreateRouteEntry', { RouteTableId: 'rt-1', DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Instance', NextHopId: 'ECS-2' });
    await page.getByTestId('igw-activate-igw-one').click();
    await page.getByTestId('igw-activate-table-rt-1').check();
    await page.getByTestId('igw-activate-form-submit').click();
    const activate = page.getByTestId('igw-activate-form');
    await activate.getByTestId('error-alert').waitFor();
    expect(await activate.getByTestId('error-alert-code').innerText()).toBe('OperationDenied.ConflictOfAllZeroRouting');
    expect(await page.getByTestId('error-alert').count()).toBe(1);
    await page.getByTestId('igw-activate-form-cancel').click();
    expect(await page.getByTestId('error-alert').count()).toBe(0);

    // The lab as the tutorial had it.
    await invoke(page, 'DeleteRouteEntry', { RouteTableId: 'rt-1', DestinationCidrBlock: '0.0.0.0/0' });
    await invoke(page, 'DeleteIpv4Gateway', { Ipv4GatewayId: 'igw-one', InternetMode: 'public' });
    await expect.poll(() => page.getByTestId('igw-igw-one').count()).toBe(0);
  }, 120_000);

  it('a terminal fills the view, and follows the window: xterm re-fits and the shell gets the new size', async () => {
    const { page } = ctx.b;
    await openView(page, 'terminals');
    await page.getByTestId('terminal-host').selectOption('ECS-1');
    await page.getByTestId('terminal-open').click();
    const pane = page.getByTestId('terminal-ECS-1');
    const rows = pane.locator('.xterm-rows');
    await expect.poll(() => rows.innerText(), { timeout: 20_000 }).toContain('ECS-1');

    const fills = async (): Promise<void> => {
      const vp = page.viewportSize()!;
      const b = (await pane.boundingBox())!;
      const nav = (await page.locator('nav').boundingBox())!;
      expect(b.height, `pane ${b.height}px high in a ${vp.height}px window`).toBeGreaterThan(0.6 * vp.height);
      expect(b.width, `pane ${b.width}px wide in a ${vp.width}px window`).toBeGreaterThan(0.85 * (vp.width - nav.width));
      // And it ends inside the window: nothing to scroll to reach its last line.
      expect(b.y + b.height).toBeLessThanOrEqual(vp.height);
    };
    /** The shell's idea of its size (stty), checked against the rows xterm draws. */
    let n = 0;
    const sttySize = async (): Promise<{ rows: number; cols: number }> => {
      const tag = `SZ${++n}`;
      await pane.click();
      await page.keyboard.type(`clear; echo ${tag} $(stty size)`);
      await page.keyboard.press('Enter');
      const re = new RegExp(`^${tag} (\\d+) (\\d+)`, 'm');
      await expect.poll(() => rows.innerText(), { timeout: 10_000 }).toMatch(re);
      const m = re.exec(await rows.innerText())!;
      const size = { rows: Number(m[1]), cols: Number(m[2]) };
      expect(await rows.locator(':scope > div').count()).toBe(size.rows);
      return size;
    };

    await fills();
    const at1280 = await sttySize();
    await page.setViewportSize({ width: 1440, height: 900 });
    await fills();
    await expect.poll(async () => (await sttySize()).rows, { timeout: 10_000 }).toBeGreaterThan(at1280.rows);
    const at1440 = await sttySize();
    expect(at1440.cols).toBeGreaterThan(at1280.cols);
    await page.setViewportSize({ width: 1024, height: 700 });
    await fills();
    await expect.poll(async () => (await sttySize()).rows, { timeout: 10_000 }).toBeLessThan(at1280.rows);
    expect((await sttySize()).cols).toBeLessThan(at1280.cols);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('terminal-close-ECS-1').click();
    await expect.poll(() => pane.count()).toBe(0);
  }, 90_000);

  it('the page logged no errors and no CSP violations', () => {
    expect(ctx.b.errors).toEqual([]);
  });
});
