// `npm run bench`: how fast the lab's engine forwards real packets, next to the kernel
// forwarding the same traffic, measured in the same run (DESIGN.md "Tests": benchmarks are
// not tests; they print a table and write JSON, always with the kernel baseline).
//
// Seven paths on four labs, measured in this order:
//   "ECS (EIP) → Internet": lab `bench` from lab-scenarios/bench.yaml, brought up in this
//       process with the same Lab runtime the CLI uses, so the TUN batches are read by this
//       event loop; bench-ecs's EIP, 1:1 NAT (A9/A11), no route table consulted.
//   "ECS (EIP) → Internet, 200 SG rules + 20 ACL entries each way": the same path right after
//       it, with bench-ecs in a security group of 200 rules and vsw-bench behind an ACL of 20
//       entries per direction, laid out so every decision walks the whole list; see
//       bench/sg-path.ts. Its target is 0.9 × the plain path's figures of the same run.
//   "ECS (no EIP) → SNAT → Internet": the same lab after CreateNatGateway, AllocateEipAddress,
//       AssociateEipAddress and CreateSnatEntry (the VPC's CIDR → the NAT gateway's EIP),
//       invoked on the Lab as a user would. The first NAT gateway adds 0.0.0.0/0 → NatGateway
//       to the system route table (D2), so bench-snat, which has no public IP, goes route
//       table → NAT gateway (SNAT session: EIP and port, D5–D8; replies matched back to it)
//       → Internet. Before measuring, the bench checks that the server sees the NAT EIP and
//       that the gateway's DescribeNatGatewayMetrics counters move; afterwards it deletes the
//       NAT gateway (Force), since an active IPv4 gateway refuses a MULTI_BINDED NAT gateway
//       and the system table's 0.0.0.0/0 would conflict with the IPv4 gateway's (B4, D12).
//   "ECS → IPv4 gateway (EIP) → Internet": the same lab after CreateIpv4Gateway and
//       EnableVpcIpv4Gateway on the vSwitch's (system) route table; the engine recompiles in
//       place, and packets now go route table → 0.0.0.0/0 → IPv4 gateway (SNAT to the EIP,
//       connection tracking lets the replies in, B5.2/B5.3) → Internet. The bench checks the
//       gateway's counters moved.
//   "Internet → EIP → IPv4 gateway → GWLBe → GWLB → NVA → ECS": the GWLB tutorial's inbound
//       path with one appliance, on lab `bench-gwlb` (lab-scenarios/bench-gwlb.yaml), built
//       with the tutorial's actions and the appliance's real iptables hairpin; see
//       bench/gwlb-path.ts. Its target is a share of the EIP path's throughput, measured in
//       the same run.
//   "IDC host → IPsec → VPC ECS": the IPsec-VPN tutorial's path on lab `bench-ipsec`
//       (lab-scenarios/bench-ipsec.yaml): a VPN gateway in two zones, a dual-tunnel connection,
//       the IDC router's strongSwan loaded with the downloaded configuration; see
//       bench/ipsec-path.ts. Compared with F7's per-connection ceiling; the row names the ESP
//       backend (kernel XFRM or charon's userspace ESP). Its TCP is also measured as the ECMP
//       row's (-P 8 -R), so the two rows compare like with like.
//   "IDC host ← TR ECMP ×4 (IPsec) ← VPC ECS": the transit-router tutorial's path on lab
//       `bench-ecmp` (lab-scenarios/bench-ecmp.yaml): a TR, the VPC attached, four single-tunnel
//       connections as one ECMP group, the IDC router loading the four downloaded configurations;
//       see bench/ecmp-path.ts. Its TCP is eight streams sent by the ECS (-P 8 -R), the flows the
//       TR spreads over the four; the kernel baseline is measured the same way for it.
//   kernel: client ── router ── server namespaces over veth, NAT by iptables in the router.
//       It is the same for every path, so it is measured once, after the engine, and every
//       row is compared with it.
// For each: iperf3 TCP (Gbit/s; one stream unless the row says otherwise), iperf3 UDP 256-byte datagrams at saturation (delivered
// packets/s) and ping (median RTT). Results go to bench/results/latest.json.
//
// Everything runs between lab namespaces and ends by itself; on exit, error or Ctrl-C the
// labs are shut down, the kernel namespaces deleted and iperf3 killed, and the root namespace
// is compared with a snapshot taken before the run.
//
//   npx tsc -p tsconfig.node.json && npm run bench [-- --only <part of a path's name> …]
//
// `--only` (repeatable, case-insensitive) measures the paths whose names contain one of the
// words, and the kernel baseline as always; it writes bench/results/only.json, leaving
// latest.json to full runs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceCounters } from '../src/main/engine/counters';
import { cleanupLab } from '../src/main/host/cleanup';
import { labNsPrefix, listNetns } from '../src/main/host/netns';
import { isAlive, labRegistry, listLabStates, readLabState } from '../src/main/host/registry';
import { startCapture } from '../src/main/host/capture';
import { execInHost } from '../src/main/host/exec';
import { sh } from '../src/main/host/sh';
import { packageRoot } from '../src/main/paths';
import { Lab } from '../src/main/runtime/lab';
import { loadScenario } from '../src/main/scenario/load';
import { diffSnapshots, snapshotRootNs, type RootNsSnapshot } from '../test/support/rootns';
import { createKernelPath, destroyKernelPath, KERNEL_ENDS, KERNEL_NAMESPACES } from './kernel-path';
import { buildGwlbPath, counterDelta, formatCounters, GWLB_LAB, GWLB_TARGET_SHARE, gwlbCounters, gwlbProbe, nvaKernel, PATH_GWLB, verifyGwlbPath, waitHealthy } from './gwlb-path';
import { buildEcmpPath, ECMP_LAB, ecmpCeiling, ecmpJson, ecmpProbe, measureEcmpPath, PATH_ECMP, TCP_ECMP, verifyEcmpPath, waitEcmpTunnelsUp } from './ecmp-path';
import { buildIpsecPath, f7Ceiling, IPSEC_LAB, ipsecJson, ipsecProbe, measureIpsecPath, PATH_IPSEC, verifyIpsecPath, waitTunnelsUp } from './ipsec-path';
import { buildSgPath, PATH_SG, removeSgPath, SG_TARGET_SHARE, verifySgPath } from './sg-path';
import { IperfServer, measurePath, PACED_UDP_PPS, TCP_SINGLE, tcpModeName, type PathEnds, type PathFigures, type PathResult, type Probe, type TcpMode } from './measure';

const LAB = 'bench';
const PATH_EIP = 'ECS (EIP) → Internet';
const PATH_SNAT = 'ECS (no EIP) → SNAT → Internet';
const PATH_IGW = 'ECS → IPv4 gateway (EIP) → Internet';
const VPC = 'vpc-bench';
const VPC_CIDR = '192.168.0.0/16';
const VSWITCH = 'vsw-bench';
const IGW_NAME = 'igw';
const NAT_NAME = 'ngw-bench';
/** The NAT gateway's EIP: what the server must see as bench-snat's source. */
const NAT_EIP = '47.91.0.20';
/** Has an EIP: the EIP path and the IPv4 gateway path. */
const CLIENT_HOST = 'bench-ecs';
/** No public IP: reaches the Internet only through the NAT gateway's SNAT. */
const SNAT_HOST = 'bench-snat';
const SERVER_HOST = 'bench-server';
const SERVER_IP = '8.8.4.4';
/** The issue's targets for the direct engine paths; the GWLB path's is a share of the EIP path's figures. */
const TARGET = { tcp_gbit_s: 1.5, udp256_pps: 70_000 };
const ALL_PATHS = [PATH_EIP, PATH_SG, PATH_SNAT, PATH_IGW, PATH_GWLB, PATH_IPSEC, PATH_ECMP];
/** The labs of the run; `bench-gwlb`'s, `bench-ipsec`'s and `bench-ecmp`'s namespaces share `bench`'s name prefix, so `bench` comes last. */
const LABS = [GWLB_LAB, IPSEC_LAB, ECMP_LAB, LAB];

const log = (s: string) => console.log(s);

// ---- before anything is created ----

async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (namespaces, TUN devices, iptables in a namespace)');
  for (const tool of ['iperf3', 'ping', 'ip', 'iptables']) {
    const r = await sh(['sh', '-c', `command -v ${tool}`], { allowFail: true });
    if (r.code !== 0) throw new Error(`${tool} is not installed`);
  }
  for (const name of LABS) {
    const prev = readLabState(name);
    if (prev && prev.runtimePid !== process.pid && isAlive(prev.runtimePid)) {
      throw new Error(`lab "${name}" is running (pid ${prev.runtimePid}); stop it (\`vpclab down ${name}\`) or wait for that benchmark to end`);
    }
  }
  const others = listLabStates().filter((s) => !LABS.includes(s.lab));
  for (const ns of KERNEL_NAMESPACES) {
    const owner = others.find((s) => s.namespaces.includes(ns));
    if (owner) throw new Error(`namespace ${ns} belongs to lab "${owner.lab}"; refusing to touch it`);
  }
  // No live owner: whatever carries a lab's prefix is a crashed run's leftovers. `bench-gwlb`,
  // `bench-ipsec` and `bench-ecmp` first: while their state files claim their namespaces, the
  // `bench` sweep leaves them alone.
  for (const name of LABS) {
    const prev = readLabState(name);
    const prefix = labNsPrefix(name)!;
    const leftovers = (await listNetns()).filter((n) => n.startsWith(prefix));
    if (prev || leftovers.length) {
      log(`removing leftovers of an earlier run: ${[...(prev ? [`state of lab "${name}"`] : []), ...leftovers].join(', ')}`);
      const report = await cleanupLab(name);
      if (report.errors.length) throw new Error(`could not remove leftovers: ${report.errors.join('; ')}`);
    }
  }
  const still = (await listNetns()).filter((n) => n.startsWith(labNsPrefix(LAB)!));
  if (still.length) throw new Error(`namespaces still present: ${still.join(', ')}`);
}

/** Other labs and test runs share the two cores with the path under test: say so. */
async function noiseWarning(): Promise<string | null> {
  const prefix = labNsPrefix(LAB)!;
  const otherNs = (await listNetns()).filter((n) => !n.startsWith(prefix));
  const tests = fs.readdirSync('/proc').filter((d) => {
    if (!/^\d+$/.test(d)) return false;
    try {
      return /vitest/.test(fs.readFileSync(`/proc/${d}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const why = [
    ...(otherNs.length ? [`${otherNs.length} other network namespaces (other labs?)`] : []),
    ...(tests.length ? [`${tests.length} vitest processes`] : []),
  ];
  if (!why.length) return null;
  return `note: ${why.join(' and ')} on this machine (load ${load}); they compete for the same cores, so the figures may be low`;
}

// ---- teardown, reachable from the normal end, an error and a signal ----

let lab: Lab | null = null;
let gwlbLab: Lab | null = null;
let ipsecLab: Lab | null = null;
let ecmpLab: Lab | null = null;
/** The IPsec and ECMP rows' ESP backends (Charon.esp), for the table and the JSON. */
let ipsecEsp: string | undefined;
let ecmpEsp: string | undefined;
let cleaning: Promise<string[]> | null = null;

function cleanup(): Promise<string[]> {
  cleaning ??= (async () => {
    const errors: string[] = [];
    IperfServer.killAll();
    // Kernel namespaces first: they are recorded in lab `bench`'s state file, which shutdown removes.
    const registry = labRegistry(LAB);
    errors.push(...(await destroyKernelPath((ns) => registry.removeNamespace(ns))));
    for (const l of [gwlbLab, ipsecLab, ecmpLab, lab]) if (l) await l.shutdown().catch((e) => errors.push(`lab ${l.name} shutdown: ${(e as Error).message}`));
    if (!lab) registry.remove();
    // The same final sweep as the runtime's: anything with a lab's prefix.
    for (const name of LABS) {
      const report = await cleanupLab(name, { stopRuntime: false }).catch((e) => ({ errors: [(e as Error).message] }));
      errors.push(...report.errors);
    }
    return errors;
  })();
  return cleaning;
}

// ---- engine diagnostics: where the packets went and how they were batched ----

/** The engine's counters of one device (route table, gateway, EIP) by its ID. */
async function deviceCounters(l: Lab, id: string): Promise<DeviceCounters> {
  return (await l.counters()).find((c) => c.device === id) ?? { device: id, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: {} };
}

/** What one device did between two snapshots: packets out and in, and drops by reason. */
function deviceDelta(a: DeviceCounters, b: DeviceCounters): { tx: number; rx: number; drops: string } {
  const drops = Object.entries(b.drops)
    .map(([why, n]) => [why, (n ?? 0) - (a.drops[why as keyof DeviceCounters['drops']] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} ${why}`);
  return { tx: b.txPackets - a.txPackets, rx: b.rxPackets - a.rxPackets, drops: drops.join(', ') };
}

/** A gateway whose counters a measurement reports: out = translated towards the Internet, in = replies let back. */
type Gateway = { kind: 'IPv4 gateway' | 'NAT gateway'; id: string };

/**
 * Engine CPU share, packets per read batch and drops during one measurement; with `gw`,
 * also what went through that gateway (and, for a NAT gateway, the SNAT sessions it made);
 * with `extra`, its line too (the GWLB path's devices).
 */
function engineProbe(l: Lab, gw?: Gateway, extra?: Probe): Probe {
  const device = () => (gw ? l.engine.counters.snapshot().find((c) => c.device === gw.id) : undefined);
  const sessions = () => (gw?.kind === 'NAT gateway' ? l.engine.natGateways.metrics(gw.id) : undefined);
  return () => {
    const more = extra?.();
    const before = l.tunStats();
    const gw0 = device();
    const nat0 = sessions();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    return () => {
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const parts = [`bench process CPU ${(((cpu.user + cpu.system) / wallUs) * 100).toFixed(0)}% of one core (user ${((cpu.user / wallUs) * 100).toFixed(0)}%, sys ${((cpu.system / wallUs) * 100).toFixed(0)}%)`];
      for (const [name, b] of l.tunStats()) {
        const a = before.get(name);
        if (!a) continue;
        const rx = b.rxPackets - a.rxPackets;
        const batches = b.rxBatches - a.rxBatches;
        if (rx === 0 && b.txPackets === a.txPackets) continue;
        const drops = b.writeDrops - a.writeDrops + (b.writeErrors - a.writeErrors);
        parts.push(`${name}: read ${rx} pkts (${Math.round(rx / (wallUs / 1e6)).toLocaleString('en-US')}/s) in ${batches} batches (${batches ? (rx / batches).toFixed(1) : '-'}/batch), wrote ${b.txPackets - a.txPackets}${drops ? `, ${drops} write drops` : ''}`);
      }
      const gw1 = device();
      if (gw && gw0 && gw1) {
        const d = deviceDelta(gw0, gw1);
        const nat1 = sessions();
        const made = nat0 && nat1 ? `; ${nat1.sessionsCreated - nat0.sessionsCreated} new SNAT sessions (${nat1.sessions} live)${nat1.errorPortAllocation > nat0.errorPortAllocation ? `, ${nat1.errorPortAllocation - nat0.errorPortAllocation} port-allocation errors` : ''}` : '';
        parts.push(`${gw.kind} ${gw.id}: ${d.tx} out (SNAT), ${d.rx} in${d.drops ? `, dropped ${d.drops}` : ''}${made}`);
      }
      if (more) parts.push(more());
      return parts.join('\n      ');
    };
  };
}

// ---- the second path: an Internet NAT gateway with a VPC-wide SNAT entry ----

interface NatMetrics {
  SessionCount: number;
  SessionsCreated: number;
  ErrorPortAllocationCount: number;
  PacketsOut: number;
  PacketsIn: number;
  BytesOut: number;
  BytesIn: number;
}

/** DescribeNatGatewayMetrics (lab-only action), as `vpclab api` would call it. */
async function natMetrics(l: Lab, id: string): Promise<NatMetrics> {
  const r = (await l.invoke('DescribeNatGatewayMetrics', { NatGatewayId: id })) as { Metrics: NatMetrics[] };
  if (r.Metrics.length !== 1) throw new Error(`DescribeNatGatewayMetrics ${id}: ${r.Metrics.length} entries`);
  return r.Metrics[0];
}

/**
 * CreateNatGateway in the bench vSwitch, an EIP allocated and associated with it, and one
 * SNAT entry for the VPC's CIDR, as a user would call them. Returns the gateway's ID after
 * checking the model says what the path needs: the system table (the only one) routes
 * `0.0.0.0/0 → NatGateway` (D2) and the entry translates to the EIP.
 */
async function createNatGateway(l: Lab): Promise<string> {
  await l.invoke('CreateNatGateway', { VpcId: VPC, VSwitchId: VSWITCH, Name: NAT_NAME });
  await l.invoke('AllocateEipAddress', { IpAddress: NAT_EIP, Name: `${NAT_NAME}-eip` });
  await l.invoke('AssociateEipAddress', { AllocationId: NAT_EIP, InstanceId: NAT_NAME, InstanceType: 'Nat' });
  await l.invoke('CreateSnatEntry', { SnatTableId: NAT_NAME, SourceCIDR: VPC_CIDR, SnatIp: NAT_EIP, SnatEntryName: 'vpc-wide' });
  const m = l.cp.model;
  const gw = m.natGateways.find((g) => g.Name === NAT_NAME);
  if (!gw) throw new Error(`NAT gateway ${NAT_NAME} missing after CreateNatGateway`);
  const snat = gw.SnatEntries.find((e) => e.SourceCIDR === VPC_CIDR);
  if (!snat || snat.SnatIp.join(',') !== NAT_EIP) throw new Error(`${gw.NatGatewayId} has no SNAT entry ${VPC_CIDR} → ${NAT_EIP}`);
  const vpc = m.vpcs.find((v) => v.VpcName === VPC)!;
  const rt = m.routeTables.find((t) => t.RouteTableId === vpc.RouteTableId)!;
  const entry = rt.Entries.find((e) => e.DestinationCidrBlock === '0.0.0.0/0');
  if (entry?.NextHopType !== 'NatGateway' || entry.NextHopId !== gw.NatGatewayId) {
    throw new Error(`route table ${rt.RouteTableId} has no 0.0.0.0/0 → ${gw.NatGatewayId} after CreateNatGateway (D2)`);
  }
  log(`  ${gw.NatGatewayId} (${NAT_NAME}) with EIP ${NAT_EIP}; SNAT ${VPC_CIDR} → ${NAT_EIP}; ${rt.RouteTableId} (system): 0.0.0.0/0 → NatGateway ${gw.NatGatewayId}`);
  return gw.NatGatewayId;
}

/**
 * Before measuring: the path really is the NAT gateway's. A ping from the ECS without an EIP
 * must reach the server with the NAT EIP as its source (tcpdump in the server's namespace),
 * and the gateway's metrics must count a new session and packets both ways.
 */
async function verifyNatPath(l: Lab, ends: PathEnds, id: string): Promise<void> {
  const m0 = await natMetrics(l, id);
  const cap = await startCapture(ends.serverNs, ['icmp[icmptype] == icmp-echo'], { numeric: true, maxDurationMs: 20_000 });
  let seen: string;
  try {
    const ping = await execInHost(ends.clientNs, ['ping', '-n', '-c', '2', '-W', '1', ends.serverIp], { timeoutMs: 10_000 });
    if (!/ 2 received/.test(ping.stdout)) throw new Error(`ping ${ends.serverIp} from ${SNAT_HOST} through ${id}: ${ping.stdout.trim().split('\n').pop()}`);
    seen = await cap.waitForLine(/ ICMP echo request/, 3000);
  } finally {
    await cap.stop();
  }
  const src = / IP (\S+) > /.exec(seen)?.[1];
  if (src !== NAT_EIP) throw new Error(`the server saw ${SNAT_HOST}'s ping from ${src ?? '?'}, not from the NAT EIP ${NAT_EIP}: ${seen}`);
  const m1 = await natMetrics(l, id);
  if (m1.SessionsCreated <= m0.SessionsCreated || m1.PacketsOut <= m0.PacketsOut || m1.PacketsIn <= m0.PacketsIn) {
    throw new Error(`DescribeNatGatewayMetrics ${id} did not move for ${SNAT_HOST}'s ping: ${JSON.stringify(m0)} → ${JSON.stringify(m1)}`);
  }
  log(`  checked: the server sees ${SNAT_HOST} as ${src} (tcpdump: ${seen.replace(/^\S+ /, '')}); ${id} SessionsCreated ${m0.SessionsCreated} → ${m1.SessionsCreated}, PacketsOut ${m0.PacketsOut} → ${m1.PacketsOut}, PacketsIn ${m0.PacketsIn} → ${m1.PacketsIn}`);
}

/**
 * DeleteNatGateway with Force (its SNAT entry goes, the EIP is unassociated, the route
 * to it removed, D15), so that the IPv4 gateway can be created and activated on the system
 * table: a MULTI_BINDED NAT gateway and a 0.0.0.0/0 already there would both refuse it.
 */
async function deleteNatGateway(l: Lab, id: string): Promise<void> {
  await l.invoke('DeleteNatGateway', { NatGatewayId: id, Force: true });
  const m = l.cp.model;
  const vpc = m.vpcs.find((v) => v.VpcName === VPC)!;
  const rt = m.routeTables.find((t) => t.RouteTableId === vpc.RouteTableId)!;
  if (m.natGateways.length || rt.Entries.some((e) => e.DestinationCidrBlock === '0.0.0.0/0')) {
    throw new Error(`after DeleteNatGateway ${id}: ${m.natGateways.length} NAT gateways, ${rt.RouteTableId} entries ${rt.Entries.map((e) => e.DestinationCidrBlock).join(', ')}`);
  }
  log(`  DeleteNatGateway ${id} (Force): its SNAT entry and ${rt.RouteTableId}'s 0.0.0.0/0 are gone`);
}

// ---- the third path: the VPC's IPv4 gateway, created and activated ----

/**
 * CreateIpv4Gateway + EnableVpcIpv4Gateway on the bench vSwitch's route table (the VPC's
 * system table: bench.yaml declares no other), as a user would call them. Returns the
 * gateway's ID after checking the model says what the path needs: the gateway active and
 * `0.0.0.0/0 → Ipv4Gateway` in the table.
 */
async function activateGateway(l: Lab): Promise<string> {
  await l.invoke('CreateIpv4Gateway', { VpcId: VPC, Ipv4GatewayName: IGW_NAME });
  await l.invoke('EnableVpcIpv4Gateway', { Ipv4GatewayId: IGW_NAME, RouteTableList: ['system'] });
  const m = l.cp.model;
  const gw = m.ipv4Gateways.find((g) => g.Ipv4GatewayName === IGW_NAME);
  if (!gw?.Enabled) throw new Error(`IPv4 gateway ${IGW_NAME} is not active after EnableVpcIpv4Gateway`);
  const vpc = m.vpcs.find((v) => v.VpcName === VPC)!;
  const rt = m.routeTables.find((t) => t.RouteTableId === vpc.RouteTableId)!;
  const entry = rt.Entries.find((e) => e.DestinationCidrBlock === '0.0.0.0/0');
  if (entry?.NextHopType !== 'Ipv4Gateway' || entry.NextHopId !== gw.Ipv4GatewayId) {
    throw new Error(`route table ${rt.RouteTableId} has no 0.0.0.0/0 → ${gw.Ipv4GatewayId} after activation`);
  }
  log(`  ${gw.Ipv4GatewayId} (${IGW_NAME}) active; ${rt.RouteTableId} (system): 0.0.0.0/0 → Ipv4Gateway ${gw.Ipv4GatewayId}`);
  return gw.Ipv4GatewayId;
}

// ---- output ----

const fmt = {
  tcp_gbit_s: (n: number) => `${n.toFixed(2)} Gbit/s`,
  udp256_pps: (n: number) => `${Math.round(n).toLocaleString('en-US')} pps`,
  rtt_ms_median: (n: number) => `${n.toFixed(3)} ms`,
};

type EngineRow = { name: string; result: PathResult };

const ratio = (a: PathFigures, b: PathFigures): PathFigures => ({
  tcp_gbit_s: +(a.tcp_gbit_s / b.tcp_gbit_s).toFixed(3),
  udp256_pps: +(a.udp256_pps / b.udp256_pps).toFixed(3),
  rtt_ms_median: +(a.rtt_ms_median / b.rtt_ms_median).toFixed(3),
});

/** The GWLB path's target: GWLB_TARGET_SHARE of the EIP path's TCP and UDP, measured in this run. */
function shareOfEip(eip: PathFigures | undefined, share = GWLB_TARGET_SHARE): { tcp_gbit_s: number; udp256_pps: number } | undefined {
  return eip && { tcp_gbit_s: eip.tcp_gbit_s * share, udp256_pps: eip.udp256_pps * share };
}

/** The rows whose target is a share of the EIP path's figures in the same run. */
const EIP_SHARE: Record<string, number> = { [PATH_GWLB]: GWLB_TARGET_SHARE, [PATH_SG]: SG_TARGET_SHARE };

const SINGLE = tcpModeName(TCP_SINGLE);

/** The kernel's TCP figure for an iperf3 mode: every mode a row used was measured on the kernel too. */
function kernelTcp(k: PathResult, mode: string): number {
  const r = k.tcp.find((x) => x.mode === mode);
  if (!r) throw new Error(`the kernel baseline has no TCP ${mode} run`);
  return r.gbit_s;
}

/** A row's figures with its TCP taken from its first mode's kernel run: what its ratios divide by. */
function kernelFor(e: PathResult, k: PathResult): PathFigures {
  return { ...k.figures, tcp_gbit_s: kernelTcp(k, e.tcp[0].mode) };
}

/** One table; every engine row is compared with the one kernel measurement (TCP: run the same way) and with the EIP path. */
function printTable(paths: EngineRow[], k: PathResult): void {
  const eip = paths.find((p) => p.name === PATH_EIP)?.result.figures;
  const rows: string[][] = [['path', 'metric', 'engine', 'kernel', 'engine/kernel', 'engine/EIP path', 'target (engine)']];
  const paced = (p: PathResult['paced']) => `${fmt.udp256_pps(p.delivered_pps)} (${p.loss_pct.toFixed(2)}% lost)`;
  for (const { name, result: e } of paths) {
    // The IPsec rows name their ESP backend in the table (their JSON entries have esp_backend).
    const rowName = name === PATH_IPSEC ? `${name} (ESP: ${ipsecEsp ?? 'unknown'})` : name === PATH_ECMP ? `${name} (ESP: ${ecmpEsp ?? 'unknown'})` : name;
    // `single`: a one-stream TCP figure or not TCP at all; only those have the EIP path's and the issue's targets to compare with.
    const metric = (key: keyof PathFigures, label: string, engine: number, kernel: number, single: boolean) => {
      let targetText = '';
      if (EIP_SHARE[name] !== undefined) {
        const share = EIP_SHARE[name];
        const t = shareOfEip(eip, share);
        if (key !== 'rtt_ms_median' && single) {
          targetText = !t
            ? `≥ ${share} × EIP path (not measured in this run)`
            : `≥ ${share} × EIP path = ${fmt[key](t[key])} ${engine >= t[key] ? 'met' : `MISSED (${((engine / t[key]) * 100).toFixed(0)}% of it)`}`;
        }
      } else if (name === PATH_IPSEC) {
        // One connection whatever the streams: the per-connection ceiling holds for every mode.
        const ceiling = f7Ceiling(key);
        if (ceiling !== undefined) targetText = `F7 ceiling ${fmt[key](ceiling)}: ${(engine / ceiling).toFixed(3)} of it (not a target)`;
      } else if (name === PATH_ECMP) {
        const c = ecmpCeiling(key);
        if (c) targetText = `product ceiling ${fmt[key](c.value)} (${c.how}): ${(engine / c.value).toFixed(3)} of it (not a target)`;
      } else if (key in TARGET && single) {
        const target = TARGET[key as keyof typeof TARGET];
        targetText = `≥ ${fmt[key](target)} ${engine >= target ? 'met' : 'MISSED'}`;
      }
      const vsEip = eip && single ? (engine / eip[key]).toFixed(3) : '-';
      rows.push([rowName, label, fmt[key](engine), fmt[key](kernel), (engine / kernel).toFixed(3), vsEip, targetText]);
    };
    for (const t of e.tcp) {
      const single = t.mode === SINGLE;
      metric('tcp_gbit_s', single ? 'TCP throughput' : `TCP throughput (iperf3 ${t.mode})`, t.gbit_s, kernelTcp(k, t.mode), single);
    }
    metric('udp256_pps', 'UDP 256 B delivered', e.figures.udp256_pps, k.figures.udp256_pps, true);
    metric('rtt_ms_median', 'ping RTT median', e.figures.rtt_ms_median, k.figures.rtt_ms_median, true);
    // The kernel is paced at PACED_UDP_PPS only; a row offered another rate has no kernel figure to set beside it.
    const same = e.paced.offered_pps === k.paced.offered_pps;
    rows.push([
      rowName, `UDP 256 B at ${e.paced.offered_pps / 1000}k offered`, paced(e.paced), same ? paced(k.paced) : `(at ${k.paced.offered_pps / 1000}k only)`,
      same ? (e.paced.delivered_pps / k.paced.delivered_pps).toFixed(3) : '-', '', '(not in the JSON)',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join(' | ').trimEnd();
  log('');
  log(line(rows[0]));
  log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows.slice(1)) log(line(r));
  log(`kernel: ${KERNEL_BASELINE}`);
  if (paths.some((p) => p.result.tcp.some((t) => t.mode !== SINGLE))) {
    log(`TCP is one stream (iperf3 ${SINGLE}) unless the metric names other flags; ${tcpModeName(TCP_ECMP)}: eight streams sent by the VPC ECS, the flows a transit router spreads over its ECMP group, and the kernel measured the same way beside them. UDP and ping are one flow on every row, so on the ECMP row they cross one connection.`);
  }
  log('');
}

function round(f: PathFigures): PathFigures {
  return { tcp_gbit_s: +f.tcp_gbit_s.toFixed(3), udp256_pps: Math.round(f.udp256_pps), rtt_ms_median: +f.rtt_ms_median.toFixed(3) };
}

const KERNEL_BASELINE = 'measured once, after the engine paths; every row shares it (one router namespace doing the NAT: the same kernel path for all)';

/** latest.json for a full run; only.json for a `--only` run, so latest.json always holds every path. */
function writeResults(paths: EngineRow[], k: PathResult, partial: boolean): string {
  const file = path.join(packageRoot(), 'bench', 'results', partial ? 'only.json' : 'latest.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const eip = paths.find((p) => p.name === PATH_EIP)?.result.figures;
  const out = {
    paths: paths.map((p) => {
      const f = p.result.figures;
      const share = EIP_SHARE[p.name];
      const t = share !== undefined ? shareOfEip(eip, share) : undefined;
      // engine.tcp_gbit_s is the row's first TCP mode, and the kernel's figure beside it was measured the same way.
      const kernel = kernelFor(p.result, k);
      const single = p.result.tcp[0].mode === SINGLE;
      return {
        name: p.name, engine: round(f), kernel: round(kernel),
        ratio_to_kernel: ratio(f, kernel),
        ...(eip && single ? { ratio_to_eip_path: ratio(f, eip) } : {}),
        tcp_iperf3: p.result.tcp[0].mode,
        tcp_runs: p.result.tcp.map((r) => {
          const kt = kernelTcp(k, r.mode);
          return { iperf3: r.mode, engine_gbit_s: +r.gbit_s.toFixed(3), kernel_gbit_s: +kt.toFixed(3), ratio_to_kernel: +(r.gbit_s / kt).toFixed(3) };
        }),
        ...(share !== undefined
          ? { target: { share_of_eip_path: share, ...(t ? { tcp_gbit_s: +t.tcp_gbit_s.toFixed(3), udp256_pps: Math.round(t.udp256_pps), met: f.tcp_gbit_s >= t.tcp_gbit_s && f.udp256_pps >= t.udp256_pps } : {}) } }
          : {}),
        ...(p.name === PATH_IPSEC ? ipsecJson(f, ipsecEsp) : {}),
        ...(p.name === PATH_ECMP ? ecmpJson(f, ecmpEsp) : {}),
      };
    }),
    kernel_baseline: KERNEL_BASELINE,
  };
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  return file;
}

// ---- the run ----

async function engineEnds(l: Lab, client: string): Promise<PathEnds> {
  const st = await l.status();
  const ns = (name: string) => {
    const h = st.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`lab-scenarios/bench.yaml has no host ${name}`);
    return h.netns;
  };
  return { clientNs: ns(client), serverNs: ns(SERVER_HOST), serverIp: SERVER_IP };
}

/** `--only <word>` (repeatable): the paths whose names contain one of the words, case-insensitive. */
function selectPaths(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only' && i + 1 < argv.length) words.push(argv[++i]);
    else if (a.startsWith('--only=')) words.push(a.slice('--only='.length));
    else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run bench [-- --only <part of a path's name> …]`);
  }
  if (words.length === 0) return ALL_PATHS;
  const picked = ALL_PATHS.filter((p) => words.some((w) => p.toLowerCase().includes(w.toLowerCase())));
  if (picked.length === 0) throw new Error(`--only ${words.join(', ')} matches no path; the paths are: ${ALL_PATHS.join('; ')}`);
  return picked;
}

let selected: string[] = ALL_PATHS;

async function main(): Promise<number> {
  selected = selectPaths(process.argv.slice(2));
  if (selected.length !== ALL_PATHS.length) log(`--only: ${selected.join('; ')} (and the kernel baseline)`);
  await preflight();
  const noiseBefore = await noiseWarning();
  if (noiseBefore) log(noiseBefore);
  const rootBefore: RootNsSnapshot = await snapshotRootNs();
  const checkRootNs = async (): Promise<boolean> => {
    const diff = diffSnapshots(rootBefore, await snapshotRootNs());
    if (diff) console.error(`the root namespace changed during the run:\n${diff}`);
    else log('root namespace unchanged (links, addresses, routes, rules, iptables)');
    return diff === '';
  };
  const onSignal = (sig: NodeJS.Signals) => {
    log(`\n${sig}: cleaning up…`);
    void cleanup()
      .then(async (errors) => {
        for (const e of errors) console.error(`cleanup: ${e}`);
        await checkRootNs();
      })
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  let figures: { engine: EngineRow[]; kernel: PathResult } | undefined;
  let failure: unknown;
  // The rows are measured one after another, so other work may load some and not others:
  // look again as each one starts and name the ones that ran alongside it.
  const noisy: string[] = [];
  const checkNoise = async (segment: string) => {
    const n = await noiseWarning();
    if (!n) return;
    noisy.push(segment);
    log(`  ${n}`);
  };
  try {
    // Claim the lab's state file now: it marks the run as live for a concurrent bench and
    // records the kernel namespaces for `vpclab down bench` should this process be killed.
    const registry = labRegistry(LAB);
    const engine: EngineRow[] = [];
    const wanted = (name: string) => selected.includes(name);
    const t0 = Date.now();
    const took = (from: number) => `${((Date.now() - from) / 1000).toFixed(0)} s`;

    if (wanted(PATH_EIP) || wanted(PATH_SNAT) || wanted(PATH_IGW)) {
      const scenario = loadScenario(path.join(packageRoot(), 'lab-scenarios', 'bench.yaml'));
      log(`lab "${LAB}" from lab-scenarios/bench.yaml, packets moved by this process (pid ${process.pid})`);
      lab = new Lab(LAB);
      await lab.loadScenario(scenario);
      const ends = await engineEnds(lab, CLIENT_HOST);

      if (wanted(PATH_EIP)) {
        log(`engine, ${PATH_EIP}: client ${CLIENT_HOST}, its EIP's 1:1 NAT`);
        await checkNoise(`engine, ${PATH_EIP}`);
        engine.push({ name: PATH_EIP, result: await measurePath(ends, log, engineProbe(lab)) });
      }

      if (wanted(PATH_SG)) {
        log(`engine, ${PATH_SG}: CreateSecurityGroup + 200 × Authorize…, CreateNetworkAcl + UpdateNetworkAclEntries + AssociateNetworkAcl on the same lab, client ${CLIENT_HOST}`);
        const sg = await buildSgPath(lab, VPC, VSWITCH, CLIENT_HOST, SERVER_IP, log);
        await checkNoise(`engine, ${PATH_SG}`);
        const viaSg = await measurePath(ends, log, engineProbe(lab));
        log(`  ${verifySgPath(lab, sg)}`);
        await removeSgPath(lab, VSWITCH, CLIENT_HOST, sg);
        engine.push({ name: PATH_SG, result: viaSg });
      }

      // Before the IPv4 gateway: once one is active, a MULTI_BINDED NAT gateway is refused.
      if (wanted(PATH_SNAT)) {
        log(`engine, ${PATH_SNAT}: CreateNatGateway + AllocateEipAddress + AssociateEipAddress + CreateSnatEntry on the same lab, client ${SNAT_HOST} (no EIP)`);
        const ngw = await createNatGateway(lab);
        const snatEnds = await engineEnds(lab, SNAT_HOST);
        await verifyNatPath(lab, snatEnds, ngw);
        await checkNoise(`engine, ${PATH_SNAT}`);
        const nat0 = await natMetrics(lab, ngw);
        const viaSnat = await measurePath(snatEnds, log, engineProbe(lab, { kind: 'NAT gateway', id: ngw }));
        const nat1 = await natMetrics(lab, ngw);
        // The row is the NAT gateway's only if it translated both ways and refused no flow.
        if (nat1.PacketsOut === nat0.PacketsOut || nat1.PacketsIn === nat0.PacketsIn || nat1.SessionsCreated === nat0.SessionsCreated) {
          throw new Error(`the NAT gateway ${ngw} did not carry path "${PATH_SNAT}": ${JSON.stringify(nat0)} → ${JSON.stringify(nat1)}`);
        }
        if (nat1.ErrorPortAllocationCount !== nat0.ErrorPortAllocationCount) throw new Error(`the NAT gateway ${ngw} refused ${nat1.ErrorPortAllocationCount - nat0.ErrorPortAllocationCount} flows (ErrorPortAllocationCount)`);
        log(`  ${ngw} over the whole path: ${nat1.PacketsOut - nat0.PacketsOut} packets out, ${nat1.PacketsIn - nat0.PacketsIn} in, ${nat1.SessionsCreated - nat0.SessionsCreated} SNAT sessions created, ErrorPortAllocationCount ${nat1.ErrorPortAllocationCount}`);
        await deleteNatGateway(lab, ngw);
        engine.push({ name: PATH_SNAT, result: viaSnat });
      }

      if (wanted(PATH_IGW)) {
        log(`engine, ${PATH_IGW}: CreateIpv4Gateway + EnableVpcIpv4Gateway on the same lab, client ${CLIENT_HOST}`);
        const igw = await activateGateway(lab);
        await checkNoise(`engine, ${PATH_IGW}`);
        const gw0 = await deviceCounters(lab, igw);
        const viaIgw = await measurePath(ends, log, engineProbe(lab, { kind: 'IPv4 gateway', id: igw }));
        const gw = deviceDelta(gw0, await deviceCounters(lab, igw));
        // The row is the gateway's only if its counters moved both ways (out SNAT'd, replies in).
        if (gw.tx === 0 || gw.rx === 0) throw new Error(`the IPv4 gateway ${igw} saw ${gw.tx} packets out and ${gw.rx} in: path "${PATH_IGW}" did not go through it`);
        engine.push({ name: PATH_IGW, result: viaIgw });
      }
      log(`  (lab "${LAB}": ${took(t0)})`);
    }

    if (wanted(PATH_GWLB)) {
      // A lab of its own: the bench lab's VPC keeps the topology its three rows were measured on.
      const t1 = Date.now();
      log(`engine, ${PATH_GWLB}: lab "${GWLB_LAB}" from lab-scenarios/bench-gwlb.yaml, built with the GWLB tutorial's actions, one NVA`);
      gwlbLab = new Lab(GWLB_LAB);
      await gwlbLab.loadScenario(loadScenario(path.join(packageRoot(), 'lab-scenarios', 'bench-gwlb.yaml')));
      const gp = await buildGwlbPath(gwlbLab, log);
      await waitHealthy(gwlbLab, log);
      await verifyGwlbPath(gwlbLab, gp, log);
      await checkNoise(`engine, ${PATH_GWLB}`);
      const c0 = gwlbCounters(gwlbLab, gp);
      const k0 = await nvaKernel(gp);
      // Paced at the path's target share of the direct paths' paced load.
      const viaGwlb = await measurePath(gp.ends, log, engineProbe(gwlbLab, { kind: 'IPv4 gateway', id: gp.igwId }, gwlbProbe(gwlbLab, gp)), PACED_UDP_PPS * GWLB_TARGET_SHARE);
      const d = counterDelta(c0, gwlbCounters(gwlbLab, gp));
      const k1 = await nvaKernel(gp);
      const fwd = k1.forwarded - k0.forwarded;
      log(`  over the whole path: ${formatCounters(gp, d)}; bench-nva's kernel: forwarded ${fwd} (ForwDatagrams), eth0 rx ${k1.rx - k0.rx}, tx ${k1.tx - k0.tx}, tx dropped ${k1.txDropped - k0.txDropped} (its TUN queue full)`);
      // Every datagram the ECS received came back from the appliance through the endpoint:
      // the returns, and what the appliance's kernel forwarded, are at least that many.
      if (d.endpointOut < viaGwlb.udpDelivered || d.gwlbIn < viaGwlb.udpDelivered || fwd < viaGwlb.udpDelivered) {
        throw new Error(`path "${PATH_GWLB}": the ECS received ${viaGwlb.udpDelivered} UDP datagrams, but only ${d.endpointOut} returns reached the endpoint, ${d.gwlbIn} came back to the GWLB and bench-nva forwarded ${fwd}`);
      }
      engine.push({ name: PATH_GWLB, result: viaGwlb });
      log(`  (lab "${GWLB_LAB}": ${took(t1)})`);
    }

    if (wanted(PATH_IPSEC)) {
      const t2 = Date.now();
      log(`engine, ${PATH_IPSEC}: lab "${IPSEC_LAB}" from lab-scenarios/bench-ipsec.yaml, built with the IPsec-VPN tutorial's actions`);
      ipsecLab = new Lab(IPSEC_LAB);
      await ipsecLab.loadScenario(loadScenario(path.join(packageRoot(), 'lab-scenarios', 'bench-ipsec.yaml')));
      const ip = await buildIpsecPath(ipsecLab, log);
      ipsecEsp = ip.esp;
      log(`  ESP backend: ${ip.esp}`);
      await waitTunnelsUp(ipsecLab, ip, log);
      await verifyIpsecPath(ipsecLab, ip, log);
      await checkNoise(`engine, ${PATH_IPSEC}`);
      // Also the ECMP row's TCP (-P 8 -R): one connection against four, measured alike.
      engine.push({ name: PATH_IPSEC, result: await measureIpsecPath(ipsecLab, ip, log, engineProbe(ipsecLab, undefined, ipsecProbe(ipsecLab, ip)), [TCP_SINGLE, TCP_ECMP]) });
      log(`  (lab "${IPSEC_LAB}": ${took(t2)})`);
    }

    if (wanted(PATH_ECMP)) {
      const t3 = Date.now();
      log(`engine, ${PATH_ECMP}: lab "${ECMP_LAB}" from lab-scenarios/bench-ecmp.yaml, built with the transit-router tutorial's actions`);
      ecmpLab = new Lab(ECMP_LAB);
      await ecmpLab.loadScenario(loadScenario(path.join(packageRoot(), 'lab-scenarios', 'bench-ecmp.yaml')));
      const ep = await buildEcmpPath(ecmpLab, log);
      ecmpEsp = ep.esp;
      log(`  ESP backend: ${ep.esp}`);
      await waitEcmpTunnelsUp(ecmpLab, ep, log);
      await verifyEcmpPath(ecmpLab, ep, log);
      await checkNoise(`engine, ${PATH_ECMP}`);
      engine.push({ name: PATH_ECMP, result: await measureEcmpPath(ecmpLab, ep, log, engineProbe(ecmpLab, undefined, ecmpProbe(ecmpLab, ep))) });
      log(`  (lab "${ECMP_LAB}": ${took(t3)})`);
    }

    log('kernel (one baseline for every path): client ── router ── server over veth, iptables NAT in the router');
    await createKernelPath((ns) => registry.addNamespace(ns));
    await checkNoise('kernel');
    // One stream first (kernel.figures), then every other TCP mode a row used, so each row's TCP has its like.
    const modes: TcpMode[] = [TCP_SINGLE, TCP_ECMP].filter((m) => m === TCP_SINGLE || engine.some((r) => r.result.tcp.some((t) => t.mode === tcpModeName(m))));
    const kernel = await measurePath(KERNEL_ENDS, log, undefined, PACED_UDP_PPS, modes);
    log(`  (whole run: ${took(t0)})`);
    figures = { engine, kernel };
  } catch (e) {
    failure = e;
  }
  if (cleaning) return new Promise(() => undefined); // a signal is tearing down; it exits
  const errors = await cleanup();
  for (const e of errors) console.error(`cleanup: ${e}`);
  const rootOk = await checkRootNs();

  if (failure !== undefined) {
    console.error(`bench failed: ${(failure as Error).stack ?? String(failure)}`);
    return 1;
  }
  const { engine, kernel } = figures!;
  printTable(engine, kernel);
  const noiseAfter = await noiseWarning();
  if (noiseAfter && !noiseBefore) log(noiseAfter.replace('note:', 'note: by the end there were'));
  if (noisy.length) log(`note: other work ran during: ${noisy.join('; ')}; compare those figures with care`);
  const file = writeResults(engine, kernel, selected.length !== ALL_PATHS.length);
  log(`wrote ${path.relative(process.cwd(), file) || file}`);
  return rootOk && errors.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    // Only preflight and the first snapshot get here: nothing was created yet.
    console.error(`bench failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
