// The Topology of the GWLB tutorial (src/renderer/src/lib/topology.ts, topology-path.ts) over
// the real control plane's answers for its cloud, and the paths of real trace records
// captured from a lab of that tutorial (fixtures/gwlb-traces.json): a curl from the Internet
// and its reply, a ping out and its reply, and a packet too big for the GWLB. No root, no lab.
import { describe, expect, it } from 'vitest';
import { flowEdges, lanePath } from '../../../src/renderer/src/components/topology/flow';
import { loadConsoleData } from '../../../src/renderer/src/lib/console-data';
import { buildTopology, outline, type Topology, type TopoNode } from '../../../src/renderer/src/lib/topology';
import { tracePath } from '../../../src/renderer/src/lib/topology-path';
import { capturedTrace, gwlbTutorial, type GwlbTutorial } from './gwlb-tutorial';

async function mapOf(lab: GwlbTutorial): Promise<Topology> {
  return buildTopology(await loadConsoleData(lab.invoke), lab.hosts);
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

describe('buildTopology on the GWLB tutorial', () => {
  it('draws the GWLB in its first zone\'s vSwitch, each endpoint in its own, the appliances as its backends', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const gwlb = node(t, lab.id('gwlb-fw'));
    expect(gwlb).toMatchObject({ kind: 'gwlb', name: 'gwlb-fw', parentId: lab.id('vsw-sec-b'), lines: ['10.0.1.41, 10.0.3.41', 'Active'] });
    expect(gwlb.ariaLabel).toBe('Gateway Load Balancer gwlb-fw, 10.0.1.41 in cn-wulanchabu-b, 10.0.3.41 in cn-wulanchabu-c, Active');
    for (const [ep, vsw] of [['GWLBe_01', 'vsw-gwlbe-b'], ['GWLBe_02', 'vsw-gwlbe-c']]) {
      const n = node(t, lab.id(ep));
      expect(n).toMatchObject({ kind: 'gwlbe', name: ep, parentId: lab.id(vsw), dim: false });
      expect(n.lines).toEqual([expect.stringMatching(/^192\.168\.\d+\.\d+$/), 'Connected']);
    }
    expect(node(t, lab.id('ECS_01')).lines).toEqual(['10.0.1.11', 'GWLB backend']);
    expect(node(t, lab.id('ECS_02')).lines).toEqual(['10.0.3.12', 'GWLB backend']);
    // The trace names them by ID, the tutorial by name: both find the node.
    for (const name of ['gwlb-fw', 'GWLBe_01', 'GWLBe_02']) {
      expect(t.devices.get(lab.id(name))).toBe(lab.id(name));
      expect(t.devices.get(name)).toBe(lab.id(name));
    }
    const sec = outline(t).find((v) => v.id === lab.id('vpc-sec'))!;
    // After the ECS of its vSwitch, so the endpoints' line enters it right of the vSwitch's name.
    expect(sec.children.find((c) => c.id === lab.id('vsw-sec-b'))!.children.map((c) => c.label)).toEqual([
      'ECS ECS_01, 10.0.1.11, no EIP, GWLB backend',
      'Gateway Load Balancer gwlb-fw, 10.0.1.41 in cn-wulanchabu-b, 10.0.3.41 in cn-wulanchabu-c, Active',
    ]);
    expect(gwlb.x).toBeGreaterThan(node(t, lab.id('ECS_01')).x + node(t, lab.id('ECS_01')).width);
  });

  it('joins each endpoint to the GWLB, and the GWLB to each backend, by lanes clear of the boxes', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const lanes = t.edges.filter((e) => e.shape === 'lane');
    const gwlb = lab.id('gwlb-fw');
    expect(lanes.map((e) => [e.source, e.target])).toEqual([
      [lab.id('GWLBe_01'), gwlb], [lab.id('GWLBe_02'), gwlb], [gwlb, lab.id('ECS_01')], [gwlb, lab.id('ECS_02')],
    ]);
    expect(lanes.map((e) => e.ariaLabel)).toEqual([
      'GWLB endpoint GWLBe_01 to gwlb-fw (PrivateLink)', 'GWLB endpoint GWLBe_02 to gwlb-fw (PrivateLink)',
      'gwlb-fw to its backend ECS_01 (Geneve)', 'gwlb-fw to its backend ECS_02 (Geneve)',
    ]);
    // The business VPC is too wide to share a row: the security VPC stands below it, and the
    // endpoint lanes run in the gap between them, one apart from the other.
    const biz = node(t, lab.id('vpc-biz'));
    const sec = node(t, lab.id('vpc-sec'));
    expect(sec.y).toBeGreaterThan(biz.y + biz.height);
    const [l1, l2] = [lanes[0].lane!, lanes[1].lane!];
    for (const y of [l1, l2]) {
      expect(y).toBeGreaterThan(biz.y + biz.height);
      expect(y).toBeLessThan(sec.y);
    }
    expect(l1).not.toBe(l2);
    expect(lanes[0]).toMatchObject({ sourceHandle: 'bottom', targetHandle: 'top' });
    // The Geneve lanes run below the members of the security VPC's vSwitches, inside them.
    const vswB = node(t, lab.id('vsw-sec-b'));
    const ecs01 = node(t, lab.id('ECS_01'));
    for (const e of lanes.slice(2)) {
      expect(e.lane!).toBeGreaterThan(abs(t, ecs01).y + ecs01.height);
      expect(e.lane!).toBeLessThan(abs(t, vswB).y + vswB.height);
    }
    // Every handle a line names exists on its node.
    for (const e of t.edges) {
      expect(node(t, e.source).handles.map((h) => h.id), e.id).toContain(e.sourceHandle);
      expect(node(t, e.target).handles.map((h) => h.id), e.id).toContain(e.targetHandle);
    }
    // Rows: everything inside the map, children inside their parents.
    for (const n of t.nodes) {
      const a = abs(t, n);
      expect(a.x + n.width, n.name).toBeLessThanOrEqual(t.width);
      expect(a.y + n.height, n.name).toBeLessThanOrEqual(t.height);
      if (n.parentId) {
        const p = node(t, n.parentId);
        expect(n.x + n.width, `${n.name} in ${p.name}`).toBeLessThanOrEqual(p.width);
        expect(n.y + n.height, `${n.name} in ${p.name}`).toBeLessThanOrEqual(p.height);
      }
    }
  });

  it('draws a stopped backend dim, with a dashed Geneve line', async () => {
    const lab = gwlbTutorial(7);
    await lab.invoke('StopInstances', { InstanceId: ['ECS_01'] });
    const t = await mapOf(lab);
    expect(node(t, lab.id('ECS_01'))).toMatchObject({ dim: true, lines: ['10.0.1.11', 'Stopped'] });
    expect(node(t, lab.id('ECS_01')).ariaLabel).toMatch(/, Stopped$/);
    expect(t.edges.find((e) => e.target === lab.id('ECS_01'))?.dashed).toBe(true);
    expect(t.edges.find((e) => e.target === lab.id('ECS_02'))?.dashed).toBe(false);
  });

  it('before the GWLB steps there is nothing of it on the map', async () => {
    const t = await mapOf(gwlbTutorial(2));
    expect(t.nodes.filter((n) => n.kind === 'gwlb' || n.kind === 'gwlbe')).toEqual([]);
    expect(t.edges.filter((e) => e.shape === 'lane')).toEqual([]);
  });

  it('a lane path runs out of its source to the lane, along it, and into its target', () => {
    expect(lanePath(10, 20, 110, 40, 60)).toBe('M 10,20 L 10,60 L 110,60 L 110,40');
    const lab = gwlbTutorial(7);
    return mapOf(lab).then((t) => {
      const e = flowEdges(t, null).find((x) => x.source === lab.id('gwlb-fw'))!;
      expect(e.type).toBe('lane');
      expect(e.data).toEqual({ lane: expect.any(Number) });
      // Drawn over the vSwitch frames they cross; the selected path over them.
      expect(e.zIndex).toBe(1);
    });
  });
});

describe('tracePath on real GWLB trace records', () => {
  it('inbound: client → IGW → gateway route table → GWLBe → GWLB → NVA → GWLB → GWLBe → its route table → ECS_B_01', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const r = capturedTrace(lab, 'inboundSyn');
    expect(r.hops.map((h) => h.device.split(' ')[0])).toEqual([
      lab.id('igw-biz'), lab.id('rt-igw'), lab.id('GWLBe_01'), lab.id('gwlb-fw'), 'ECS_01', lab.id('gwlb-fw'), lab.id('rt-gwlbe-b'),
    ]);
    const p = tracePath(t, r);
    const igw = lab.id('igw-biz');
    const vr = `vrouter:${lab.id('vpc-biz')}`;
    expect(p.steps.map((s) => s.nodeId)).toEqual([igw, igw, lab.id('GWLBe_01'), lab.id('gwlb-fw'), lab.id('ECS_01'), lab.id('gwlb-fw'), lab.id('vsw-gwlbe-b')]);
    expect(p.nodes).toEqual([
      'host:client', 'internet', igw, vr, lab.id('vsw-gwlbe-b'), lab.id('GWLBe_01'), lab.id('gwlb-fw'), lab.id('ECS_01'), lab.id('vsw-app-b'), lab.id('ECS_B_01'),
    ]);
    expect(p.edges).toEqual([
      'host:client->internet', `internet->${igw}`, `${igw}->${vr}`, `${vr}->${lab.id('vsw-gwlbe-b')}`,
      `${lab.id('GWLBe_01')}->${lab.id('gwlb-fw')}`, `${lab.id('gwlb-fw')}->${lab.id('ECS_01')}`, `${vr}->${lab.id('vsw-app-b')}`,
    ]);
    expect(p.dropAt).toBeNull();
    // The other appliance and endpoint are not on this flow's way.
    expect(p.nodes).not.toContain(lab.id('ECS_02'));
    expect(p.nodes).not.toContain(lab.id('GWLBe_02'));
  });

  it('outbound reply: ECS_B_01 → its route table → GWLBe → GWLB → NVA → GWLB → GWLBe → IGW → client', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const p = tracePath(t, capturedTrace(lab, 'outboundSynAck'));
    const igw = lab.id('igw-biz');
    const vr = `vrouter:${lab.id('vpc-biz')}`;
    expect(p.nodes).toEqual([
      lab.id('ECS_B_01'), lab.id('vsw-app-b'), vr, lab.id('vsw-gwlbe-b'), lab.id('GWLBe_01'), lab.id('gwlb-fw'), lab.id('ECS_01'), igw, 'internet', 'host:client',
    ]);
    expect(p.edges).toContain(`${igw}->${vr}`);
    expect(p.edges).toContain(`internet->${igw}`);
  });

  it('a ping out to aliyun-web and its reply cross the same appliance', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const out = tracePath(t, capturedTrace(lab, 'outboundEcho'));
    const back = tracePath(t, capturedTrace(lab, 'inboundEchoReply'));
    expect(out.nodes[0]).toBe(lab.id('ECS_B_01'));
    expect(out.nodes[out.nodes.length - 1]).toBe('host:aliyun-web');
    expect(back.nodes[0]).toBe('host:aliyun-web');
    expect(back.nodes[back.nodes.length - 1]).toBe(lab.id('ECS_B_01'));
    for (const p of [out, back]) expect(p.nodes).toContain(lab.id('ECS_01'));
  });

  it('a packet over 1500 bytes is dropped at the endpoint, which is marked', async () => {
    const lab = gwlbTutorial(7);
    const t = await mapOf(lab);
    const r = capturedTrace(lab, 'tooBig');
    expect(r.delivered).toBe(false);
    const p = tracePath(t, r);
    expect(p.dropAt).toBe(lab.id('GWLBe_01'));
    expect(p.nodes).toEqual([lab.id('ECS_B_02'), lab.id('vsw-app-b'), `vrouter:${lab.id('vpc-biz')}`, lab.id('vsw-gwlbe-b'), lab.id('GWLBe_01')]);
    expect(p.nodes).not.toContain(lab.id('gwlb-fw'));
  });
});
