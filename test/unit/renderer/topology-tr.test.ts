// The transit router in the Console's rows (src/renderer/src/lib/tr-data.ts) and on the
// Topology map (lib/topology-tr.ts) over the real control plane's answers for the TR tutorial
// (lab-scenarios/ipsec-vpn-tr.yaml), and a packet's path on the map from a real engine trace
// record: ECS-1 → the TR → an ECMP member → the IDC router. No root, no lab.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/main/cloud/compile';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { Engine } from '../../../src/main/engine/dataplane';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { loadScenario } from '../../../src/main/scenario/load';
import { loadConsoleData, nameIndex, type ConsoleData } from '../../../src/renderer/src/lib/console-data';
import { buildTopology, type Topology, type TopoNode } from '../../../src/renderer/src/lib/topology';
import { tracePath } from '../../../src/renderer/src/lib/topology-path';
import { ecmpMembership, ecmpWords, trMonitorOf, trRouteTypeWords } from '../../../src/renderer/src/lib/tr-data';
import type { TunnelIndex, TunnelLive } from '../../../src/renderer/src/lib/vpn-data';
import { icmpEcho } from '../../support/packets';
import { tutorialCloud, type TutorialCloud } from './tutorial-cloud';

const TR_TUTORIAL = path.resolve(__dirname, '../../../lab-scenarios/ipsec-vpn-tr.yaml');
/** Through "Step 6 (continued)": two VPCs attached, four ECMP connections, OSS routed into the CEN. */
const STEPS = loadScenario(TR_TUTORIAL).steps.findIndex((s) => s.name.startsWith('Step 6 (continued)')) + 1;

function trTutorial(): TutorialCloud {
  return tutorialCloud(TR_TUTORIAL, 't-renderer-tr', STEPS);
}

async function mapOf(lab: TutorialCloud, tunnels?: TunnelIndex): Promise<{ d: ConsoleData; t: Topology }> {
  const d = await loadConsoleData(lab.invoke);
  return { d, t: buildTopology(d, lab.hosts, tunnels) };
}

const node = (t: Topology, id: string): TopoNode => {
  const n = t.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const absX = (t: Topology, n: TopoNode): number => n.x + (n.parentId ? absX(t, node(t, n.parentId)) : 0);
const absY = (t: Topology, n: TopoNode): number => n.y + (n.parentId ? absY(t, node(t, n.parentId)) : 0);

/** A monitor reading in DescribeVpnAttachmentMonitor's shape: every connection up and carrying traffic but `down`. */
function reading(d: ConsoleData, down: string[] = []): TunnelIndex {
  const out: TunnelIndex = new Map();
  for (const c of d.vpnConnections) {
    const t = c.Tunnels[0];
    const up = !down.includes(c.Name);
    out.set(t.TunnelId, {
      VpnConnectionId: c.VpnConnectionId, TunnelId: t.TunnelId, TunnelIndex: 1, Role: 'master', TunnelStatus: up ? 1 : 0,
      Status: up ? 'ipsec_sa_established' : 'ike_sa_not_established', CarriesTraffic: up, HealthCheck: '', SpiIn: '', SpiOut: '',
      InBps: 0, OutBps: 0, InPps: 0, OutPps: 0, Reason: up ? '' : 'peer closed the IKE SA',
    } satisfies TunnelLive);
  }
  return out;
}

describe('the Console rows of CEN and the transit router', () => {
  it('reads the CEN, the TR with its route table, both VPC connections with their zones and the four VPN connections', async () => {
    const lab = trTutorial();
    const { d } = await mapOf(lab);
    expect(d.cens.map((c) => [c.Name, c.Status])).toEqual([['cen-lab', 'Active']]);
    expect(d.transitRouters).toHaveLength(1);
    const tr = d.transitRouters[0];
    expect(tr).toMatchObject({ TransitRouterName: 'tr-hz', CenId: lab.id('cen-lab'), RegionId: 'cn-hangzhou', Status: 'Active' });
    expect(tr.TransitRouterRouteTableId).toMatch(/^vtb-/);
    const vpc = d.trAttachments.filter((a) => a.ResourceType === 'VPC');
    expect(vpc.map((a) => [a.Name, a.VpcId, a.ZoneMappings.map((z) => z.VSwitchId)])).toEqual([
      ['att-vpc-1', lab.id('vpc-1'), [lab.id('vsw-1h'), lab.id('vsw-1i')]],
      ['att-vpc-2', lab.id('vpc-2'), [lab.id('vsw-2h'), lab.id('vsw-2i')]],
    ]);
    for (const a of vpc) expect(a.PropagatedRouteTableIds).toEqual([tr.TransitRouterRouteTableId]);
    expect(d.trAttachments.filter((a) => a.ResourceType === 'VPN').map((a) => [a.Name, a.VpnId])).toEqual(
      [1, 2, 3, 4].map((i) => [`att-ecmp-${i}`, lab.id(`ecmp-${i}`)]),
    );
    const names = nameIndex(d);
    expect([names.get(tr.TransitRouterId), names.get(tr.TransitRouterRouteTableId), names.get(lab.id('att-ecmp-2'))]).toEqual(['tr-hz', 'tr-hz route table', 'att-ecmp-2']);
    // The CEN connections are on no VPN gateway; DescribeVpnConnections pages at 10, the Console asks for 50.
    expect(d.vpnConnections.map((c) => [c.Name, c.AttachType, c.VpnGatewayId])).toEqual([1, 2, 3, 4].map((i) => [`ecmp-${i}`, 'CEN', '']));
  });

  it('F6/F7: reads the static ECMP routes, the learned vSwitch routes (no 100.64.0.0/10) and the cloud-service route; OSS Active', async () => {
    const lab = trTutorial();
    const { d } = await mapOf(lab);
    const rows = d.trRoutes.map((r) => [r.Dest, trRouteTypeWords(r), r.Status, r.NextHopResourceType]);
    expect(rows.filter((r) => r[0] === '172.16.0.0/16')).toEqual([1, 2, 3, 4].map(() => ['172.16.0.0/16', 'Static', 'Active', 'VPN']));
    expect(rows.filter((r) => r[1] === 'Learned from VPC').map((r) => r[0]).sort()).toEqual(['10.1.1.0/24', '10.1.2.0/24', '192.168.1.0/24', '192.168.2.0/24']);
    expect(rows.find((r) => r[1] === 'Cloud service')?.[0]).toBe('100.118.28.0/24');
    expect(d.trRoutes.some((r) => r.Dest === '100.64.0.0/10')).toBe(false);
    // Only the static routes can be deleted by ID.
    expect(d.trRoutes.filter((r) => r.EntryId !== '').every((r) => r.Type === 'Static' && r.Origin === 'Static')).toBe(true);
    expect(d.routeServices.map((x) => [x.Host, x.HostVpcId, x.Status])).toEqual([['100.118.28.0/24', lab.id('vpc-1'), expect.stringMatching(/^(Creating|Active)$/)]]);
  });

  it('F7: the four static routes are one ECMP group, in the table\'s order; a member whose tunnel is down is left out', async () => {
    const lab = trTutorial();
    const { d } = await mapOf(lab);
    const att = (i: number): string => lab.id(`att-ecmp-${i}`);
    const all = ecmpMembership(d.trRoutes);
    expect([1, 2, 3, 4].map((i) => all.get(att(i))?.map((m) => [m.index, m.of, m.dest, m.live]))).toEqual(
      [1, 2, 3, 4].map((i) => [[i, 4, '172.16.0.0/16', true]]),
    );
    const down = ecmpMembership(d.trRoutes, (id) => id !== att(4));
    expect(down.get(att(4))![0].live).toBe(false);
    expect(ecmpWords(down.get(att(4))![0])).toBe('ECMP 4 of 4 for 172.16.0.0/16 (tunnel down: left out)');
    expect(ecmpWords(down.get(att(1))![0])).toBe('ECMP 1 of 4 for 172.16.0.0/16');
    // A single route to a destination is no group.
    expect(ecmpMembership(d.trRoutes.filter((r) => r.NextHopId !== att(2) && r.NextHopId !== att(3) && r.NextHopId !== att(4))).size).toBe(0);
  });

  it('F8: reads DescribeVpnAttachmentMonitor\'s thresholds, each tunnel with its connection and alerts, and the events', () => {
    const m = trMonitorOf({
      Thresholds: { BandwidthMbps: { Info: 300, Warn: 500, Critical: 850 }, PacketsPerSecond: { Info: 36000, Warn: 60000, Critical: 102000 } },
      Tunnels: [
        { VpnConnectionId: 'vco-1', Name: 'ecmp-1', TransitRouterAttachmentId: 'tr-attach-1', TransitRouterId: 'tr-1', TunnelId: 'tun-1', TunnelIndex: 1, InternetIp: '47.97.20.1', TunnelStatus: 1, Status: 'ipsec_sa_established', CarriesTraffic: true, InBps: 4e8, Alerts: [{ Level: 'Info', Rule: 'inbound bandwidth over 300 Mbps' }] },
        { VpnConnectionId: 'vco-4', Name: 'ecmp-4', TransitRouterAttachmentId: 'tr-attach-4', TunnelId: 'tun-4', TunnelStatus: 0, Status: 'ike_sa_not_established', Alerts: [{ Level: 'Critical', Rule: 'tunnel negotiation status 0' }] },
      ],
      Events: [{ EventName: 'IPsec Tunnel Negotiation Failed', Time: '2026-12-07T22:49:04.503Z', ResourceId: 'tun-4', Content: 'tunnel tun-4 of vco-4 is down' }],
    });
    expect(m.BandwidthMbps).toEqual({ Info: 300, Warn: 500, Critical: 850 });
    expect(m.PacketsPerSecond).toEqual({ Info: 36000, Warn: 60000, Critical: 102000 });
    expect(m.Tunnels.map((t) => [t.Name, t.TransitRouterAttachmentId, t.InternetIp, t.TunnelStatus, t.CarriesTraffic, t.InBps, t.Alerts.map((a) => a.Level)])).toEqual([
      ['ecmp-1', 'tr-attach-1', '47.97.20.1', 1, true, 4e8, ['Info']],
      ['ecmp-4', 'tr-attach-4', '', 0, false, 0, ['Critical']],
    ]);
    expect(m.Events.map((e) => e.EventName)).toEqual(['IPsec Tunnel Negotiation Failed']);
    // Anything else reads as empty, not as a crash.
    expect(trMonitorOf(null)).toMatchObject({ Tunnels: [], Events: [], BandwidthMbps: { Info: 0, Warn: 0, Critical: 0 } });
  });
});

describe('buildTopology on the transit router tutorial', () => {
  it('draws the TR in a band below the VPCs, right-aligned under the IDCs, its four VPN connections inside it, in order, apart', async () => {
    const lab = trTutorial();
    const { d, t } = await mapOf(lab);
    const tr = node(t, d.transitRouters[0].TransitRouterId);
    expect(tr).toMatchObject({ kind: 'tr', name: 'tr-hz', lines: ['cen-lab', 'cn-hangzhou'] });
    for (const v of t.nodes.filter((n) => n.kind === 'vpc' || n.kind === 'idc')) expect(tr.y).toBeGreaterThan(v.y + v.height);
    expect(tr.x + tr.width).toBe(t.width);
    expect(tr.y + tr.height).toBeLessThanOrEqual(t.height);
    const members = t.nodes.filter((n) => n.kind === 'tr-member');
    expect(members.map((m) => m.name)).toEqual(['ecmp-1', 'ecmp-2', 'ecmp-3', 'ecmp-4']);
    members.forEach((m, i) => {
      expect(m.parentId).toBe(tr.id);
      // The node is the connection's tunnel host, as the trace names it.
      expect(m.id).toBe(`${lab.id(`ecmp-${i + 1}`)}-t1`);
      expect(m.lines).toEqual([`public 47.97.20.${i + 1}`, `ECMP ${i + 1} of 4, down`]);
      expect(m.x + m.width).toBeLessThanOrEqual(tr.width);
      expect(m.y + m.height).toBeLessThanOrEqual(tr.height);
      for (const o of members.slice(i + 1)) expect(m.x + m.width <= o.x || o.x + o.width <= m.x || m.y + m.height <= o.y || o.y + o.height <= m.y).toBe(true);
      for (const id of [m.id, lab.id(`ecmp-${i + 1}`), lab.id(`att-ecmp-${i + 1}`)]) expect(t.devices.get(id)).toBe(m.id);
    });
    // The trace names the TR's route table: drawn as the TR.
    expect(t.tables.get(d.transitRouters[0].TransitRouterRouteTableId)).toEqual([tr.id]);
  });

  it('joins the TR to each VPC\'s vRouter up a gutter inside the VPC, the leftmost VPC on the lowest lane, the lines apart', async () => {
    const lab = trTutorial();
    const { t } = await mapOf(lab);
    const lines = ['att-vpc-1', 'att-vpc-2'].map((n) => t.edges.find((e) => e.id === `attachment-${n}`)!);
    const tr = node(t, lines[0].source);
    lines.forEach((e, i) => {
      const vpc = node(t, lab.id(`vpc-${i + 1}`));
      expect(e).toMatchObject({ target: `vrouter:${vpc.id}`, targetHandle: 'left', shape: 'lane', dashed: false });
      expect(e.targetGutter!).toBeGreaterThan(vpc.x);
      expect(e.targetGutter!).toBeLessThan(absX(t, node(t, e.target)));
      expect(e.lane!).toBeLessThan(tr.y);
      expect(e.lane!).toBeGreaterThan(Math.max(...t.nodes.filter((n) => n.kind === 'vpc').map((v) => v.y + v.height)));
      expect(node(t, e.target).handles.some((h) => h.id === 'left')).toBe(true);
    });
    expect(lines[0].lane!).toBeGreaterThan(lines[1].lane!);
    const [h1, h2] = lines.map((e) => tr.handles.find((h) => h.id === e.sourceHandle)!.offset!);
    expect(h1).toBeLessThan(h2);
  });

  it('F7: draws a tunnel from the IDC router to each member on lanes of its own; lit when it carries traffic, down dashed and the member dim', async () => {
    const lab = trTutorial();
    const first = await mapOf(lab);
    const { t } = await mapOf(lab, reading(first.d, ['ecmp-4']));
    const tunnels = [1, 2, 3, 4].map((i) => t.edges.find((e) => e.id === `tunnel-ecmp-${i}-1`)!);
    for (const [i, e] of tunnels.entries()) {
      expect(e).toMatchObject({ source: 'idc-router:idc-router', target: `${lab.id(`ecmp-${i + 1}`)}-t1`, targetHandle: 'tun', shape: 'lane' });
      const router = node(t, e.source);
      expect(e.sourceGutter!).toBeGreaterThan(absX(t, node(t, router.parentId!)) + node(t, router.parentId!).width);
      const member = node(t, e.target);
      expect(e.targetGutter!).toBeGreaterThan(absX(t, member) + member.width);
      expect(e.lane!).toBeLessThan(absY(t, member));
    }
    expect(new Set(tunnels.map((e) => e.lane)).size).toBe(4);
    expect(tunnels.map((e) => e.tunnel)).toEqual(['lit', 'lit', 'lit', 'down']);
    expect(tunnels[3].dashed).toBe(true);
    expect(node(t, tunnels[3].target)).toMatchObject({ dim: true, lines: ['public 47.97.20.4', 'ECMP 4 of 4, down'] });
    expect(node(t, tunnels[0].target)).toMatchObject({ dim: false, lines: ['public 47.97.20.1', 'ECMP 1 of 4'] });
    // Before a reading, as the connections report themselves (no charon here: down).
    expect(first.t.edges.filter((e) => e.id.startsWith('tunnel-ecmp-')).map((e) => e.tunnel)).toEqual(['down', 'down', 'down', 'down']);
  });

  it('draws a real engine trace ECS-1 → 172.16.0.10 from ECS-1 through the TR and the member the hash picked to the IDC router, not via the Internet', async () => {
    const lab = trTutorial();
    const { d, t } = await mapOf(lab);
    const ports = new Map(labHosts(lab.cp.model).map((h, i) => [h.name, i + 1]));
    const engine = new Engine(() => undefined);
    engine.load(compile(lab.cp.model, (n) => ports.get(n), engine.counters));
    for (const c of d.vpnConnections) engine.vpn.tunnels.setSa(c.Tunnels[0].TunnelId, { up: true, spiIn: 'c1', spiOut: 'c2' });
    const recs: TraceRecord[] = [];
    engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
    engine.tracer.filter = {};
    const ping = icmpEcho('192.168.1.10', '172.16.0.10', 8, 1, 1);
    engine.process(ports.get('ECS-1')!, ping, 0, ping.length);
    // What the engine sent the appliance it picked, and that host's own record (ESP to the IDC router, over the Internet).
    const picked = recs[0].verdict.replace(/^delivered to /, '');
    expect(picked).toMatch(/^vco-.*-t1$/);
    expect(recs[0].hops.map((h) => h.decision).join('\n')).toMatch(/ECMP, the 5-tuple hash picks tr-attach-\S+ \(att-ecmp-[1-4], IPsec ecmp-[1-4]\), member [1-4] of 4/);
    const esp: TraceRecord = { ...recs[0], from: picked, hops: [{ device: 'Internet', decision: '203.0.113.10 is an Internet host' }], verdict: 'delivered to idc-router' } as TraceRecord;
    const out = tracePath(t, recs[0]);
    const tr = d.transitRouters[0].TransitRouterId;
    expect(out.nodes).toEqual(expect.arrayContaining([lab.id('ECS-1'), lab.id('vsw-1h'), `vrouter:${lab.id('vpc-1')}`, tr, picked]));
    expect(out.edges).toContain('attachment-att-vpc-1');
    const over = tracePath(t, esp);
    const name = d.vpnConnections.find((c) => `${c.VpnConnectionId}-t1` === picked)!.Name;
    expect(over.edges).toEqual([`tunnel-${name}-1`]);
    expect(over.nodes).not.toContain('internet');
  });
});
