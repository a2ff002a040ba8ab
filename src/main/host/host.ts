// A lab host: one network namespace whose only interface (besides lo) is a TUN named eth0,
// so everything the host sends reaches our engine. Nothing here touches the root namespace:
// every networking command is `ip -n <ns>` or `ip netns exec <ns>`.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inCidr, parseIp, prefixMask } from '../engine/wire/ipv4';
import { packageRoot } from '../paths';
import type { ServiceKind } from '../scenario/types';
import { OWN_SERVICE_KINDS } from '../services/kinds';
import type { TunDevice } from './tun-device';
import { terminate } from './cleanup';
import { baseEnv, netnsArgv } from './exec';
import { addNetns, delNetns, etcNetnsDir, netnsExists, netnsPids, nsName, removeEtcNetns, sanitizeName, writeEtcNetns } from './netns';
import { ensureLabDir, labDir, labRegistry, logsDir, processStartTime, type LabRegistry } from './registry';
import { sh } from './sh';

export type HostKind = 'ecs' | 'internet' | 'service' | 'idc' | 'idc-gateway' | 'vpn-endpoint';

export interface HostAddress {
  ip: string;
  prefixLen: number;
}

/** Opens the TUN `name` inside namespace `netns` (injected so tests can pass a stand-in). */
export type OpenTunFn = (netns: string, name: string) => TunDevice | Promise<TunDevice>;

export interface HostSpec {
  lab: string;
  name: string;
  kind: HostKind;
  addresses: HostAddress[];
  /** Default route next hop (an ECS's vSwitch gateway). Without it: `default dev eth0`. */
  gateway?: string;
  /** Default 1500 (NVAs use 8500). */
  mtu?: number;
  /** net.ipv4.ip_forward inside the host. Default false. */
  ipForward?: boolean;
  /** /etc/resolv.conf nameservers inside the host. */
  resolvers?: string[];
  openTun: OpenTunFn;
}

export interface ServiceOptions {
  port?: number;
  /** http-hello: exact response body. */
  body?: string;
  /** dns: zone file. */
  zone?: string;
  /** Host name the service reports (http-hello default body). */
  name?: string;
  /** Wait this long for the `ready` line. Default 10 s. */
  readyTimeoutMs?: number;
}

export interface HostService {
  readonly kind: ServiceKind;
  readonly port: number;
  readonly pid: number;
  /** Combined stdout/stderr of the service. */
  readonly log: string;
  /** False once the process exited (stopped, or died by itself). */
  readonly running: boolean;
  /** SIGTERM (SIGKILL after 2 s) and forget it. */
  stop(): Promise<void>;
}

export interface Host {
  readonly lab: string;
  readonly name: string;
  readonly kind: HostKind;
  readonly netns: string;
  readonly tun: TunDevice;
  readonly addresses: readonly HostAddress[];
  readonly gateway?: string;
  readonly mtu: number;
  readonly ipForward: boolean;
  readonly services: readonly HostService[];
}

interface HostInternals {
  registry: LabRegistry;
  services: Set<HostService>;
  destroyed: boolean;
}

const internals = new WeakMap<Host, HostInternals>();

const IFACE = 'eth0';

function inPrefix(ip: string, a: HostAddress): boolean {
  return inCidr(parseIp(ip), parseIp(a.ip), prefixMask(a.prefixLen));
}

function validateSpec(spec: HostSpec): void {
  if (!spec.lab || !spec.name) throw new Error('createHost: lab and name are required');
  if (!spec.addresses.length) throw new Error(`createHost ${spec.name}: at least one address`);
  // parseIp throws an AddressError (an Error) that names the bad address.
  for (const a of spec.addresses) {
    parseIp(a.ip);
    if (!Number.isInteger(a.prefixLen) || a.prefixLen < 0 || a.prefixLen > 32) throw new Error(`bad prefix length /${a.prefixLen}`);
  }
  if (spec.gateway) parseIp(spec.gateway);
  for (const r of spec.resolvers ?? []) parseIp(r);
  const mtu = spec.mtu ?? 1500;
  if (!Number.isInteger(mtu) || mtu < 576 || mtu > 65535) throw new Error(`bad MTU ${mtu}`);
}

const sysctl = (ns: string, settings: Record<string, string | number>) =>
  sh(netnsArgv(ns, ['sysctl', '-q', '-w', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)]));

export async function createHost(spec: HostSpec): Promise<Host> {
  validateSpec(spec);
  const ns = nsName(spec.lab, spec.name);
  const mtu = spec.mtu ?? 1500;
  const ipForward = spec.ipForward ?? false;
  const registry = labRegistry(spec.lab);
  const ip = (...args: string[]) => sh(['ip', '-n', ns, ...args]);

  const wasRecorded = registry.snapshot.namespaces.includes(ns);
  // Recorded first: a crash between `add` and the record would leave an unrecorded namespace.
  registry.addNamespace(ns);
  try {
    await addNetns(ns);
  } catch (e) {
    // Not ours to roll back: it may be a live host of the same name or a crash's leftover.
    if (!wasRecorded) registry.removeNamespace(ns);
    const exists = await netnsExists(ns).catch(() => false);
    throw exists ? new Error(`host ${spec.name}: namespace ${ns} already exists (a live host of that name, or a leftover: run \`vpclab down\`)`) : e;
  }
  let tun: TunDevice | undefined;
  try {
    await ip('link', 'set', 'lo', 'up');
    // Namespace-wide settings before eth0 exists, so eth0 is born with them: no IPv6 (no
    // router solicitations into the lab), no ICMP redirects.
    await sysctl(ns, {
      'net.ipv6.conf.all.disable_ipv6': 1,
      'net.ipv6.conf.default.disable_ipv6': 1,
      'net.ipv4.ip_forward': ipForward ? 1 : 0,
      'net.ipv4.conf.all.accept_redirects': 0,
      'net.ipv4.conf.default.accept_redirects': 0,
      'net.ipv4.conf.all.send_redirects': 0,
      'net.ipv4.conf.default.send_redirects': 0,
      'net.ipv4.ping_group_range': '0 2147483647',
    });

    tun = await spec.openTun(ns, IFACE);
    if (tun.netns !== ns || tun.name !== IFACE) {
      throw new Error(`openTun returned ${tun.netns}/${tun.name}, wanted ${ns}/${IFACE}`);
    }
    await sysctl(ns, {
      [`net.ipv6.conf.${IFACE}.disable_ipv6`]: 1,
      [`net.ipv4.conf.${IFACE}.accept_redirects`]: 0,
      [`net.ipv4.conf.${IFACE}.send_redirects`]: 0,
    });
    for (const a of spec.addresses) await ip('addr', 'add', `${a.ip}/${a.prefixLen}`, 'dev', IFACE);
    // txqueuelen 1000 instead of the TUN default 500: under load the shorter queue drops
    // enough to cause thousands of TCP retransmits per second (measured).
    await ip('link', 'set', IFACE, 'mtu', String(mtu), 'txqueuelen', '1000', 'up');
    // No qdisc in front of the TUN: its own ring (txqueuelen long) is the queue, and a
    // pfifo_fast before it only cost time on every packet the host sends — the GWLB path,
    // whose appliance forwards everything back, went from 0.49 to 0.52-0.55 of the EIP
    // path's TCP throughput (bench, 2 cores).
    await sh(netnsArgv(ns, ['tc', 'qdisc', 'replace', 'dev', IFACE, 'root', 'noqueue']));
    if (spec.gateway) {
      // A gateway outside every local prefix is still reachable on a point-to-point TUN.
      const onlink = spec.addresses.some((a) => inPrefix(spec.gateway!, a)) ? [] : ['onlink'];
      await ip('route', 'add', 'default', 'via', spec.gateway, 'dev', IFACE, ...onlink);
    } else {
      await ip('route', 'add', 'default', 'dev', IFACE);
    }

    const dir = etcNetnsDir(ns);
    registry.addNetnsDir(dir);
    const resolv = (spec.resolvers ?? []).map((r) => `nameserver ${r}\n`).join('') + 'options timeout:1 attempts:2\n';
    writeEtcNetns(ns, {
      'resolv.conf': resolv,
      // For `hostname -F` and readers of /etc/hostname; the shell prompt carries the name.
      hostname: `${spec.name}\n`,
      // Shadow the machine's /etc/hosts so names resolve only through the lab's DNS.
      hosts: '127.0.0.1\tlocalhost\n',
    });
  } catch (e) {
    try {
      tun?.close();
    } catch {
      /* best effort */
    }
    await delNetns(ns).catch(() => false);
    removeEtcNetns(ns);
    registry.removeNamespace(ns);
    registry.removeNetnsDir(etcNetnsDir(ns));
    throw e;
  }

  const state: HostInternals = { registry, services: new Set(), destroyed: false };
  const host: Host = {
    lab: spec.lab,
    name: spec.name,
    kind: spec.kind,
    netns: ns,
    tun,
    addresses: spec.addresses.map((a) => ({ ...a })),
    gateway: spec.gateway,
    mtu,
    ipForward,
    get services() {
      return [...state.services];
    },
  };
  internals.set(host, state);
  return host;
}

function internalsOf(host: Host): HostInternals {
  const s = internals.get(host);
  if (!s) throw new Error(`${host.name}: not a host made by createHost`);
  if (s.destroyed) throw new Error(`${host.name}: host was destroyed`);
  return s;
}

/** The node that runs service programs: this one, or Electron acting as node. */
function nodeCommand(): { argv0: string; env: Record<string, string> } {
  if (process.versions.electron) return { argv0: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
  return { argv0: path.basename(process.execPath).startsWith('node') ? process.execPath : 'node', env: {} };
}

export function serviceScript(): string {
  return path.join(packageRoot(), 'dist', 'src', 'main', 'services', 'run.js');
}

/**
 * Start one of our service programs inside the host. Its output goes straight to a log file
 * (not through us), so it keeps running if the runtime dies; cleanup finds it by pid.
 */
export async function startService(host: Host, kind: ServiceKind, opts: ServiceOptions = {}): Promise<HostService> {
  if (!(OWN_SERVICE_KINDS as readonly string[]).includes(kind)) throw new Error(`${kind} is not one of the lab's service programs (host/charon.ts starts strongswan)`);
  const script = serviceScript();
  if (!fs.existsSync(script)) throw new Error(`service program ${script} is missing: run \`npx tsc -p tsconfig.node.json\``);
  const args: string[] = [kind];
  if (opts.port !== undefined) args.push('--port', String(opts.port));
  if (opts.body !== undefined) args.push('--body', opts.body);
  if (opts.zone !== undefined) args.push('--zone', opts.zone);
  if (opts.name !== undefined) args.push('--name', opts.name);
  const node = nodeCommand();
  return startProgram(host, {
    kind,
    argv: [node.argv0, script, ...args],
    env: node.env,
    logName: `${sanitizeName(host.name)}.${kind}.${opts.port ?? 'default'}.log`,
    port: opts.port,
    ready: (log, offset, exitReason) => waitForReady(log, offset, kind, exitReason, opts.readyTimeoutMs ?? 10_000),
  });
}

/** A program to run inside a host as one of its services. */
export interface ProgramSpec {
  kind: ServiceKind;
  /** The command, run in the host's namespace (`ip netns exec`). */
  argv: string[];
  env?: Record<string, string>;
  /** File name in the lab's logs folder ($VPCLAB_LOG_DIR). */
  logName: string;
  port?: number;
  /** Resolves with the port it serves once ready; rejects with why not (`exitReason()` says how it ended, if it did). */
  ready(log: string, offset: number, exitReason: () => string | null): Promise<number>;
}

/**
 * Run a program in the host, recorded in the state file before anything waits on it (so
 * cleanup finds it after a crash) and forgotten when it exits; its output goes to its log.
 */
export async function startProgram(host: Host, p: ProgramSpec): Promise<HostService> {
  const state = internalsOf(host);
  const { kind } = p;
  ensureLabDir(host.lab);
  const logs = logsDir(host.lab);
  fs.mkdirSync(logs, { recursive: true, mode: 0o700 });
  const log = path.join(logs, p.logName);
  const fd = fs.openSync(log, 'a', 0o600);
  const startOffset = fs.fstatSync(fd).size;
  const argv = netnsArgv(host.netns, p.argv);
  let child;
  try {
    child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', fd, fd],
      env: baseEnv(p.env),
      detached: true, // own process group; survives us, killed by pid from the state file
    });
  } finally {
    fs.closeSync(fd);
  }
  const pid = child.pid;
  if (!pid) {
    const err = await new Promise<Error>((r) => child.once('error', r));
    throw new Error(`cannot start ${kind} in ${host.name}: ${err.message}`);
  }
  child.unref();
  let exited = false;
  let exitInfo = '';
  const exitedP = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `killed by ${signal}` : `exit ${code}`;
      // Its pid may be reused now; cleanup must not find it in the state file.
      state.registry.removeProcess(pid);
      resolve();
    }),
  );
  state.registry.addProcess({ pid, startTime: processStartTime(pid), netns: host.netns, host: host.name, kind, port: p.port, log });

  let port: number;
  try {
    port = await p.ready(log, startOffset, () => (exited ? exitInfo : null));
  } catch (e) {
    await terminate([{ pid }]);
    state.registry.removeProcess(pid);
    throw new Error(`${kind} in ${host.name}: ${(e as Error).message}`);
  }

  const svc: HostService = {
    kind,
    port,
    pid,
    log,
    get running() {
      return !exited;
    },
    async stop() {
      if (!exited) {
        await terminate([{ pid }]);
        // Let the exit event land, so `running` is false when stop() resolves.
        await Promise.race([exitedP, new Promise((r) => setTimeout(r, 1000))]);
      }
      state.registry.removeProcess(pid);
      state.services.delete(svc);
    },
  };
  state.services.add(svc);
  return svc;
}

/** Poll the log (from where this start began) for `ready <kind> <port>`. */
async function waitForReady(log: string, offset: number, kind: string, exitReason: () => string | null, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const re = new RegExp(`^ready ${kind.replace(/[^a-z0-9-]/g, '')} (\\d+)\\s*$`, 'm');
  for (;;) {
    const text = readFrom(log, offset);
    const m = re.exec(text);
    if (m) return Number(m[1]);
    const why = exitReason();
    if (why) throw new Error(`${why} before it was ready; log:\n${text.trim()}`);
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms; log:\n${text.trim()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, Math.min(size - offset, 1 << 20)));
    fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Stop the host's processes, close its TUN, delete its namespace and /etc/netns entry. */
export async function destroyHost(host: Host): Promise<void> {
  const state = internals.get(host);
  if (!state || state.destroyed) return;
  state.destroyed = true;
  const { registry } = state;
  for (const svc of [...state.services]) await svc.stop();
  // Anything else still in there: shells, exec'd commands, stray children of services.
  await terminate((await netnsPids(host.netns)).map((pid) => ({ pid })));
  try {
    host.tun.close();
  } catch {
    /* idempotent by contract; a failing close must not keep the namespace alive */
  }
  await delNetns(host.netns);
  registry.removeNamespace(host.netns);
  removeEtcNetns(host.netns);
  registry.removeNetnsDir(etcNetnsDir(host.netns));
  // Last host of the lab gone and no runtime socket to keep: drop the state and run dir.
  if (registry.empty && !registry.snapshot.socketPath) {
    registry.remove();
    fs.rmSync(labDir(host.lab), { recursive: true, force: true });
  }
}
