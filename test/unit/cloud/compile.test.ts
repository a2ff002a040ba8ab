// compile(model) → ForwardingState: each route table's LPM must answer exactly as
// DescribeRouteEntryList says (SEMANTICS A4, A5, A7), ports/EIPs/hosts wired from the model.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/main/cloud/compile';
import { cidrOf, containsIp } from '../../../src/main/cloud/cidr';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import type { ControlPlane } from '../../../src/main/cloud/control-plane';
import { Counters } from '../../../src/main/engine/counters';
import { HopKind, PortKind, type ForwardingState } from '../../../src/main/engine/forwarding';
import { parseIp } from '../../../src/main/engine/wire/ipv4';
import { buildLab, type BuiltLab } from '../../support/lab-model';
import { entries } from './helpers';

/** The reference answer: plain LPM over the Describe output, mapped to the hop the engine should use. */
function expectedHop(cp: ControlPlane, rt: string, addr: string, ports: Map<string, number>): { kind: number; port: number } | undefined {
  const ip = parseIp(addr);
  const matches = entries(cp, rt).filter((e) => containsIp(cidrOf(e.DestinationCidrBlock), ip));
  if (matches.length === 0) return undefined;
  const best = matches.reduce((a, b) => (cidrOf(b.DestinationCidrBlock).len > cidrOf(a.DestinationCidrBlock).len ? b : a));
  const lens = matches.map((m) => cidrOf(m.DestinationCidrBlock).len);
  expect(lens.filter((l) => l === cidrOf(best.DestinationCidrBlock).len)).toHaveLength(1); // A7: no ties
  if (best.Type === 'System' && best.DestinationCidrBlock === '100.64.0.0/10') return { kind: HopKind.Service, port: -1 };
  if (best.Type === 'System') return { kind: HopKind.Local, port: -1 };
  expect(best.NextHopType).toBe('Instance');
  const name = cp.model.instances.find((i) => i.InstanceId === best.NextHopId)!.InstanceName;
  const port = ports.get(name);
  return port === undefined ? undefined : { kind: HopKind.Instance, port };
}

function lab(): BuiltLab {
  const l = buildLab();
  const { cp, ids } = l;
  // seed 004 pre-step: RT A 8.8.8.8/32 → ECS-B; plus a default route and a VPC-wide route.
  cp.invoke('CreateRouteEntry', { RouteTableId: ids.rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopId: ids.ecsB });
  cp.invoke('CreateRouteEntry', { RouteTableId: ids.rtA, DestinationCidrBlock: '192.168.0.0/16', NextHopId: ids.ecsC });
  cp.invoke('CreateRouteEntry', { RouteTableId: ids.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopId: ids.ecsC });
  cp.invoke('CreateRouteEntry', { RouteTableId: ids.systemRt, DestinationCidrBlock: '8.8.0.0/16', NextHopId: ids.ecsB });
  return l;
}

const PROBES = [
  '192.168.0.1', '192.168.0.200', '192.168.1.1', '192.168.1.254', '192.168.2.1', '192.168.255.255',
  '8.8.8.8', '8.8.4.4', '8.8.8.9', '8.9.0.1', '47.83.1.59', '100.100.2.136', '100.64.0.0', '100.127.255.255',
  '100.128.0.1', '10.0.0.1', '0.0.0.0', '255.255.255.255',
];

function lookup(st: ForwardingState, port: number, addr: string): { kind: number; port: number } | undefined {
  const hop = st.ports[port]!.table!.lpm.lookup(parseIp(addr));
  return hop && { kind: hop.kind, port: hop.port };
}

describe('compile', () => {
  it('A7: each ECS port carries the LPM of its vSwitch\'s table, answering as DescribeRouteEntryList says', () => {
    const l = lab();
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    for (const [name, rt] of [['ECS-A', l.ids.rtA], ['ECS-B', l.ids.systemRt], ['ECS-C', l.ids.systemRt]] as const) {
      const p = l.ports.get(name)!;
      expect(st.ports[p]!.table!.id).toBe(rt);
      for (const addr of PROBES) expect(lookup(st, p, addr), `${name} → ${addr}`).toEqual(expectedHop(l.cp, rt, addr, l.ports));
    }
  });

  it('A5/A7: spot checks: local beats a containing custom route; /32 beats /16 beats /0; 100.64/10 is the service hop', () => {
    const l = lab();
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    const A = l.ports.get('ECS-A')!;
    const B = l.ports.get('ECS-B')!;
    const portB = l.ports.get('ECS-B')!;
    const portC = l.ports.get('ECS-C')!;
    expect(lookup(st, A, '192.168.1.1')).toEqual({ kind: HopKind.Local, port: -1 }); // vSwitch route, not 192.168.0.0/16 → ECS-C
    expect(lookup(st, A, '192.168.7.7')).toEqual({ kind: HopKind.Instance, port: portC }); // custom 192.168.0.0/16
    expect(lookup(st, A, '8.8.8.8')).toEqual({ kind: HopKind.Instance, port: portB });
    expect(lookup(st, A, '8.8.4.4')).toBeUndefined(); // RT A has no default route: drop (A7)
    expect(lookup(st, A, '100.100.2.136')).toEqual({ kind: HopKind.Service, port: -1 });
    expect(lookup(st, B, '8.8.4.4')).toEqual({ kind: HopKind.Instance, port: portB }); // 8.8.0.0/16
    expect(lookup(st, B, '1.1.1.1')).toEqual({ kind: HopKind.Instance, port: portC }); // 0.0.0.0/0
    expect(lookup(st, B, '100.64.0.1')).toEqual({ kind: HopKind.Service, port: -1 }); // /10 beats /0
    expect(st.ports[A]!.table!.lpm.lookup(parseIp('8.8.8.8'))!.rule).toBe('8.8.8.8/32 → ECS-B (custom)');
    expect(st.ports[A]!.table!.lpm.lookup(parseIp('192.168.0.9'))!.rule).toBe('192.168.0.0/24 → local (system)');
  });

  it('A3: rebinding a vSwitch changes the table its ECS ports use on the next compile', () => {
    const l = lab();
    l.cp.invoke('UnassociateRouteTable', { RouteTableId: l.ids.rtA, VSwitchId: l.ids.vswA });
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    const A = l.ports.get('ECS-A')!;
    expect(st.ports[A]!.table!.id).toBe(l.ids.systemRt);
    expect(lookup(st, A, '1.1.1.1')).toEqual(expectedHop(l.cp, l.ids.systemRt, '1.1.1.1', l.ports));
  });

  it('A4: a vSwitch created after the routes appears as a local route in the compiled tables', () => {
    const l = lab();
    l.cp.invoke('CreateVSwitch', { VpcId: l.ids.vpc, ZoneId: 'z', CidrBlock: '192.168.5.0/24' });
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    const A = l.ports.get('ECS-A')!;
    expect(lookup(st, A, '192.168.5.5')).toEqual({ kind: HopKind.Local, port: -1 });
    expect(lookup(st, A, '192.168.6.5')).toEqual({ kind: HopKind.Instance, port: l.ports.get('ECS-C')! });
  });

  it('A7: a custom entry whose next-hop ECS has no port yet is left out (a shorter prefix answers)', () => {
    const l = lab();
    const st = compile(l.cp.model, (n) => (n === 'ECS-B' ? undefined : l.ports.get(n)), new Counters());
    const A = l.ports.get('ECS-A')!;
    expect(st.ports[l.ports.get('ECS-B')!]).toBeUndefined();
    expect(lookup(st, A, '8.8.8.8')).toBeUndefined();
    const C = l.ports.get('ECS-C')!;
    expect(lookup(st, C, '8.8.8.8')).toEqual({ kind: HopKind.Instance, port: C }); // 8.8.0.0/16 → ECS-B gone, 0/0 → ECS-C
  });

  it('A11/C1: ports, VPC host maps, Internet hosts and EIP mappings come from the model', () => {
    const l = lab();
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    const P = (n: string): number => l.ports.get(n)!;
    expect(st.vpcs).toHaveLength(1);
    expect(st.vpcs[0].id).toBe(l.ids.vpc);
    expect([st.vpcs[0].cidrAddr, st.vpcs[0].cidrMask]).toEqual([parseIp('192.168.0.0'), 0xffff0000]);
    expect([...st.vpcs[0].hosts]).toEqual([[parseIp('192.168.0.1'), P('ECS-A')], [parseIp('192.168.1.1'), P('ECS-B')], [parseIp('192.168.1.2'), P('ECS-C')]]);
    expect([...st.vpcs[0].services]).toEqual([[parseIp('100.100.2.136'), P('vpcdns-1')]]);
    expect([...st.internetHosts]).toEqual([[parseIp('8.8.8.8'), P('google-dns')], [parseIp('8.8.4.4'), P('google-dns2')], [parseIp('47.83.1.59'), P('client')]]);
    expect(st.eips.get(parseIp('47.91.0.10'))).toMatchObject({ id: l.ids.eipA, privateIp: parseIp('192.168.0.1'), port: P('ECS-A') });
    expect(st.eips.get(parseIp('47.91.0.11'))).toMatchObject({ id: l.ids.eipB, privateIp: parseIp('192.168.1.1'), port: P('ECS-B') });
    expect(st.eips.size).toBe(2);
    expect(st.ports[P('ECS-A')]).toMatchObject({ kind: PortKind.Ecs, name: 'ECS-A', ip: parseIp('192.168.0.1'), vpc: 0, eip: parseIp('47.91.0.10'), eipId: l.ids.eipA });
    expect(st.ports[P('ECS-C')]).toMatchObject({ kind: PortKind.Ecs, eip: 0, eipDevice: -1, eipId: '' });
    expect(st.ports[P('client')]).toMatchObject({ kind: PortKind.Internet, ip: parseIp('47.83.1.59'), vpc: -1, table: null });
    expect(st.ports[P('vpcdns-1')]).toMatchObject({ kind: PortKind.Service, ip: parseIp('100.100.2.136'), vpc: 0, table: null });
    // every host labHosts lists has a compiled port
    for (const h of labHosts(l.cp.model)) expect(st.ports[P(h.name)]?.name).toBe(h.name);
  });

  it('C2: after UnassociateEipAddress the compiled state has no mapping for that EIP', () => {
    const l = lab();
    l.cp.invoke('UnassociateEipAddress', { AllocationId: l.ids.eipA });
    const st = compile(l.cp.model, (n) => l.ports.get(n), new Counters());
    expect(st.eips.has(parseIp('47.91.0.10'))).toBe(false);
    expect(st.ports[l.ports.get('ECS-A')!]!.eip).toBe(0);
  });

  it('A7: counters keep device indexes across recompiles', () => {
    const l = lab();
    const counters = new Counters();
    const a = compile(l.cp.model, (n) => l.ports.get(n), counters);
    l.cp.invoke('CreateVSwitch', { VpcId: l.ids.vpc, ZoneId: 'z', CidrBlock: '192.168.9.0/24' });
    const b = compile(l.cp.model, (n) => l.ports.get(n), counters);
    const p = l.ports.get('ECS-A')!;
    expect(b.ports[p]!.device).toBe(a.ports[p]!.device);
    expect(b.ports[p]!.table!.device).toBe(a.ports[p]!.table!.device);
  });
});
