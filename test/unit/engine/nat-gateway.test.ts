// The Internet NAT gateway in the data plane (SEMANTICS D5–D11, A12). The gateway and its
// entries are put into the model directly so these tests pin the engine alone; the
// actions that build the same states are tested in test/unit/cloud.

import { describe, expect, it } from 'vitest';
import type { CloudModel, ForwardEntry, NatGateway, RouteEntry } from '../../../src/main/cloud/model';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { emitIpv4, Ipv4View, ipToString, parseIp } from '../../../src/main/engine/wire/ipv4';
import { emitTcp } from '../../../src/main/engine/wire/tcp';
import { buildLab, engineFor, type BuiltLab } from '../../support/lab-model';
import { icmpEcho, udp } from '../../support/packets';

const NGW = 'ngw-lab0000000000000000001';

function model(lab: BuiltLab): CloudModel {
  return lab.cp.model as CloudModel;
}

/** A NAT gateway with EIPs 39.96.0.1-3, SNAT for the VPC via .1, and 0/0 → NAT on the system table. */
function addNat(lab: BuiltLab, patch: Partial<NatGateway> = {}): NatGateway {
  const m = model(lab);
  const g: NatGateway = {
    NatGatewayId: NGW, Name: 'ngw', Description: '', VpcId: lab.ids.vpc, VSwitchId: lab.ids.vswB, PrivateIpAddress: '192.168.1.200',
    NatType: 'Enhanced', NetworkType: 'internet', EipBindMode: 'MULTI_BINDED', IcmpReplyEnabled: true, Status: 'Available',
    SnatTableId: 'stb-1', ForwardTableId: 'ftb-1', CreationTime: '',
    SnatEntries: [{ SnatEntryId: 'snat-vpc', SnatEntryName: '', SourceCIDR: '192.168.0.0/16', SnatIp: ['39.96.0.1'], EipAffinity: false, Status: 'Available' }],
    ForwardEntries: [],
    ...patch,
  };
  m.natGateways.push(g);
  for (const [i, a] of ['39.96.0.1', '39.96.0.2', '39.96.0.3'].entries()) {
    m.eips.push({ AllocationId: `eip-nat${i}`, IpAddress: a, Name: '', Status: 'InUse', Mode: 'NAT', InstanceId: NGW, InstanceType: 'Nat' });
  }
  const sys = m.routeTables.find((t) => t.RouteTableId === lab.ids.systemRt)!;
  const e: RouteEntry = { RouteEntryId: 'rte-nat', RouteTableId: sys.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'NatGateway', NextHopId: NGW, RouteEntryName: '', Type: 'Custom', Status: 'Available' };
  sys.Entries.push(e);
  return g;
}

function forward(g: NatGateway, f: Partial<ForwardEntry>): void {
  g.ForwardEntries.push({ ForwardEntryId: `fwd-${g.ForwardEntries.length}`, ForwardEntryName: '', ExternalIp: '39.96.0.1', ExternalPort: '8080', InternalIp: '192.168.1.2', InternalPort: '80', IpProtocol: 'TCP', PortBreak: true, Status: 'Available', ...f });
}

function tcp(src: string, dst: string, sport: number, dport: number): Buffer {
  // a SYN: 20-byte IPv4 + 20-byte TCP, checksums filled by the wire builders
  const b = Buffer.alloc(40);
  emitIpv4(b, 0, { src: parseIp(src), dst: parseIp(dst), protocol: 6, payloadLength: 20 });
  emitTcp(b, 20, { srcPort: sport, dstPort: dport, seq: 1, flags: 2, src: parseIp(src), dst: parseIp(dst) });
  return b;
}

const ends = (b: Buffer): string => {
  const v = new Ipv4View();
  expect(v.wrap(b, 0, b.length, true)).toBe(0);
  const o = v.payloadOffset;
  const ports = v.protocol === 1 ? `#${b.readUInt16BE(o + 4)}` : `:${b.readUInt16BE(o)}>${b.readUInt16BE(o + 2)}`;
  return `${ipToString(v.src)}>${ipToString(v.dst)}${ports}`;
};

function run(lab: BuiltLab, res: ReturnType<typeof engineFor>, from: string, pkt: Buffer): TraceRecord {
  const recs: TraceRecord[] = [];
  const off = res.engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
  res.engine.tracer.filter = {};
  res.engine.process(lab.ports.get(from)!, pkt, 0, pkt.length);
  res.engine.tracer.filter = null;
  off();
  return recs[recs.length - 1];
}

describe('SNAT (D5–D8)', () => {
  it('D5/D7: an ECS without EIP leaves with the SNAT EIP, keeping its source port; the reply comes back', () => {
    const lab = buildLab();
    addNat(lab);
    const res = engineFor(lab);
    run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2')]);
    expect(ends(res.out[0].bytes)).toBe('39.96.0.1>8.8.4.4:40000>53');
    run(lab, res, 'google-dns2', udp('8.8.4.4', '39.96.0.1', 53, 40000));
    expect(res.out[1].port).toBe(lab.ports.get('ECS-C'));
    expect(ends(res.out[1].bytes)).toBe('8.8.4.4>192.168.1.2:53>40000');
  });

  it('D5.2: the longest source prefix wins (an ECS /32 entry beats the VPC entry)', () => {
    const lab = buildLab();
    const g = addNat(lab);
    g.SnatEntries.push({ SnatEntryId: 'snat-ecs', SnatEntryName: '', SourceCIDR: '192.168.1.2/32', SnatIp: ['39.96.0.2'], EipAffinity: false, Status: 'Available' });
    const res = engineFor(lab);
    const rec = run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(ends(res.out[0].bytes)).toBe('39.96.0.2>8.8.4.4:40000>53');
    expect(rec.hops.find((h) => h.device === NGW)!.decision).toMatch(/by SNAT entry snat-ecs/);
  });

  it('D5.4: a source no SNAT entry covers is dropped', () => {
    const lab = buildLab();
    addNat(lab, { SnatEntries: [] });
    const res = engineFor(lab);
    const rec = run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toMatch(/no SNAT entry covers 192\.168\.1\.2/);
    // its own drop reason: the route did lead to the NAT gateway
    const c = res.engine.counters.snapshot().find((d) => d.device === NGW)!;
    expect(c.drops).toEqual({ 'no-snat-entry': 1 });
  });

  it('A12.1/A9: an ECS with its own EIP never reaches the NAT gateway in the default mode', () => {
    const lab = buildLab();
    addNat(lab);
    const res = engineFor(lab);
    run(lab, res, 'ECS-B', udp('192.168.1.1', '8.8.4.4', 40000, 53));
    expect(ends(res.out[0].bytes)).toBe('47.91.0.11>8.8.4.4:40000>53');
  });

  it('D7: with the range shrunk to 2 ports, the third flow to one destination fails and is counted', () => {
    const lab = buildLab();
    addNat(lab, { LabPortRange: [1025, 1026] });
    const res = engineFor(lab);
    for (const sport of [40001, 40002, 40003]) run(lab, res, 'ECS-C', tcp('192.168.1.2', '8.8.4.4', sport, 7));
    expect(res.out).toHaveLength(2);
    expect(new Set(res.out.map((o) => ends(o.bytes).split(':')[1].split('>')[0]))).toEqual(new Set(['1025', '1026']));
    expect(res.engine.natGateways.metrics(NGW).errorPortAllocation).toBe(1);
    expect(res.engine.counters.snapshot().find((d) => d.device === NGW)!.drops['port-allocation']).toBe(1);
    // the first flows keep working
    run(lab, res, 'ECS-C', tcp('192.168.1.2', '8.8.4.4', 40001, 7));
    expect(res.out).toHaveLength(3);
  });

  it('D8: unsolicited inbound to an SNAT-only EIP is dropped', () => {
    const lab = buildLab();
    addNat(lab);
    const res = engineFor(lab);
    const rec = run(lab, res, 'client', tcp('47.83.1.59', '39.96.0.1', 5555, 80));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toMatch(/unsolicited inbound to an SNAT EIP is dropped$/);
  });

  it('sessions survive a recompile', () => {
    const lab = buildLab();
    addNat(lab);
    const res = engineFor(lab);
    run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    res.recompile();
    run(lab, res, 'google-dns2', udp('8.8.4.4', '39.96.0.1', 53, 40000));
    expect(res.out[1].port).toBe(lab.ports.get('ECS-C'));
  });
});

describe('DNAT (D10) and ICMP retrieval (D11)', () => {
  it('D10.1/D10.4/D10.5: port mapping keeps the client address and the reply leaves from the mapped port', () => {
    const lab = buildLab();
    forward(addNat(lab), {});
    const res = engineFor(lab);
    run(lab, res, 'client', tcp('47.83.1.59', '39.96.0.1', 5555, 8080));
    expect(res.out[0].port).toBe(lab.ports.get('ECS-C'));
    expect(ends(res.out[0].bytes)).toBe('47.83.1.59>192.168.1.2:5555>80');
    run(lab, res, 'ECS-C', tcp('192.168.1.2', '47.83.1.59', 80, 5555));
    expect(res.out[1].port).toBe(lab.ports.get('client'));
    expect(ends(res.out[1].bytes)).toBe('39.96.0.1>47.83.1.59:8080>5555');
  });

  it('D10.1: ranges map position by position', () => {
    const lab = buildLab();
    forward(addNat(lab), { ExternalPort: '8000/8001', InternalPort: '80/81' });
    const res = engineFor(lab);
    run(lab, res, 'client', tcp('47.83.1.59', '39.96.0.1', 5555, 8001));
    expect(ends(res.out[0].bytes)).toBe('47.83.1.59>192.168.1.2:5555>81');
  });

  it('D10.2/A12.2: IP mapping forwards ICMP to the backend, whose own traffic leaves with that EIP', () => {
    const lab = buildLab();
    forward(addNat(lab), { ExternalIp: '39.96.0.3', ExternalPort: 'Any', InternalPort: 'Any', IpProtocol: 'Any' });
    const res = engineFor(lab);
    run(lab, res, 'client', icmpEcho('47.83.1.59', '39.96.0.3', { id: 9 }));
    expect(res.out[0].port).toBe(lab.ports.get('ECS-C'));
    expect(ends(res.out[0].bytes)).toBe('47.83.1.59>192.168.1.2#9');
    run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(ends(res.out[1].bytes)).toBe('39.96.0.3>8.8.4.4:40000>53');
  });

  it('D10.3: a backend that holds its own EIP makes the entry ineffective', () => {
    const lab = buildLab();
    forward(addNat(lab), { InternalIp: '192.168.1.1' }); // ECS-B has an EIP
    const res = engineFor(lab);
    run(lab, res, 'client', tcp('47.83.1.59', '39.96.0.1', 5555, 8080));
    expect(res.out).toHaveLength(0);
  });

  it('D11.1: with IcmpReplyEnabled the gateway answers a ping to its EIP itself', () => {
    const lab = buildLab();
    addNat(lab);
    const res = engineFor(lab);
    const rec = run(lab, res, 'client', icmpEcho('47.83.1.59', '39.96.0.2', { id: 5 }));
    expect(res.out[0].port).toBe(lab.ports.get('client'));
    expect(ends(res.out[0].bytes)).toBe('39.96.0.2>47.83.1.59#5');
    expect(res.out[0].bytes[20]).toBe(0); // echo reply
    expect(rec.hops.map((h) => h.decision)).toContainEqual(expect.stringMatching(/\(IcmpReplyEnabled\)$/));
  });

  it('D11.2: with retrieval off, a ping to a port-mapping EIP goes unanswered', () => {
    const lab = buildLab();
    forward(addNat(lab, { IcmpReplyEnabled: false }), {});
    const res = engineFor(lab);
    run(lab, res, 'client', icmpEcho('47.83.1.59', '39.96.0.1'));
    expect(res.out).toHaveLength(0);
  });

  it('D11.3: with retrieval off, an IP-mapping EIP still answers through its backend', () => {
    const lab = buildLab();
    forward(addNat(lab, { IcmpReplyEnabled: false }), { ExternalIp: '39.96.0.3', ExternalPort: 'Any', InternalPort: 'Any', IpProtocol: 'Any' });
    const res = engineFor(lab);
    run(lab, res, 'client', icmpEcho('47.83.1.59', '39.96.0.3'));
    expect(res.out[0].port).toBe(lab.ports.get('ECS-C'));
  });
});

describe('NAT gateway next to an active IPv4 gateway (D12)', () => {
  const IGW = 'ipv4gw-lab0000000000000000001';
  function activeIgw(lab: BuiltLab, natRoute: boolean): void {
    const m = model(lab);
    m.ipv4Gateways.push({ Ipv4GatewayId: IGW, Ipv4GatewayName: 'igw', Ipv4GatewayDescription: '', VpcId: lab.ids.vpc, Status: 'Created', Enabled: true, CreationTime: '' });
    if (!natRoute) return;
    const rtA = m.routeTables.find((t) => t.RouteTableId === lab.ids.rtA)!;
    rtA.Entries.push({ RouteEntryId: 'rte-igw', RouteTableId: rtA.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Ipv4Gateway', NextHopId: IGW, RouteEntryName: '', Type: 'Custom', Status: 'Available' });
  }

  it('D12: the NAT gateway translates, then its vSwitch routes the packet to the IPv4 gateway', () => {
    const lab = buildLab();
    addNat(lab, { VSwitchId: lab.ids.vswA, EipBindMode: 'NAT' }); // NAT in vsw-a (rt-a); ECS-C in vsw-b (system: 0/0 → NAT)
    activeIgw(lab, true);
    const res = engineFor(lab);
    const rec = run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns2')]);
    expect(ends(res.out[0].bytes)).toBe('39.96.0.1>8.8.4.4:40000>53');
    expect(rec.hops.map((h) => h.decision)).toContainEqual(expect.stringMatching(/NAT mode behind the IPv4 gateway$/));
  });

  it('D12.6: without a route from the NAT gateway\'s vSwitch to the IPv4 gateway, the packet is dropped', () => {
    const lab = buildLab();
    addNat(lab, { VSwitchId: lab.ids.vswA, EipBindMode: 'NAT' });
    activeIgw(lab, false);
    const res = engineFor(lab);
    const rec = run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 53));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toMatch(/no route to an active IPv4 gateway for 8\.8\.4\.4$/);
  });
});

describe('ICMP errors about SNAT sessions (traceroute through the NAT gateway)', () => {
  it('D7/D8: a port unreachable for a session comes back with the quoted packet restored to the private side', async () => {
    const { emitIcmpError, IcmpView } = await import('../../../src/main/engine/wire/icmp');
    const { internetChecksum } = await import('../../../src/main/engine/wire/checksum');
    const lab = buildLab();
    addNat(lab, { LabPortRange: [2000, 2001] }); // forces a new source port, so the quoted port must change back
    const res = engineFor(lab);
    run(lab, res, 'ECS-C', udp('192.168.1.2', '8.8.4.4', 40000, 33434));
    const sent = res.out[0].bytes;
    expect(ends(sent)).toBe('39.96.0.1>8.8.4.4:2000>33434');
    const err = Buffer.alloc(200);
    const n = emitIcmpError(err, 20, 3, 3, sent, 0, sent.length);
    emitIpv4(err, 0, { src: parseIp('8.8.4.4'), dst: parseIp('39.96.0.1'), protocol: 1, payloadLength: n });
    run(lab, res, 'google-dns2', Buffer.from(err.subarray(0, 20 + n)));
    expect(res.out[1].port).toBe(lab.ports.get('ECS-C'));
    const b = res.out[1].bytes;
    const icmp = new IcmpView();
    expect(icmp.wrap(b, 20, b.length - 20, true)).toBe(0);
    expect([ipToString(icmp.quotedSrc), icmp.quotedSrcPort]).toEqual(['192.168.1.2', 40000]);
    expect(internetChecksum(b, 20, b.length - 20)).toBe(0);
  });
});
