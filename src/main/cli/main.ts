// `vpclab`: every command is a client of the lab runtime through LabService, except
// `down --all`, which must work when no runtime is left to ask.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { RemoteError } from '../api/rpc';
import type { LabClient } from '../api/client';
import { cleanupAll, cleanupLab } from '../host/cleanup';
import { assertRunDirReadable, isAlive, readLabState } from '../host/registry';
import { loadScenario } from '../scenario/load';
import { packageRoot } from '../paths';
import { VPC_DNS } from '../cloud/lab-hosts';
import { bold, dim, formatStep, formatStepBody, formatStepHeader, formatStepPlan, green, red } from './format';
import { connect, startRuntime } from './runtime-process';
import { serve } from './serve';
import { UsageError } from './usage-error';

const USAGE = `vpclab — Alibaba Cloud VPC networking over real packets

Usage: vpclab [--lab NAME] <command> [args]

  up [scenario.yaml]              start a lab in the background (default: ${defaultScenarioRel()})
  down [--all]                    stop the lab and remove its namespaces (--all: every vpclab leftover)
  status                          hosts, addresses and cloud resources of the running lab
  exec <host> -- <cmd…>           run a command inside a host (exit code is the command's)
  shell <host>                    interactive shell inside a host
  check <scenario> [--until N] [--keep]
                                  bring the lab up, run the steps, print each check with its output
  tutorial [scenario]             step through a scenario interactively (Enter runs the next step)
  trace [filter|all]              live hop decisions, e.g. \`trace host=ECS-A proto=icmp\`
  counters                        packets, bytes and drops per device
  api <Action> [--Param value…]   a control-plane action by its Alibaba name, like \`aliyun vpc <Action>\`
  serve [scenario] [--port N]     the UI in a browser: starts the lab if needed, prints a URL with a token

--lab NAME selects the lab (default "default"); several labs may run side by side.`;

function defaultScenarioRel(): string {
  return 'lab-scenarios/vpc-basics.yaml';
}
function defaultScenario(): string {
  return path.join(packageRoot(), defaultScenarioRel());
}

async function main(argv: string[]): Promise<number> {
  let lab = process.env.VPCLAB_LAB ?? 'default';
  const li = argv.indexOf('--lab');
  if (li >= 0 && li < (argv.indexOf('--') < 0 ? argv.length : argv.indexOf('--'))) {
    lab = argv[li + 1];
    if (!lab) throw new UsageError('--lab needs a name');
    argv.splice(li, 2);
  }
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'up':
      return up(lab, rest[0]);
    case 'down':
      return down(lab, rest.includes('--all'));
    case 'status':
      return withClient(lab, status);
    case 'exec':
      return withClient(lab, (c) => execCmd(c, rest));
    case 'shell':
      return withClient(lab, (c) => shell(c, rest[0]));
    case 'check':
      return check(lab, rest);
    case 'tutorial':
      return tutorial(lab, rest[0]);
    case 'trace':
      return withClient(lab, (c) => trace(c, rest.join(' ')), false);
    case 'counters':
      return withClient(lab, counters);
    case 'api':
      return withClient(lab, (c) => api(c, rest));
    case 'serve':
      return serve(lab, rest, defaultScenario());
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

async function withClient(lab: string, fn: (c: LabClient) => Promise<number>, close = true): Promise<number> {
  const c = await connect(lab);
  try {
    return await fn(c);
  } finally {
    if (close) c.close();
  }
}

async function up(lab: string, scenario?: string): Promise<number> {
  const file = scenario ?? defaultScenario();
  if (!scenario) console.log(dim(`no scenario named: using ${file}`));
  loadScenario(file); // fail fast, with file:line:column, before anything is created
  const c = await startRuntime(lab, file);
  await status(c);
  const first = (await c.status()).hosts.find((h) => h.kind === 'ecs');
  c.close();
  const cmd = `vpclab${lab === 'default' ? '' : ` --lab ${lab}`}`;
  // The VPC DNS answers every ECS of every lab; 8.8.4.4 was suggested before, which most labs lack.
  console.log(dim(`\nlab "${lab}" is up. Try: ${first ? `${cmd} exec ${first.name} -- ping -c 2 ${VPC_DNS}, ` : ''}${cmd} shell <host>, ${cmd} down`));
  return 0;
}

async function down(lab: string, all: boolean): Promise<number> {
  assertRunDirReadable(); // else a non-root user finds no state, and "down" would be a lie
  const st = readLabState(lab);
  if (st && isAlive(st.runtimePid) && st.socketPath) {
    try {
      const c = await connect(lab);
      await c.shutdown();
      c.close();
      await waitGone(st.runtimePid, 15_000);
    } catch {
      /* a wedged runtime: fall through to cleanup by record */
    }
  }
  const report = all ? await cleanupAll() : await cleanupLab(lab);
  const n = report.namespaces.length;
  const k = report.killed.length;
  const removed = [n ? `${n} leftover namespace${n === 1 ? '' : 's'}` : '', k ? `${k} process${k === 1 ? '' : 'es'}` : ''].filter(Boolean).join(', ');
  console.log(`${all ? 'all labs' : `lab "${lab}"`}: down${removed ? ` (removed ${removed})` : ''}`);
  return 0;
}

async function waitGone(pid: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function status(c: LabClient): Promise<number> {
  const s = await c.status();
  console.log(bold(`lab "${s.lab}"`) + dim(` (runtime pid ${s.pid})`) + (s.scenario ? `  ${s.scenario.title} — ${dim(s.scenario.file)}` : ''));
  console.log(bold('\nHosts'));
  // Columns as wide as their longest entry (a VPN endpoint's name carries its gateway's ID).
  const nameW = Math.max(14, ...s.hosts.map((h) => h.name.length));
  const kindW = Math.max(9, ...s.hosts.map((h) => h.kind.length));
  for (const h of s.hosts) {
    console.log(`  ${h.name.padEnd(nameW)} ${h.kind.padEnd(kindW)} ${h.ip.padEnd(16)} ${(h.eip ? `EIP ${h.eip}` : '').padEnd(20)} ${dim(h.netns)}`);
  }
  console.log(bold('\nResources'));
  for (const r of s.resources) console.log(`  ${r.type.padEnd(11)} ${r.id.padEnd(27)} ${r.name.padEnd(12)} ${dim(r.detail)}`);
  if (s.scenario) console.log(dim(`\nsteps run: ${s.stepsRun}`));
  return 0;
}

async function execCmd(c: LabClient, rest: string[]): Promise<number> {
  const dash = rest.indexOf('--');
  const host = rest[0];
  const cmd = dash >= 0 ? rest.slice(dash + 1) : rest.slice(1);
  if (!host || cmd.length === 0) throw new UsageError('exec <host> -- <command…>');
  const line = cmd.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
  const r = await c.exec(host, line, 600);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.timedOut) console.error(red('timed out'));
  return r.code ?? 1;
}

async function shell(c: LabClient, host: string | undefined): Promise<number> {
  if (!host) throw new UsageError('shell <host>');
  const argv = await c.shellArgv(host);
  c.close();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  return r.status ?? 0;
}

async function check(lab: string, rest: string[]): Promise<number> {
  const file = rest.find((a, i) => !a.startsWith('--') && rest[i - 1] !== '--until');
  if (!file) throw new UsageError('check <scenario.yaml> [--until N] [--keep]');
  const ui = rest.indexOf('--until');
  const keep = rest.includes('--keep');
  const scenario = loadScenario(file);
  const until = ui >= 0 ? Number(rest[ui + 1]) : scenario.steps.length;
  const least = scenario.steps.length === 0 ? 0 : 1; // a free-form lab has no steps to run
  if (!Number.isInteger(until) || until < least || until > scenario.steps.length) {
    throw new UsageError(`--until must be ${least}..${scenario.steps.length}`);
  }
  console.log(bold(scenario.title) + dim(`  (${file})`));
  const c = await startRuntime(lab, file);
  let failed = 0;
  let passed = 0;
  try {
    for (let i = 1; i <= until; i++) {
      const [r] = await c.runTo(i);
      console.log(formatStep(r, scenario.steps.length) + '\n');
      for (const x of [...r.actions.filter((a) => a.expectError !== undefined || !a.ok), ...r.checks]) {
        if (x.passed) passed++;
        else failed++;
      }
    }
  } finally {
    if (keep) console.log(dim(`lab "${lab}" left up at step ${until}: vpclab${lab === 'default' ? '' : ` --lab ${lab}`} status / shell <host> / down`));
    else {
      await c.shutdown().catch(() => undefined);
      c.close();
      await cleanupLab(lab);
    }
  }
  console.log(`${failed === 0 ? green('PASS') : red('FAIL')} ${scenario.title}: ${passed} checks passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function tutorial(lab: string, scenario?: string): Promise<number> {
  const file = scenario ?? defaultScenario();
  const s = loadScenario(file);
  console.log(bold(s.title));
  if (s.summary) console.log(s.summary.trim());
  console.log(dim(`\nSource: ${s.source ?? file}\nBringing the lab up (one namespace per host)…`));
  const c = await startRuntime(lab, file);
  const interactive = process.stdin.isTTY === true;
  const rl = interactive ? readline.createInterface({ input: process.stdin, output: process.stdout }) : null;
  const ask = (q: string): Promise<string> => new Promise((r) => (rl ? rl.question(q, r) : r('')));
  let failed = 0;
  try {
    const steps = await c.steps();
    for (const st of steps) {
      console.log('\n' + formatStepHeader(st, steps.length));
      if (st.description) console.log(st.description.trim());
      console.log(formatStepPlan(st));
      const a = (await ask(dim('[Enter] run this step, [s]hell into a host, [q]uit: '))).trim();
      if (a === 'q') break;
      if (a.startsWith('s')) {
        const host = (await ask('host: ')).trim();
        rl?.pause();
        const argv = await c.shellArgv(host).catch((e: Error) => (console.log(red(e.message)), null));
        if (argv) spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
        rl?.resume();
      }
      const [r] = await c.runTo(st.index);
      console.log(formatStepBody(r));
      if (!r.passed) failed++;
    }
    const keepUp = interactive && (await ask(dim('\nKeep the lab up to explore it? [y/N] '))).trim().toLowerCase() === 'y';
    if (keepUp) {
      console.log(dim(`lab "${lab}" stays up: vpclab shell ECS-A, vpclab trace all, vpclab down`));
      return failed === 0 ? 0 : 1;
    }
  } finally {
    rl?.close();
  }
  await c.shutdown().catch(() => undefined);
  c.close();
  await cleanupLab(lab);
  console.log(failed === 0 ? green('\nEvery step passed.') : red(`\n${failed} step(s) had failures.`));
  return failed === 0 ? 0 : 1;
}

async function trace(c: LabClient, filter: string): Promise<number> {
  await c.subscribe((e) => {
    if (e.type !== 'trace') return;
    const r = e.record;
    console.log(`${new Date(r.time).toISOString().slice(11, 23)} ${bold(r.from)} ${r.summary}`);
    for (const h of r.hops) console.log(`    ${h.device}: ${h.decision}`);
    console.log(`    ${r.delivered ? green(r.verdict) : red(r.verdict)}`);
  });
  await c.setTrace(filter || 'all');
  console.error(dim(`tracing ${filter || 'all'} — Ctrl-C to stop`));
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await c.setTrace(null);
  c.close();
  return 0;
}

async function counters(c: LabClient): Promise<number> {
  // Devices are counted by ID; the resource's name beside it (`vtb-… (rt-a)`) is what a user knows.
  const names = new Map((await c.status()).resources.filter((r) => r.name).map((r) => [r.id, r.name]));
  const rows = (await c.counters()).map((d) => ({ d, label: names.has(d.device) ? `${d.device} (${names.get(d.device)})` : d.device }));
  const width = Math.max(28, ...rows.map((r) => r.label.length));
  const n = (v: number, w: number): string => String(v).padStart(w);
  for (const { d, label } of rows) {
    const drops = Object.entries(d.drops).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`${label.padEnd(width)} rx ${n(d.rxPackets, 8)} pkts ${n(d.rxBytes, 11)} B  tx ${n(d.txPackets, 8)} pkts ${n(d.txBytes, 11)} B  ${drops ? red(`drops ${drops}`) : ''}`);
  }
  return 0;
}

/** `api CreateRouteEntry --RouteTableId vtb-… --DestinationCidrBlock 8.8.8.8/32 …` */
async function api(c: LabClient, rest: string[]): Promise<number> {
  const [action, ...args] = rest;
  if (!action) throw new UsageError('api <Action> [--Param value…]');
  const params: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([A-Za-z][\w.]*)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new UsageError(`expected --Param value, got "${args[i]}"`);
    if (m[2] !== undefined) params[m[1]] = m[2];
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) params[m[1]] = args[++i];
    else params[m[1]] = 'true';
  }
  const r = await c.invoke(action, params);
  console.log(JSON.stringify(r, null, 2));
  return 0;
}

/** Entry point: bin/vpclab calls this with the arguments after the command name. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof RemoteError) console.error(`${red('Error')}: ${e.code}: ${e.message}`);
      else if (e instanceof UsageError) console.error(`${red('usage')}: ${e.message}\n\n${USAGE}`);
      else console.error(`${red('error')}: ${(e as Error).message}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

if (require.main === module) run(process.argv.slice(2));
