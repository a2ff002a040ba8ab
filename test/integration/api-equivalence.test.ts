// A lab typed in with `vpclab api` is the same lab as one loaded from a scenario file. Lab
// t-api-built starts from lab-scenarios/empty-vpc.yaml (one VPC, nothing else) and gets
// ipv4-gateway-proxy.yaml's topology and steps through `vpclab api <Action> --Param value`
// only, with the real IDs (vpc-…, vsw-…, vtb-…, i-…, eip-…, ipv4gw-…) taken from what the
// calls print: never a name for the lab to resolve. Lab t-api-file runs the scenario with
// `vpclab check --keep`. Then both must show the same resources (every Describe call, IDs
// replaced by placeholders derived from names and content), the same `vpclab status`, and
// the same behaviour under real ping, tcpdump and traceroute (SEMANTICS A9, B5.2–B5.4, B6).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { listNetns } from '../../src/main/host/netns';
import { cannotRun, integrationBlocker } from '../support/skip';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));

const BUILT = 't-api-built';
const FILE = 't-api-file';
const LABS = [BUILT, FILE];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `vpclab --lab <lab> …`; resolves with the exit code instead of throwing on failure. */
function vpclab(lab: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(lab: string, ...args: string[]): Promise<string> {
  const r = await vpclab(lab, ...args);
  if (r.code !== 0) throw new Error(`vpclab --lab ${lab} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type Json = any; // parsed API answers, walked freely

/** A real cloud ID as the lab hands them out: prefix + 22 lower-case alphanumerics. */
const ID = /\b(?:vpc|vsw|vtb|vrt|i|eip|ipv4gw|rte|ih|sg|sgr)-[a-z0-9]{22}\b/g;
const isId = (v: string): boolean => new RegExp(`^${ID.source}$`).test(v);

/**
 * `vpclab --lab <lab> api <Action> --K v …`, parsed. Every `…Id` parameter must be a real ID,
 * so the build below cannot lean on the lab's name → ID resolution even by mistake.
 */
async function api(lab: string, action: string, params: Record<string, string> = {}): Promise<Json> {
  for (const [k, v] of Object.entries(params)) {
    if (/Id$/.test(k) && k !== 'ZoneId' && !isId(v)) throw new Error(`${action}: ${k}=${v} is not a real ID`);
  }
  const out = await ok(lab, 'api', action, ...Object.entries(params).flatMap(([k, v]) => [`--${k}`, v]));
  return JSON.parse(out);
}

/** Lab t-api-built, from the empty VPC, with api calls only. Returns the IDs it was handed. */
async function buildWithApi(): Promise<Record<string, string>> {
  const lab = BUILT;
  await ok(lab, 'up', 'lab-scenarios/empty-vpc.yaml');
  const vpcs = (await api(lab, 'DescribeVpcs')).Vpcs.Vpc as Json[];
  expect(vpcs.map((v) => v.VpcName)).toEqual(['vpc-tokyo']);
  expect(vpcs[0].VSwitchIds.VSwitchId).toEqual([]);
  const vpc = vpcs[0].VpcId as string;

  // topology, in the order topologyActions() builds a scenario's
  const vsw: Record<string, string> = {};
  for (const [name, cidr, zone] of [['vsw-a', '192.168.0.0/24', 'ap-northeast-1a'], ['vsw-b', '192.168.1.0/24', 'ap-northeast-1b']]) {
    vsw[name] = (await api(lab, 'CreateVSwitch', { VpcId: vpc, ZoneId: zone, CidrBlock: cidr, VSwitchName: name })).VSwitchId;
  }
  const rt: Record<string, string> = {};
  for (const [name, v] of [['rt-a', 'vsw-a'], ['rt-b', 'vsw-b']]) {
    rt[name] = (await api(lab, 'CreateRouteTable', { VpcId: vpc, RouteTableName: name })).RouteTableId;
    await api(lab, 'AssociateRouteTable', { RouteTableId: rt[name], VSwitchId: vsw[v] });
  }
  for (const [name, ip] of [['google-dns', '8.8.8.8'], ['google-dns2', '8.8.4.4']]) {
    await api(lab, 'CreateInternetHost', { HostName: name, IpAddress: ip, Services: 'dns', PtrName: 'dns.google' });
  }
  const ecs: Record<string, string> = {};
  for (const [name, v, ip, eip] of [['ECS-A', 'vsw-a', '192.168.0.1', '47.74.10.1'], ['ECS-B', 'vsw-b', '192.168.1.1', '47.74.10.2']]) {
    const run = await api(lab, 'RunInstances', { InstanceName: name, VSwitchId: vsw[v], PrivateIpAddress: ip });
    ecs[name] = run.InstanceIdSets.InstanceIdSet[0];
    const alloc = await api(lab, 'AllocateEipAddress', { IpAddress: eip, Name: `${name}-eip` });
    expect(alloc.EipAddress).toBe(eip);
    await api(lab, 'AssociateEipAddress', { AllocationId: alloc.AllocationId, InstanceId: ecs[name] });
  }

  // step 2-2: 8.8.8.8/32 → ECS-B on table A
  await api(lab, 'CreateRouteEntry', { RouteTableId: rt['rt-a'], DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: ecs['ECS-B'] });
  // step 3: create the gateway, a second one is refused, activate without tables
  const igw = (await api(lab, 'CreateIpv4Gateway', { VpcId: vpc, Ipv4GatewayName: 'igw-tokyo' })).Ipv4GatewayId as string;
  expect((await api(lab, 'GetIpv4GatewayAttribute', { Ipv4GatewayId: igw })).ConsoleStatus).toBe('Inactive');
  const second = await vpclab(lab, 'api', 'CreateIpv4Gateway', '--VpcId', vpc);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(/Error: OperationDenied\.VpcExistIpv4Gateway: /);
  await api(lab, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: igw });
  expect((await api(lab, 'GetIpv4GatewayAttribute', { Ipv4GatewayId: igw })).ConsoleStatus).toBe('Active');
  // steps 4-1 and 5-1
  await api(lab, 'CreateRouteEntry', { RouteTableId: rt['rt-a'], DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: igw });
  await api(lab, 'CreateRouteEntry', { RouteTableId: rt['rt-b'], DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Ipv4Gateway', NextHopId: igw });
  // step 5-2
  expect(await ok(lab, 'exec', 'ECS-B', '--', 'sysctl', '-w', 'net.ipv4.ip_forward=1')).toMatch(/net\.ipv4\.ip_forward = 1/);
  // steps 5-3..5-9: a gateway route table sends vSwitch A's replies to ECS-B
  rt['rt-igw'] = (await api(lab, 'CreateRouteTable', { VpcId: vpc, AssociateType: 'Gateway', RouteTableName: 'rt-igw' })).RouteTableId;
  await api(lab, 'UpdateGatewayRouteTableEntryAttribute', {
    GatewayRouteTableId: rt['rt-igw'], DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: ecs['ECS-B'],
  });
  await api(lab, 'AssociateRouteTableWithGateway', { RouteTableId: rt['rt-igw'], GatewayId: igw });
  return { vpc, ...vsw, ...rt, ...ecs, igw };
}

interface Snapshot {
  describe: Record<string, Json>;
  /** ID → placeholder, derived from each resource's name or content. */
  ids: Map<string, string>;
}

async function snapshot(lab: string): Promise<Snapshot> {
  const d: Record<string, Json> = {};
  for (const a of ['DescribeVpcs', 'DescribeVSwitches', 'DescribeRouteTableList', 'DescribeIpv4Gateways', 'DescribeEipAddresses', 'DescribeInstances', 'DescribeInternetHosts', 'DescribeSecurityGroups']) {
    d[a] = await api(lab, a);
  }
  const ids = new Map<string, string>();
  const put = (id: string, placeholder: string): void => {
    if (ids.has(id) && ids.get(id) !== placeholder) throw new Error(`${lab}: ${id} is both ${ids.get(id)} and ${placeholder}`);
    if ([...ids.values()].includes(placeholder) && ids.get(id) !== placeholder) throw new Error(`${lab}: two resources would be ${placeholder}`);
    ids.set(id, placeholder);
  };
  for (const v of d.DescribeVpcs.Vpcs.Vpc) {
    put(v.VpcId, `<vpc ${v.VpcName}>`);
    put(v.RouteTableId, `<vtb ${v.VpcName}:system>`);
  }
  for (const v of d.DescribeVSwitches.VSwitches.VSwitch) put(v.VSwitchId, `<vsw ${v.VSwitchName}>`);
  const tables = d.DescribeRouteTableList.RouterTableList.RouterTableListType as Json[];
  for (const t of tables) if (t.RouteTableType !== 'System') put(t.RouteTableId, `<vtb ${t.RouteTableName}>`);
  for (const i of d.DescribeInstances.Instances.Instance) put(i.InstanceId, `<i ${i.InstanceName}>`);
  for (const e of d.DescribeEipAddresses.EipAddresses.EipAddress) put(e.AllocationId, `<eip ${e.IpAddress}>`);
  for (const g of d.DescribeIpv4Gateways.Ipv4Gateways.Ipv4GatewayModels) put(g.Ipv4GatewayId, `<ipv4gw ${g.Ipv4GatewayName}>`);
  for (const h of d.DescribeInternetHosts.InternetHosts.InternetHost) put(h.HostId, `<ih ${h.HostName}>`);
  // The lab default group (an ECS that names none is in it) and its rules, by VPC and name.
  for (const g of d.DescribeSecurityGroups.SecurityGroups.SecurityGroup) {
    put(g.SecurityGroupId, `<sg ${ids.get(g.VpcId)} ${g.SecurityGroupName}>`);
    const attr = await api(lab, 'DescribeSecurityGroupAttribute', { SecurityGroupId: g.SecurityGroupId });
    d[`DescribeSecurityGroupAttribute ${ids.get(g.SecurityGroupId)}`] = attr;
    for (const r of attr.Permissions.Permission) put(r.SecurityGroupRuleId, `<sgr ${ids.get(g.SecurityGroupId)} ${r.Direction} ${r.Priority} ${r.PortRange} ${r.SourceCidrIp || r.DestCidrIp}>`);
  }
  for (const t of tables) {
    const entries = await api(lab, 'DescribeRouteEntryList', { RouteTableId: t.RouteTableId });
    d[`DescribeRouteEntryList ${ids.get(t.RouteTableId)}`] = entries;
    for (const e of entries.RouteEntrys.RouteEntry) if (e.RouteEntryId) put(e.RouteEntryId, `<rte ${ids.get(t.RouteTableId)} ${e.DestinationCidrBlock}>`);
  }
  return { describe: d, ids };
}

/** IDs → placeholders everywhere (an ID nobody named stays visible as UNMAPPED); no RequestId, CreationTime or CreateTime. */
function normalise(v: Json, ids: Map<string, string>): Json {
  if (typeof v === 'string') return v.replace(ID, (id) => ids.get(id) ?? `<UNMAPPED ${id}>`);
  if (Array.isArray(v)) return v.map((x) => normalise(x, ids));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'RequestId' && k !== 'CreationTime' && k !== 'CreateTime').map(([k, x]) => [k, normalise(x, ids)]));
  }
  return v;
}

/** `vpclab status`: the host rows (sorted: namespaces are created in a different order; netns without the lab name) and the resource rows. */
function statusView(text: string, lab: string, ids: Map<string, string>): { hosts: string[]; resources: string[] } {
  const section = (title: string): string[] => {
    const lines = text.split('\n');
    const start = lines.indexOf(title);
    if (start < 0) throw new Error(`no "${title}" section in:\n${text}`);
    const end = lines.findIndex((l, i) => i > start && l.trim() === '');
    return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim().replace(/\s+/g, ' '));
  };
  return {
    hosts: section('Hosts').map((l) => l.replaceAll(`vpclab-${lab}-`, 'vpclab-<lab>-')).sort(),
    resources: section('Resources').map((l) => normalise(l, ids)),
  };
}

interface Behaviour {
  ping8888: Run;
  ping8844: Run;
  /** tcpdump on ECS-B and on google-dns while ECS-A pings 8.8.8.8 */
  onB: Run;
  onGoogle: Run;
  traceroute: Run;
  /** the dns service of 8.8.4.4 answering a PTR query, through the gateway */
  dig: Run;
}

async function behaviour(lab: string): Promise<Behaviour> {
  const onB = vpclab(lab, 'exec', 'ECS-B', '--', 'timeout', '5', 'tcpdump', '-n', '-c', '4', '-i', 'eth0', 'icmp');
  const onGoogle = vpclab(lab, 'exec', 'google-dns', '--', 'timeout', '5', 'tcpdump', '-n', '-c', '2', '-i', 'eth0', 'icmp');
  await new Promise((r) => setTimeout(r, 1500));
  const ping8888 = await vpclab(lab, 'exec', 'ECS-A', '--', 'ping', '-c', '2', '-W', '1', '8.8.8.8');
  const captures = await Promise.all([onB, onGoogle]);
  const ping8844 = await vpclab(lab, 'exec', 'ECS-A', '--', 'ping', '-c', '2', '-W', '1', '8.8.4.4');
  const traceroute = await vpclab(lab, 'exec', 'ECS-A', '--', 'traceroute', '-n', '-q', '1', '-w', '1', '-m', '4', '8.8.8.8');
  const dig = await vpclab(lab, 'exec', 'ECS-A', '--', 'dig', '+short', '+time=1', '+tries=2', '@8.8.4.4', '-x', '8.8.8.8');
  return { ping8888, ping8844, onB: captures[0], onGoogle: captures[1], traceroute, dig };
}

const nsOf = async (lab: string): Promise<string[]> => (await listNetns()).filter((n) => n.startsWith(`vpclab-${lab}-`));

async function downAll(): Promise<void> {
  for (const l of LABS) {
    await vpclab(l, 'down');
    await cleanupLab(l).catch(() => undefined);
  }
}

afterAll(async () => {
  if (!skip) await downAll();
}, 60_000);

describe.skipIf(skip)('a lab built with `vpclab api` equals the same lab from its scenario file', () => {
  let apiIds: Record<string, string>;
  const snap: Record<string, Snapshot> = {};
  const status: Record<string, string> = {};
  const seen: Record<string, Behaviour> = {};

  beforeAll(async () => {
    await downAll(); // leftovers of an interrupted run
    // both at once, and both settled before anything can fail: afterAll must not race a running check
    const [building, checking] = await Promise.allSettled([buildWithApi(), vpclab(FILE, 'check', 'lab-scenarios/ipv4-gateway-proxy.yaml', '--keep')]);
    if (building.status === 'rejected') throw building.reason;
    if (checking.status === 'rejected') throw checking.reason;
    const [ids, check] = [building.value, checking.value];
    if (check.code !== 0) throw new Error(`vpclab check failed:\n${check.stdout}\n${check.stderr}`);
    expect(check.stdout).toMatch(/^PASS IPv4 gateway .*: 11 checks passed, 0 failed$/m);
    apiIds = ids;
    for (const l of LABS) {
      snap[l] = await snapshot(l);
      status[l] = await ok(l, 'status');
    }
    // behaviour last, both labs at once: a Describe or status call changes nothing
    const [b, f] = await Promise.all([behaviour(BUILT), behaviour(FILE)]);
    seen[BUILT] = b;
    seen[FILE] = f;
  }, 120_000);

  it('the build used the IDs the calls printed, and they are the ones Describe shows', () => {
    const ids = snap[BUILT].ids;
    expect(ids.get(apiIds.vpc)).toBe('<vpc vpc-tokyo>');
    expect(ids.get(apiIds['rt-a'])).toBe('<vtb rt-a>');
    expect(ids.get(apiIds['rt-igw'])).toBe('<vtb rt-igw>');
    expect(ids.get(apiIds['ECS-B'])).toBe('<i ECS-B>');
    expect(ids.get(apiIds.igw)).toBe('<ipv4gw igw-tokyo>');
    for (const id of Object.values(apiIds)) expect(id).toMatch(new RegExp(`^${ID.source}$`));
  });

  it('same resources: every Describe call, IDs replaced by name-derived placeholders', () => {
    const b = normalise(snap[BUILT].describe, snap[BUILT].ids);
    const f = normalise(snap[FILE].describe, snap[FILE].ids);
    expect(Object.keys(b)).toEqual(Object.keys(f));
    expect(JSON.stringify(b)).not.toMatch(/UNMAPPED/);
    // soft: one differing call must not hide the others
    for (const k of Object.keys(f)) expect.soft({ [k]: b[k] }).toEqual({ [k]: f[k] });
    // what both must hold, so that equality is not two empty lists
    expect(f['DescribeRouteEntryList <vtb rt-a>'].RouteEntrys.RouteEntry.filter((e: Json) => e.Type === 'Custom').map((e: Json) => `${e.DestinationCidrBlock} ${e.NextHopType} ${e.NextHopId}`))
      .toEqual(['8.8.8.8/32 Instance <i ECS-B>', '8.8.4.4/32 Ipv4Gateway <ipv4gw igw-tokyo>']);
    expect(f['DescribeRouteEntryList <vtb rt-igw>'].RouteEntrys.RouteEntry.map((e: Json) => `${e.DestinationCidrBlock} ${e.NextHopType} ${e.NextHopId}`))
      .toEqual(['192.168.0.0/24 Instance <i ECS-B>', '192.168.1.0/24 Local -']);
    expect(f.DescribeIpv4Gateways.Ipv4Gateways.Ipv4GatewayModels).toMatchObject([{ Enabled: true, ConsoleStatus: 'Active', Ipv4GatewayRouteTableId: '<vtb rt-igw>' }]);
  });

  it('same `vpclab status`: hosts, and resources with an Active IPv4GW bound to its gateway table', () => {
    const b = statusView(status[BUILT], BUILT, snap[BUILT].ids);
    const f = statusView(status[FILE], FILE, snap[FILE].ids);
    expect(b).toEqual(f);
    for (const l of LABS) {
      const gw = snap[l].describe.DescribeIpv4Gateways.Ipv4Gateways.Ipv4GatewayModels[0];
      const rtIgw = snap[l].describe.DescribeRouteTableList.RouterTableList.RouterTableListType.find((t: Json) => t.AssociateType === 'Gateway').RouteTableId;
      expect(status[l]).toMatch(new RegExp(`^\\s+IPv4GW\\s+${gw.Ipv4GatewayId}\\s+igw-tokyo\\s+Active gateway table ${rtIgw}$`, 'm'));
    }
  });

  describe.each(LABS)('same behaviour with real tools in %s', (lab) => {
    it('ECS-A pings 8.8.8.8 (through ECS-B) and 8.8.4.4 (through the gateway)', () => {
      expect(seen[lab].ping8888.code, seen[lab].ping8888.stdout).toBe(0);
      expect(seen[lab].ping8888.stdout).toMatch(/2 packets transmitted, 2 received/);
      expect(seen[lab].ping8844.code, seen[lab].ping8844.stdout).toBe(0);
      expect(seen[lab].ping8844.stdout).toMatch(/2 packets transmitted, 2 received/);
    });

    it('tcpdump on ECS-B shows the echo request from and the reply to 192.168.0.1 (B5.3, B6)', () => {
      const out = seen[lab].onB.stdout;
      expect(out).toMatch(/IP 192\.168\.0\.1 > 8\.8\.8\.8: ICMP echo request/);
      expect(out).toMatch(/IP 8\.8\.8\.8 > 192\.168\.0\.1: ICMP echo reply/);
    });

    it("8.8.8.8 sees ECS-A's EIP, not ECS-B's (B5.2)", () => {
      const out = seen[lab].onGoogle.stdout;
      expect(out).toMatch(/IP 47\.74\.10\.1 > 8\.8\.8\.8: ICMP echo request/);
      expect(out).not.toMatch(/47\.74\.10\.2/);
    });

    it('traceroute -n 8.8.8.8 from ECS-A: hop 1 is ECS-B', () => {
      expect(seen[lab].traceroute.stdout).toMatch(/^ 1 {2}192\.168\.1\.1 /m);
      expect(seen[lab].traceroute.stdout).toMatch(/8\.8\.8\.8/);
    });

    it('the dns service on 8.8.4.4 answers the PTR of 8.8.8.8 (Services=dns, PtrName)', () => {
      expect(seen[lab].dig.code, seen[lab].dig.stderr).toBe(0);
      expect(seen[lab].dig.stdout.trim()).toBe('dns.google.');
    });
  });

  it('`vpclab down` removes both labs', async () => {
    for (const l of LABS) {
      expect((await nsOf(l)).length).toBeGreaterThan(0);
      await ok(l, 'down');
      expect(await nsOf(l)).toEqual([]);
    }
  }, 60_000);
});
