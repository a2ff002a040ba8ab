// The bench's fifth path, "IDC host → IPsec → VPC ECS": the IPsec-VPN tutorial's path
// (lab-scenarios/ipsec-vpn.yaml, steps 1–4; SEMANTICS F2–F5) on a lab of its own
// (lab-scenarios/bench-ipsec.yaml): an IDC site (a router with a public address, one host on
// its LAN) and a VPC with two vSwitches in two zones and one ECS.
//
// The bench brings the lab up with the same Lab runtime, then builds the VPN as the tutorial
// does, through `lab.invoke` with the cloud's actions: the VPN gateway in both zones (with the
// tutorial's lab-only public addresses), the customer gateway, the dual-tunnel connection in
// destination-routing mode (0.0.0.0/0 both sides, effective at once, a key per tunnel), the
// destination route for the IDC's CIDR published to the VPC. On the IDC router it installs
// the configuration DownloadVpnConnectionConfig gives as /etc/swanctl/swanctl.conf and loads
// it with swanctl, as the tutorial's engineer does. It waits until DescribeVpnGatewayMonitor
// says both tunnels are up, then proves the path before measuring: a ping from the IDC host is
// answered, a tcpdump at the IDC router's public address shows it as ESP in UDP 4500 both
// ways and never the inner addresses, and the engine's tunnel counters move.
//
// Two differences from the tutorial, both about measuring rather than teaching: the gateway's
// Bandwidth is 1000 Mbit/s (the tutorial's 10 is a product limit the lab does not enforce, and
// 1000 is F7's per-connection ceiling that the row is compared with), and the connection has no
// health check (its probes would share the tunnel with the flood, and with revoke_route a few
// lost ones would withdraw the route in the middle of a measurement).
//
// ESP is done by charon on both ends: the kernel's XFRM where the kernel has it, else charon's
// userspace ESP (kernel-libipsec), chosen once per process (src/main/host/charon.ts); the row
// says which. Every packet is read and written by the engine three times (IDC host → router;
// router → tunnel endpoint as ESP over the lab's Internet; endpoint → ECS) and encrypted and
// decrypted once by a charon on each end.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { vpnEndpointHostName } from '../src/main/cloud/actions/vpn-gateway';
import { charonRunDir, espBackend, parseSas, type EspBackend } from '../src/main/host/charon';
import { startCapture } from '../src/main/host/capture';
import { execInHost } from '../src/main/host/exec';
import type { DeviceCounters } from '../src/main/engine/counters';
import type { Lab } from '../src/main/runtime/lab';
import { measurePath, type PathEnds, type PathFigures, type PathResult, type Probe, type TcpMode } from './measure';
import { escapeRegex, hostNs } from './lab-hosts';

export const IPSEC_LAB = 'bench-ipsec';
export const PATH_IPSEC = 'IDC host → IPsec → VPC ECS';
/** F7: the product's own ceiling per IPsec connection, 1000 Mbit/s and 120,000 pps at 256-byte packets. */
export const F7_CEILING = { tcp_gbit_s: 1, udp256_pps: 120_000 };

const VPC = 'vpc-bench-vpn';
const VPN_NAME = 'vpn-bench';
const CGW_NAME = 'cgw-bench';
const CONN_NAME = 'vco-bench';
const TUNNEL_IPS = ['47.96.10.1', '47.96.10.2'];
const IDC_CIDR = '172.16.0.0/16';
const ROUTER_HOST = 'bench-idc-router';
const ROUTER_IP = '203.0.113.10';
const IDC_HOST = 'bench-idc-host';
const IDC_IP = '172.16.0.10';
const ECS_HOST = 'bench-vpc-ecs';
const ECS_IP = '192.168.1.50';

/** What the path's checks and probes look at. */
export interface IpsecPath {
  ends: PathEnds;
  routerNs: string;
  vpnId: string;
  connId: string;
  /** Tunnel 1's and tunnel 2's IDs: engine devices, counting what went to and came from each endpoint. */
  tunnelIds: [string, string];
  esp: EspBackend;
}

interface RouteEntryView {
  DestinationCidrBlock: string;
  NextHopType: string;
  NextHopId: string;
}

const nsOf = (l: Lab, host: string): Promise<string> => hostNs(l, host, 'lab-scenarios/bench-ipsec.yaml');

/**
 * The tutorial's steps 1–3 as the same actions (names stand for IDs, as in the scenario), then
 * the IDC router configured from the downloaded configuration. Checks the model then says what
 * the path needs and returns the IDs the probes read.
 */
export async function buildIpsecPath(l: Lab, log: (s: string) => void): Promise<IpsecPath> {
  // Step 1: the VPN gateway, tunnel 1 in zone H, tunnel 2 in zone I, each on its public address.
  await l.invoke('CreateVpnGateway', {
    VpcId: VPC, VSwitchId: 'vsw-h', DisasterRecoveryVSwitchId: 'vsw-i', Name: VPN_NAME, Bandwidth: 1000, EnableIpsec: true,
    InternetIp: TUNNEL_IPS[0], DisasterRecoveryInternetIp: TUNNEL_IPS[1],
  });
  // Step 2: the customer gateway, the dual-tunnel connection (destination routing), the published route.
  await l.invoke('CreateCustomerGateway', { IpAddress: ROUTER_IP, Name: CGW_NAME });
  await l.invoke('CreateVpnConnection', {
    VpnGatewayId: VPN_NAME, Name: CONN_NAME, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0', EffectImmediately: true,
    TunnelOptionsSpecification: [
      { CustomerGatewayId: CGW_NAME, TunnelIndex: 1, TunnelIkeConfig: { Psk: 'vpclab-bench-psk-1' } },
      { CustomerGatewayId: CGW_NAME, TunnelIndex: 2, TunnelIkeConfig: { Psk: 'vpclab-bench-psk-2' } },
    ],
  });
  await l.invoke('CreateVpnRouteEntry', { VpnGatewayId: VPN_NAME, RouteDest: IDC_CIDR, NextHop: CONN_NAME, Weight: 100, PublishVpc: true });

  const m = l.cp.model;
  const g = m.vpnGateways.find((x) => x.Name === VPN_NAME);
  const c = m.vpnConnections.find((x) => x.Name === CONN_NAME);
  if (!g || !c) throw new Error(`after the actions: VPN gateway ${g ? 'present' : 'missing'}, connection ${c ? 'present' : 'missing'}`);
  const t1 = c.Tunnels.find((t) => t.TunnelIndex === 1);
  const t2 = c.Tunnels.find((t) => t.TunnelIndex === 2);
  if (!t1 || !t2) throw new Error(`${c.VpnConnectionId} has ${c.Tunnels.length} tunnels, not two`);
  const vpc = m.vpcs.find((v) => v.VpcName === VPC)!;
  const sys = m.routeTables.find((t) => t.RouteTableId === vpc.RouteTableId)!;
  // The published route is a system entry the table shows, as the tutorial's step 2 checks it.
  const listed = (await l.invoke('DescribeRouteEntryList', { RouteTableId: sys.RouteTableId })) as { RouteEntrys: { RouteEntry: RouteEntryView[] } };
  const published = listed.RouteEntrys.RouteEntry.find((e) => e.DestinationCidrBlock === IDC_CIDR);
  if (published?.NextHopType !== 'VpnGateway' || published.NextHopId !== g.VpnGatewayId) {
    throw new Error(`the VPC's system table ${sys.RouteTableId} has no ${IDC_CIDR} → VpnGateway ${g.VpnGatewayId} after CreateVpnRouteEntry (PublishVpc): ${JSON.stringify(published ?? null)}`);
  }
  log(`  ${g.VpnGatewayId} (${VPN_NAME}): tunnel 1 ${g.Endpoints[0].InternetIp} (${g.Endpoints[0].ZoneId}), tunnel 2 ${g.Endpoints[1].InternetIp} (${g.Endpoints[1].ZoneId}); ` +
    `${c.VpnConnectionId} (${CONN_NAME}) to ${ROUTER_IP}, 0.0.0.0/0 both sides; ${sys.RouteTableId} (system): ${IDC_CIDR} → VpnGateway ${g.VpnGatewayId}`);

  // Step 3: the IDC's engineer installs the downloaded configuration and loads it.
  const routerNs = await nsOf(l, ROUTER_HOST);
  const dl = (await l.invoke('DownloadVpnConnectionConfig', { VpnConnectionId: c.VpnConnectionId })) as { VpnConnectionConfig?: { SwanctlConf?: string } };
  const conf = dl.VpnConnectionConfig?.SwanctlConf;
  if (typeof conf !== 'string' || !conf.includes('connections')) throw new Error(`DownloadVpnConnectionConfig ${c.VpnConnectionId}: no SwanctlConf in ${JSON.stringify(dl).slice(0, 300)}`);
  const r = await execInHost(routerNs, { shell: 'cat > /etc/swanctl/swanctl.conf && swanctl --load-all --noprompt' }, { input: conf, timeoutMs: 15_000 });
  if (r.code !== 0 || !/loaded connection 'tun1'/.test(r.stdout) || !/loaded connection 'tun2'/.test(r.stdout)) {
    throw new Error(`swanctl --load-all on ${ROUTER_HOST} (exit ${r.code}): ${(r.stdout + r.stderr).trim()}`);
  }
  log(`  ${ROUTER_HOST}: DownloadVpnConnectionConfig → /etc/swanctl/swanctl.conf, swanctl --load-all: ${r.stdout.trim().split('\n').pop()}`);
  // One choice per process, made when the first charon started: the one every Charon.esp carries.
  const esp = await espBackend(routerNs);
  const ends: PathEnds = { clientNs: await nsOf(l, IDC_HOST), serverNs: await nsOf(l, ECS_HOST), serverIp: ECS_IP };
  return { ends, routerNs, vpnId: g.VpnGatewayId, connId: c.VpnConnectionId, tunnelIds: [t1.TunnelId, t2.TunnelId], esp };
}

interface MonitorTunnel {
  TunnelIndex: number;
  TunnelStatus: number;
  Status: string;
  CarriesTraffic: boolean;
  Reason?: string;
}

/** Poll DescribeVpnGatewayMonitor (lab-only, F8) until both tunnels' negotiation status is 1. */
export async function waitTunnelsUp(l: Lab, p: IpsecPath, log: (s: string) => void, timeoutMs = 40_000): Promise<void> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const r = (await l.invoke('DescribeVpnGatewayMonitor', { VpnGatewayId: p.vpnId })) as { Tunnels: MonitorTunnel[] };
    const mine = r.Tunnels;
    last = mine.map((t) => `tunnel ${t.TunnelIndex} ${t.TunnelStatus} (${t.Status}${t.CarriesTraffic ? ', carries traffic' : ''}${t.Reason ? `: ${t.Reason}` : ''})`).join(', ');
    if (mine.length === 2 && mine.every((t) => t.TunnelStatus === 1)) {
      log(`  DescribeVpnGatewayMonitor ${p.vpnId}: ${last} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`the tunnels are not both up after ${timeoutMs / 1000} s: DescribeVpnGatewayMonitor says ${last || 'no tunnels'}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

function deviceOf(l: Lab, id: string): DeviceCounters {
  return l.engine.counters.snapshot().find((c) => c.device === id) ?? { device: id, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: {} };
}

/** Per tunnel, the engine's count of packets handed to its endpoint (to encrypt) and taken from it (decrypted); the gateway's drops. */
export interface TunnelCounters {
  toEndpoint: [number, number];
  fromEndpoint: [number, number];
  drops: Record<string, number>;
}

export function tunnelCounters(l: Lab, p: IpsecPath): TunnelCounters {
  const t = p.tunnelIds.map((id) => deviceOf(l, id));
  const drops: Record<string, number> = {};
  for (const id of [p.vpnId, p.connId, ...p.tunnelIds]) {
    for (const [why, k] of Object.entries(deviceOf(l, id).drops)) if (k) drops[`${id} ${why}`] = k;
  }
  return { toEndpoint: [t[0].txPackets, t[1].txPackets], fromEndpoint: [t[0].rxPackets, t[1].rxPackets], drops };
}

export function tunnelDelta(a: TunnelCounters, b: TunnelCounters): TunnelCounters {
  const drops: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.drops)) if (v - (a.drops[k] ?? 0) > 0) drops[k] = v - (a.drops[k] ?? 0);
  return {
    toEndpoint: [b.toEndpoint[0] - a.toEndpoint[0], b.toEndpoint[1] - a.toEndpoint[1]],
    fromEndpoint: [b.fromEndpoint[0] - a.fromEndpoint[0], b.fromEndpoint[1] - a.fromEndpoint[1]],
    drops,
  };
}

export function formatTunnels(d: TunnelCounters): string {
  const drops = Object.entries(d.drops).map(([k, v]) => `${v} ${k}`).join(', ');
  return [0, 1].map((i) => `tunnel ${i + 1}: ${d.toEndpoint[i]} to its endpoint (VPC → IDC), ${d.fromEndpoint[i]} from it (IDC → VPC)`).join('; ') +
    (drops ? `; dropped: ${drops}` : '');
}

/** The charons doing ESP on the path: the IDC router's and the gateway's two endpoints'. */
function charonHosts(p: IpsecPath): string[] {
  return [ROUTER_HOST, vpnEndpointHostName(p.vpnId, 1), vpnEndpointHostName(p.vpnId, 2)];
}

/** CPU time (user + system, clock ticks) of a host's charon, from its pid file in its private /run; NaN if unreadable. */
export function charonTicks(l: Lab, host: string): number {
  try {
    const pid = fs.readFileSync(path.join(charonRunDir({ lab: l.name, name: host }), 'charon.pid'), 'utf8').trim();
    // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return NaN;
  }
}

/** USER_HZ: /proc/<pid>/stat counts in it, 100 on Linux. */
export const TICKS_PER_S = 100;

/** A Probe part: what each tunnel carried during one measurement, and how busy each charon was (userspace ESP runs there). */
export function ipsecProbe(l: Lab, p: IpsecPath): Probe {
  return () => {
    const a = tunnelCounters(l, p);
    const hosts = charonHosts(p);
    const t0 = hosts.map((h) => charonTicks(l, h));
    const w0 = process.hrtime.bigint();
    return () => {
      const wall = Number(process.hrtime.bigint() - w0) / 1e9;
      const cpu = hosts.map((h, i) => `${h} ${Math.round(((charonTicks(l, h) - t0[i]) / TICKS_PER_S / wall) * 100)}%`).join(', ');
      return `${formatTunnels(tunnelDelta(a, tunnelCounters(l, p)))}\n      charon CPU (of one core): ${cpu}`;
    };
  };
}

/** The IDC router's own charon: ESP packets it encrypted (out) and decrypted (in), over its installed child SAs (the ECMP path's router too). */
export async function routerEsp(p: { routerNs: string }): Promise<{ packetsOut: number; packetsIn: number }> {
  const r = await execInHost(p.routerNs, ['swanctl', '--list-sas', '--raw'], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`swanctl --list-sas on ${ROUTER_HOST} (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  let packetsOut = 0;
  let packetsIn = 0;
  for (const sa of parseSas(r.stdout)) {
    for (const ch of sa.children) {
      if (ch.state !== 'INSTALLED') continue;
      packetsOut += ch.packetsOut;
      packetsIn += ch.packetsIn;
    }
  }
  return { packetsOut, packetsIn };
}

/**
 * Before measuring: the traffic really crosses the tunnels. A ping from the IDC host to the ECS
 * must be answered; a tcpdump at the IDC router's public address must show ESP in UDP 4500 to
 * one of the gateway's addresses and back, and none of the inner addresses; the engine's
 * tunnel counters must count the requests (from an endpoint, decrypted) and the replies (to
 * an endpoint, to encrypt). Throws otherwise.
 */
export async function verifyIpsecPath(l: Lab, p: IpsecPath, log: (s: string) => void): Promise<void> {
  const c0 = tunnelCounters(l, p);
  const e0 = await routerEsp(p);
  const cap = await startCapture(p.routerNs, ['host', ROUTER_IP], { numeric: true, maxDurationMs: 20_000 });
  let out: string;
  let back: string;
  let lines: string[];
  try {
    const ping = await execInHost(p.ends.clientNs, ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '2', ECS_IP], { timeoutMs: 15_000 });
    if (!/ 3 received/.test(ping.stdout)) throw new Error(`ping ${ECS_IP} from ${IDC_HOST} over IPsec: ${ping.stdout.trim().split('\n').slice(-2).join(' / ')}`);
    // tcpdump -n: `IP 203.0.113.10.4500 > 47.96.10.1.4500: UDP-encap: ESP(spi=0x…,seq=0x…), length 100`
    const gw = `(?:${TUNNEL_IPS.map(escapeRegex).join('|')})`;
    out = await cap.waitForLine(new RegExp(`IP ${escapeRegex(ROUTER_IP)}\\.4500 > ${gw}\\.4500: UDP-encap: ESP\\(spi=0x[0-9a-f]+`), 3000);
    back = await cap.waitForLine(new RegExp(`IP ${gw}\\.4500 > ${escapeRegex(ROUTER_IP)}\\.4500: UDP-encap: ESP\\(spi=0x[0-9a-f]+`), 3000);
  } finally {
    lines = (await cap.stop()).lines;
  }
  const leaked = lines.filter((x) => x.includes(IDC_IP) || x.includes(ECS_IP));
  if (leaked.length) throw new Error(`tcpdump at ${ROUTER_HOST}'s public address ${ROUTER_IP} shows the inner addresses:\n${leaked.join('\n')}`);
  const d = tunnelDelta(c0, tunnelCounters(l, p));
  const e1 = await routerEsp(p);
  // Three requests decrypted at an endpoint into the VPC, three replies handed to one to encrypt.
  if (d.fromEndpoint[0] + d.fromEndpoint[1] < 3 || d.toEndpoint[0] + d.toEndpoint[1] < 3) {
    throw new Error(`the tunnels' counters did not move for 3 pings over IPsec: ${formatTunnels(d)}`);
  }
  log(`  checked: tcpdump on ${ROUTER_HOST} (host ${ROUTER_IP}) shows the ping as ESP both ways, no inner address:\n      ${out.replace(/^\S+ /, '')}\n      ${back.replace(/^\S+ /, '')}`);
  log(`  checked: ${formatTunnels(d)}; ${ROUTER_HOST}'s charon: ${e1.packetsOut - e0.packetsOut} ESP out, ${e1.packetsIn - e0.packetsIn} in`);
}

/** The F7 ceiling's figure for a metric, or undefined (latency has none). */
export function f7Ceiling(key: keyof PathFigures): number | undefined {
  return key === 'rtt_ms_median' ? undefined : F7_CEILING[key];
}

/** The row's fields in the JSON: the ESP backend, F7's ceiling and the engine's share of it. */
export function ipsecJson(f: PathFigures, esp: string | undefined): Record<string, unknown> {
  return {
    esp_backend: esp ?? 'unknown',
    f7_ceiling: { ...F7_CEILING },
    ratio_to_f7_ceiling: { tcp_gbit_s: +(f.tcp_gbit_s / F7_CEILING.tcp_gbit_s).toFixed(3), udp256_pps: +(f.udp256_pps / F7_CEILING.udp256_pps).toFixed(3) },
  };
}

/**
 * measurePath on the IPsec path, then the proof that it was the tunnels' traffic: every
 * datagram the ECS received was decrypted at one of the gateway's endpoints (the engine's
 * tunnel counters) and encrypted by the IDC router's charon (its child SAs' packets out), so
 * both count at least as many. Prints what each tunnel and the router's charon carried.
 */
export async function measureIpsecPath(l: Lab, p: IpsecPath, log: (s: string) => void, probe: Probe, tcpModes?: readonly TcpMode[]): Promise<PathResult> {
  const c0 = tunnelCounters(l, p);
  const e0 = await routerEsp(p);
  const result = await measurePath(p.ends, log, probe, undefined, tcpModes);
  const d = tunnelDelta(c0, tunnelCounters(l, p));
  const e1 = await routerEsp(p);
  const decrypted = d.fromEndpoint[0] + d.fromEndpoint[1];
  const encrypted = e1.packetsOut - e0.packetsOut;
  log(`  over the whole path: ${formatTunnels(d)}; ${ROUTER_HOST}'s charon: ${encrypted} ESP out, ${e1.packetsIn - e0.packetsIn} in`);
  if (decrypted < result.udpDelivered || encrypted < result.udpDelivered) {
    throw new Error(`path "${PATH_IPSEC}": the ECS received ${result.udpDelivered} UDP datagrams, but the endpoints handed only ${decrypted} decrypted packets to the VPC and ${ROUTER_HOST}'s charon encrypted ${encrypted}`);
  }
  return result;
}
