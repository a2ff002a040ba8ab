// The Topology view's graph (src/renderer/src/lib/topology.ts) over the real control plane's
// Describe* answers, and packet paths from real engine trace records: seed 004's VPC (ECS-A
// with an EIP in vsw-a/rt-a, ECS-B with an EIP and ECS-C without in vsw-b) and three
// Internet hosts. No root, no lab.
import { describe, expect, it } from 'vitest';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { flowEdges, flowNodes } from '../../../src/renderer/src/components/topology/flow';
import { EMPTY_CONSOLE, loadConsoleData, type ConsoleData } from '../../../src/renderer/src/lib/console-data';
import { buildTopology, outline, type Topology, type TopoNode } from '../../../src/renderer/src/lib/topology';
import { filterSide, resolveDevice, tracePath, type PathStep } from '../../../src/renderer/src/lib/topology-path';
import { buildLab, engineFor, type BuiltLab } from '../../support/lab-model';
import { icmpEcho } from '../../support/packets';

type Res = Record<string, unknown>;

async function mapOf(lab: BuiltLab): Promise<{ data: ConsoleData; topo: Topology }> {
  const data = await loadConsoleData(async (a, p) => lab.cp.invoke(a, p as never));
  const hosts = labHosts(lab.cp.model).map((h) => ({ name: h.name, kind: h.kind, ip: h.ip }));
  return { data, topo: buildTopology(data, hosts) };
}

function call(lab: BuiltLab, action: string, params: Record<string, string>): Res {
  return lab.cp.invoke(action, params);
}

/** The IPv4 gateway, active, with 0.0.0.0/0 → it on rt-a (seed 004 step 4). */
function activateGateway(lab: BuiltLab): string {
  const igw = call(lab, 'CreateIpv4Gateway', { VpcId: lab.ids.vpc, Ipv4GatewayName: 'igw-tokyo' }).Ipv4GatewayId as string;
  call(lab, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: igw });
  call(lab, 'CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Ipv4Gateway', NextHopId: igw });
  return igw;
}

/** The engine's trace of one packet sent by `from`. */
function trace(lab: BuiltLab, from: string, pkt: Buffer): TraceRecord {
  const { engine } = engineFor(lab);
  const recs: TraceRecord[] = [];
  engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
  engine.tracer.filter = {};
  engine.process(lab.ports.get(from)!, pkt, 0, pkt.length);
  expect(recs).toHaveLength(1);
  return recs[0];
}

const node = (t: Topology, id: string): TopoNode => {
  const n = t.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const absX = (t: Topology, n: TopoNode): number => n.x + (n.parentId ? absX(t, node(t, n.parentId)) : 0);
const absY = (t: Topology, n: TopoNode): number => n.y + (n.parentId ? absY(t, node(t, n.parentId)) : 0);

describe('buildTopology', () => {
  it('draws the Internet, its hosts, the VPC with its vRouter, DNS, vSwitches and ECS, nested', async () => {
    const lab = buildLab();
    const { topo } = await mapOf(lab);
    const byKind = (k: string): string[] => topo.nodes.filter((n) => n.kind === k).map((n) => n.name);
    expect(byKind('internet')).toEqual(['Internet']);
    expect(byKind('host')).toEqual(['google-dns', 'google-dns2', 'client']);
    expect(byKind('vpc')).toEqual(['vpc-lab']);
    expect(byKind('vswitch')).toHaveLength(2);
    expect(byKind('ecs')).toEqual(['ECS-A', 'ECS-B', 'ECS-C']);
    expect(byKind('vrouter')).toEqual(['vRouter-vpc-lab']);
    expect(byKind('service')).toEqual(['vpcdns-1']);
    expect(byKind('igw')).toEqual([]);

    const ecsA = node(topo, lab.ids.ecsA);
    expect(ecsA.parentId).toBe(lab.ids.vswA);
    expect(node(topo, lab.ids.vswA).parentId).toBe(lab.ids.vpc);
    expect(ecsA.lines).toEqual(['192.168.0.1', 'EIP 47.91.0.10']);
    expect(node(topo, lab.ids.ecsC).lines).toEqual(['192.168.1.2', 'no EIP']);
    expect(node(topo, lab.ids.vswB).lines[0]).toBe('192.168.1.0/24');
    expect(node(topo, lab.ids.vpc).lines[0]).toBe('192.168.0.0/16');
    // Svelte Flow wants a parent before its children.
    topo.nodes.forEach((n, i) => {
      if (n.parentId) expect(topo.nodes.findIndex((p) => p.id === n.parentId)).toBeLessThan(i);
    });
  });

  it('lays out the same way every time, children inside their parents, siblings apart, in a laptop-sized box', async () => {
    const lab = buildLab();
    const a = (await mapOf(lab)).topo;
    const b = (await mapOf(lab)).topo;
    expect(b.nodes).toEqual(a.nodes);
    expect(b.edges).toEqual(a.edges);
    for (const n of a.nodes) {
      if (n.parentId) {
        const p = node(a, n.parentId);
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.y).toBeGreaterThan(0);
        expect(n.x + n.width, `${n.name} inside ${p.name}`).toBeLessThanOrEqual(p.width);
        expect(n.y + n.height, `${n.name} inside ${p.name}`).toBeLessThanOrEqual(p.height);
      }
    }
    const overlap = (p: TopoNode, q: TopoNode): boolean =>
      p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
    for (const p of a.nodes) {
      for (const q of a.nodes) {
        if (p !== q && p.parentId === q.parentId) expect(overlap(p, q), `${p.name} overlaps ${q.name}`).toBe(false);
      }
    }
    // Drawn at 1:1 it fits the Topology view at 1280×800 (about 1040×560 of graph).
    expect(a.width).toBeLessThanOrEqual(1040);
    expect(a.height).toBeLessThanOrEqual(560);
    for (const n of a.nodes.filter((x) => !x.parentId)) {
      expect(n.x + n.width).toBeLessThanOrEqual(a.width);
      expect(n.y + n.height).toBeLessThanOrEqual(a.height);
    }
  });

  it('A9: EIPs reach the Internet from their ECS until an IPv4 gateway is active; then only the gateway does (B5)', async () => {
    const lab = buildLab();
    const before = (await mapOf(lab)).topo;
    const uplinks = (t: Topology): string[] => t.edges.filter((e) => e.source === 'internet').map((e) => e.target);
    expect(uplinks(before)).toEqual([lab.ids.ecsA, lab.ids.ecsB]);

    const igw = call(lab, 'CreateIpv4Gateway', { VpcId: lab.ids.vpc, Ipv4GatewayName: 'igw-tokyo' }).Ipv4GatewayId as string;
    const inactive = (await mapOf(lab)).topo;
    expect(uplinks(inactive)).toEqual([lab.ids.ecsA, lab.ids.ecsB, igw]);
    expect(node(inactive, igw)).toMatchObject({ kind: 'igw', name: 'igw-tokyo', dim: true, lines: ['Inactive'], parentId: lab.ids.vpc });
    expect(inactive.edges.find((e) => e.target === igw)?.dashed).toBe(true);

    call(lab, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: igw });
    const active = (await mapOf(lab)).topo;
    expect(uplinks(active)).toEqual([igw]);
    expect(node(active, igw)).toMatchObject({ dim: false, lines: ['Active'] });
    expect(active.edges.find((e) => e.target === igw)?.dashed).toBe(false);
    expect(active.edges.map((e) => e.id)).toContain(`${igw}->vrouter:${lab.ids.vpc}`);
  });

  it('joins the Internet straight above what it connects, and the gateway from the gutter beside it', async () => {
    const lab = buildLab();
    const igw = call(lab, 'CreateIpv4Gateway', { VpcId: lab.ids.vpc }).Ipv4GatewayId as string;
    const { topo } = await mapOf(lab);
    const inet = node(topo, 'internet');
    const attach = (n: TopoNode, handleId: string): number => {
      const h = n.handles.find((x) => x.id === handleId)!;
      expect(h, `${n.name} has handle ${handleId}`).toBeDefined();
      return absX(topo, n) + (h.offset ?? n.width / 2);
    };
    const lines = topo.edges.filter((e) => e.source === 'internet' || e.target === 'internet');
    expect(lines).toHaveLength(3 + 2 + 1);
    const [down, side] = [lines.filter((e) => e.target !== igw), lines.filter((e) => e.target === igw)];
    // The gateway's line comes down between the left column and the first vSwitch.
    const gw = node(topo, igw);
    const x = attach(inet, side[0].sourceHandle);
    expect(side[0]).toMatchObject({ targetHandle: 'right', shape: 'step' });
    expect(x).toBeGreaterThan(absX(topo, gw) + gw.width);
    expect(x).toBeLessThan(absX(topo, node(topo, lab.ids.vswA)));
    for (const e of down) {
      const [here, there] = e.source === 'internet' ? [e.sourceHandle, node(topo, e.target)] : [e.targetHandle, node(topo, e.source)];
      const thereHandle = e.source === 'internet' ? e.targetHandle : e.sourceHandle;
      expect(attach(inet, here), e.id).toBe(attach(there, thereHandle));
      // Hosts above the Internet, the VPC below it.
      expect(absY(topo, there) < inet.y).toBe(there.kind === 'host');
    }
  });

  it('puts ECS holding an EIP in a vSwitch\'s first row, so no line to the Internet crosses another ECS', async () => {
    const lab = buildLab();
    const run = (name: string, ip: string): string =>
      (call(lab, 'RunInstances', { InstanceName: name, VSwitchId: lab.ids.vswB, PrivateIpAddress: ip }).InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0];
    run('ECS-D', '192.168.1.3');
    run('ECS-E', '192.168.1.4');
    const f = run('ECS-F', '192.168.1.5');
    const eip = call(lab, 'AllocateEipAddress', { IpAddress: '47.91.0.12' }).AllocationId as string;
    call(lab, 'AssociateEipAddress', { AllocationId: eip, InstanceId: f });
    const { topo } = await mapOf(lab);
    const members = topo.nodes.filter((n) => n.parentId === lab.ids.vswB);
    expect(members.map((n) => n.name)).toEqual(['ECS-B', 'ECS-F', 'ECS-C', 'ECS-D', 'ECS-E']);
    const firstRow = Math.min(...members.map((n) => n.y));
    for (const up of topo.edges.filter((e) => e.source === 'internet')) {
      const n = node(topo, up.target);
      expect(n.y, n.name).toBe(firstRow);
      // Nothing of the same vSwitch stands above the point where the line leaves it.
      const x = n.x + n.handles[0].offset!;
      expect(members.filter((m) => m.y < n.y && m.x <= x && x <= m.x + m.width)).toEqual([]);
    }
  });

  it('puts a NAT gateway in its vSwitch, with its EIPs, and draws EIPs on what they are bound to', async () => {
    const lab = buildLab();
    const ngw = call(lab, 'CreateNatGateway', { VpcId: lab.ids.vpc, VSwitchId: lab.ids.vswB, Name: 'ngw-lab' }).NatGatewayId as string;
    const eip = call(lab, 'AllocateEipAddress', { IpAddress: '39.96.0.1' }).AllocationId as string;
    call(lab, 'AssociateEipAddress', { AllocationId: eip, InstanceId: ngw, InstanceType: 'Nat' });
    call(lab, 'AllocateEipAddress', { IpAddress: '39.96.0.9' });
    const one = (await mapOf(lab)).topo;
    expect(node(one, ngw).lines[1]).toBe('EIP 39.96.0.1');
    const eip2 = call(lab, 'AllocateEipAddress', { IpAddress: '39.96.0.2' }).AllocationId as string;
    call(lab, 'AssociateEipAddress', { AllocationId: eip2, InstanceId: ngw, InstanceType: 'Nat' });
    const { topo } = await mapOf(lab);
    expect(node(topo, ngw)).toMatchObject({ kind: 'nat', name: 'ngw-lab', parentId: lab.ids.vswB });
    expect(node(topo, ngw).lines[1]).toBe('EIP 39.96.0.1 +1');
    expect(node(topo, ngw).ariaLabel).toMatch(/EIP 39\.96\.0\.1, 39\.96\.0\.2$/);
    expect(topo.edges.map((e) => e.id)).toContain(`internet->${ngw}`);
    expect(topo.devices.get(eip)).toBe(ngw);
    expect(topo.devices.get(lab.ids.eipA)).toBe(lab.ids.ecsA);
    expect(topo.unboundEips).toEqual([expect.stringMatching(/^39\.96\.0\.9 \(eip-/)]);
  });

  it('puts VPCs side by side under one Internet, each with its own vRouter and DNS', async () => {
    const lab = buildLab();
    const vpc2 = call(lab, 'CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'vpc-two' }).VpcId as string;
    const vsw = call(lab, 'CreateVSwitch', { VpcId: vpc2, ZoneId: 'ap-northeast-1a', CidrBlock: '10.0.1.0/24' }).VSwitchId as string;
    call(lab, 'RunInstances', { InstanceName: 'ECS-X', VSwitchId: vsw, PrivateIpAddress: '10.0.1.5' });
    const { topo } = await mapOf(lab);
    const [a, b] = topo.nodes.filter((n) => n.kind === 'vpc');
    expect([a.name, b.name]).toEqual(['vpc-lab', 'vpc-two']);
    expect(a.x + a.width).toBeLessThan(b.x);
    expect(a.y).toBe(b.y);
    const inet = node(topo, 'internet');
    expect(inet.x).toBeLessThanOrEqual(a.x);
    expect(inet.x + inet.width).toBeGreaterThanOrEqual(b.x + b.width);
    expect(topo.nodes.filter((n) => n.kind === 'vrouter').map((n) => n.parentId)).toEqual([lab.ids.vpc, vpc2]);
    expect(topo.nodes.filter((n) => n.kind === 'service').map((n) => [n.name, n.parentId])).toEqual([['vpcdns-1', lab.ids.vpc], ['vpcdns-2', vpc2]]);
    expect(topo.edges.map((e) => e.id)).toContain(`vrouter:${vpc2}->${vsw}`);
  });

  it('draws an empty lab as the Internet alone', () => {
    const t = buildTopology(EMPTY_CONSOLE, []);
    expect(t.nodes.map((n) => n.id)).toEqual(['internet']);
    expect(t.edges).toEqual([]);
    expect(t.width).toBeGreaterThan(0);
    expect(outline(t)).toEqual([{ id: 'internet', label: 'Internet', children: [] }]);
  });

  it('outlines the map as VPC → vSwitch → ECS for readers of text', async () => {
    const lab = buildLab();
    const { topo } = await mapOf(lab);
    const vpc = outline(topo).find((x) => x.id === lab.ids.vpc)!;
    expect(vpc.label).toMatch(/^VPC vpc-lab, 192\.168\.0\.0\/16/);
    const vswB = vpc.children.find((c) => c.id === lab.ids.vswB)!;
    expect(vswB.children.map((c) => c.label)).toEqual(['ECS ECS-B, 192.168.1.1, EIP 47.91.0.11', 'ECS ECS-C, 192.168.1.2, no EIP']);
  });
});

/** The steps that route or translate: without the security group's and ACL's accepts at the ENIs. */
const routing = (steps: PathStep[]): PathStep[] => steps.filter((s) => filterSide(s.device, s.decision) === null);

describe('tracePath', () => {
  it('A9: ECS-A → 8.8.8.8 with an EIP and no gateway: the EIP line, the Internet, the host', async () => {
    const lab = buildLab();
    const { topo } = await mapOf(lab);
    const r = trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.8.8'));
    expect(r.delivered).toBe(true);
    const p = tracePath(topo, r);
    expect(p.nodes).toEqual([lab.ids.ecsA, 'internet', 'host:google-dns']);
    expect(p.edges).toEqual([`internet->${lab.ids.ecsA}`, 'host:google-dns->internet']);
    expect(p.dropAt).toBeNull();
    // The EIP hop is drawn on the ECS it belongs to.
    expect(routing(p.steps).map((s) => s.nodeId)).toEqual([lab.ids.ecsA, 'internet']);
  });

  it('B5.2: through an active IPv4 gateway: vSwitch (route table), vRouter, gateway, Internet, host', async () => {
    const lab = buildLab();
    const igw = activateGateway(lab);
    const { topo } = await mapOf(lab);
    const r = trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.4.4'));
    expect(r.verdict).toBe('delivered to google-dns2');
    const p = tracePath(topo, r);
    const vr = `vrouter:${lab.ids.vpc}`;
    expect(p.nodes).toEqual([lab.ids.ecsA, lab.ids.vswA, vr, igw, 'internet', 'host:google-dns2']);
    expect(p.edges).toEqual([`${vr}->${lab.ids.vswA}`, `${igw}->${vr}`, `internet->${igw}`, 'host:google-dns2->internet']);
    expect(routing(p.steps)[0]).toMatchObject({ device: expect.stringMatching(/^vtb-\w+ \(rt-a\)$/), nodeId: lab.ids.vswA });
  });

  it('does not draw an older packet along a way it never took: a gateway it did not cross stays dark', async () => {
    const lab = buildLab();
    const before = trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.8.8'));
    const igw = activateGateway(lab);
    const { topo } = await mapOf(lab);
    const p = tracePath(topo, before);
    expect(p.nodes).toEqual([lab.ids.ecsA, 'internet', 'host:google-dns']);
    expect(p.nodes).not.toContain(igw);
    expect(p.edges).toEqual(['host:google-dns->internet']);
  });

  it('A9/A11: ECS-A to ECS-B\'s EIP goes out and back in over the Internet, which records no hop of its own', async () => {
    const lab = buildLab();
    const { topo } = await mapOf(lab);
    const r = trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '47.91.0.11'));
    expect(r.hops.filter((h) => filterSide(h.device, h.decision) === null).map((h) => h.device)).toEqual([lab.ids.eipA, lab.ids.eipB]);
    const p = tracePath(topo, r);
    expect(p.nodes).toEqual([lab.ids.ecsA, 'internet', lab.ids.ecsB]);
    expect(p.edges).toEqual([`internet->${lab.ids.ecsA}`, `internet->${lab.ids.ecsB}`]);
  });

  it('A8: a route to ECS-B crosses the vRouter into the other vSwitch', async () => {
    const lab = buildLab();
    call(lab, 'CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '10.0.0.0/8', NextHopType: 'Instance', NextHopId: lab.ids.ecsB });
    const { topo } = await mapOf(lab);
    const p = tracePath(topo, trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '10.1.2.3')));
    expect(p.nodes).toEqual([lab.ids.ecsA, lab.ids.vswA, `vrouter:${lab.ids.vpc}`, lab.ids.vswB, lab.ids.ecsB]);
  });

  it('draws a security group\'s or ACL\'s accept at an ENI on the instance sending (outbound) or receiving (inbound)', async () => {
    const lab = buildLab();
    call(lab, 'CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '10.0.0.0/8', NextHopType: 'Instance', NextHopId: lab.ids.ecsB });
    const { topo } = await mapOf(lab);
    const r = trace(lab, 'ECS-A', icmpEcho('192.168.0.1', '10.1.2.3'));
    const routed = r.hops.filter((h) => filterSide(h.device, h.decision) === null);
    // The hops the engine records at the ENIs (src/main/engine/filter/device.ts), around the routing ones.
    const out = { device: 'sg-web (web)', decision: 'outbound: no rule matches; accepted: a basic security group allows all outbound traffic' };
    const acl = { device: 'nacl-1 (acl-b)', decision: 'inbound entry nae-1 accepts (accept all from 0.0.0.0/0, system entry)' };
    const inn = { device: 'sg-web (web), sg-db (db)', decision: 'inbound rule sgr-1 accepts (priority 1, accept icmp from 0.0.0.0/0)' };
    const p = tracePath(topo, { ...r, hops: [out, ...routed, acl, inn] });
    expect(p.steps.map((s) => s.nodeId)).toEqual([lab.ids.ecsA, ...tracePath(topo, { ...r, hops: routed }).steps.map((s) => s.nodeId), lab.ids.ecsB, lab.ids.ecsB]);
    expect(p.nodes).toEqual([lab.ids.ecsA, lab.ids.vswA, `vrouter:${lab.ids.vpc}`, lab.ids.vswB, lab.ids.ecsB]);
    expect([filterSide(out.device, out.decision), filterSide(acl.device, acl.decision), filterSide('vtb-1 (rt-a)', 'inbound x'), filterSide('no security group', 'outbound: x')])
      .toEqual(['outbound', 'inbound', null, 'outbound']);
  });

  it('B2: a drop at an inactive gateway marks the gateway', async () => {
    const lab = buildLab();
    const igw = call(lab, 'CreateIpv4Gateway', { VpcId: lab.ids.vpc }).Ipv4GatewayId as string;
    call(lab, 'CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: igw });
    const { topo } = await mapOf(lab);
    const r = trace(lab, 'ECS-C', icmpEcho('192.168.1.2', '8.8.4.4'));
    expect(r.delivered).toBe(false);
    const p = tracePath(topo, r);
    expect(p.dropAt).toBe(igw);
    expect(p.nodes).toEqual([lab.ids.ecsC, lab.ids.vswB, `vrouter:${lab.ids.vpc}`, igw]);
    expect(p.nodes).not.toContain('internet');
  });

  it('flow shape: path nodes and edges get on-path, the drop node drop-at, every node a test id', async () => {
    const lab = buildLab();
    const igw = call(lab, 'CreateIpv4Gateway', { VpcId: lab.ids.vpc }).Ipv4GatewayId as string;
    call(lab, 'CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: igw });
    const { topo } = await mapOf(lab);
    const p = tracePath(topo, trace(lab, 'ECS-C', icmpEcho('192.168.1.2', '8.8.4.4')));
    const nodes = flowNodes(topo, p);
    const cls = (id: string): string => String(nodes.find((n) => n.id === id)?.class);
    expect(cls(lab.ids.ecsC)).toContain('on-path');
    expect(cls(igw)).toContain('drop-at');
    expect(cls(lab.ids.ecsA)).not.toContain('on-path');
    expect(nodes.find((n) => n.id === lab.ids.ecsC)?.domAttributes).toEqual({ 'data-testid': 'topo-node-ECS-C' });
    expect(nodes.find((n) => n.id === lab.ids.ecsC)?.parentId).toBe(lab.ids.vswB);
    const edges = flowEdges(topo, p);
    expect(edges.filter((e) => String(e.class).includes('on-path')).map((e) => e.id).sort()).toEqual([...p.edges].sort());
    expect(p.edges).toHaveLength(2);
    expect(flowNodes(topo, null).some((n) => String(n.class).includes('on-path'))).toBe(false);
  });

  it('leaves devices the map does not have unhighlighted, and picks the vSwitch the packet is in for a shared table', async () => {
    const lab = buildLab();
    const { topo } = await mapOf(lab);
    const r: TraceRecord = {
      id: 1, time: 0, from: 'ECS-B', summary: 'x', delivered: false, verdict: 'dropped at engine: port 9 is not wired',
      hops: [{ device: 'engine', decision: 'drop: port 9 is not wired' }],
    };
    const p = tracePath(topo, r);
    expect(p.nodes).toEqual([lab.ids.ecsB]);
    expect(p.steps).toEqual([{ device: 'engine', decision: 'drop: port 9 is not wired', nodeId: null }]);
    expect(p.dropAt).toBeNull();

    // One table bound to both vSwitches: the hop is drawn where the packet is.
    const shared: Topology = { ...topo, tables: new Map([['vtb-x', [lab.ids.vswA, lab.ids.vswB]]]) };
    expect(resolveDevice(shared, 'vtb-x (rt)', lab.ids.ecsB)).toBe(lab.ids.vswB);
    expect(resolveDevice(shared, 'vtb-x (rt)', lab.ids.ecsA)).toBe(lab.ids.vswA);
    expect(resolveDevice(shared, 'vtb-y (rt)', lab.ids.ecsA)).toBeNull();
  });
});
