// The bench's fourth path, "Internet → EIP → IPv4 gateway → GWLBe → GWLB → NVA → ECS": the
// GWLB tutorial's inbound path (lab-scenarios/gwlb-firewall.yaml, SEMANTICS E1–E12) with one
// appliance, on a lab of its own (lab-scenarios/bench-gwlb.yaml) so that the `bench` lab's
// three paths keep the topology their figures were measured on.
//
// The bench brings the lab up with the same Lab runtime, then builds the firewall as the
// tutorial does, through `lab.invoke` with the cloud's actions: the IPv4 gateway active on
// the GWLBe subnet's table and a gateway route table bound to it; the GWLB with one address
// in its zone, a GENEVE server group (health checks every 2 s) holding the appliance, the
// listener; the appliance's real iptables hairpin (the tutorial's step 2, run in its
// namespace); the endpoint service (auto-accept) and the GWLB endpoint; the gateway route
// table's entry for the application subnet and the application table's 0.0.0.0/0, both to
// the endpoint. Then it waits until GetListenerHealthStatus says the appliance is Healthy and
// proves the path before measuring: tcpdump in the appliance shows the ping inside Geneve
// both ways, and the GWLB's, the endpoint's and the appliance's counters move (the engine's,
// and the appliance kernel's own count of forwarded datagrams).
//
// One appliance is enough: with one, every flow takes it, so the figures are those of one
// packet's way through the firewall; a second would only change which one a flow hashes to.
//
// The iperf3 server runs on the ECS behind the firewall and the client on the Internet host,
// dialling the ECS's EIP: the data goes the way the tutorial's inbound check does (Internet →
// IPv4 gateway → gateway route table → GWLBe, E10), and the acknowledgements and ping replies
// take the outbound way (rt-app → GWLBe → … → rt-gwlbe → IPv4 gateway), so both directions
// cross the appliance. Every data packet is read and written by the engine twice (client →
// IPv4 gateway → GWLBe → GWLB → appliance; appliance → GWLB → GWLBe → ECS), where the EIP
// path reads and writes it once, and is forwarded by the appliance's kernel once.

import type { DeviceCounters } from '../src/main/engine/counters';
import { startCapture } from '../src/main/host/capture';
import { execInHost } from '../src/main/host/exec';
import type { Lab } from '../src/main/runtime/lab';
import type { PathEnds, Probe } from './measure';
import { escapeRegex, hostNs } from './lab-hosts';

export const GWLB_LAB = 'bench-gwlb';
export const PATH_GWLB = 'Internet → EIP → IPv4 gateway → GWLBe → GWLB → NVA → ECS';
/** The issue's target for this path: a share of the plain EIP path's throughput. */
export const GWLB_TARGET_SHARE = 0.5;

const ZONE = 'cn-wulanchabu-b';
const BIZ_VPC = 'vpc-biz';
const SEC_VPC = 'vpc-sec';
const APP_CIDR = '192.168.1.0/24';
const IGW_NAME = 'igw-biz';
const GW_TABLE = 'rt-igw';
const GWLB_NAME = 'gwlb-bench';
const GROUP_NAME = 'nva-group';
const SERVICE = 'fw-bench';
const ENDPOINT = 'GWLBe-bench';
/** The GWLB's address in its zone, as the tutorial asks for (10.0.1.41). */
export const GWLB_IP = '10.0.1.41';
const NVA_HOST = 'bench-nva';
const NVA_IP = '10.0.1.11';
const APP_HOST = 'bench-app';
const APP_IP = '192.168.1.153';
const APP_EIP = '8.130.10.130';
const CLIENT_HOST = 'bench-client';
const CLIENT_IP = '47.83.10.59';

/** What the path's checks and probes look at. */
export interface GwlbPath {
  ends: PathEnds;
  nvaNs: string;
  gwlbId: string;
  endpointId: string;
  igwId: string;
}

/**
 * The tutorial's step 2 for one appliance and its one GWLB address, word for word: IP
 * forwarding on, the Geneve datagram from the GWLB sent back to it (DNAT), with the
 * appliance's own address as its source (MASQUERADE).
 */
const HAIRPIN = `sysctl -qw net.ipv4.ip_forward=1
for gwlb in ${GWLB_IP}; do
  iptables -t nat -A PREROUTING -i eth0 -p udp -s $gwlb -d ${NVA_IP} --dport 6081 -j DNAT --to-destination $gwlb:6081
  iptables -t nat -A POSTROUTING -o eth0 -p udp -s $gwlb -d $gwlb --dport 6081 -j MASQUERADE
done
iptables -t nat -S`;

const nsOf = (l: Lab, host: string): Promise<string> => hostNs(l, host, 'lab-scenarios/bench-gwlb.yaml');

/**
 * Everything the tutorial's steps "Prerequisites" to 4 create, as the same actions (names
 * stand for IDs, as in the scenario), and the appliance's hairpin. Checks the model then
 * says what the path needs and returns the IDs the probes read.
 */
export async function buildGwlbPath(l: Lab, log: (s: string) => void): Promise<GwlbPath> {
  // Prerequisites: the IPv4 gateway, active on the GWLBe subnet's table, and its gateway route table.
  await l.invoke('CreateIpv4Gateway', { VpcId: BIZ_VPC, Ipv4GatewayName: IGW_NAME });
  await l.invoke('EnableVpcIpv4Gateway', { Ipv4GatewayId: IGW_NAME, RouteTableList: ['rt-gwlbe'] });
  await l.invoke('CreateRouteTable', { VpcId: BIZ_VPC, AssociateType: 'Gateway', RouteTableName: GW_TABLE });
  await l.invoke('AssociateRouteTableWithGateway', { RouteTableId: GW_TABLE, GatewayId: IGW_NAME });
  // Step 1: the GWLB, its server group (one appliance) and its listener.
  await l.invoke('CreateLoadBalancer', {
    VpcId: SEC_VPC, LoadBalancerName: GWLB_NAME,
    ZoneMappings: [{ ZoneId: ZONE, VSwitchId: 'vsw-sec', PrivateIpv4Address: GWLB_IP }],
  });
  await l.invoke('CreateServerGroup', {
    VpcId: SEC_VPC, ServerGroupName: GROUP_NAME, ServerGroupType: 'Instance', Protocol: 'GENEVE', ServerFailoverMode: 'Rebalance',
    HealthCheckConfig: { HealthCheckInterval: 2, HealthCheckConnectTimeout: 1, HealthyThreshold: 2, UnhealthyThreshold: 2 },
  });
  await l.invoke('AddServersToServerGroup', { ServerGroupId: GROUP_NAME, Servers: [{ ServerId: NVA_HOST, ServerType: 'Ecs', Port: 6081 }] });
  await l.invoke('CreateListener', { LoadBalancerId: GWLB_NAME, ServerGroupId: GROUP_NAME });
  // Step 2: the appliance's iptables hairpin, in its own namespace.
  const nvaNs = await nsOf(l, NVA_HOST);
  const r = await execInHost(nvaNs, { shell: HAIRPIN }, { timeoutMs: 15_000 });
  const dnat = `-A PREROUTING -s ${GWLB_IP}/32 -d ${NVA_IP}/32 -i eth0 -p udp -m udp --dport 6081 -j DNAT --to-destination ${GWLB_IP}:6081`;
  if (r.code !== 0 || !r.stdout.includes(dnat) || !/-A POSTROUTING .*-j MASQUERADE/.test(r.stdout)) {
    throw new Error(`the hairpin in ${NVA_HOST} did not take (exit ${r.code}): ${(r.stdout + r.stderr).trim()}`);
  }
  // Step 3: PrivateLink — the endpoint service (auto-accept) and the GWLB endpoint.
  await l.invoke('CreateVpcEndpointService', {
    ServiceResourceType: 'gwlb', ServiceDescription: SERVICE, AutoAcceptEnabled: true,
    Resource: [{ ResourceId: GWLB_NAME, ResourceType: 'gwlb', ZoneId: ZONE }],
  });
  await l.invoke('CreateVpcEndpoint', {
    EndpointType: 'GatewayLoadBalancer', EndpointName: ENDPOINT, ServiceId: SERVICE, VpcId: BIZ_VPC,
    Zone: [{ ZoneId: ZONE, VSwitchId: 'vsw-gwlbe' }],
  });
  // Step 4: the routes to the endpoint.
  await l.invoke('UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: GW_TABLE, DestinationCidrBlock: APP_CIDR, NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ENDPOINT });
  await l.invoke('CreateRouteEntry', { RouteTableId: 'rt-app', DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ENDPOINT });

  const m = l.cp.model;
  const igw = m.ipv4Gateways.find((g) => g.Ipv4GatewayName === IGW_NAME);
  const lb = m.gwlbs.find((g) => g.LoadBalancerName === GWLB_NAME);
  const ep = m.endpoints.find((e) => e.EndpointName === ENDPOINT);
  const table = (name: string) => m.routeTables.find((t) => t.RouteTableName === name);
  if (!igw?.Enabled || !lb || !ep) throw new Error(`after the actions: IPv4 gateway ${igw?.Enabled ? 'active' : 'not active'}, GWLB ${lb ? 'present' : 'missing'}, endpoint ${ep ? 'present' : 'missing'}`);
  if (ep.ConnectionStatus !== 'Connected') throw new Error(`${ep.EndpointId} is ${ep.ConnectionStatus}, not Connected (the service auto-accepts)`);
  const gwRt = table(GW_TABLE)!;
  const appRt = table('rt-app')!;
  const hop = (t: typeof gwRt, cidr: string) => t.Entries.find((e) => e.DestinationCidrBlock === cidr);
  if (igw.Ipv4GatewayRouteTableId !== gwRt.RouteTableId || hop(gwRt, APP_CIDR)?.NextHopId !== ep.EndpointId || hop(appRt, '0.0.0.0/0')?.NextHopId !== ep.EndpointId) {
    throw new Error(`the routes are not the tutorial's: ${GW_TABLE} ${APP_CIDR} → ${hop(gwRt, APP_CIDR)?.NextHopId ?? 'none'}, rt-app 0.0.0.0/0 → ${hop(appRt, '0.0.0.0/0')?.NextHopId ?? 'none'}`);
  }
  if (hop(table('rt-gwlbe')!, '0.0.0.0/0')?.NextHopId !== igw.Ipv4GatewayId) throw new Error('rt-gwlbe has no 0.0.0.0/0 → the IPv4 gateway');
  log(`  ${igw.Ipv4GatewayId} active on rt-gwlbe, gateway table ${gwRt.RouteTableId}: ${APP_CIDR} → ${ep.EndpointId}; rt-app 0.0.0.0/0 → ${ep.EndpointId}`);
  log(`  ${lb.LoadBalancerId} (${GWLB_IP}) → ${GROUP_NAME}: ${NVA_HOST} ${NVA_IP}:6081 with the tutorial's iptables hairpin; ${ep.EndpointId} ${ep.ConnectionStatus}`);
  const ends: PathEnds = { clientNs: await nsOf(l, CLIENT_HOST), serverNs: await nsOf(l, APP_HOST), serverIp: APP_EIP };
  return { ends, nvaNs, gwlbId: lb.LoadBalancerId, endpointId: ep.EndpointId, igwId: igw.Ipv4GatewayId };
}

interface ServerHealth {
  ServerIp: string;
  Status: string;
}

/** Poll GetListenerHealthStatus (by the GWLB's name, as the tutorial does) until the appliance is Healthy. */
export async function waitHealthy(l: Lab, log: (s: string) => void, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const r = (await l.invoke('GetListenerHealthStatus', { ListenerId: GWLB_NAME })) as {
      ListenerHealthStatus: { ServerGroupInfos: { Servers: ServerHealth[] }[] }[];
    };
    const servers = r.ListenerHealthStatus.flatMap((x) => x.ServerGroupInfos.flatMap((g) => g.Servers));
    last = servers.map((s) => `${s.ServerIp} ${s.Status}`).join(', ');
    if (servers.some((s) => s.ServerIp === NVA_IP && s.Status === 'Healthy')) {
      log(`  GetListenerHealthStatus ${GWLB_NAME}: ${last} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${NVA_HOST} is not Healthy after ${timeoutMs / 1000} s: GetListenerHealthStatus says ${last || 'no servers'}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function deviceOf(l: Lab, id: string): DeviceCounters {
  return l.engine.counters.snapshot().find((c) => c.device === id) ?? { device: id, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: {} };
}

/** The GWLB's, the endpoint's and the appliance port's counters, in the engine. */
export interface GwlbCounters {
  /** Geneve datagrams the GWLB sent to the appliance / took back from it (and health answers). */
  gwlbOut: number;
  gwlbIn: number;
  /** Packets routes handed to the endpoint / returns it routed on. */
  endpointIn: number;
  endpointOut: number;
  /** Written to / read from the appliance's TUN. */
  nvaTx: number;
  nvaRx: number;
  drops: Record<string, number>;
}

export function gwlbCounters(l: Lab, p: GwlbPath): GwlbCounters {
  const g = deviceOf(l, p.gwlbId);
  const e = deviceOf(l, p.endpointId);
  const n = deviceOf(l, NVA_HOST);
  const drops: Record<string, number> = {};
  for (const [who, c] of [[p.gwlbId, g], [p.endpointId, e], [NVA_HOST, n]] as const) {
    for (const [why, k] of Object.entries(c.drops)) if (k) drops[`${who} ${why}`] = k;
  }
  return { gwlbOut: g.txPackets, gwlbIn: g.rxPackets, endpointIn: e.rxPackets, endpointOut: e.txPackets, nvaTx: n.txPackets, nvaRx: n.rxPackets, drops };
}

export function counterDelta(a: GwlbCounters, b: GwlbCounters): GwlbCounters {
  const drops: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.drops)) if (v - (a.drops[k] ?? 0) > 0) drops[k] = v - (a.drops[k] ?? 0);
  return {
    gwlbOut: b.gwlbOut - a.gwlbOut, gwlbIn: b.gwlbIn - a.gwlbIn, endpointIn: b.endpointIn - a.endpointIn,
    endpointOut: b.endpointOut - a.endpointOut, nvaTx: b.nvaTx - a.nvaTx, nvaRx: b.nvaRx - a.nvaRx, drops,
  };
}

export function formatCounters(p: GwlbPath, d: GwlbCounters): string {
  const drops = Object.entries(d.drops).map(([k, v]) => `${v} ${k}`).join(', ');
  return `${p.gwlbId}: ${d.gwlbOut} Geneve out to ${NVA_HOST}, ${d.gwlbIn} back; ${p.endpointId}: ${d.endpointIn} in, ${d.endpointOut} returned; ` +
    `${NVA_HOST} port: ${d.nvaTx} written, ${d.nvaRx} read${drops ? `; dropped: ${drops}` : ''}`;
}

/** A Probe part: what the GWLB, its endpoint and the appliance's port did during one measurement. */
export function gwlbProbe(l: Lab, p: GwlbPath): Probe {
  return () => {
    const a = gwlbCounters(l, p);
    return () => formatCounters(p, counterDelta(a, gwlbCounters(l, p)));
  };
}

/** The appliance's own kernel: datagrams it forwarded (the hairpin: DNAT to another host) and its NIC's counts. */
export interface NvaKernel {
  forwarded: number;
  rx: number;
  tx: number;
  /** Forwarded but dropped at its TUN's queue: the engine did not read them back in time. */
  txDropped: number;
}

/** `Ip: … ForwDatagrams …` of /proc/net/snmp (per namespace) and `ip -s link` of eth0, read in the appliance. */
export async function nvaKernel(p: GwlbPath): Promise<NvaKernel> {
  const r = await execInHost(p.nvaNs, { shell: 'grep "^Ip: " /proc/net/snmp; echo ===; ip -j -s link show dev eth0' }, { timeoutMs: 10_000 });
  const [snmp, link] = r.stdout.split('===\n');
  const [keys, vals] = (snmp ?? '').trim().split('\n').map((l) => l.split(/\s+/).slice(1));
  const i = keys?.indexOf('ForwDatagrams') ?? -1;
  const forwarded = i >= 0 && vals ? Number(vals[i]) : NaN;
  let rx = NaN;
  let tx = NaN;
  let txDropped = NaN;
  try {
    const s = (JSON.parse(link) as Array<{ stats64?: { rx: { packets: number }; tx: { packets: number; dropped: number } } }>)[0]?.stats64;
    rx = s?.rx.packets ?? NaN;
    tx = s?.tx.packets ?? NaN;
    txDropped = s?.tx.dropped ?? NaN;
  } catch {
    /* checked below */
  }
  if (r.code !== 0 || Number.isNaN(forwarded) || Number.isNaN(rx)) throw new Error(`counters of ${NVA_HOST} unreadable (exit ${r.code}): ${(r.stdout + r.stderr).trim().slice(0, 300)}`);
  return { forwarded, rx, tx, txDropped };
}

/**
 * Before measuring: the traffic really crosses the appliance. A ping from the Internet
 * client to the ECS's EIP must show in the appliance's tcpdump inside Geneve, from the GWLB
 * to it and back from it with the same outer source port, the inner packet the client's real
 * address to the ECS's private one; the ping must be answered; the GWLB's and the endpoint's
 * counters and the appliance kernel's ForwDatagrams must count it. Throws otherwise.
 */
export async function verifyGwlbPath(l: Lab, p: GwlbPath, log: (s: string) => void): Promise<void> {
  const c0 = gwlbCounters(l, p);
  const k0 = await nvaKernel(p);
  const cap = await startCapture(p.nvaNs, ['udp', 'port', '6081'], { numeric: true, maxDurationMs: 20_000 });
  let pair: string;
  try {
    const ping = await execInHost(p.ends.clientNs, ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '2', APP_EIP], { timeoutMs: 15_000 });
    if (!/ 3 received/.test(ping.stdout)) throw new Error(`ping ${APP_EIP} from ${CLIENT_HOST} through the firewall: ${ping.stdout.trim().split('\n').slice(-2).join(' / ')}`);
    // tcpdump -n: `IP 10.0.1.41.<port> > 10.0.1.11.6081: Geneve, … options [32 bytes]: IP 47.83.10.59 > 192.168.1.153: ICMP echo request …`
    const out = new RegExp(`IP ${escapeRegex(GWLB_IP)}\\.(\\d+) > ${escapeRegex(NVA_IP)}\\.6081: Geneve, Flags \\[none\\], vni 0x0, options \\[32 bytes\\]: IP ${escapeRegex(CLIENT_IP)} > ${escapeRegex(APP_IP)}: ICMP echo request`);
    const first = await cap.waitForLine(out, 3000);
    const port = out.exec(first)![1];
    const back = new RegExp(`IP ${escapeRegex(NVA_IP)}\\.${port} > ${escapeRegex(GWLB_IP)}\\.6081: Geneve, Flags \\[none\\], vni 0x0, options \\[32 bytes\\]: IP ${escapeRegex(CLIENT_IP)} > ${escapeRegex(APP_IP)}: ICMP echo request`);
    const second = await cap.waitForLine(back, 3000);
    pair = `${first.replace(/^\S+ /, '')}\n      ${second.replace(/^\S+ /, '')}`;
  } finally {
    await cap.stop();
  }
  const d = counterDelta(c0, gwlbCounters(l, p));
  const k1 = await nvaKernel(p);
  // Three requests in, three replies out: each crosses the GWLB and the appliance once.
  if (d.gwlbOut < 6 || d.gwlbIn < 6 || d.endpointIn < 6 || d.endpointOut < 6 || d.nvaTx < 6 || d.nvaRx < 6) {
    throw new Error(`the GWLB's counters did not move for 3 pings through it: ${formatCounters(p, d)}`);
  }
  if (k1.forwarded - k0.forwarded < 6) throw new Error(`${NVA_HOST}'s kernel forwarded ${k1.forwarded - k0.forwarded} datagrams (ForwDatagrams) for 3 pings through it (expected ≥ 6)`);
  log(`  checked: tcpdump in ${NVA_HOST} (udp port 6081) shows the ping in Geneve, there and back:\n      ${pair}`);
  log(`  checked: ${formatCounters(p, d)}; ${NVA_HOST}'s kernel forwarded ${k1.forwarded - k0.forwarded} (ForwDatagrams)`);
}
