// The bench's ECMP path, "IDC host ← TR ECMP ×4 (IPsec) ← VPC ECS": the transit-router
// tutorial's path (lab-scenarios/ipsec-vpn-tr.yaml, steps 1–4 and 7) on a lab of its own
// (lab-scenarios/bench-ecmp.yaml): one VPC with a vSwitch in each of two zones and an ECS, an
// IDC site with a router and a host.
//
// The bench builds it as the tutorial does, through `lab.invoke` with the cloud's actions (names
// stand for IDs): a CEN instance and its transit router, the VPC attached in both zones, the
// VPC's route 172.16.0.0/16 → that attachment, a customer gateway, four single-tunnel IPsec
// connections (one public address each) attached to the TR, and four static TR routes
// 172.16.0.0/16 → each attachment: one ECMP group. The IDC router gets the four downloaded
// configurations in /etc/swanctl/conf.d and loads them. Then the bench waits until
// DescribeVpnAttachmentMonitor says all four tunnels are up and proves the path before
// measuring.
//
// Why TCP is `-P 8 -R`: the TR spreads flows by a hash of their 5-tuple, so only several flows
// can use several connections, and only the VPC → IDC direction is the TR's choice: the IDC
// router is policy-based strongSwan with four SAs for the same traffic selectors, and sends
// everything over its newest SA. So the ECS sends (`-R`) eight streams from fixed client ports
// (`--cport 46001`, as the tutorial's step 7), which hash onto all four members in every run.
// UDP and ping are single flows and so use one connection each way, like the single-connection
// row.

import { cenTunnelHostName } from '../src/main/cloud/vpn-appliances';
import { espBackend, type EspBackend } from '../src/main/host/charon';
import { startCapture } from '../src/main/host/capture';
import { execInHost } from '../src/main/host/exec';
import type { DeviceCounters } from '../src/main/engine/counters';
import type { Lab } from '../src/main/runtime/lab';
import { charonTicks, routerEsp, TICKS_PER_S } from './ipsec-path';
import { measurePath, measureTcp, PACED_UDP_PPS, tcpModeName, type PathEnds, type PathFigures, type PathResult, type Probe, type TcpMode } from './measure';
import { escapeRegex, hostNs } from './lab-hosts';

export const ECMP_LAB = 'bench-ecmp';
export const PATH_ECMP = 'IDC host ← TR ECMP ×4 (IPsec) ← VPC ECS';
/** Eight streams sent by the ECS, from the tutorial's client ports: the flows the TR spreads. */
export const TCP_ECMP: TcpMode = { streams: 8, reverse: true, cport: 46001 };
/** The product's ceiling per connection (as the single-connection row's); the group has four. */
const PER_CONNECTION = { tcp_gbit_s: 1, udp256_pps: 120_000 };

const VPC = 'vpc-bench-ecmp';
const CEN = 'cen-bench';
const TR = 'tr-bench';
const VPC_ATT = 'att-vpc-bench';
const CGW = 'cgw-bench';
const IDC_CIDR = '172.16.0.0/16';
const ROUTER_HOST = 'bench-idc-router';
const ROUTER_IP = '203.0.113.10';
const IDC_HOST = 'bench-idc-host';
const IDC_IP = '172.16.0.10';
const ECS_HOST = 'bench-vpc-ecs';
/** The tutorial's ECS-1 address, which the streams' ports hash onto all four members from (bench-ecmp.yaml). */
const ECS_IP = '192.168.1.10';
/** The tutorial's four connections: name, public address and key. */
const MEMBERS = [1, 2, 3, 4].map((n) => ({ name: `ecmp-${n}`, ip: `47.97.20.${n}`, psk: `vpclab-ecmp-${n}`, att: `att-ecmp-${n}` }));

export interface EcmpMember {
  name: string;
  ip: string;
  /** Engine devices: the attachment counts what the TR sent over it, the connection what its tunnel carried. */
  attId: string;
  connId: string;
}

export interface EcmpPath {
  ends: PathEnds;
  routerNs: string;
  trId: string;
  members: EcmpMember[];
  esp: EspBackend;
}

const nsOf = (l: Lab, host: string): Promise<string> => hostNs(l, host, 'lab-scenarios/bench-ecmp.yaml');

interface TrRouteView {
  TransitRouterRouteEntryType: string;
  TransitRouterRouteEntryStatus: string;
  TransitRouterRouteEntryNextHopId?: string;
}

/** The tutorial's steps 1–4 with its actions; checks the TR holds four active routes, returns the IDs the probes read. */
export async function buildEcmpPath(l: Lab, log: (s: string) => void): Promise<EcmpPath> {
  // Step 1 (one VPC here): the CEN, its TR, the VPC attached in both zones.
  await l.invoke('CreateCenInstance', { Name: CEN });
  await l.invoke('CreateTransitRouter', { CenId: CEN, TransitRouterName: TR });
  await l.invoke('CreateTransitRouterVpcAttachment', {
    TransitRouterId: TR, VpcId: VPC, TransitRouterAttachmentName: VPC_ATT,
    ZoneMappings: [{ ZoneId: 'cn-hangzhou-h', VSwitchId: 'vsw-h' }, { ZoneId: 'cn-hangzhou-i', VSwitchId: 'vsw-i' }],
  });
  // Step 2: the VPC sends the IDC's CIDR to the TR.
  await l.invoke('CreateRouteEntry', { RouteTableId: `${VPC}:system`, DestinationCidrBlock: IDC_CIDR, NextHopType: 'Attachment', NextHopId: VPC_ATT });
  // Step 3: four single-tunnel connections, attached, and four equal-cost routes.
  await l.invoke('CreateCustomerGateway', { IpAddress: ROUTER_IP, Name: CGW });
  for (const m of MEMBERS) {
    await l.invoke('CreateVpnAttachment', {
      CustomerGatewayId: CGW, Name: m.name, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0', EffectImmediately: true, InternetIp: m.ip, IkeConfig: { Psk: m.psk },
    });
  }
  for (const m of MEMBERS) await l.invoke('CreateTransitRouterVpnAttachment', { TransitRouterId: TR, VpnId: m.name, TransitRouterAttachmentName: m.att });
  for (const m of MEMBERS) {
    await l.invoke('CreateTransitRouterRouteEntry', {
      TransitRouterRouteTableId: TR, TransitRouterRouteEntryDestinationCidrBlock: IDC_CIDR, TransitRouterRouteEntryNextHopType: 'Attachment', TransitRouterRouteEntryNextHopId: m.att,
    });
  }

  const model = l.cp.model;
  const tr = model.transitRouters.find((t) => t.TransitRouterName === TR);
  if (!tr) throw new Error(`transit router ${TR} missing after CreateTransitRouter`);
  const members: EcmpMember[] = MEMBERS.map((m) => {
    const c = model.vpnConnections.find((x) => x.Name === m.name);
    const a = model.trAttachments.find((x) => x.TransitRouterAttachmentName === m.att);
    if (!c || !a || a.ResourceId !== c.VpnConnectionId) throw new Error(`after the actions: connection ${m.name} ${c ? 'present' : 'missing'}, attachment ${m.att} ${a ? `on ${a.ResourceId}` : 'missing'}`);
    return { name: m.name, ip: m.ip, attId: a.TransitRouterAttachmentId, connId: c.VpnConnectionId };
  });
  // As the tutorial's step 3 checks: four Static, Active routes to the VPN attachments.
  const listed = (await l.invoke('ListTransitRouterRouteEntries', { TransitRouterRouteTableId: tr.RouteTableId, TransitRouterRouteEntryDestinationCidrBlock: IDC_CIDR })) as { TransitRouterRouteEntries: TrRouteView[] };
  const active = listed.TransitRouterRouteEntries.filter((e) => e.TransitRouterRouteEntryType === 'Static' && e.TransitRouterRouteEntryStatus === 'Active');
  if (active.length !== 4) throw new Error(`${tr.RouteTableId} has ${active.length} active static routes for ${IDC_CIDR}, not four: ${JSON.stringify(listed.TransitRouterRouteEntries)}`);
  log(`  ${tr.TransitRouterId} (${TR}): ${IDC_CIDR} → ${members.map((m) => `${m.attId} (${m.name}, ${m.connId}, ${m.ip})`).join(', ')}; ${VPC}:system ${IDC_CIDR} → Attachment ${VPC_ATT}`);

  // Step 4: the IDC's engineer installs the four downloaded configurations side by side.
  const routerNs = await nsOf(l, ROUTER_HOST);
  for (const m of members) {
    const dl = (await l.invoke('DownloadVpnConnectionConfig', { VpnConnectionId: m.connId })) as { VpnConnectionConfig?: { SwanctlConf?: string } };
    const conf = dl.VpnConnectionConfig?.SwanctlConf;
    if (typeof conf !== 'string' || !conf.includes('connections')) throw new Error(`DownloadVpnConnectionConfig ${m.connId}: no SwanctlConf in ${JSON.stringify(dl).slice(0, 300)}`);
    const w = await execInHost(routerNs, { shell: `cat > /etc/swanctl/conf.d/${m.name}.conf` }, { input: conf, timeoutMs: 5000 });
    if (w.code !== 0) throw new Error(`writing /etc/swanctl/conf.d/${m.name}.conf on ${ROUTER_HOST}: ${(w.stderr || w.stdout).trim()}`);
  }
  const r = await execInHost(routerNs, ['swanctl', '--load-all', '--noprompt'], { timeoutMs: 15_000 });
  const loaded = (r.stdout.match(/loaded connection '/g) ?? []).length;
  if (r.code !== 0 || loaded !== 4) throw new Error(`swanctl --load-all on ${ROUTER_HOST} (exit ${r.code}, ${loaded} connections loaded): ${(r.stdout + r.stderr).trim()}`);
  log(`  ${ROUTER_HOST}: four DownloadVpnConnectionConfig files → /etc/swanctl/conf.d/ecmp-{1..4}.conf, swanctl --load-all: ${loaded} connections loaded`);
  const esp = await espBackend(routerNs);
  const ends: PathEnds = { clientNs: await nsOf(l, IDC_HOST), serverNs: await nsOf(l, ECS_HOST), serverIp: ECS_IP };
  return { ends, routerNs, trId: tr.TransitRouterId, members, esp };
}

interface MonitorTunnel {
  Name: string;
  TunnelStatus: number;
  Status: string;
  Reason?: string;
}

/** Poll DescribeVpnAttachmentMonitor on the TR until the four tunnels' negotiation status is 1, as the tutorial's step 4 does. */
export async function waitEcmpTunnelsUp(l: Lab, p: EcmpPath, log: (s: string) => void, timeoutMs = 40_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const r = (await l.invoke('DescribeVpnAttachmentMonitor', { TransitRouterId: p.trId })) as { Tunnels: MonitorTunnel[] };
    const last = r.Tunnels.map((t) => `${t.Name} ${t.TunnelStatus} (${t.Status}${t.Reason ? `: ${t.Reason}` : ''})`).join(', ');
    if (r.Tunnels.length === 4 && r.Tunnels.every((t) => t.TunnelStatus === 1)) {
      log(`  DescribeVpnAttachmentMonitor ${p.trId}: ${last} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`the four tunnels are not up after ${timeoutMs / 1000} s: DescribeVpnAttachmentMonitor says ${last || 'no tunnels'}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

// ---- the engine's counters of the four members ----

/** Per member: packets the TR sent over its attachment (VPC → IDC), its connection's tunnel carried out and brought in. */
interface MemberCount {
  attOut: number;
  connOut: number;
  connIn: number;
  drops: number;
}

function memberCounts(l: Lab, p: EcmpPath): MemberCount[] {
  // One snapshot for all four, so their shares are of the same instant.
  const snap = l.engine.counters.snapshot();
  const none = (id: string): DeviceCounters => ({ device: id, rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: {} });
  const of = (id: string) => snap.find((c) => c.device === id) ?? none(id);
  return p.members.map((m) => {
    const a = of(m.attId);
    const c = of(m.connId);
    const drops = [a, c].reduce((n, d) => n + Object.values(d.drops).reduce((x, y) => x + (y ?? 0), 0), 0);
    return { attOut: a.txPackets, connOut: c.txPackets, connIn: c.rxPackets, drops };
  });
}

function countDelta(a: MemberCount[], b: MemberCount[]): MemberCount[] {
  return b.map((x, i) => ({ attOut: x.attOut - a[i].attOut, connOut: x.connOut - a[i].connOut, connIn: x.connIn - a[i].connIn, drops: x.drops - a[i].drops }));
}

/** Each member's share of what the TR sent towards the IDC, and what came back over it. */
function formatShares(p: EcmpPath, d: MemberCount[]): string {
  const total = d.reduce((n, x) => n + x.attOut, 0);
  return d.map((x, i) => {
    const share = total ? ` (${((x.attOut / total) * 100).toFixed(0)}%)` : '';
    return `${p.members[i].name} ${x.attOut.toLocaleString('en-US')} to the IDC${share}, ${x.connIn.toLocaleString('en-US')} from it${x.drops ? `, ${x.drops} dropped` : ''}`;
  }).join('; ');
}

/** The charons doing ESP: the IDC router's and the four connections' tunnel appliances'. */
function charonHosts(p: EcmpPath): string[] {
  return [ROUTER_HOST, ...p.members.map((m) => cenTunnelHostName(m.connId, 1))];
}

/** A Probe part: each connection's share of the packets during one measurement, and each charon's CPU. */
export function ecmpProbe(l: Lab, p: EcmpPath): Probe {
  return () => {
    const a = memberCounts(l, p);
    const hosts = charonHosts(p);
    const t0 = hosts.map((h) => charonTicks(l, h));
    const w0 = process.hrtime.bigint();
    return () => {
      const wall = Number(process.hrtime.bigint() - w0) / 1e9;
      const cpu = hosts.map((h, i) => `${i === 0 ? h : p.members[i - 1].name} ${Math.round(((charonTicks(l, h) - t0[i]) / TICKS_PER_S / wall) * 100)}%`).join(', ');
      return `per connection: ${formatShares(p, countDelta(a, memberCounts(l, p)))}\n      charon CPU (of one core): ${cpu}`;
    };
  };
}

/** Packets a member must carry in the 2 s check for a stream to have hashed onto it: one stream sends thousands. */
const MIN_STREAM_PACKETS = 100;

/**
 * Before measuring: a ping from the IDC host is answered and shows at the IDC router's public
 * address as ESP both ways (to and from the connections' addresses), never an inner address;
 * then a short run of the measured TCP mode moves all four members' counters — the TR's
 * attachment and the connection's tunnel. Throws otherwise.
 */
export async function verifyEcmpPath(l: Lab, p: EcmpPath, log: (s: string) => void): Promise<void> {
  const cap = await startCapture(p.routerNs, ['host', ROUTER_IP], { numeric: true, maxDurationMs: 20_000 });
  let out: string;
  let back: string;
  let lines: string[];
  try {
    const ping = await execInHost(p.ends.clientNs, ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '2', ECS_IP], { timeoutMs: 15_000 });
    if (!/ 3 received/.test(ping.stdout)) throw new Error(`ping ${ECS_IP} from ${IDC_HOST} over the transit router: ${ping.stdout.trim().split('\n').slice(-2).join(' / ')}`);
    const cloud = `(?:${p.members.map((m) => escapeRegex(m.ip)).join('|')})`;
    out = await cap.waitForLine(new RegExp(`IP ${escapeRegex(ROUTER_IP)}\\.4500 > ${cloud}\\.4500: UDP-encap: ESP\\(spi=0x[0-9a-f]+`), 3000);
    back = await cap.waitForLine(new RegExp(`IP ${cloud}\\.4500 > ${escapeRegex(ROUTER_IP)}\\.4500: UDP-encap: ESP\\(spi=0x[0-9a-f]+`), 3000);
  } finally {
    lines = (await cap.stop()).lines;
  }
  const leaked = lines.filter((x) => x.includes(IDC_IP) || x.includes(ECS_IP));
  if (leaked.length) throw new Error(`tcpdump at ${ROUTER_HOST}'s public address ${ROUTER_IP} shows the inner addresses:\n${leaked.join('\n')}`);
  log(`  checked: tcpdump on ${ROUTER_HOST} (host ${ROUTER_IP}) shows the ping as ESP both ways, no inner address:\n      ${out.replace(/^\S+ /, '')}\n      ${back.replace(/^\S+ /, '')}`);

  const c0 = memberCounts(l, p);
  const gbit = await measureTcp(p.ends, undefined, TCP_ECMP, 2);
  const d = countDelta(c0, memberCounts(l, p));
  // A data stream's worth, not just iperf3's control connection (ephemeral port, a dozen packets).
  const idle = d.map((x, i) => (x.attOut < MIN_STREAM_PACKETS || x.connOut < MIN_STREAM_PACKETS ? p.members[i].name : '')).filter(Boolean);
  if (idle.length) throw new Error(`a 2 s iperf3 ${tcpModeName(TCP_ECMP)} --cport ${TCP_ECMP.cport} sent fewer than ${MIN_STREAM_PACKETS} packets over ${idle.join(', ')}: ${formatShares(p, d)}`);
  log(`  checked: 2 s of iperf3 ${tcpModeName(TCP_ECMP)} --cport ${TCP_ECMP.cport} (${gbit.toFixed(2)} Gbit/s) moved all four members: ${formatShares(p, d)}`);
}

/**
 * measurePath with TCP as TCP_ECMP, then the proof that it was the connections' traffic: every
 * datagram the ECS received came in over one of the four (the connections' counters) and was
 * encrypted by the IDC router's charon. Prints the whole run's shares.
 */
export async function measureEcmpPath(l: Lab, p: EcmpPath, log: (s: string) => void, probe: Probe): Promise<PathResult> {
  const c0 = memberCounts(l, p);
  const e0 = await routerEsp(p);
  const result = await measurePath(p.ends, log, probe, PACED_UDP_PPS, [TCP_ECMP]);
  const d = countDelta(c0, memberCounts(l, p));
  const e1 = await routerEsp(p);
  const decrypted = d.reduce((n, x) => n + x.connIn, 0);
  const encrypted = e1.packetsOut - e0.packetsOut;
  log(`  over the whole path, per connection: ${formatShares(p, d)}; ${ROUTER_HOST}'s charon: ${encrypted} ESP out, ${e1.packetsIn - e0.packetsIn} in`);
  if (decrypted < result.udpDelivered || encrypted < result.udpDelivered) {
    throw new Error(`path "${PATH_ECMP}": the ECS received ${result.udpDelivered} UDP datagrams, but the connections brought only ${decrypted} into the TR and ${ROUTER_HOST}'s charon encrypted ${encrypted}`);
  }
  return result;
}

/** The group's product ceiling for a metric: TCP spreads over four connections, a single UDP flow takes one; latency has none. */
export function ecmpCeiling(key: keyof PathFigures): { value: number; how: string } | undefined {
  if (key === 'tcp_gbit_s') return { value: 4 * PER_CONNECTION.tcp_gbit_s, how: '4 × 1 Gbit/s per connection' };
  if (key === 'udp256_pps') return { value: PER_CONNECTION.udp256_pps, how: 'one flow, one connection' };
  return undefined;
}

/** The row's fields in the JSON: the ESP backend, the group's ceiling and the engine's share of it. */
export function ecmpJson(f: PathFigures, esp: string | undefined): Record<string, unknown> {
  return {
    esp_backend: esp ?? 'unknown',
    connections: 4,
    product_ceiling: { per_connection: { ...PER_CONNECTION }, tcp_gbit_s: 4 * PER_CONNECTION.tcp_gbit_s, udp256_pps: PER_CONNECTION.udp256_pps },
    ratio_to_product_ceiling: { tcp_gbit_s: +(f.tcp_gbit_s / (4 * PER_CONNECTION.tcp_gbit_s)).toFixed(3), udp256_pps: +(f.udp256_pps / PER_CONNECTION.udp256_pps).toFixed(3) },
  };
}
