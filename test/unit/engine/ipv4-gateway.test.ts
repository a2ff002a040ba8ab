// The data plane with an IPv4 gateway (SEMANTICS B2, B5, B8, B9, C3). The gateway is put
// into the model directly so these tests pin the engine alone; the actions that make the
// same states are tested in test/unit/cloud.

import { describe, expect, it } from 'vitest';
import type { CloudModel, RouteEntry } from '../../../src/main/cloud/model';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { internetChecksum } from '../../../src/main/engine/wire/checksum';
import { emitIcmpError, IcmpView } from '../../../src/main/engine/wire/icmp';
import { emitIpv4, IpProtocol, Ipv4View, ipToString, parseIp } from '../../../src/main/engine/wire/ipv4';
import { buildLab, engineFor, type BuiltLab } from '../../support/lab-model';
import { icmpEcho, udp } from '../../support/packets';

const IGW = 'ipv4gw-lab0000000000000000001';

function model(lab: BuiltLab): CloudModel {
  return lab.cp.model as CloudModel;
}

function addIgw(lab: BuiltLab, enabled: boolean): void {
  model(lab).ipv4Gateways.push({ Ipv4GatewayId: IGW, Ipv4GatewayName: 'igw', Ipv4GatewayDescription: '', VpcId: lab.ids.vpc, Status: 'Created', Enabled: enabled, CreationTime: '' });
}

function route(lab: BuiltLab, table: string, dst: string, type: string, hop: string): void {
  const rt = model(lab).routeTables.find((t) => t.RouteTableId === table)!;
  const e: RouteEntry = { RouteEntryId: `rte-${rt.Entries.length}`, RouteTableId: table, DestinationCidrBlock: dst, NextHopType: type, NextHopId: hop, RouteEntryName: '', Type: 'Custom', Status: 'Available' };
  rt.Entries.push(e);
}

/** A bound gateway route table whose vsw-a entry is edited to ECS-B (seed 004 step 5). */
function bindGatewayTable(lab: BuiltLab): void {
  const m = model(lab);
  m.routeTables.push({ RouteTableId: 'vtb-gateway', RouteTableName: 'gw', VpcId: lab.ids.vpc, RouteTableType: 'Custom', AssociateType: 'Gateway', Entries: [] });
  route(lab, 'vtb-gateway', '192.168.0.0/24', 'Instance', lab.ids.ecsB);
  m.ipv4Gateways[0].Ipv4GatewayRouteTableId = 'vtb-gateway';
}

function run(lab: BuiltLab, from: string, pkt: Buffer, res = engineFor(lab)): { res: ReturnType<typeof engineFor>; rec: TraceRecord } {
  const recs: TraceRecord[] = [];
  res.engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
  res.engine.tracer.filter = {};
  res.engine.process(lab.ports.get(from)!, pkt, 0, pkt.length);
  res.engine.tracer.filter = null;
  return { res, rec: recs[recs.length - 1] };
}

const addrs = (b: Buffer): [string, string] => {
  const v = new Ipv4View();
  expect(v.wrap(b, 0, b.length, true)).toBe(0);
  return [ipToString(v.src), ipToString(v.dst)];
};

describe('before activation (B2)', () => {
  it('B2: a route to an inactive gateway is a blackhole for a source without a public IP', () => {
    const lab = buildLab();
    addIgw(lab, false);
    route(lab, lab.ids.systemRt, '8.8.4.4/32', 'Ipv4Gateway', IGW);
    const { res, rec } = run(lab, 'ECS-C', icmpEcho('192.168.1.2', '8.8.4.4'));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toBe(`dropped at ${IGW}: the IPv4 gateway is not active yet`);
    expect(res.engine.counters.snapshot().find((d) => d.device === IGW)!.drops['gateway-inactive']).toBe(1);
  });

  it('B2: ...and ignored for a source with an EIP, which keeps the A9 path', () => {
    const lab = buildLab();
    addIgw(lab, false);
    route(lab, lab.ids.rtA, '8.8.4.4/32', 'Ipv4Gateway', IGW);
    const { res } = run(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.4.4'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2')]);
  });
});

describe('active gateway, outbound (B5.1, B5.2, C3)', () => {
  it('B5.1 (seed 004 step 3-5): with no route to the gateway, ECS-A with an EIP can no longer reach 8.8.4.4', () => {
    const lab = buildLab();
    addIgw(lab, true);
    const { res, rec } = run(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.4.4'));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toBe(`dropped at ${lab.ids.rtA} (rt-a): no entry matches 8.8.4.4`);
  });

  it('B5.1/C3 (seed 004 step 3-6): the custom route 8.8.8.8/32 → ECS-B now diverts ECS-A, packet unchanged', () => {
    const lab = buildLab();
    addIgw(lab, true);
    route(lab, lab.ids.rtA, '8.8.8.8/32', 'Instance', lab.ids.ecsB);
    const pkt = icmpEcho('192.168.0.1', '8.8.8.8');
    const copy = Buffer.from(pkt);
    const { res } = run(lab, 'ECS-A', pkt);
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-B')]);
    expect(res.out[0].bytes.equals(copy)).toBe(true);
  });

  it('B5.2 (seed 004 step 4): a route to the gateway sends ECS-A out with its EIP, translated at the gateway', () => {
    const lab = buildLab();
    addIgw(lab, true);
    route(lab, lab.ids.rtA, '8.8.4.4/32', 'Ipv4Gateway', IGW);
    const { res, rec } = run(lab, 'ECS-A', udp('192.168.0.1', '8.8.4.4', 40000, 53));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2')]);
    expect(addrs(res.out[0].bytes)).toEqual(['47.91.0.10', '8.8.4.4']);
    expect(rec.hops.map((h) => h.device)).toEqual([`${lab.ids.rtA} (rt-a)`, IGW, 'Internet']);
  });

  it('B5.2 (seed 004 step 5): ECS-A\'s packet relayed by ECS-B leaves with ECS-A\'s EIP, keyed by the private source', () => {
    const lab = buildLab();
    addIgw(lab, true);
    const rtB = model(lab).vswitches.find((v) => v.VSwitchId === lab.ids.vswB)!.RouteTableId; // the system table
    route(lab, rtB, '8.8.8.8/32', 'Ipv4Gateway', IGW);
    const { res } = run(lab, 'ECS-B', icmpEcho('192.168.0.1', '8.8.8.8', { ttl: 63 }));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns')]);
    expect(addrs(res.out[0].bytes)).toEqual(['47.91.0.10', '8.8.8.8']);
  });

  it('B5.2: a source without an EIP is dropped at the gateway', () => {
    const lab = buildLab();
    addIgw(lab, true);
    route(lab, lab.ids.systemRt, '0.0.0.0/0', 'Ipv4Gateway', IGW);
    const { res, rec } = run(lab, 'ECS-C', icmpEcho('192.168.1.2', '8.8.4.4'));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toMatch(/192\.168\.1\.2 has no EIP/);
  });
});

describe('active gateway, inbound (B5.3)', () => {
  const egress = (lab: BuiltLab): ReturnType<typeof engineFor> => {
    route(lab, lab.ids.rtA, '0.0.0.0/0', 'Ipv4Gateway', IGW);
    const res = engineFor(lab);
    res.engine.process(lab.ports.get('ECS-A')!, ...b(icmpEcho('192.168.0.1', '8.8.4.4', { id: 77 })));
    return res;
  };

  it('B5.3 (seed 000 step 1): without a gateway route table, replies come in…', () => {
    const lab = buildLab();
    addIgw(lab, true);
    const res = egress(lab);
    const { rec } = run(lab, 'google-dns2', icmpEcho('8.8.4.4', '47.91.0.10', { id: 77, type: 0 }), res);
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2'), lab.ports.get('ECS-A')]);
    expect(addrs(res.out[1].bytes)).toEqual(['8.8.4.4', '192.168.0.1']);
    expect(rec.hops[rec.hops.length - 1].decision).toBe('reply to a flow started inside the VPC');
  });

  it('B5.3 (seed 000 step 1.5.2): …but an Internet client\'s unsolicited ping to the EIP is dropped', () => {
    const lab = buildLab();
    addIgw(lab, true);
    const res = egress(lab);
    const { rec } = run(lab, 'client', icmpEcho('47.83.1.59', '47.91.0.10', { id: 77 }), res);
    expect(res.out).toHaveLength(1); // only the egress
    expect(rec.verdict).toMatch(/^dropped at ipv4gw-\w+: unsolicited inbound/);
    // a reply with another echo id, or from another host, is not a reply either
    run(lab, 'google-dns2', icmpEcho('8.8.4.4', '47.91.0.10', { id: 78, type: 0 }), res);
    expect(res.out).toHaveLength(1);
  });

  it('B5.3: gateway state lives in the data plane and survives a recompile', () => {
    const lab = buildLab();
    addIgw(lab, true);
    const res = egress(lab);
    res.recompile();
    run(lab, 'google-dns2', icmpEcho('8.8.4.4', '47.91.0.10', { id: 77, type: 0 }), res);
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2'), lab.ports.get('ECS-A')]);
  });

  it('B5.3 (seed 004 step 5-10): with a gateway table, the reply to ECS-A is handed to ECS-B, destination private', () => {
    const lab = buildLab();
    addIgw(lab, true);
    bindGatewayTable(lab);
    const res = engineFor(lab);
    const { rec } = run(lab, 'google-dns', icmpEcho('8.8.8.8', '47.91.0.10', { type: 0 }), res);
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-B')]);
    expect(addrs(res.out[0].bytes)).toEqual(['8.8.8.8', '192.168.0.1']);
    expect(rec.hops.map((h) => h.decision)).toContain('192.168.0.0/24 → ECS-B (custom)');
  });

  it('B5.3 (seed 000 step 2): with a gateway table, unsolicited inbound follows it: Local delivers to the address', () => {
    const lab = buildLab();
    addIgw(lab, true);
    bindGatewayTable(lab);
    const { res, rec } = run(lab, 'client', icmpEcho('47.83.1.59', '47.91.0.11'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-B')]);
    expect(rec.hops.map((h) => h.decision)).toContain('192.168.1.0/24 → local (system)');
  });
});

describe('deletion modes (B8, B9)', () => {
  it('B8.2: after a private-mode delete the VPC has no Internet, EIPs included', () => {
    const lab = buildLab();
    model(lab).vpcs[0].InternetMode = 'private';
    const { res } = run(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.4.4'));
    expect(res.out).toHaveLength(0);
    run(lab, 'client', icmpEcho('47.83.1.59', '47.91.0.10'), res);
    expect(res.out).toHaveLength(0);
  });

  it('B8.3/B9: after a public-mode delete (no gateway, default mode) the EIP path is back', () => {
    const lab = buildLab();
    const { res } = run(lab, 'ECS-A', icmpEcho('192.168.0.1', '8.8.4.4'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2')]);
    run(lab, 'client', icmpEcho('47.83.1.59', '47.91.0.10'), res);
    expect(res.out[1].port).toBe(lab.ports.get('ECS-A'));
  });
});

describe('ICMP errors through an EIP (traceroute)', () => {
  it('C1: the packet quoted in an ICMP error is translated too, with valid checksums', () => {
    const lab = buildLab();
    // what ECS-A sent, as 8.8.4.4 received it (source already the EIP)
    const probe = udp('47.91.0.10', '8.8.4.4', 33434, 33434);
    const err = Buffer.alloc(200);
    const icmpLen = emitIcmpError(err, 20, 3, 3, probe, 0, probe.length);
    emitIpv4(err, 0, { src: parseIp('8.8.4.4'), dst: parseIp('47.91.0.10'), protocol: IpProtocol.Icmp, payloadLength: icmpLen });
    const pkt = err.subarray(0, 20 + icmpLen);
    const { res } = run(lab, 'google-dns2', Buffer.from(pkt));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-A')]);
    const out = res.out[0].bytes;
    expect(addrs(out)).toEqual(['8.8.4.4', '192.168.0.1']);
    const icmp = new IcmpView();
    expect(icmp.wrap(out, 20, out.length - 20, true)).toBe(0);
    expect(ipToString(icmp.quotedSrc)).toBe('192.168.0.1');
    expect(internetChecksum(out, 20, out.length - 20)).toBe(0);
  });
});

function b(x: Buffer): [Buffer, number, number] {
  return [x, 0, x.length];
}
