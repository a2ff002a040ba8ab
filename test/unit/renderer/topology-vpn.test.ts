// The Topology of the IPsec-VPN tutorial (src/renderer/src/lib/topology.ts) over the real
// control plane's answers for its cloud: the VPN gateway's two endpoints in their vSwitches,
// the IDC sites beside the VPC, one line per tunnel between the IDC router and an endpoint in
// lanes that do not cross, lit, standing by or down as the monitor reads them; the cloud
// services beside the VPC DNS. No root, no lab.
import { describe, expect, it } from 'vitest';
import { flowEdges } from '../../../src/renderer/src/components/topology/flow';
import { loadConsoleData } from '../../../src/renderer/src/lib/console-data';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { buildTopology, outline, type TopoEdge, type Topology, type TopoNode } from '../../../src/renderer/src/lib/topology';
import { tracePath } from '../../../src/renderer/src/lib/topology-path';
import { tunnelIndex, type TunnelLive, type VpnMonitor } from '../../../src/renderer/src/lib/vpn-data';
import { stepsThrough, vpnTutorial, type VpnTutorial } from './vpn-tutorial';

/** Step 2 made the connection to idc-hz; step 9 (the wrong key) the one to idc-bj. */
const WITH_HZ = stepsThrough('Step 2:');
const WITH_BJ = stepsThrough('Step 7:');

async function mapOf(lab: VpnTutorial, monitors: VpnMonitor[] = []): Promise<Topology> {
  return buildTopology(await loadConsoleData(lab.invoke), lab.hosts, tunnelIndex(monitors));
}

const node = (t: Topology, id: string): TopoNode => {
  const n = t.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const abs = (t: Topology, n: TopoNode): { x: number; y: number } => {
  if (!n.parentId) return { x: n.x, y: n.y };
  const p = abs(t, node(t, n.parentId));
  return { x: p.x + n.x, y: p.y + n.y };
};
const tunnelsOf = (t: Topology): TopoEdge[] => t.edges.filter((e) => e.tunnel !== undefined);

/** The monitor's reading for `lab`'s connection `name`: tunnel 1 and 2 as given. */
async function reading(lab: VpnTutorial, name: string, t1: Partial<TunnelLive>, t2: Partial<TunnelLive>): Promise<VpnMonitor> {
  const c = (await loadConsoleData(lab.invoke)).vpnConnections.find((x) => x.Name === name)!;
  const base = (i: number): TunnelLive => ({
    VpnConnectionId: c.VpnConnectionId, TunnelId: c.Tunnels[i - 1].TunnelId, TunnelIndex: i, Role: i === 1 ? 'master' : 'slave', TunnelStatus: 1,
    Status: 'ipsec_sa_established', CarriesTraffic: false, HealthCheck: 'success', SpiIn: '', SpiOut: '', InBps: 0, OutBps: 0, InPps: 0, OutPps: 0, Reason: '',
  });
  return { VpnGatewayId: c.VpnGatewayId, Tunnels: [{ ...base(1), ...t1 }, { ...base(2), ...t2 }], Alerts: [], Events: [] };
}

/** Where a lane's three segments run, in absolute graph pixels. */
function segments(t: Topology, e: TopoEdge): { v: [number, number, number][]; h: [number, number, number] } {
  const at = (id: string, handle: string): { x: number; y: number } => {
    const n = node(t, id);
    const p = abs(t, n);
    return { x: p.x + (n.handles.find((h) => h.id === handle)!.offset ?? n.width / 2), y: p.y };
  };
  const s = at(e.source, e.sourceHandle);
  const d = at(e.target, e.targetHandle);
  const lane = e.lane!;
  return { v: [[s.x, Math.min(s.y, lane), Math.max(s.y, lane)], [d.x, Math.min(d.y, lane), Math.max(d.y, lane)]], h: [lane, Math.min(s.x, d.x), Math.max(s.x, d.x)] };
}
function crosses(a: ReturnType<typeof segments>, b: ReturnType<typeof segments>): boolean {
  const hits = (v: [number, number, number], h: [number, number, number]): boolean => v[0] > h[1] && v[0] < h[2] && h[0] > v[1] && h[0] < v[2];
  return a.v.some((v) => hits(v, b.h)) || b.v.some((v) => hits(v, a.h));
}

describe('buildTopology on the IPsec-VPN tutorial', () => {
  it('draws each tunnel endpoint in its vSwitch with its private and public address, after the ECS there', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const t = await mapOf(lab);
    const gw = lab.id('vpn-gw');
    for (const [i, vsw, ip, pub, ecs] of [[1, 'vsw-h', '192.168.1.1', '47.96.10.1', 'RDS'], [2, 'vsw-i', '192.168.2.1', '47.96.10.2', 'ECS-APP']] as const) {
      const n = node(t, `${gw}-t${i}`);
      expect(n).toMatchObject({ kind: 'vpn-endpoint', name: `vpn-gw-t${i}`, parentId: lab.id(vsw), lines: [ip, `public ${pub}`], dim: false });
      expect(n.ariaLabel).toMatch(new RegExp(`^VPN gateway vpn-gw, tunnel ${i} endpoint in cn-hangzhou-[hi], ${ip.replace(/\./g, '\\.')}, public IP`));
      expect(n.x).toBeGreaterThan(node(t, lab.id(ecs)).x);
      // The trace names the endpoint by its host name.
      expect(t.devices.get(`${gw}-t${i}`)).toBe(n.id);
    }
  });

  it('stands each IDC site right of the VPC, its router at the top and its LAN hosts below it', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const t = await mapOf(lab);
    const vpc = node(t, lab.id('vpc-cloud'));
    const sites = t.nodes.filter((n) => n.kind === 'idc');
    expect(sites.map((s) => [s.name, s.lines[0]])).toEqual([['idc-hz', '172.16.0.0/16'], ['idc-bj', '10.10.0.0/16']]);
    expect(sites[0].x).toBeGreaterThanOrEqual(vpc.x + vpc.width);
    expect(sites[1].x).toBeGreaterThanOrEqual(sites[0].x + sites[0].width);
    for (const s of sites) expect(s.y).toBe(vpc.y);
    const router = node(t, 'idc-router:idc-router');
    expect(router).toMatchObject({ kind: 'idc-router', parentId: sites[0].id, lines: ['public 203.0.113.10', 'LAN 172.16.0.1'] });
    const host = node(t, 'idc-host:idc-host');
    expect(host).toMatchObject({ kind: 'idc-host', parentId: sites[0].id, lines: ['172.16.0.10'] });
    expect(host.y).toBeGreaterThan(router.y + router.height);
    expect(t.edges.find((e) => e.source === router.id && e.target === host.id)).toBeDefined();
    expect(t.devices.get('idc-router')).toBe(router.id);
    // The engine's hop on the LAN names the site and its CIDR block.
    expect(t.devices.get('idc-hz LAN 172.16.0.0/16')).toBe(router.id);
    expect(t.devices.get('idc2-host')).toBe('idc-host:idc2-host');
    // Inside the map's extent, and in the outline with their members.
    expect(sites[1].x + sites[1].width).toBeLessThanOrEqual(t.width);
    expect(outline(t).find((o) => o.id === sites[0].id)!.children.map((c) => c.label)).toEqual([
      'IDC router idc-router, public IP 203.0.113.10, LAN 172.16.0.1',
      'IDC host idc-host, 172.16.0.10',
    ]);
  });

  it('draws a packet from an IDC host to its router along the LAN line (the engine names the LAN by site and CIDR)', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const t = await mapOf(lab);
    const r = {
      from: 'idc-host', summary: 'ICMP 172.16.0.10 > 192.168.1.50: echo request', delivered: true, verdict: 'delivered to idc-router',
      hops: [{ device: 'idc-hz LAN 172.16.0.0/16', decision: '192.168.1.50 is off the LAN: to the default gateway' }],
    } as unknown as TraceRecord;
    const p = tracePath(t, r);
    expect(p.nodes).toEqual(['idc-host:idc-host', 'idc-router:idc-router']);
    expect(p.edges).toEqual(['idc-router:idc-router->idc-host:idc-host']);
    expect(p.dropAt).toBeNull();
  });

  it('places the cloud services on 100.64.0.0/10 in the VPC beside its DNS, reached from the vRouter', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const t = await mapOf(lab);
    const dns = node(t, `svc:${lab.id('vpc-cloud')}`);
    const oss = node(t, 'cloudsvc:OSS');
    const sls = node(t, 'cloudsvc:SLS');
    expect(oss).toMatchObject({ kind: 'cloud-service', parentId: lab.id('vpc-cloud'), lines: ['100.118.28.10', 'oss-cn-hangzhou-internal.aliyuncs.com'] });
    expect(oss.y).toBe(dns.y);
    expect(oss.x).toBeGreaterThan(dns.x + dns.width);
    expect(sls.x).toBeGreaterThan(oss.x + oss.width);
    const vpc = node(t, lab.id('vpc-cloud'));
    expect(sls.x + sls.width).toBeLessThanOrEqual(vpc.width);
    expect(oss.y + oss.height).toBeLessThanOrEqual(vpc.height);
    expect(t.edges.filter((e) => e.target === oss.id || e.target === sls.id).map((e) => e.source)).toEqual([`vrouter:${lab.id('vpc-cloud')}`, `vrouter:${lab.id('vpc-cloud')}`]);
    expect(t.devices.get('OSS')).toBe(oss.id);
  });

  it('draws two tunnels from the IDC router, one to each endpoint; before any reading, as the connection reports them (down)', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const t = await mapOf(lab);
    const gw = lab.id('vpn-gw');
    const tun = tunnelsOf(t);
    expect(tun.map((e) => [e.id, e.source, e.target, e.shape])).toEqual([
      ['tunnel-vco-hz-2', 'idc-router:idc-router', `${gw}-t2`, 'lane'],
      ['tunnel-vco-hz-1', 'idc-router:idc-router', `${gw}-t1`, 'lane'],
    ]);
    for (const e of tun) expect(e).toMatchObject({ tunnel: 'down', dashed: true });
    expect(tun[1].ariaLabel).toBe('Tunnel 1 of vco-hz (active tunnel), idc-router to vpn-gw-t1: Phase 1 Negotiation Failed, down');
  });

  it('lights the tunnel that carries the traffic; the standby one is up; a broken one is down with the reason', async () => {
    const lab = vpnTutorial(WITH_HZ);
    const up = await mapOf(lab, [await reading(lab, 'vco-hz', { CarriesTraffic: true }, {})]);
    const byId = (t: Topology, id: string): TopoEdge => t.edges.find((e) => e.id === id)!;
    expect(byId(up, 'tunnel-vco-hz-1')).toMatchObject({ tunnel: 'lit', dashed: false });
    expect(byId(up, 'tunnel-vco-hz-2')).toMatchObject({ tunnel: 'up', dashed: false });
    expect(byId(up, 'tunnel-vco-hz-1').ariaLabel).toMatch(/Phase 2 Negotiation Succeeded, carries the traffic$/);
    expect(byId(up, 'tunnel-vco-hz-2').ariaLabel).toMatch(/standing by$/);
    const classes = (t: Topology, id: string): string => flowEdges(t, null).find((e) => e.id === id)!.class as string;
    expect(classes(up, 'tunnel-vco-hz-1').split(' ')).toEqual(expect.arrayContaining(['tunnel', 'tunnel-lit']));

    const broken = await mapOf(lab, [
      await reading(lab, 'vco-hz', { TunnelStatus: 0, Status: 'ike_sa_not_established', Reason: 'peer closed the IKE SA' }, { CarriesTraffic: true }),
    ]);
    expect(byId(broken, 'tunnel-vco-hz-1')).toMatchObject({ tunnel: 'down', dashed: true });
    expect(byId(broken, 'tunnel-vco-hz-1').ariaLabel).toMatch(/Phase 1 Negotiation Failed, down \(peer closed the IKE SA\)$/);
    expect(byId(broken, 'tunnel-vco-hz-2').tunnel).toBe('lit');
    expect(classes(broken, 'tunnel-vco-hz-1').split(' ')).toEqual(expect.arrayContaining(['tunnel-down', 'dashed']));
    // The layout is the same whatever the reading: only the lines' state changes.
    const shape = (t: Topology): string => t.nodes.map((n) => `${n.id}:${n.x},${n.y},${n.width}x${n.height}`).join(';');
    expect(shape(broken)).toBe(shape(up));
  });

  it('runs the tunnels of both IDC sites in lanes of their own above the VPC row, crossing only where their ends interleave', async () => {
    const lab = vpnTutorial(WITH_BJ);
    const t = await mapOf(lab);
    const tun = tunnelsOf(t);
    expect(tun.map((e) => e.id).sort()).toEqual(['tunnel-vco-bj-1', 'tunnel-vco-bj-2', 'tunnel-vco-hz-1', 'tunnel-vco-hz-2']);
    const vpc = node(t, lab.id('vpc-cloud'));
    const internet = node(t, 'internet');
    const lanes = tun.map((e) => e.lane!);
    expect(new Set(lanes).size).toBe(4);
    for (const y of lanes) {
      expect(y).toBeLessThan(vpc.y);
      expect(y).toBeGreaterThan(internet.y + internet.height);
    }
    const segs = tun.map((e) => segments(t, e));
    // One IDC's tunnels never cross; of two IDCs', only lines whose ends interleave do (as any
    // two such lines drawn above the row must), and the nested ones do not.
    const span = (e: TopoEdge): [number, number] => [segments(t, e).h[1], segments(t, e).h[2]];
    const interleave = (a: [number, number], b: [number, number]): boolean => (a[0] < b[0] && b[0] < a[1] && a[1] < b[1]) || (b[0] < a[0] && a[0] < b[1] && b[1] < a[1]);
    for (let i = 0; i < segs.length; i++) {
      for (let j = i + 1; j < segs.length; j++) {
        const must = tun[i].source !== tun[j].source && interleave(span(tun[i]), span(tun[j]));
        expect(crosses(segs[i], segs[j]), `${tun[i].id} × ${tun[j].id}`).toBe(must);
        if (tun[i].source === tun[j].source) expect(must).toBe(false);
      }
    }
    // Two lines into one endpoint come down apart.
    const into = (ep: string): number[] => tun.filter((e) => e.target === ep).map((e) => segments(t, e).v[1][0]);
    for (const i of [1, 2]) {
      const xs = into(`${lab.id('vpn-gw')}-t${i}`);
      expect(xs.length).toBe(2);
      expect(xs[0]).not.toBe(xs[1]);
    }
  });
});
