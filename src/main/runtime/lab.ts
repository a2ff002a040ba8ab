// A running lab: the control plane, the engine, and one namespace + TUN per host the model
// implies. Actions change the model; the lab recompiles the engine's forwarding state at
// once and then brings namespaces in line (new ECS or Internet hosts get theirs).
// Implements LabService for the runtime process; the server exposes it on a socket.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActionOutcome, CheckResult, ExecReply, HostInfo, LabEvent, LabService, LabStatus, StepInfo, StepResult } from '../api/lab-service';
import { compile } from '../cloud/compile';
import { checkParamNames, ControlPlane } from '../cloud/control-plane';
import { LAB_RUNTIME_ACTIONS } from '../scenario/actions';
import { ApiError, notFound } from '../cloud/errors';
import type { CloudModel } from '../cloud/model';
import type { Params } from '../cloud/params';
import { labHosts, type LabHostSpec } from '../cloud/lab-hosts';
import { Engine } from '../engine/dataplane';
import type { DeviceCounters } from '../engine/counters';
import { formatTraceRecord, parseTraceFilter } from '../engine/trace';
import { parseIp } from '../engine/wire/ipv4';
import { baseEnv, execInHost, shellCommand } from '../host/exec';
import { createHost, destroyHost, startService, type Host } from '../host/host';
import { ensureLabDir, labDir, labRegistry, logsDir } from '../host/registry';
import { openTun, type LinuxTunDevice, type TunStats } from '../host/tun';
import { startCharon, type Charon } from '../host/charon';
import type { Scenario } from '../scenario/types';
import { runCheck } from './checks';
import { PacketLoop } from './packet-loop';
import { resolveParams, topologyActions } from './scenario-actions';
import { natGatewayMetrics, resourcesOf } from './describe';
import { listenerHealthStatus, withHealth } from './gwlb-health';
import { requestId } from '../cloud/ids';
import { checkZone, zoneOf } from './zone';
import { packageRoot } from '../paths';
import { VpnRuntime } from './vpn';
import { attachmentConns, NEGOTIATION_ADDED_TO, withNegotiation } from './vpn-describe';
import { applianceSwanctl } from '../cloud/vpn-swanctl';

type Listener = (e: LabEvent) => void;

/** Control-plane answers that get each GWLB backend's health from the engine (gwlb-health.ts). */
const HEALTH_ADDED_TO: ReadonlySet<string> = new Set(['ListServerGroupServers']);

export class Lab implements LabService {
  readonly cp: ControlPlane;
  readonly engine: Engine;
  private readonly loop: PacketLoop;
  private readonly hosts = new Map<string, Host>();
  private readonly specs = new Map<string, LabHostSpec>();
  /** The IKE daemons of the hosts that run strongSwan (VPN appliances, customer gateways). */
  private readonly charons = new Map<string, Charon>();
  private readonly ports = new Map<string, number>();
  private nextPort = 1;
  private readonly listeners: Listener[] = [];
  private traceText: string | null = null;
  private scenario: Scenario | null = null;
  private stepsRun = 0;
  /** What each step run so far gave, so a page opened later can show it. */
  private readonly stepResults: StepResult[] = [];
  /** Host changes are async; they run one after another. */
  private queue: Promise<void> = Promise.resolve();
  private zoneFile: string;
  private zoneText = '';
  /** Once a second: expire idle NAT sessions and gateway flows, sample rates. */
  private readonly ticker: NodeJS.Timeout;
  /** The VPN gateways' charons: their configuration from the model, their SAs into the engine. */
  readonly vpn: VpnRuntime;
  private readonly vpnTicker: NodeJS.Timeout;

  constructor(readonly name: string) {
    this.cp = new ControlPlane(name);
    this.engine = new Engine(() => undefined, () => Date.now());
    this.loop = new PacketLoop(this.engine);
    this.engine.tracer.onRecord((record) => this.emit({ type: 'trace', record }));
    this.vpn = new VpnRuntime(this.engine, {
      model: () => this.cp.model,
      charon: (host) => this.charons.get(host),
      config: (m, a) => applianceSwanctl(m, a.conns, a.index),
      log: (message) => console.error(message),
    });
    this.cp.onChange((_m, action) => {
      this.recompile();
      void this.vpn.sync();
      this.emit({ type: 'model', action });
    });
    this.zoneFile = path.join(labDir(name), 'zone.json');
    this.ticker = setInterval(() => this.engine.tick(), 200);
    this.ticker.unref();
    this.vpnTicker = setInterval(() => void this.vpn.poll().catch((e: Error) => console.error(`VPN status: ${e.message}`)), 1000);
    this.vpnTicker.unref();
  }

  onEvent(l: Listener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(e: LabEvent): void {
    for (const l of this.listeners) l(e);
  }

  private recompile(): void {
    this.engine.load(compile(this.cp.model, (n) => (this.hosts.has(n) ? this.ports.get(n) : undefined), this.engine.counters));
  }

  /** Host changes are async and must not interleave: run `fn` after everything queued before it. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Bring namespaces in line with the model, then rewire the engine. */
  reconcile(): Promise<void> {
    return this.serialized(async () => {
      await this.reconcileTo(this.cp.model);
      this.recompile();
      await this.vpn.sync();
    });
  }

  /**
   * One action, all or nothing — model and OS: the action runs on a draft of the model; the
   * namespaces and services the draft implies are made; only then is the draft committed.
   * If a namespace or a service cannot be made, what was made is removed again and the
   * model stays as it was, so a failed action leaves no trace (issue 10).
   */
  private apply(action: string, params: Params): Promise<Record<string, unknown>> {
    return this.serialized(async () => {
      const plan = this.cp.plan(action, params);
      if (plan.readOnly) return plan.result;
      checkZone(plan.draft);
      try {
        await this.reconcileTo(plan.draft);
      } catch (e) {
        await this.reconcileTo(this.cp.model).catch((undo: Error) => console.error(`${action}: undoing it failed too: ${undo.message}`));
        this.recompile();
        throw new ApiError('InternalError', `${action} could not make what it needs in the lab, so nothing was changed: ${(e as Error).message}`, 500);
      }
      this.cp.commit(plan); // recompiles the engine (onChange)
      await this.vpn.sync(); // F9: a VPN connection's configuration takes effect at once
      return plan.result;
    });
  }

  /**
   * Make the namespaces `model` implies and remove the others. New hosts come first and
   * removals last, so when a new host fails, the hosts made for this call are removed and
   * nothing else was touched yet.
   */
  private async reconcileTo(model: CloudModel): Promise<void> {
    this.writeZone(model);
    const wanted = labHosts(model);
    const names = new Set(wanted.map((h) => h.name));
    const added: string[] = [];
    try {
      for (const spec of wanted) {
        if (this.hosts.has(spec.name)) continue;
        await this.addHost(spec);
        added.push(spec.name);
      }
    } catch (e) {
      for (const name of added.reverse()) await this.removeHost(name).catch(() => undefined);
      throw e;
    }
    for (const name of [...this.hosts.keys()]) if (!names.has(name)) await this.removeHost(name);
  }

  private async removeHost(name: string): Promise<void> {
    const host = this.hosts.get(name);
    if (!host) return;
    this.charons.delete(name);
    this.loop.detach(this.ports.get(name)!);
    this.hosts.delete(name);
    this.specs.delete(name);
    await destroyHost(host);
  }

  private async addHost(spec: LabHostSpec): Promise<void> {
    const host = await createHost({
      lab: this.name, name: spec.name, kind: spec.kind, addresses: [{ ip: spec.ip, prefixLen: spec.prefixLen }, ...(spec.more ?? [])],
      gateway: spec.gateway, ipForward: spec.ipForward, resolvers: spec.resolvers, mtu: spec.mtu,
      // 256 packets of up to 2048 bytes per read batch: most lab hosts have MTU 1500, and the
      // bigger batch measured 6-20% more TCP throughput than 64 (bench, 2 cores). A jumbo
      // NIC (an NVA at 8500, SEMANTICS E6) needs slots its largest packet fits in.
      openTun: (netns, ifname) => openTun({ netns, name: ifname, batch: 256, slotSize: spec.mtu > 1500 ? 9216 : 2048 }),
    });
    let port = this.ports.get(spec.name);
    if (port === undefined) {
      port = this.nextPort++;
      this.ports.set(spec.name, port);
    }
    this.hosts.set(spec.name, host);
    this.specs.set(spec.name, spec);
    this.loop.attach(port, host.tun);
    try {
      for (const s of spec.services) {
        if (s.Kind === 'strongswan') this.charons.set(spec.name, await startCharon(host));
        else await startService(host, s.Kind, { port: s.Port, body: s.Body, name: spec.name, zone: s.Kind === 'dns' ? this.zoneFile : undefined });
      }
    } catch (e) {
      await this.removeHost(spec.name).catch(() => undefined); // a host is made whole, or not at all
      throw e;
    }
  }

  /** The DNS services read this file; SIGHUP makes running ones reload it. */
  private writeZone(model: CloudModel): void {
    const text = JSON.stringify(zoneOf(model), null, 1);
    if (text === this.zoneText) return;
    ensureLabDir(this.name);
    fs.writeFileSync(`${this.zoneFile}.tmp`, text);
    fs.renameSync(`${this.zoneFile}.tmp`, this.zoneFile);
    const first = this.zoneText === '';
    this.zoneText = text;
    if (first) return;
    for (const h of this.hosts.values()) {
      for (const s of h.services) if (s.kind === 'dns') process.kill(s.pid, 'SIGHUP');
    }
  }

  // ---- scenario ----

  async loadScenario(s: Scenario): Promise<void> {
    this.scenario = s;
    for (const a of topologyActions(s)) {
      try {
        // One reconcile for the whole topology below; a failure there fails the start.
        this.cp.invoke(a.action, resolveParams(this.cp.model, a.params));
      } catch (e) {
        const where = `${a.pos.file}:${a.pos.line}:${a.pos.column}`;
        if (e instanceof ApiError) throw new Error(`${where}: ${a.action} failed: ${e.code}: ${e.message}`);
        throw e;
      }
    }
    await this.reconcile();
  }

  async steps(): Promise<StepInfo[]> {
    return (this.scenario?.steps ?? []).map((s, i) => ({
      index: i + 1, name: s.name, description: s.description,
      actions: s.actions.map((a) => ({ action: a.action, params: a.params, expectError: a.expectError })),
      checks: s.checks.map((c) => ({ name: c.name, host: c.host, run: c.run, expect: c.expect })),
      result: this.stepResults[i],
    }));
  }

  async runTo(index: number): Promise<StepResult[]> {
    const steps = this.scenario?.steps ?? [];
    if (index < 1 || index > steps.length) throw new Error(`step ${index} does not exist (the scenario has ${steps.length})`);
    const results: StepResult[] = [];
    while (this.stepsRun < index) {
      const i = this.stepsRun;
      const r = await this.runStep(i);
      this.stepsRun++;
      this.stepResults.push(r);
      results.push(r);
      this.emit({ type: 'step', result: r });
    }
    return results;
  }

  private async runStep(i: number): Promise<StepResult> {
    const step = this.scenario!.steps[i];
    const actions: ActionOutcome[] = [];
    for (const a of step.actions) {
      let params: Params = a.params;
      try {
        params = resolveParams(this.cp.model, a.params);
        const result = await this.call(a.action, params);
        actions.push({ action: a.action, params, ok: true, passed: a.expectError === undefined, result, expectError: a.expectError });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        actions.push({ action: a.action, params, ok: false, passed: a.expectError === e.code, error: { Code: e.code, Message: e.message }, expectError: a.expectError });
      }
    }
    const checks: CheckResult[] = [];
    for (const c of step.checks) {
      const r = await runCheck(c, (name) => this.host(name).netns, (host) => this.tapTrace(host), this.hostEnv());
      checks.push(r);
      this.emit({ type: 'check', step: i + 1, result: r });
    }
    return { index: i + 1, name: step.name, passed: actions.every((a) => a.passed) && checks.every((c) => c.passed), actions, checks };
  }

  /**
   * What every command run in a host gets, whether a scenario check, `vpclab exec` or a
   * shell: `$VPCLAB_LOG_DIR`, the folder of the services' logs (`<host>.<kind>.<port>.log`);
   * and `vpclab` itself on the PATH, for this lab (`$VPCLAB_LAB`), so an IDC's engineer can
   * fetch the customer gateway's configuration from the cloud as one downloads it from the
   * console (`vpclab api DownloadVpnConnectionConfig …` — a Unix socket, no network).
   */
  private hostEnv(): Record<string, string> {
    const base = baseEnv().PATH;
    return { VPCLAB_LOG_DIR: logsDir(this.name), VPCLAB_LAB: this.name, PATH: `${path.join(packageRoot(), 'bin')}:${base}` };
  }

  /** Trace one host's packets for a while, alongside (and without changing) any user trace. */
  private tapTrace(host: string): () => string {
    const lines: string[] = [];
    const off = this.engine.tracer.tap({ host: this.host(host).name }, (r) => lines.push(formatTraceRecord(r)));
    return () => {
      off();
      return lines.join('\n');
    };
  }

  // ---- LabService ----

  async status(): Promise<LabStatus> {
    const m = this.cp.model;
    const hosts: HostInfo[] = [...this.specs.values()].map((s) => {
      const inst = m.instances.find((i) => i.InstanceName === s.name);
      const eip = inst && m.eips.find((e) => e.InstanceId === inst.InstanceId);
      return { name: s.name, kind: s.kind, ip: s.ip, eip: eip?.IpAddress, netns: this.hosts.get(s.name)!.netns, instanceId: inst?.InstanceId, vswitch: inst?.VSwitchId };
    });
    const resources = resourcesOf(m, this.engine, Date.now(), {
      tunnel: (id) => this.vpn.tunnel(id),
      esp: () => [...this.charons.values()][0]?.esp,
      trAlerts: (id) => this.vpn.trAlerts(id),
    });
    return {
      lab: this.name, pid: process.pid, hosts, resources, stepsRun: this.stepsRun, trace: this.traceText,
      scenario: this.scenario ? { file: this.scenario.file, title: this.scenario.title } : undefined,
    };
  }

  /** Names stand in for IDs here too (`--RouteTableId rt-a`), as in scenario files. */
  async invoke(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call(action, resolveParams(this.cp.model, params));
  }

  /**
   * An action with its names already resolved: the few the runtime answers from the engine
   * (LAB_RUNTIME_ACTIONS), else the control plane's, all or nothing.
   */
  private async call(action: string, params: Params): Promise<Record<string, unknown>> {
    if (action === 'DescribeNatGatewayMetrics') {
      checkParamNames(action, LAB_RUNTIME_ACTIONS[action], params);
      return natGatewayMetrics(this.cp.model, this.engine, params);
    }
    if (action === 'GetListenerHealthStatus') {
      checkParamNames(action, LAB_RUNTIME_ACTIONS[action], params);
      return { RequestId: requestId(), ...listenerHealthStatus(this.cp.model, this.engine, params) };
    }
    if (action === 'DescribeVpnGatewayMonitor') {
      checkParamNames(action, LAB_RUNTIME_ACTIONS[action], params);
      const id = params.VpnGatewayId;
      const g = this.cp.model.vpnGateways.find((x) => x.VpnGatewayId === id);
      if (typeof id !== 'string' || !g) throw notFound('InvalidVpnGatewayInstanceId.NotFound', 'VpnGatewayId', String(id ?? ''));
      return { RequestId: requestId(), ...this.vpn.monitor(this.cp.model, g) };
    }
    if (action === 'DescribeVpnAttachmentMonitor') {
      checkParamNames(action, LAB_RUNTIME_ACTIONS[action], params);
      return { RequestId: requestId(), ...this.vpn.monitorAttachments(this.cp.model, attachmentConns(this.cp.model, params)) };
    }
    const result = await this.apply(action, params);
    // The control plane's answer, with what only the engine knows added.
    if (HEALTH_ADDED_TO.has(action)) withHealth(this.cp.model, this.engine, result);
    if (NEGOTIATION_ADDED_TO.has(action)) withNegotiation(result, this.engine, (id) => this.vpn.tunnel(id));
    return result;
  }

  private host(name: string): Host {
    const h = this.hosts.get(name) ?? [...this.hosts.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!h) throw new Error(`no host named "${name}" (hosts: ${[...this.hosts.keys()].join(', ')})`);
    return h;
  }

  async exec(host: string, command: string, timeoutSec?: number | null): Promise<ExecReply> {
    // JSON turns a left-out timeout into null: both mean the default.
    const r = await execInHost(this.host(host).netns, { shell: command }, { timeoutMs: (timeoutSec ?? 30) * 1000, env: this.hostEnv() });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, durationMs: r.durationMs };
  }

  async shellArgv(host: string): Promise<string[]> {
    const h = this.host(host);
    return shellCommand(h.netns, h.name, this.hostEnv());
  }

  /** The TUN addon's own counters per host (reads, batches, drops at write), for the benchmark. */
  tunStats(): Map<string, TunStats> {
    const out = new Map<string, TunStats>();
    for (const [name, h] of this.hosts) {
      const t = h.tun as Partial<LinuxTunDevice>;
      if (typeof t.stats === 'function') out.set(name, t.stats());
    }
    return out;
  }

  async counters(): Promise<DeviceCounters[]> {
    return this.engine.counters.snapshot();
  }

  async setTrace(filter: string | null): Promise<void> {
    if (filter === null || filter === '') {
      this.engine.tracer.filter = null;
      this.traceText = null;
      return;
    }
    this.engine.tracer.filter = filter === 'all' ? {} : parseTraceFilter(filter, parseIp);
    this.traceText = filter;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.ticker);
    clearInterval(this.vpnTicker);
    await this.queue;
    for (const [name, host] of this.hosts) {
      this.loop.detach(this.ports.get(name)!);
      await destroyHost(host).catch(() => undefined);
    }
    this.hosts.clear();
    labRegistry(this.name).remove();
  }
}
