// The IPv4 gateway control plane (SEMANTICS B1–B9, A2 for the gateway route table, A6 for the
// Ipv4Gateway next hop), then seeds 000 and 004 replayed call by call. Every refusal goes
// through expectFailure, which also checks that the model did not change (atomicity).

import { describe, expect, it } from 'vitest';
import { ControlPlane, actionNames } from '../../../src/main/cloud/control-plane';
import type { Params } from '../../../src/main/cloud/params';
import { entries, expectFailure, fixture, type Fixture, type Res } from './helpers';

type GwView = {
  Ipv4GatewayId: string; Ipv4GatewayName: string; Ipv4GatewayDescription: string; VpcId: string; Status: string; Enabled: boolean;
  Ipv4GatewayRouteTableId: string; CreationTime: string; ConsoleStatus: string; RequestId?: string; GmtCreate?: string;
};

const createGw = (f: Fixture, extra: Params = {}, vpc = f.vpc): string => f.call('CreateIpv4Gateway', { VpcId: vpc, ...extra }).Ipv4GatewayId as string;
const enable = (f: Fixture, gw: string, tables: string[] = []): Res => f.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: gw, RouteTableList: tables });
const attr = (f: Fixture, gw: string): GwView => f.call('GetIpv4GatewayAttribute', { Ipv4GatewayId: gw }) as unknown as GwView;
const gatewayTable = (f: Fixture, name = 'gw-rt', vpc = f.vpc): string => f.call('CreateRouteTable', { VpcId: vpc, AssociateType: 'Gateway', RouteTableName: name }).RouteTableId as string;
const mode = (f: Fixture, vpc = f.vpc): string => f.cp.model.vpcs.find((v) => v.VpcId === vpc)!.InternetMode;
const stored = (f: Fixture, rt: string) => f.cp.model.routeTables.find((t) => t.RouteTableId === rt)!.Entries;
const rows = (f: Fixture, rt: string): string[][] => entries(f.cp, rt).map((e) => [e.DestinationCidrBlock, e.Type, e.NextHopType, e.NextHopId]);
const edit = (f: Fixture, rt: string, dst: string, type: string, hop?: string, extra: Params = {}): Res =>
  f.call('UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: rt, DestinationCidrBlock: dst, NextHopType: type, ...(hop ? { NextHopId: hop } : {}), ...extra });
const otherVpc = (f: Fixture): { vpc: string; rt: string; vsw: string } => {
  const v = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' });
  const vsw = f.call('CreateVSwitch', { VpcId: v.VpcId as string, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
  return { vpc: v.VpcId as string, rt: v.RouteTableId as string, vsw };
};

describe('B1/B3: CreateIpv4Gateway', () => {
  it('B1/B2: creates an ipv4gw- gateway in status Created, not Enabled (console: Inactive), with an ISO CreationTime', () => {
    const f = fixture();
    const before = Date.now();
    const r = f.call('CreateIpv4Gateway', { VpcId: f.vpc, Ipv4GatewayName: 'igw', Ipv4GatewayDescription: 'seed 000' });
    const id = r.Ipv4GatewayId as string;
    expect(id).toMatch(/^ipv4gw-[a-z0-9]{22}$/);
    expect(typeof r.RequestId).toBe('string');
    const g = f.cp.model.ipv4Gateways[0];
    expect(g).toMatchObject({ Ipv4GatewayId: id, Ipv4GatewayName: 'igw', Ipv4GatewayDescription: 'seed 000', VpcId: f.vpc, Status: 'Created', Enabled: false });
    expect(g.Ipv4GatewayRouteTableId).toBeUndefined();
    expect(new Date(g.CreationTime).toISOString()).toBe(g.CreationTime);
    expect(Date.parse(g.CreationTime)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('B1: name and description are optional (empty)', () => {
    const f = fixture();
    createGw(f);
    expect(f.cp.model.ipv4Gateways[0]).toMatchObject({ Ipv4GatewayName: '', Ipv4GatewayDescription: '' });
  });

  it('B1/B3: a second gateway in the same VPC → OperationDenied.VpcExistIpv4Gateway; another VPC may have its own', () => {
    const f = fixture();
    const gw = createGw(f);
    expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc }, 'OperationDenied.VpcExistIpv4Gateway', { param: 'VpcId', status: 400 });
    enable(f, gw);
    expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc, Ipv4GatewayName: 'again' }, 'OperationDenied.VpcExistIpv4Gateway');
    createGw(f, {}, otherVpc(f).vpc);
    expect(f.cp.model.ipv4Gateways).toHaveLength(2);
  });

  it('B3: an unknown VPC → OperationFailed.VpcNotExist (400); no VpcId → MissingParameter', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: 'vpc-nope' }, 'OperationFailed.VpcNotExist', { param: 'VpcId', status: 400 });
    expectFailure(f.cp, 'CreateIpv4Gateway', {}, 'MissingParameter', { param: 'VpcId' });
  });

  it('B1: Ipv4GatewayName is 1–128 characters, not starting with http:// or https:// → IllegalParam.Ipv4GatewayName', () => {
    const f = fixture();
    for (const bad of ['x'.repeat(129), 'http://igw', 'https://igw']) {
      expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc, Ipv4GatewayName: bad }, 'IllegalParam.Ipv4GatewayName', { param: 'Ipv4GatewayName' });
    }
    createGw(f, { Ipv4GatewayName: 'n'.repeat(128) });
    const f2 = fixture();
    createGw(f2, { Ipv4GatewayName: 'a' });
  });

  it('B1: Ipv4GatewayDescription is 1–256 characters, not starting with http:// or https:// → IllegalParam.Ipv4GatewayDescription', () => {
    const f = fixture();
    for (const bad of ['d'.repeat(257), 'http://x', 'https://x']) {
      expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc, Ipv4GatewayDescription: bad }, 'IllegalParam.Ipv4GatewayDescription', { param: 'Ipv4GatewayDescription' });
    }
    createGw(f, { Ipv4GatewayDescription: 'd'.repeat(256) });
  });

  it('B2: DryRun validates without creating (DryRunOperation), and still reports a real error first', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc, DryRun: true }, 'DryRunOperation');
    createGw(f);
    expectFailure(f.cp, 'CreateIpv4Gateway', { VpcId: f.vpc, DryRun: 'true' }, 'OperationDenied.VpcExistIpv4Gateway');
  });
});

describe('B2/G4: GetIpv4GatewayAttribute, DescribeIpv4Gateways, ListIpv4Gateways', () => {
  it('B2/G4: GetIpv4GatewayAttribute shows the API fields plus the lab-only ConsoleStatus Inactive → Active', () => {
    const f = fixture();
    const gw = createGw(f, { Ipv4GatewayName: 'igw', Ipv4GatewayDescription: 'd' });
    const a = attr(f, gw);
    expect(a).toEqual({
      RequestId: a.RequestId, Ipv4GatewayId: gw, Ipv4GatewayName: 'igw', Ipv4GatewayDescription: 'd', VpcId: f.vpc, Status: 'Created', Enabled: false,
      Ipv4GatewayRouteTableId: '', CreationTime: f.cp.model.ipv4Gateways[0].CreationTime, ConsoleStatus: 'Inactive',
    });
    enable(f, gw);
    expect(attr(f, gw)).toMatchObject({ Status: 'Created', Enabled: true, ConsoleStatus: 'Active' });
  });

  it('B2: an unknown gateway → ResourceNotFound.Ipv4Gateway (404)', () => {
    const f = fixture();
    expectFailure(f.cp, 'GetIpv4GatewayAttribute', { Ipv4GatewayId: 'ipv4gw-nope' }, 'ResourceNotFound.Ipv4Gateway', { param: 'Ipv4GatewayId', status: 404 });
    expectFailure(f.cp, 'GetIpv4GatewayAttribute', {}, 'MissingParameter', { param: 'Ipv4GatewayId' });
  });

  it('B1: DescribeIpv4Gateways lists gateways, filtered by VpcId, Ipv4GatewayId or Ipv4GatewayName', () => {
    const f = fixture();
    const g1 = createGw(f, { Ipv4GatewayName: 'one' });
    const o = otherVpc(f);
    const g2 = createGw(f, { Ipv4GatewayName: 'two' }, o.vpc);
    type D = { TotalCount: number; Ipv4Gateways: { Ipv4GatewayModels: GwView[] } };
    const all = f.call('DescribeIpv4Gateways') as unknown as D;
    expect(all.TotalCount).toBe(2);
    expect(all.Ipv4Gateways.Ipv4GatewayModels.map((g) => [g.Ipv4GatewayId, g.VpcId, g.ConsoleStatus])).toEqual([[g1, f.vpc, 'Inactive'], [g2, o.vpc, 'Inactive']]);
    expect(all.Ipv4Gateways.Ipv4GatewayModels[0]).toEqual({ ...attr(f, g1), RequestId: undefined });
    const ids = (p: Params): string[] => (f.call('DescribeIpv4Gateways', p) as unknown as D).Ipv4Gateways.Ipv4GatewayModels.map((g) => g.Ipv4GatewayId);
    expect(ids({ VpcId: o.vpc })).toEqual([g2]);
    expect(ids({ Ipv4GatewayId: g1 })).toEqual([g1]);
    expect(ids({ Ipv4GatewayName: 'two' })).toEqual([g2]);
    expect(ids({ VpcId: f.vpc, Ipv4GatewayId: g2 })).toEqual([]);
  });

  it('B1: ListIpv4Gateways answers in the API\'s own shape (flat Ipv4GatewayModels, GmtCreate)', () => {
    const f = fixture();
    const gw = createGw(f);
    const r = f.call('ListIpv4Gateways', { VpcId: f.vpc }) as unknown as { TotalCount: number; Ipv4GatewayModels: GwView[] };
    expect(r.TotalCount).toBe(1);
    expect(r.Ipv4GatewayModels[0]).toMatchObject({ Ipv4GatewayId: gw, Enabled: false, GmtCreate: f.cp.model.ipv4Gateways[0].CreationTime });
  });

  it('B2: Get/Describe/List are read-only: the model object stays and listeners are not woken', () => {
    const f = fixture();
    const gw = createGw(f);
    const ref = f.cp.model;
    let woken = 0;
    f.cp.onChange(() => woken++);
    attr(f, gw);
    f.call('DescribeIpv4Gateways');
    f.call('ListIpv4Gateways');
    expect(woken).toBe(0);
    expect(f.cp.model).toBe(ref);
    enable(f, gw);
    expect(woken).toBe(1);
  });

  it('B1: every IPv4 gateway action is offered', () => {
    for (const a of ['CreateIpv4Gateway', 'EnableVpcIpv4Gateway', 'GetIpv4GatewayAttribute', 'DescribeIpv4Gateways', 'ListIpv4Gateways',
      'AssociateRouteTableWithGateway', 'DissociateRouteTableFromGateway', 'DeleteIpv4Gateway',
      'UpdateGatewayRouteTableEntryAttribute', 'DeleteGatewayRouteTableEntry']) {
      expect(actionNames()).toContain(a);
    }
    expect(actionNames()).not.toContain('MAX_CUSTOM_ENTRIES');
    expect(actionNames()).not.toContain('gatewayRouteTable');
  });
});

describe('B4: EnableVpcIpv4Gateway', () => {
  const setup = () => {
    const f = fixture();
    const rtA = f.table('rt-a');
    const rtB = f.table('rt-b');
    f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
    f.call('AssociateRouteTable', { RouteTableId: rtB, VSwitchId: f.vswB });
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    const gw = createGw(f, { Ipv4GatewayName: 'igw' });
    return { ...f, rtA, rtB, b, gw };
  };

  it('B4.1: adds a custom entry 0.0.0.0/0 → Ipv4Gateway to each listed table and activates the gateway', () => {
    const s = setup();
    const r = enable(s, s.gw, [s.rtA, s.systemRt]);
    expect(Object.keys(r)).toEqual(['RequestId']);
    for (const t of [s.rtA, s.systemRt]) {
      expect(entries(s.cp, t).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([['0.0.0.0/0', 'Ipv4Gateway', s.gw]]);
      expect(stored(s, t)[0]).toMatchObject({ RouteTableId: t, Type: 'Custom', Status: 'Available', RouteEntryName: '' });
      expect(stored(s, t)[0].RouteEntryId).toMatch(/^rte-/);
    }
    expect(stored(s, s.rtB)).toEqual([]);
    expect(s.cp.model.ipv4Gateways[0].Enabled).toBe(true);
    expect(mode(s)).toBe('default');
  });

  it('B4.1: RouteTableList also reads as a comma-separated string (the CLI form)', () => {
    const s = setup();
    s.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: `${s.rtA}, ${s.rtB}` });
    expect([stored(s, s.rtA).length, stored(s, s.rtB).length]).toEqual([1, 1]);
  });

  it('B4.2: any listed table with a 0.0.0.0/0 entry → OperationDenied.ConflictOfAllZeroRouting naming it; atomic: nothing added, gateway stays Inactive', () => {
    const s = setup();
    s.call('CreateRouteEntry', { RouteTableId: s.rtB, DestinationCidrBlock: '0.0.0.0/0', NextHopId: s.b });
    const e = expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, s.rtB, s.systemRt] }, 'OperationDenied.ConflictOfAllZeroRouting', { status: 400 });
    expect(e.message).toBe(`routetable [${s.rtB}] exist all-zero route entry`);
    expect(stored(s, s.rtA)).toEqual([]);
    expect(attr(s, s.gw).ConsoleStatus).toBe('Inactive');
    // without the conflicting table it works
    enable(s, s.gw, [s.rtA, s.systemRt]);
    expect(stored(s, s.rtB).map((x) => x.NextHopType)).toEqual(['Instance']);
  });

  it('B4.2: a 0.0.0.0/0 route that already points at this (inactive) gateway conflicts too', () => {
    const s = setup();
    s.call('CreateRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Ipv4Gateway', NextHopId: s.gw });
    const e = expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA] }, 'OperationDenied.ConflictOfAllZeroRouting');
    expect(e.message).toBe(`routetable [${s.rtA}] exist all-zero route entry`);
  });

  it('B4.3: an empty RouteTableList is legal: the gateway is active and no default route exists ([S4] step 3)', () => {
    const s = setup();
    enable(s, s.gw);
    expect(attr(s, s.gw).Enabled).toBe(true);
    for (const t of [s.systemRt, s.rtA, s.rtB]) expect(stored(s, t)).toEqual([]);
    const s2 = setup();
    s2.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: s2.gw });
    expect(attr(s2, s2.gw).ConsoleStatus).toBe('Active');
  });

  it('B4.4/B2: activating twice → OperationFailed.Ipv4GatewayAlreadyActive. (with the dot); activation is one-way', () => {
    const s = setup();
    enable(s, s.gw, [s.rtA]);
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtB] }, 'OperationFailed.Ipv4GatewayAlreadyActive.', { param: 'Ipv4GatewayId' });
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw }, 'OperationFailed.Ipv4GatewayAlreadyActive.');
    expect(actionNames().filter((a) => /Disable.*Ipv4Gateway|Deactivate/.test(a))).toEqual([]);
  });

  it('B4.4: an unknown gateway → ResourceNotFound.Ipv4Gateway (404)', () => {
    const s = setup();
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: 'ipv4gw-nope', RouteTableList: [s.rtA] }, 'ResourceNotFound.Ipv4Gateway', { param: 'Ipv4GatewayId', status: 404 });
  });

  it('B4: at most 10 tables → IllegalParam.RouteTableList; 10 is fine; a table listed twice is refused too', () => {
    const s = setup();
    const ten = [s.systemRt, s.rtA, s.rtB, ...Array.from({ length: 7 }, (_, k) => s.table(`x${k}`))];
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [...ten, 'vtb-eleventh'] }, 'IllegalParam.RouteTableList', { param: 'RouteTableList' });
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, s.rtA] }, 'IllegalParam.RouteTableList', { param: 'RouteTableList' });
    enable(s, s.gw, ten);
    expect(ten.every((t) => stored(s, t).some((e) => e.DestinationCidrBlock === '0.0.0.0/0'))).toBe(true);
  });

  it('B4.1: a table of another VPC → IllegalParam.RouteTableList; a gateway table → OperationDenied.RouteTableTypeIncorrect; unknown → InvalidRouteTableId.NotFound', () => {
    const s = setup();
    const o = otherVpc(s);
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, o.rt] }, 'IllegalParam.RouteTableList', { param: 'RouteTableList' });
    const gt = gatewayTable(s);
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, gt] }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableList' });
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, 'vtb-nope'] }, 'InvalidRouteTableId.NotFound', { param: 'RouteTableList', status: 404 });
  });

  it('A5/B4: a table already holding 200 custom entries → QuotaExceeded, nothing added', () => {
    const s = setup();
    for (let k = 0; k < 200; k++) s.call('CreateRouteEntry', { RouteTableId: s.rtB, DestinationCidrBlock: `10.${k >> 8}.${k & 255}.0/24`, NextHopId: s.b });
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA, s.rtB] }, 'QuotaExceeded', { param: 'RouteTableList' });
  });

  it('B2: DryRun → DryRunOperation, gateway still Inactive', () => {
    const s = setup();
    expectFailure(s.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: s.gw, RouteTableList: [s.rtA], DryRun: true }, 'DryRunOperation');
    expect(attr(s, s.gw).Enabled).toBe(false);
  });
});

describe('A6/B2: CreateRouteEntry with NextHopType=Ipv4Gateway', () => {
  it('B2: a route may point at an Inactive gateway; it is a custom entry like any other', () => {
    const f = fixture();
    const gw = createGw(f);
    const id = f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '8.8.4.4', NextHopType: 'Ipv4Gateway', NextHopId: gw }).RouteEntryId;
    expect(entries(f.cp, f.systemRt).at(-1)).toMatchObject({ DestinationCidrBlock: '8.8.4.4/32', Type: 'Custom', NextHopType: 'Ipv4Gateway', NextHopId: gw, RouteEntryId: id });
    expect(attr(f, gw).Enabled).toBe(false);
  });

  it('A5: an unknown gateway → ResourceNotFound.Ipv4Gateway (404); a gateway of another VPC → OperationDenied.GatewayAndTableNotInOneVpc', () => {
    const f = fixture();
    const add = (hop: string): Params => ({ RouteTableId: f.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Ipv4Gateway', NextHopId: hop });
    expectFailure(f.cp, 'CreateRouteEntry', add('ipv4gw-nope'), 'ResourceNotFound.Ipv4Gateway', { param: 'NextHopId', status: 404 });
    const b = f.run('ECS-B', f.vswB);
    expectFailure(f.cp, 'CreateRouteEntry', add(b), 'ResourceNotFound.Ipv4Gateway', { param: 'NextHopId' });
    const far = createGw(f, {}, otherVpc(f).vpc);
    expectFailure(f.cp, 'CreateRouteEntry', add(far), 'OperationDenied.GatewayAndTableNotInOneVpc', { param: 'NextHopId' });
  });

  it('B7: a route to the gateway is removed with DeleteRouteEntry like any custom entry', () => {
    const f = fixture();
    const gw = createGw(f);
    enable(f, gw, [f.systemRt]);
    f.call('DeleteRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopId: gw });
    expect(stored(f, f.systemRt)).toEqual([]);
  });
});

describe('A2/B6: gateway route table', () => {
  it('B6: CreateRouteTable AssociateType=Gateway fills one system entry per vSwitch, next hop Local ("-"), no 100.64.0.0/10', () => {
    const f = fixture();
    const gt = gatewayTable(f);
    expect(f.cp.model.routeTables.find((t) => t.RouteTableId === gt)).toEqual({
      RouteTableId: gt, RouteTableName: 'gw-rt', VpcId: f.vpc, RouteTableType: 'Custom', AssociateType: 'Gateway', Entries: [],
    });
    expect(rows(f, gt)).toEqual([
      ['192.168.0.0/24', 'System', 'Local', '-'],
      ['192.168.1.0/24', 'System', 'Local', '-'],
    ]);
    for (const e of entries(f.cp, gt)) expect(e).toMatchObject({ RouteTableId: gt, Status: 'Available' });
    type R = { RouterTableList: { RouterTableListType: { RouteTableId: string; AssociateType: string; VSwitchIds: { VSwitchId: string[] } }[] } };
    const t = (f.call('DescribeRouteTableList', { RouteTableId: gt }) as R).RouterTableList.RouterTableListType[0];
    expect([t.AssociateType, t.VSwitchIds.VSwitchId]).toEqual(['Gateway', []]);
  });

  it('B6 [INF]: a vSwitch created later gets its gateway-table entry too', () => {
    const f = fixture();
    const gt = gatewayTable(f);
    f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.2.0/24' });
    expect(rows(f, gt).map((r) => r[0])).toEqual(['192.168.0.0/24', '192.168.1.0/24', '192.168.2.0/24']);
  });

  it('A2: one gateway table per VPC → QuotaExceeded.GatewayRouteTable; it does not count toward the 10 vSwitch tables', () => {
    const f = fixture();
    gatewayTable(f);
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: f.vpc, AssociateType: 'Gateway' }, 'QuotaExceeded.GatewayRouteTable', { param: 'VpcId' });
    for (let k = 0; k < 9; k++) f.table(`rt-${k}`);
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: f.vpc }, 'QuotaExceeded.RouteTable', { param: 'VpcId' });
    gatewayTable(f, 'other', otherVpc(f).vpc);
  });

  it('A2: a VPC with 10 vSwitch tables may still create its gateway table', () => {
    const f = fixture();
    for (let k = 0; k < 9; k++) f.table(`rt-${k}`);
    gatewayTable(f);
  });

  it('B6: users cannot add entries to a gateway table (CreateRouteEntry → OperationDenied.RouteTableTypeIncorrect)', () => {
    const f = fixture();
    const gt = gatewayTable(f);
    const b = f.run('ECS-B', f.vswB);
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: gt, DestinationCidrBlock: '192.168.2.0/24', NextHopId: b }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: gt, DestinationCidrBlock: '192.168.0.0/24', NextHopId: b }, 'OperationDenied.RouteTableTypeIncorrect');
  });

  it('B6: a gateway table cannot be bound to a vSwitch (AssociateRouteTable → OperationDenied.RouteTableTypeIncorrect)', () => {
    const f = fixture();
    const gt = gatewayTable(f);
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: gt, VSwitchId: f.vswA }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
  });
});

describe('B6: UpdateGatewayRouteTableEntryAttribute', () => {
  const setup = () => {
    const f = fixture();
    const a = f.run('ECS-A', f.vswA, '192.168.0.1');
    const b = f.run('ECS-B', f.vswB, '192.168.1.1', { IpForward: true });
    const gt = gatewayTable(f);
    return { ...f, a, b, gt };
  };

  it('B6: editing a system entry to an ECS makes it a custom entry (status Available, shown Active) stored in the table', () => {
    const s = setup();
    const r = edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b, { Name: 'to-b' });
    expect(Object.keys(r)).toEqual(['RequestId']);
    expect(rows(s, s.gt)).toEqual([
      ['192.168.0.0/24', 'Custom', 'Instance', s.b],
      ['192.168.1.0/24', 'System', 'Local', '-'],
    ]);
    expect(stored(s, s.gt)).toEqual([{
      RouteEntryId: stored(s, s.gt)[0].RouteEntryId, RouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: s.b,
      RouteEntryName: 'to-b', Type: 'Custom', Status: 'Available',
    }]);
    expect(entries(s.cp, s.gt)[0]).toMatchObject({ Status: 'Available', RouteEntryName: 'to-b' });
  });

  it('B6: the ECS need not be in the vSwitch of the destination ([S4] step 5: 192.168.0.0/24 → ECS-B of vSwitch B)', () => {
    const s = setup();
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    edit(s, s.gt, '192.168.1.0/24', 'Instance', s.a);
    expect(rows(s, s.gt).map((r) => r[3])).toEqual([s.b, s.a]);
  });

  it('B6: NextHopType EcsInstance (older doc spelling) is read as Instance', () => {
    const s = setup();
    edit(s, s.gt, '192.168.1.0/24', 'EcsInstance', s.b);
    expect(stored(s, s.gt)[0].NextHopType).toBe('Instance');
  });

  it('B6: NextHopType NetworkInterface takes an ECS ID, standing for its primary (only) ENI', () => {
    const s = setup();
    edit(s, s.gt, '192.168.1.0/24', 'NetworkInterface', s.b);
    expect(rows(s, s.gt)[1]).toEqual(['192.168.1.0/24', 'Custom', 'NetworkInterface', s.b]);
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'NetworkInterface', NextHopId: 'eni-nope' },
      'InvalidInstanceId.NotFound', { param: 'NextHopId', status: 404 });
  });

  it('B6: the SDK spelling IPv4GatewayRouteTableId names the table too', () => {
    const s = setup();
    s.call('UpdateGatewayRouteTableEntryAttribute', { IPv4GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: s.a });
    expect(stored(s, s.gt)).toHaveLength(1);
  });

  it('B6 (Y4): a direct swap of an edited entry is refused (OperationDenied.EntryAlreadyCustomized); revert first, then edit', () => {
    const s = setup();
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    const swap = (type: string, hop: string): Params => ({ GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: type, NextHopId: hop });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', swap('Instance', s.a), 'OperationDenied.EntryAlreadyCustomized', { param: 'DestinationCidrBlock' });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', swap('NetworkInterface', s.b), 'OperationDenied.EntryAlreadyCustomized');
    edit(s, s.gt, '192.168.0.0/24', 'Local');
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.a);
    expect(rows(s, s.gt)[0]).toEqual(['192.168.0.0/24', 'Custom', 'Instance', s.a]);
  });

  it('B6: repeating the same next hop only renames the entry', () => {
    const s = setup();
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b, { Name: 'one' });
    const id = stored(s, s.gt)[0].RouteEntryId;
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b, { Name: 'two' });
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    expect(stored(s, s.gt)).toHaveLength(1);
    expect(stored(s, s.gt)[0]).toMatchObject({ RouteEntryId: id, RouteEntryName: 'two' });
  });

  it('B6: NextHopType Local reverts an edited entry to the system entry; on an unedited entry it changes nothing', () => {
    const s = setup();
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    edit(s, s.gt, '192.168.0.0/24', 'Local');
    expect(stored(s, s.gt)).toEqual([]);
    expect(rows(s, s.gt)[0]).toEqual(['192.168.0.0/24', 'System', 'Local', '-']);
    const counter = s.cp.model.idCounter;
    edit(s, s.gt, '192.168.1.0/24', 'Local');
    expect(s.cp.model.idCounter).toBe(counter);
    expect(stored(s, s.gt)).toEqual([]);
  });

  it('B6: a destination that is not a vSwitch CIDR of the table\'s VPC → ResourceNotFound.RouteEntry (404); the destination is fixed', () => {
    const s = setup();
    const o = otherVpc(s);
    for (const dst of ['192.168.0.0/25', '192.168.0.0/16', '8.8.8.8', '0.0.0.0/0', '10.0.0.0/24']) {
      expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: dst, NextHopType: 'Instance', NextHopId: s.b },
        'ResourceNotFound.RouteEntry', { param: 'DestinationCidrBlock', status: 404 });
    }
    expect(o.vsw).toMatch(/^vsw-/);
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/33', NextHopType: 'Local' },
      'InvalidCidrBlock.Malformed', { param: 'DestinationCidrBlock' });
  });

  it('B6: a GatewayLoadBalancerEndpoint next hop must name an endpoint (privatelink.test.ts covers it); other types → InvalidNextHopType.NotSupported', () => {
    const s = setup();
    const p = (t: string): Params => ({ GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: t, NextHopId: 'gwlbe-x' });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p('GatewayLoadBalancerEndpoint'), 'InvalidEndpointId.NotFound', { param: 'NextHopId', status: 404 });
    for (const t of ['Ipv4Gateway', 'NatGateway', 'local', 'Foo']) {
      expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p(t), 'InvalidNextHopType.NotSupported', { param: 'NextHopType' });
    }
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24' }, 'MissingParameter', { param: 'NextHopType' });
  });

  it('B6: the ECS must exist in the table\'s VPC; NextHopId is required for Instance', () => {
    const s = setup();
    const o = otherVpc(s);
    const far = s.run('far', o.vsw);
    const p = (hop?: string): Params => ({ GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', ...(hop ? { NextHopId: hop } : {}) });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p(), 'MissingParameter', { param: 'NextHopId' });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p('i-nope'), 'InvalidInstanceId.NotFound', { param: 'NextHopId', status: 404 });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p(far), 'InvalidInstanceId.NotFound', { param: 'NextHopId' });
  });

  it('B6: a vSwitch table → OperationDenied.RouteTableTypeIncorrect; unknown → ResourceNotFound.GatewayRouteTable (404); none → MissingParameter', () => {
    const s = setup();
    const p = (rt?: string): Params => ({ ...(rt ? { GatewayRouteTableId: rt } : {}), DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: s.b });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p(s.systemRt), 'OperationDenied.RouteTableTypeIncorrect', { param: 'GatewayRouteTableId' });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p('vtb-nope'), 'ResourceNotFound.GatewayRouteTable', { param: 'GatewayRouteTableId', status: 404 });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', p(), 'MissingParameter', { param: 'GatewayRouteTableId' });
  });

  it('B6: Name and Description follow the name rules → IllegalParam.Name / IllegalParam.Description', () => {
    const s = setup();
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: s.b, Name: 'http://x' },
      'IllegalParam.Name', { param: 'Name' });
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: s.b, Description: 'x'.repeat(257) },
      'IllegalParam.Description', { param: 'Description' });
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b, { Description: 'ok' });
  });

  it('A5/B6: an ECS that a gateway-table entry points at cannot be deleted until the entry is reverted', () => {
    const s = setup();
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    expectFailure(s.cp, 'DeleteInstance', { InstanceId: s.b }, 'DependencyViolation.RouteEntry', { param: 'InstanceId' });
    edit(s, s.gt, '192.168.0.0/24', 'Local');
    s.call('DeleteInstance', { InstanceId: s.b });
  });
});

describe('B6: reverting gateway-table entries (DeleteRouteEntry, DeleteGatewayRouteTableEntry)', () => {
  const setup = () => {
    const f = fixture();
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    const gt = gatewayTable(f);
    edit(f, gt, '192.168.0.0/24', 'Instance', b);
    return { ...f, b, gt };
  };

  it('B6: DeleteRouteEntry on an edited entry reverts it to the system entry (by destination or by RouteEntryId)', () => {
    const s = setup();
    s.call('DeleteRouteEntry', { RouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24' });
    expect(rows(s, s.gt)[0]).toEqual(['192.168.0.0/24', 'System', 'Local', '-']);
    edit(s, s.gt, '192.168.0.0/24', 'Instance', s.b);
    s.call('DeleteRouteEntry', { RouteEntryId: stored(s, s.gt)[0].RouteEntryId });
    expect(stored(s, s.gt)).toEqual([]);
  });

  it('B6 [INF]: a system entry cannot be deleted → IncorrectRouteEntryStatus (both calls)', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.gt, DestinationCidrBlock: '192.168.1.0/24' }, 'IncorrectRouteEntryStatus', { param: 'DestinationCidrBlock' });
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.1.0/24' }, 'IncorrectRouteEntryStatus', { param: 'DestinationCidrBlock' });
  });

  it('B6: DeleteGatewayRouteTableEntry reverts an edited entry; a wrong NextHopId or a non-vSwitch destination → ResourceNotFound.RouteEntry', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopId: 'i-other' }, 'ResourceNotFound.RouteEntry', { param: 'NextHopId', status: 404 });
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '8.8.8.8/32' }, 'ResourceNotFound.RouteEntry', { param: 'DestinationCidrBlock', status: 404 });
    s.call('DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24', NextHopId: s.b });
    expect(rows(s, s.gt)[0]).toEqual(['192.168.0.0/24', 'System', 'Local', '-']);
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.gt, DestinationCidrBlock: '192.168.0.0/24' }, 'IncorrectRouteEntryStatus');
  });

  it('B6: DeleteGatewayRouteTableEntry on a vSwitch table → OperationDenied.RouteTableTypeIncorrect; unknown → ResourceNotFound.GatewayRouteTable', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: s.systemRt, DestinationCidrBlock: '192.168.0.0/24' }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'GatewayRouteTableId' });
    expectFailure(s.cp, 'DeleteGatewayRouteTableEntry', { GatewayRouteTableId: 'vtb-nope', DestinationCidrBlock: '192.168.0.0/24' }, 'ResourceNotFound.GatewayRouteTable', { status: 404 });
  });
});

describe('B6: AssociateRouteTableWithGateway / DissociateRouteTableFromGateway', () => {
  const setup = (active = true) => {
    const f = fixture();
    const gw = createGw(f);
    if (active) enable(f, gw);
    const gt = gatewayTable(f);
    const bind = (extra: Params = {}): Params => ({ RouteTableId: gt, GatewayId: gw, GatewayType: 'Ipv4Gateway', ...extra });
    return { ...f, gw, gt, bind };
  };

  it('B6: binds the gateway table to the active gateway (Ipv4GatewayRouteTableId); GatewayType defaults to Ipv4Gateway', () => {
    const s = setup();
    s.call('AssociateRouteTableWithGateway', s.bind());
    expect(attr(s, s.gw).Ipv4GatewayRouteTableId).toBe(s.gt);
    expect(s.cp.model.ipv4Gateways[0].Ipv4GatewayRouteTableId).toBe(s.gt);
    s.call('DissociateRouteTableFromGateway', { RouteTableId: s.gt, GatewayId: s.gw });
    s.call('AssociateRouteTableWithGateway', { RouteTableId: s.gt, GatewayId: s.gw });
    expect(attr(s, s.gw).Ipv4GatewayRouteTableId).toBe(s.gt);
  });

  it('B6: an Inactive gateway → OperationDenied.Ipv4GatewayNotActive', () => {
    const s = setup(false);
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind(), 'OperationDenied.Ipv4GatewayNotActive', { param: 'GatewayId' });
  });

  it('B6: binding the same table again → ResourceAlreadyAssociated.GatewayRouteTable', () => {
    const s = setup();
    s.call('AssociateRouteTableWithGateway', s.bind());
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind(), 'ResourceAlreadyAssociated.GatewayRouteTable', { param: 'RouteTableId' });
  });

  it('B1/B6: a gateway that already has another table → ResourceAlreadyAssociated.Ipv4Gateway', () => {
    // One gateway table per VPC makes this unreachable through the API alone, so the lab is
    // restored from a model where the gateway holds a table the VPC no longer has.
    const s = setup();
    const m = structuredClone(s.cp.model);
    m.ipv4Gateways[0].Ipv4GatewayRouteTableId = 'vtb-elsewhere';
    const cp = new ControlPlane('t-cloud-unit', m);
    expectFailure(cp, 'AssociateRouteTableWithGateway', s.bind(), 'ResourceAlreadyAssociated.Ipv4Gateway', { param: 'GatewayId' });
  });

  it('B6: a vSwitch table → OperationDenied.RouteTableTypeIncorrect', () => {
    const s = setup();
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ RouteTableId: s.systemRt }), 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ RouteTableId: s.table() }), 'OperationDenied.RouteTableTypeIncorrect');
  });

  it('B6: table and gateway in different VPCs → OperationDenied.GatewayAndTableNotInOneVpc', () => {
    const s = setup();
    const o = otherVpc(s);
    const farTable = gatewayTable(s, 'far', o.vpc);
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ RouteTableId: farTable }), 'OperationDenied.GatewayAndTableNotInOneVpc', { param: 'GatewayId' });
  });

  it('B6: unknown table → ResourceNotFound.GatewayRouteTable, unknown gateway → ResourceNotFound.Ipv4Gateway (404)', () => {
    const s = setup();
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ RouteTableId: 'vtb-nope' }), 'ResourceNotFound.GatewayRouteTable', { param: 'RouteTableId', status: 404 });
    expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ GatewayId: 'ipv4gw-nope' }), 'ResourceNotFound.Ipv4Gateway', { param: 'GatewayId', status: 404 });
  });

  it('B6: a GatewayType other than Ipv4Gateway → IllegalParam.GatewayType', () => {
    const s = setup();
    for (const t of ['IPv6Gateway', 'Ipv6Gateway', 'ipv4gateway']) {
      expectFailure(s.cp, 'AssociateRouteTableWithGateway', s.bind({ GatewayType: t }), 'IllegalParam.GatewayType', { param: 'GatewayType' });
    }
  });

  it('B6: DissociateRouteTableFromGateway unbinds; not bound → OperationFailed.NotExistAssociateRelation', () => {
    const s = setup();
    const un: Params = { RouteTableId: s.gt, GatewayId: s.gw, GatewayType: 'Ipv4Gateway' };
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', un, 'OperationFailed.NotExistAssociateRelation', { param: 'RouteTableId' });
    s.call('AssociateRouteTableWithGateway', s.bind());
    s.call('DissociateRouteTableFromGateway', un);
    expect(attr(s, s.gw).Ipv4GatewayRouteTableId).toBe('');
    expect(s.cp.model.ipv4Gateways[0]).not.toHaveProperty('Ipv4GatewayRouteTableId');
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', un, 'OperationFailed.NotExistAssociateRelation');
  });

  it('B6: DissociateRouteTableFromGateway errors: vSwitch table, unknown table or gateway, wrong GatewayType', () => {
    const s = setup();
    s.call('AssociateRouteTableWithGateway', s.bind());
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', { RouteTableId: s.systemRt, GatewayId: s.gw }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', { RouteTableId: 'vtb-nope', GatewayId: s.gw }, 'ResourceNotFound.GatewayRouteTable', { status: 404 });
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', { RouteTableId: s.gt, GatewayId: 'ipv4gw-nope' }, 'ResourceNotFound.Ipv4Gateway', { param: 'GatewayId', status: 404 });
    expectFailure(s.cp, 'DissociateRouteTableFromGateway', { RouteTableId: s.gt, GatewayId: s.gw, GatewayType: 'IPv6Gateway' }, 'IllegalParam.GatewayType');
  });
});

describe('B8/B9: DeleteIpv4Gateway', () => {
  const setup = () => {
    const f = fixture();
    const rtA = f.table('rt-a');
    f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    const gw = createGw(f);
    return { ...f, rtA, b, gw };
  };

  it('B8.1: a bound gateway table must be unbound first → DependencyViolation.GatewayRouteTableRelation (both modes)', () => {
    const s = setup();
    enable(s, s.gw);
    const gt = gatewayTable(s);
    s.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: s.gw });
    for (const m of ['private', 'public']) {
      expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: m }, 'DependencyViolation.GatewayRouteTableRelation', { param: 'Ipv4GatewayId' });
    }
    s.call('DissociateRouteTableFromGateway', { RouteTableId: gt, GatewayId: s.gw });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public' });
    expect(s.cp.model.ipv4Gateways).toEqual([]);
    // the gateway table outlives the gateway
    expect(rows(s, gt)).toHaveLength(2);
  });

  it('B8.2: private (the default) refuses while any route points at the gateway (DependencyViolation.RouteEntry), then leaves the VPC private', () => {
    const s = setup();
    enable(s, s.gw, [s.rtA, s.systemRt]);
    s.call('CreateRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.b });
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw }, 'DependencyViolation.RouteEntry', { param: 'Ipv4GatewayId' });
    s.call('DeleteRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '0.0.0.0/0' });
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'private' }, 'DependencyViolation.RouteEntry');
    s.call('DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '0.0.0.0/0' });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw });
    expect(s.cp.model.ipv4Gateways).toEqual([]);
    expect(mode(s)).toBe('private');
    expect(stored(s, s.rtA).map((e) => e.DestinationCidrBlock)).toEqual(['8.8.8.8/32']);
    expectFailure(s.cp, 'GetIpv4GatewayAttribute', { Ipv4GatewayId: s.gw }, 'ResourceNotFound.Ipv4Gateway', { status: 404 });
    type V = { Vpcs: { Vpc: { InternetMode: string }[] } };
    expect((s.call('DescribeVpcs', { VpcId: s.vpc }) as V).Vpcs.Vpc[0].InternetMode).toBe('private');
  });

  it('B8.3: public deletes every route entry whose next hop is the gateway, in every table, and the VPC returns to default', () => {
    const s = setup();
    enable(s, s.gw, [s.rtA, s.systemRt]);
    s.call('CreateRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: s.gw });
    s.call('CreateRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.b });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public' });
    expect(stored(s, s.rtA).map((e) => [e.DestinationCidrBlock, e.NextHopType])).toEqual([['8.8.8.8/32', 'Instance']]);
    expect(stored(s, s.systemRt)).toEqual([]);
    expect(mode(s)).toBe('default');
    expect(s.cp.model.ipv4Gateways).toEqual([]);
  });

  it('B8.3: public deletion leaves routes of other VPCs alone', () => {
    const s = setup();
    enable(s, s.gw, [s.systemRt]);
    const o = otherVpc(s);
    const far = createGw(s, {}, o.vpc);
    enable(s, far, [o.rt]);
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public' });
    expect(stored(s, o.rt).map((e) => e.NextHopId)).toEqual([far]);
    expect(attr(s, far).Enabled).toBe(true);
  });

  it('B9 [INF]: deleting an Inactive gateway leaves a default VPC default, whatever the mode', () => {
    for (const m of ['private', 'public']) {
      const s = setup();
      s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: m });
      expect(mode(s)).toBe('default');
    }
  });

  it('B8.2: private mode refuses while a route points at an Inactive gateway too; public removes it', () => {
    const s = setup();
    s.call('CreateRouteEntry', { RouteTableId: s.rtA, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Ipv4Gateway', NextHopId: s.gw });
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw }, 'DependencyViolation.RouteEntry');
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public' });
    expect(stored(s, s.rtA)).toEqual([]);
    expect(mode(s)).toBe('default');
  });

  it('B9 [INF]: PRIVATE --create+activate--> CONTROLLED (InternetMode back to default, the gateway Enabled)', () => {
    const s = setup();
    enable(s, s.gw);
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw });
    expect(mode(s)).toBe('private');
    const again = createGw(s);
    expect(mode(s)).toBe('private'); // creating alone changes nothing (B2: no effect before activation)
    enable(s, again, [s.rtA]);
    expect(mode(s)).toBe('default');
    expect(attr(s, again).Enabled).toBe(true);
  });

  it('B9 (engine choice): a private VPC stays private when its new, never-activated gateway is deleted in private mode; public restores default', () => {
    const s = setup();
    enable(s, s.gw);
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw });
    const g2 = createGw(s);
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: g2, InternetMode: 'private' });
    expect(mode(s)).toBe('private');
    const g3 = createGw(s);
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: g3, InternetMode: 'public' });
    expect(mode(s)).toBe('default');
  });

  it('B8.4: unknown gateway → ResourceNotFound.Ipv4Gateway (404); InternetMode is private or public (case-sensitive) → InvalidParameter', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: 'ipv4gw-nope' }, 'ResourceNotFound.Ipv4Gateway', { param: 'Ipv4GatewayId', status: 404 });
    for (const m of ['Public', 'PRIVATE', 'default']) {
      expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: m }, 'InvalidParameter', { param: 'InternetMode' });
    }
  });

  it('B1/B8: after deletion the VPC may create a gateway again, and the surviving gateway table binds to it once active', () => {
    const s = setup();
    enable(s, s.gw, [s.rtA]);
    const gt = gatewayTable(s);
    s.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: s.gw });
    s.call('DissociateRouteTableFromGateway', { RouteTableId: gt, GatewayId: s.gw });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public' });
    const g2 = createGw(s);
    expect(g2).not.toBe(s.gw);
    enable(s, g2, [s.rtA]);
    s.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: g2 });
    expect(attr(s, g2).Ipv4GatewayRouteTableId).toBe(gt);
  });

  it('B2: DryRun deletion → DryRunOperation, gateway and routes kept', () => {
    const s = setup();
    enable(s, s.gw, [s.rtA]);
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: s.gw, InternetMode: 'public', DryRun: true }, 'DryRunOperation');
  });
});

describe('seed 000 (S0): create → activate → gateway table → edit to ECS → bind → revert → unbind → delete', () => {
  const setup = () => {
    const f = fixture();
    const rtA = f.table('rt-vsw-a');
    f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
    const ecs1 = f.run('ECS1', f.vswA, '192.168.0.1');
    const ecs2 = f.run('ECS2', f.vswB, '192.168.1.1');
    for (const [i, ip] of [[ecs1, '47.96.10.1'], [ecs2, '47.96.10.2']]) f.call('AssociateEipAddress', { AllocationId: f.allocate(ip), InstanceId: i });
    return { ...f, rtA, ecs1, ecs2 };
  };

  /** Steps 1 and 2 of the seed; returns the gateway and its table. */
  const steps1and2 = (s: ReturnType<typeof setup>): { gw: string; gt: string } => {
    // Step 1: create (Inactive), then activate with the route tables of both ECS vSwitches.
    const gw = createGw(s, { Ipv4GatewayName: 'igw-000' });
    expect(attr(s, gw).ConsoleStatus).toBe('Inactive');
    enable(s, gw, [s.rtA, s.systemRt]);
    expect(attr(s, gw).ConsoleStatus).toBe('Active');
    for (const t of [s.rtA, s.systemRt]) expect(rows(s, t)).toContainEqual(['0.0.0.0/0', 'Custom', 'Ipv4Gateway', gw]);
    // Step 2.1: the Border Gateway table, one system entry per vSwitch.
    const gt = gatewayTable(s, 'igw-rt');
    expect(rows(s, gt)).toEqual([['192.168.0.0/24', 'System', 'Local', '-'], ['192.168.1.0/24', 'System', 'Local', '-']]);
    // Step 2.2: both entries edited to their ECS: they become custom entries, status Available (console: Active).
    edit(s, gt, '192.168.0.0/24', 'Instance', s.ecs1);
    edit(s, gt, '192.168.1.0/24', 'Instance', s.ecs2);
    expect(rows(s, gt)).toEqual([['192.168.0.0/24', 'Custom', 'Instance', s.ecs1], ['192.168.1.0/24', 'Custom', 'Instance', s.ecs2]]);
    expect(entries(s.cp, gt).map((e) => (e as unknown as { Status: string }).Status)).toEqual(['Available', 'Available']);
    // Step 2.3: bind to the gateway.
    s.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: gw, GatewayType: 'Ipv4Gateway' });
    expect(attr(s, gw).Ipv4GatewayRouteTableId).toBe(gt);
    return { gw, gt };
  };

  it('S0/B4/B6/B8.3: the full flow, deleted in public mode', () => {
    const s = setup();
    const { gw, gt } = steps1and2(s);
    // "Modify public inbound routes": an edited entry reverts to the system entry when deleted,
    // and a direct swap to another ECS is refused.
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: gt, DestinationCidrBlock: '192.168.1.0/24', NextHopType: 'Instance', NextHopId: s.ecs1 },
      'OperationDenied.EntryAlreadyCustomized');
    s.call('DeleteGatewayRouteTableEntry', { GatewayRouteTableId: gt, DestinationCidrBlock: '192.168.1.0/24' });
    edit(s, gt, '192.168.0.0/24', 'Local');
    expect(rows(s, gt).map((r) => r[1])).toEqual(['System', 'System']);
    // "Delete an IPv4 gateway": unbind first, then public mode removes the gateway's routes.
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: gw, InternetMode: 'public' }, 'DependencyViolation.GatewayRouteTableRelation');
    s.call('DissociateRouteTableFromGateway', { RouteTableId: gt, GatewayId: gw });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: gw, InternetMode: 'public' });
    expect(s.cp.model.ipv4Gateways).toEqual([]);
    for (const t of [s.rtA, s.systemRt]) expect(rows(s, t).some((r) => r[2] === 'Ipv4Gateway')).toBe(false);
    expect(mode(s)).toBe('default');
    // FAQ: the VPC is back in its initial state; EIPs are untouched.
    expect(s.cp.model.eips.map((e) => e.Status)).toEqual(['InUse', 'InUse']);
  });

  it('S0/B8.2/B9: the variant deleted in private mode (routes removed by the user first), then a new gateway restores control', () => {
    const s = setup();
    const { gw, gt } = steps1and2(s);
    s.call('DissociateRouteTableFromGateway', { RouteTableId: gt, GatewayId: gw });
    expectFailure(s.cp, 'DeleteIpv4Gateway', { Ipv4GatewayId: gw, InternetMode: 'private' }, 'DependencyViolation.RouteEntry');
    for (const t of [s.rtA, s.systemRt]) s.call('DeleteRouteEntry', { RouteTableId: t, DestinationCidrBlock: '0.0.0.0/0' });
    s.call('DeleteIpv4Gateway', { Ipv4GatewayId: gw, InternetMode: 'private' });
    expect(mode(s)).toBe('private');
    // the gateway table keeps its edited entries; it can serve the next gateway
    expect(rows(s, gt).map((r) => r[1])).toEqual(['Custom', 'Custom']);
    const g2 = createGw(s);
    enable(s, g2, [s.rtA, s.systemRt]);
    expect(mode(s)).toBe('default');
    s.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: g2 });
    expect(attr(s, g2)).toMatchObject({ ConsoleStatus: 'Active', Ipv4GatewayRouteTableId: gt });
  });
});

describe('seed 004 (S4, B5.4): the control-plane side of the test ladder', () => {
  it('S4/B4.3/B5.4: no IGW → activate without tables → 8.8.4.4 via RT A → 8.8.8.8 via RT B and ECS-B in the gateway table', () => {
    const f = fixture();
    const rtA = f.table('RT-A');
    const rtB = f.table('RT-B');
    f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
    f.call('AssociateRouteTable', { RouteTableId: rtB, VSwitchId: f.vswB });
    const a = f.run('ECS-A', f.vswA, '192.168.0.1');
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    for (const i of [a, b]) f.call('AssociateEipAddress', { AllocationId: f.allocate(), InstanceId: i });
    // pre: RT A routes 8.8.8.8 to ECS-B (ignored by the EIP path in default mode, A9).
    f.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: b });
    expect(mode(f)).toBe('default');
    // step 3: create and activate without choosing tables: no default route anywhere.
    const gw = createGw(f, { Ipv4GatewayName: 'igw-004' });
    expect(attr(f, gw).ConsoleStatus).toBe('Inactive');
    enable(f, gw, []);
    expect(attr(f, gw).ConsoleStatus).toBe('Active');
    for (const t of [f.systemRt, rtA, rtB]) expect(rows(f, t).some((r) => r[0] === '0.0.0.0/0')).toBe(false);
    expect(rows(f, rtA).filter((r) => r[1] === 'Custom')).toEqual([['8.8.8.8/32', 'Custom', 'Instance', b]]);
    // step 4: RT A + 8.8.4.4/32 → Ipv4Gateway.
    f.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: gw });
    // step 5: RT B + 8.8.8.8/32 → Ipv4Gateway; ECS-B forwards; gateway table 192.168.0.0/24 → ECS-B, bound.
    f.call('CreateRouteEntry', { RouteTableId: rtB, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Ipv4Gateway', NextHopId: gw });
    const gt = gatewayTable(f, 'RT-IGW');
    edit(f, gt, '192.168.0.0/24', 'Instance', b);
    f.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: gw, GatewayType: 'Ipv4Gateway' });
    expect(rows(f, rtA).filter((r) => r[1] === 'Custom')).toEqual([['8.8.8.8/32', 'Custom', 'Instance', b], ['8.8.4.4/32', 'Custom', 'Ipv4Gateway', gw]]);
    expect(rows(f, rtB).filter((r) => r[1] === 'Custom')).toEqual([['8.8.8.8/32', 'Custom', 'Ipv4Gateway', gw]]);
    expect(rows(f, gt)).toEqual([['192.168.0.0/24', 'Custom', 'Instance', b], ['192.168.1.0/24', 'System', 'Local', '-']]);
    expect(attr(f, gw)).toMatchObject({ Enabled: true, Ipv4GatewayRouteTableId: gt });
    // [S4] 3-4: no way back but deletion; the 2022 API deleted in private mode.
    expectFailure(f.cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: gw }, 'OperationFailed.Ipv4GatewayAlreadyActive.');
  });
});
