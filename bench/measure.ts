// The three measurements of one path, each run inside lab namespaces only: iperf3 TCP,
// iperf3 UDP with 256-byte datagrams at saturation, and ping RTT. Every process we start
// has a deadline and its own process group, so nothing outlives the benchmark.
//
// All waiting is asynchronous: for the engine path the packets are moved by this very
// process's event loop, so a blocking call here would stall the path being measured.

import { spawn, type ChildProcess } from 'node:child_process';
import { baseEnv, execInHost, netnsArgv, signalGroup } from '../src/main/host/exec';

export interface PathFigures {
  tcp_gbit_s: number;
  udp256_pps: number;
  rtt_ms_median: number;
}

/** Printed, not in latest.json: 256-byte UDP offered at exactly the target rate. */
export interface PacedUdp {
  offered_pps: number;
  delivered_pps: number;
  loss_pct: number;
}

/** The UDP target, offered as a steady load next to the flat-out run. */
export const PACED_UDP_PPS = 70_000;

/** Where a measurement runs: client and server namespaces and the address the client dials. */
export interface PathEnds {
  clientNs: string;
  serverNs: string;
  serverIp: string;
}

export const TEST_SECONDS = 5;
const IPERF_PORT = 5201;

/** An `iperf3 -s -1` in a namespace: serves one test, then exits. Killed by `stop()` otherwise. */
export class IperfServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  static live = new Set<IperfServer>();

  static async start(ns: string, deadlineMs: number): Promise<IperfServer> {
    // --forceflush so "Server listening" reaches us at once rather than at exit.
    // --idle-timeout: a server whose client never came still ends by itself.
    const argv = netnsArgv(ns, ['iperf3', '-s', '-1', '-p', String(IPERF_PORT), '--forceflush', '--idle-timeout', '30']);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv(), detached: true });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const server = new IperfServer(child, exited);
    IperfServer.live.add(server);
    const deadline = setTimeout(() => server.kill(), deadlineMs);
    exited.then(() => {
      clearTimeout(deadline);
      IperfServer.live.delete(server);
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const ready = setTimeout(() => fail(new Error(`iperf3 -s in ${ns} not listening after 5 s: ${out.trim()}`)), 5000);
      const fail = (e: Error) => {
        clearTimeout(ready);
        server.kill();
        reject(e);
      };
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Server listening')) {
          clearTimeout(ready);
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      child.once('error', (e) => fail(e));
      exited.then(() => fail(new Error(`iperf3 -s in ${ns} exited before listening: ${out.trim()}`)));
    });
    return server;
  }

  kill(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      signalGroup(this.child.pid, 'SIGKILL');
    }
  }

  /** Wait for the one-off server to finish its test; kill it if it does not within `ms`. */
  async stop(ms = 3000): Promise<void> {
    const t = setTimeout(() => this.kill(), ms);
    await this.exited;
    clearTimeout(t);
  }

  static killAll(): void {
    for (const s of IperfServer.live) s.kill();
  }
}

interface IperfJson {
  error?: string;
  end?: {
    cpu_utilization_percent?: { host_total?: number; remote_total?: number };
    sum_received?: { bits_per_second?: number; seconds?: number; packets?: number; lost_packets?: number };
    sum?: { bits_per_second?: number; seconds?: number; packets?: number; lost_packets?: number };
  };
}

/** iperf3's own getrusage figures: how much CPU the client and the server took. */
function iperfCpu(j: IperfJson): string {
  const c = j.end?.cpu_utilization_percent;
  if (!c) return 'iperf3 CPU unknown';
  return `iperf3 CPU: client ${Math.round(c.host_total ?? NaN)}%, server ${Math.round(c.remote_total ?? NaN)}% of one core`;
}

async function iperfClient(ends: PathEnds, extra: string[], seconds = TEST_SECONDS): Promise<IperfJson> {
  const server = await IperfServer.start(ends.serverNs, (seconds + 20) * 1000);
  try {
    const r = await execInHost(
      ends.clientNs,
      ['iperf3', '-c', ends.serverIp, '-p', String(IPERF_PORT), '-t', String(seconds), '-J', ...extra],
      { timeoutMs: (seconds + 15) * 1000 },
    );
    let json: IperfJson;
    try {
      json = JSON.parse(r.stdout) as IperfJson;
    } catch {
      throw new Error(`iperf3 ${extra.join(' ')} in ${ends.clientNs}: exit ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${(r.stderr || r.stdout).trim().slice(0, 500)}`);
    }
    if (json.error) throw new Error(`iperf3 ${extra.join(' ')} in ${ends.clientNs}: ${json.error}`);
    return json;
  } finally {
    await server.stop();
  }
}

/**
 * How iperf3 runs TCP. One stream from client to server is every row's default; a path that
 * spreads flows (the transit router's ECMP) needs several, sent by the server (`-R`) when the
 * spreading happens on the server's side, from fixed client ports (`--cport`: iperf3 numbers
 * the streams' ports from it) so the flow hash sees the same 5-tuples in every run.
 */
export interface TcpMode {
  streams: number;
  reverse: boolean;
  cport?: number;
}

export const TCP_SINGLE: TcpMode = { streams: 1, reverse: false };

/** The iperf3 flags a reader compares rows by (the client port only fixes which flows hash where). */
export const tcpModeName = (m: TcpMode): string => `-P ${m.streams}${m.reverse ? ' -R' : ''}`;

function tcpArgs(m: TcpMode): string[] {
  return [...(m.streams > 1 ? ['-P', String(m.streams)] : []), ...(m.reverse ? ['-R'] : []), ...(m.cport !== undefined ? ['--cport', String(m.cport)] : [])];
}

/** Receiver-side TCP throughput (`end.sum_received.bits_per_second`; with -R the client is the receiver) in Gbit/s. */
export async function measureTcp(ends: PathEnds, log?: (s: string) => void, mode: TcpMode = TCP_SINGLE, seconds = TEST_SECONDS): Promise<number> {
  const j = await iperfClient(ends, tcpArgs(mode), seconds);
  log?.(`      ${iperfCpu(j)}`);
  const bps = j.end?.sum_received?.bits_per_second;
  if (typeof bps !== 'number') throw new Error('iperf3 TCP: no end.sum_received.bits_per_second in its JSON');
  return bps / 1e9;
}

/** Counters of one namespace that say where datagrams were lost. */
interface NsCounters {
  udp: Record<string, number>;
  links: Record<string, { txPackets: number; txDropped: number; rxPackets: number; rxDropped: number }>;
}

async function nsCounters(ns: string): Promise<NsCounters | null> {
  const r = await execInHost(ns, { shell: 'cat /proc/net/snmp; echo ===; ip -j -s link show' }, { timeoutMs: 5000 });
  if (r.code !== 0) return null;
  const [snmp, linkJson] = r.stdout.split('===\n');
  const udpLines = snmp.split('\n').filter((l) => l.startsWith('Udp: '));
  const udp: Record<string, number> = {};
  if (udpLines.length >= 2) {
    const keys = udpLines[0].split(/\s+/).slice(1);
    const vals = udpLines[1].split(/\s+/).slice(1).map(Number);
    keys.forEach((k, i) => (udp[k] = vals[i]));
  }
  const links: NsCounters['links'] = {};
  try {
    for (const l of JSON.parse(linkJson) as Array<{ ifname: string; stats64?: { rx: Record<string, number>; tx: Record<string, number> } }>) {
      if (l.ifname === 'lo' || !l.stats64) continue;
      links[l.ifname] = { txPackets: l.stats64.tx.packets, txDropped: l.stats64.tx.dropped, rxPackets: l.stats64.rx.packets, rxDropped: l.stats64.rx.dropped };
    }
  } catch {
    /* no JSON from this ip: counters stay empty */
  }
  return { udp, links };
}

function lossReport(label: string, a: NsCounters | null, b: NsCounters | null, side: 'client' | 'server'): string {
  if (!a || !b) return `${label}: counters unavailable`;
  const parts: string[] = [];
  for (const [name, l] of Object.entries(b.links)) {
    const p = a.links[name];
    if (!p) continue;
    if (side === 'client') parts.push(`${name} tx ${l.txPackets - p.txPackets} (dropped ${l.txDropped - p.txDropped})`);
    else parts.push(`${name} rx ${l.rxPackets - p.rxPackets} (dropped ${l.rxDropped - p.rxDropped})`);
  }
  const d = (k: string) => (b.udp[k] ?? 0) - (a.udp[k] ?? 0);
  if (side === 'client') parts.push(`UDP out ${d('OutDatagrams')}, sndbuf errors ${d('SndbufErrors')}`);
  else parts.push(`UDP in ${d('InDatagrams')}, rcvbuf errors ${d('RcvbufErrors')}`);
  return `${label}: ${parts.join(', ')}`;
}

/**
 * 256-byte UDP datagrams sent as fast as the client can (`-b 0`, or `pps` datagrams/s);
 * what counts is what the server received: (packets - lost_packets) / seconds from the
 * receiver's summary. `log` gets where the rest went: the client's interface queue, the
 * path, the server's socket.
 */
export async function measureUdp256(ends: PathEnds, log?: (s: string) => void, pps?: number): Promise<{ pps: number; lossPct: number; delivered: number }> {
  const before = log ? await Promise.all([nsCounters(ends.clientNs), nsCounters(ends.serverNs)]) : null;
  // -b counts payload bits: 256 bytes × 8 × pps.
  const rate = pps === undefined ? '0' : String(256 * 8 * pps);
  const j = await iperfClient(ends, ['-u', '-l', '256', '-b', rate]);
  // iperf3 ≥ 3.11 reports the receiver's view in sum_received; older ones only in sum,
  // whose lost_packets already come from the server.
  const s = j.end?.sum_received ?? j.end?.sum;
  if (!s || typeof s.packets !== 'number' || typeof s.seconds !== 'number' || s.seconds <= 0) {
    throw new Error('iperf3 UDP: no receiver packets/seconds in its JSON');
  }
  const delivered = s.packets - (s.lost_packets ?? 0);
  if (log && before) {
    const after = await Promise.all([nsCounters(ends.clientNs), nsCounters(ends.serverNs)]);
    log(`      ${iperfCpu(j)}`);
    log(`      iperf3: sent ${s.packets}, received ${delivered} (${(((s.packets - delivered) / Math.max(1, s.packets)) * 100).toFixed(1)}% lost)`);
    log(`      ${lossReport('client ns', before[0], after[0], 'client')}`);
    log(`      ${lossReport('server ns', before[1], after[1], 'server')}`);
  }
  return { pps: delivered / s.seconds, lossPct: s.packets ? ((s.packets - delivered) / s.packets) * 100 : 0, delivered };
}

/** Per-packet RTTs from ping's reply lines (`time=0.123 ms`); the summary only has mean/mdev. */
export function parsePingRtts(out: string): number[] {
  const rtts: number[] = [];
  for (const m of out.matchAll(/ time=([\d.]+) ms/g)) rtts.push(Number(m[1]));
  return rtts;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median RTT of 50 pings 10 ms apart (below 200 ms needs root, which the bench has). */
export async function measureRtt(ends: PathEnds): Promise<number> {
  // No -q: the per-packet lines are what give a true median.
  const r = await execInHost(ends.clientNs, ['ping', '-n', '-c', '50', '-i', '0.01', '-W', '1', ends.serverIp], { timeoutMs: 15_000 });
  const rtts = parsePingRtts(r.stdout);
  if (rtts.length === 0) throw new Error(`ping ${ends.serverIp} from ${ends.clientNs}: no replies: ${(r.stdout + r.stderr).trim().slice(-300)}`);
  return median(rtts);
}

/** Called as a measurement starts; what it returns is called at the end and its text logged. */
export type Probe = () => () => string;

async function observed<T>(probe: Probe | undefined, log: (s: string) => void, f: () => Promise<T>): Promise<T> {
  const end = probe?.();
  const v = await f();
  if (end) log(`      ${end()}`);
  return v;
}

/** One TCP measurement of a path: its iperf3 flags (tcpModeName) and what the receiver got. */
export interface TcpRun {
  mode: string;
  gbit_s: number;
}

export interface PathResult {
  /** tcp_gbit_s is the first of `tcp`. */
  figures: PathFigures;
  tcp: TcpRun[];
  paced: PacedUdp;
  /** Datagrams the server received over both UDP runs: a floor for what a device on the path must have carried. */
  udpDelivered: number;
}

/**
 * Same order for every path: latency first (idle path), then TCP (once per mode, default one
 * stream), then UDP flat out, then UDP at `pacedPps` offered (default PACED_UDP_PPS, the
 * issue's target for the direct paths).
 */
export async function measurePath(ends: PathEnds, log: (s: string) => void, probe?: Probe, pacedPps = PACED_UDP_PPS, tcpModes: readonly TcpMode[] = [TCP_SINGLE]): Promise<PathResult> {
  log('  ping RTT (50 × 10 ms)…');
  const rtt = await observed(probe, log, () => measureRtt(ends));
  log(`    median ${rtt.toFixed(3)} ms`);
  const tcp: TcpRun[] = [];
  for (const mode of tcpModes) {
    log(`  iperf3 TCP ${tcpModeName(mode)} ${TEST_SECONDS} s…`);
    const gbit_s = await observed(probe, log, () => measureTcp(ends, log, mode));
    log(`    ${gbit_s.toFixed(2)} Gbit/s`);
    tcp.push({ mode: tcpModeName(mode), gbit_s });
  }
  log(`  iperf3 UDP 256 B flat out (-b 0) ${TEST_SECONDS} s…`);
  const udp = await observed(probe, log, () => measureUdp256(ends, log));
  log(`    ${Math.round(udp.pps).toLocaleString('en-US')} delivered pps`);
  log(`  iperf3 UDP 256 B at ${pacedPps.toLocaleString('en-US')} pps offered, ${TEST_SECONDS} s…`);
  const paced = await observed(probe, log, () => measureUdp256(ends, log, pacedPps));
  log(`    ${Math.round(paced.pps).toLocaleString('en-US')} delivered pps, ${paced.lossPct.toFixed(2)}% lost`);
  return {
    figures: { tcp_gbit_s: tcp[0].gbit_s, udp256_pps: udp.pps, rtt_ms_median: rtt },
    tcp,
    paced: { offered_pps: pacedPps, delivered_pps: paced.pps, loss_pct: paced.lossPct },
    udpDelivered: udp.delivered + paced.delivered,
  };
}
