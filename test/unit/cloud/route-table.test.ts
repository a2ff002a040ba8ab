// Route tables, binding and entries (SEMANTICS A2–A6).

import { describe, expect, it } from 'vitest';
import { NEXT_HOP_TYPES, MODELLED_NEXT_HOPS } from '../../../src/main/cloud/actions/route-table';
import { entries, expectFailure, fixture } from './helpers';

const rtOf = (f: ReturnType<typeof fixture>, vsw: string): string => f.cp.model.vswitches.find((v) => v.VSwitchId === vsw)!.RouteTableId;

describe('A2: route table kinds and counts', () => {
  it('A2: CreateRouteTable makes a custom vSwitch-type table with no custom entries', () => {
    const f = fixture();
    const rt = f.table('rt-a');
    expect(f.cp.model.routeTables.find((t) => t.RouteTableId === rt)).toEqual({
      RouteTableId: rt, RouteTableName: 'rt-a', VpcId: f.vpc, RouteTableType: 'Custom', AssociateType: 'VSwitch', Entries: [],
    });
    f.call('CreateRouteTable', { VpcId: f.vpc, AssociateType: 'VSwitch' });
  });

  it('A2: the 11th table in a VPC (system + 9 custom already) → QuotaExceeded.RouteTable', () => {
    const f = fixture();
    for (let k = 0; k < 9; k++) f.table(`rt-${k}`);
    expect(f.cp.model.routeTables.filter((t) => t.VpcId === f.vpc)).toHaveLength(10);
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: f.vpc }, 'QuotaExceeded.RouteTable', { param: 'VpcId' });
    // the quota is per VPC
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    f.call('CreateRouteTable', { VpcId: other });
  });

  it('A2/B6: AssociateType=Gateway makes a gateway table (one per VPC: ipv4-gateway.test.ts); other types → InvalidParameter', () => {
    const f = fixture();
    const gt = f.call('CreateRouteTable', { VpcId: f.vpc, AssociateType: 'Gateway' }).RouteTableId as string;
    expect(f.cp.model.routeTables.find((t) => t.RouteTableId === gt)).toMatchObject({ RouteTableType: 'Custom', AssociateType: 'Gateway', Entries: [] });
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: f.vpc, AssociateType: 'Router' }, 'InvalidParameter', { param: 'AssociateType' });
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: 'vpc-nope' }, 'InvalidVpcId.NotFound', { param: 'VpcId', status: 404 });
  });

  it('A2: DescribeRouteTableList shows types and bound vSwitches, filtered by VpcId / RouteTableId', () => {
    const f = fixture();
    const rt = f.table('rt-a');
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    type R = { TotalCount: number; RouterTableList: { RouterTableListType: { RouteTableId: string; RouteTableType: string; Status: string; VSwitchIds: { VSwitchId: string[] } }[] } };
    const all = f.call('DescribeRouteTableList', { VpcId: f.vpc }) as R;
    expect(all.TotalCount).toBe(2);
    expect(all.RouterTableList.RouterTableListType.map((t) => [t.RouteTableId, t.RouteTableType, t.Status, t.VSwitchIds.VSwitchId])).toEqual([
      [f.systemRt, 'System', 'Available', [f.vswB]],
      [rt, 'Custom', 'Available', [f.vswA]],
    ]);
    expect((f.call('DescribeRouteTableList', { RouteTableId: rt }) as R).TotalCount).toBe(1);
    expect((f.call('DescribeRouteTableList', { VpcId: 'vpc-other' }) as R).TotalCount).toBe(0);
  });
});

describe('A3: binding', () => {
  it('A3: AssociateRouteTable binds a vSwitch to a custom table', () => {
    const f = fixture();
    const rt = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    expect(rtOf(f, f.vswA)).toBe(rt);
    expect(rtOf(f, f.vswB)).toBe(f.systemRt);
  });

  it('A3: one table may serve many vSwitches', () => {
    const f = fixture();
    const rt = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswB });
    expect([rtOf(f, f.vswA), rtOf(f, f.vswB)]).toEqual([rt, rt]);
  });

  it('A3: re-binding the same table → ResourceAlreadyAssociated.RouteTable', () => {
    const f = fixture();
    const rt = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA }, 'ResourceAlreadyAssociated.RouteTable', { param: 'VSwitchId' });
  });

  it('A3: binding another custom table is a direct replacement', () => {
    const f = fixture();
    const rt1 = f.table();
    const rt2 = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt1, VSwitchId: f.vswA });
    f.call('AssociateRouteTable', { RouteTableId: rt2, VSwitchId: f.vswA });
    expect(rtOf(f, f.vswA)).toBe(rt2);
    // the old table no longer holds it
    expectFailure(f.cp, 'UnassociateRouteTable', { RouteTableId: rt1, VSwitchId: f.vswA }, 'OperationFailed.NotExistAssociateRelation', { param: 'VSwitchId' });
  });

  it('A3: UnassociateRouteTable returns the vSwitch to the system table', () => {
    const f = fixture();
    const rt = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    f.call('UnassociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    expect(rtOf(f, f.vswA)).toBe(f.systemRt);
  });

  it('A3: unassociating a table that is not bound → OperationFailed.NotExistAssociateRelation', () => {
    const f = fixture();
    const rt = f.table();
    expectFailure(f.cp, 'UnassociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA }, 'OperationFailed.NotExistAssociateRelation', { param: 'VSwitchId' });
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    expectFailure(f.cp, 'UnassociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswB }, 'OperationFailed.NotExistAssociateRelation', { param: 'VSwitchId' });
  });

  it('A3: binding or unbinding the system table → OperationDenied.RouteTableTypeIncorrect', () => {
    const f = fixture();
    const rt = f.table();
    f.call('AssociateRouteTable', { RouteTableId: rt, VSwitchId: f.vswA });
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: f.systemRt, VSwitchId: f.vswA }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
    expectFailure(f.cp, 'UnassociateRouteTable', { RouteTableId: f.systemRt, VSwitchId: f.vswB }, 'OperationDenied.RouteTableTypeIncorrect', { param: 'RouteTableId' });
  });

  it('A3: a vSwitch of another VPC is refused', () => {
    const f = fixture();
    const rt = f.table();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const vsw = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: rt, VSwitchId: vsw }, 'OperationDenied.VpcNotMatch', { param: 'VSwitchId' });
  });

  it('A3: unknown table or vSwitch → NotFound (404)', () => {
    const f = fixture();
    const rt = f.table();
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: 'vtb-nope', VSwitchId: f.vswA }, 'InvalidRouteTableId.NotFound', { status: 404 });
    expectFailure(f.cp, 'AssociateRouteTable', { RouteTableId: rt, VSwitchId: 'vsw-nope' }, 'InvalidVSwitchId.NotFound', { param: 'VSwitchId', status: 404 });
  });
});

describe('A4: system entries', () => {
  it('A4: DescribeRouteEntryList shows one System entry per vSwitch CIDR (next hop "-") plus 100.64.0.0/10, in system and custom tables', () => {
    const f = fixture();
    const rt = f.table();
    for (const t of [f.systemRt, rt]) {
      const list = entries(f.cp, t);
      expect(list).toHaveLength(3);
      expect(list.map((e) => [e.DestinationCidrBlock, e.Type, e.NextHopId, e.RouteTableId])).toEqual([
        ['192.168.0.0/24', 'System', '-', t],
        ['192.168.1.0/24', 'System', '-', t],
        ['100.64.0.0/10', 'System', '-', t],
      ]);
      for (const e of list) expect(e.RouteEntryId).toBeUndefined();
    }
  });

  it('A4: system entries cover only the table\'s own VPC', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' });
    f.call('CreateVSwitch', { VpcId: other.VpcId as string, ZoneId: 'z', CidrBlock: '10.1.0.0/24' });
    expect(entries(f.cp, other.RouteTableId as string).map((e) => e.DestinationCidrBlock)).toEqual(['10.1.0.0/24', '100.64.0.0/10']);
    expect(entries(f.cp, f.systemRt).map((e) => e.DestinationCidrBlock)).not.toContain('10.1.0.0/24');
  });

  it('A4: a VPC without vSwitches still has the 100.64.0.0/10 system entry', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' });
    expect(entries(f.cp, other.RouteTableId as string).map((e) => [e.DestinationCidrBlock, e.Type])).toEqual([['100.64.0.0/10', 'System']]);
  });

  it('A4: custom entries follow the system ones and show their next hop and ID', () => {
    const f = fixture();
    const i = f.run('ECS-B', f.vswB, '192.168.1.1');
    const id = f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: i, RouteEntryName: 'to-b' }).RouteEntryId;
    const last = entries(f.cp, f.systemRt).at(-1)!;
    expect(last).toMatchObject({ DestinationCidrBlock: '8.8.8.8/32', Type: 'Custom', NextHopType: 'Instance', NextHopId: i, RouteEntryId: id, RouteEntryName: 'to-b', Status: 'Available' });
  });

  it('A4: system entries cannot be deleted → IncorrectRouteEntryStatus (vSwitch CIDR and 100.64.0.0/10)', () => {
    const f = fixture();
    const rt = f.table();
    for (const t of [f.systemRt, rt]) {
      expectFailure(f.cp, 'DeleteRouteEntry', { RouteTableId: t, DestinationCidrBlock: '192.168.0.0/24' }, 'IncorrectRouteEntryStatus', { param: 'DestinationCidrBlock' });
      expectFailure(f.cp, 'DeleteRouteEntry', { RouteTableId: t, DestinationCidrBlock: '100.64.0.0/10' }, 'IncorrectRouteEntryStatus');
    }
  });
});

describe('A5: custom entries', () => {
  const setup = () => {
    const f = fixture();
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    const add = (dst: string, extra: Record<string, string> = {}, rt = f.systemRt) =>
      f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: dst, NextHopType: 'Instance', NextHopId: b, ...extra });
    const fail = (dst: string, code: string, extra: Record<string, string> = {}, param?: string) =>
      expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: dst, NextHopId: b, ...extra }, code, { param });
    return { ...f, b, add, fail };
  };

  it('A5: a destination equal to a vSwitch CIDR is refused with InvalidCidrBlock', () => {
    const s = setup();
    s.fail('192.168.0.0/24', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
    s.fail('192.168.1.0/24', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
  });

  it('A5: a destination inside a vSwitch CIDR is refused with InvalidCidrBlock (also a bare IP)', () => {
    const s = setup();
    s.fail('192.168.0.128/25', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
    s.fail('192.168.1.7', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
    s.fail('192.168.0.1/32', 'InvalidCidrBlock');
  });

  it('A5: a destination containing a vSwitch CIDR is allowed (VPC CIDR, /23, 0.0.0.0/0)', () => {
    const s = setup();
    s.add('192.168.0.0/23');
    s.add('192.168.0.0/16');
    s.add('0.0.0.0/0');
    expect(s.cp.model.routeTables[0].Entries.map((e) => e.DestinationCidrBlock)).toEqual(['192.168.0.0/23', '192.168.0.0/16', '0.0.0.0/0']);
  });

  it('A5: 100.64.0.0/10 and its subnets are refused with InvalidCidrBlock; a block containing it is allowed', () => {
    const s = setup();
    s.fail('100.64.0.0/10', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
    s.fail('100.100.2.0/24', 'InvalidCidrBlock', {}, 'DestinationCidrBlock');
    s.fail('100.100.2.136', 'InvalidCidrBlock');
    s.fail('100.127.255.255/32', 'InvalidCidrBlock');
    s.add('100.0.0.0/8');
    s.add('100.128.0.0/10'); // the neighbouring /10 is ordinary
  });

  it('A5: a duplicate destination → VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE', () => {
    const s = setup();
    s.add('10.0.0.0/8');
    s.fail('10.0.0.0/8', 'VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE', {}, 'DestinationCidrBlock');
  });

  it('A5: a bare IP is stored as /32, so 8.8.8.8 and 8.8.8.8/32 are duplicates (both orders)', () => {
    const s = setup();
    s.add('8.8.8.8');
    expect(s.cp.model.routeTables[0].Entries[0].DestinationCidrBlock).toBe('8.8.8.8/32');
    s.fail('8.8.8.8/32', 'VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE');
    s.add('8.8.4.4/32');
    s.fail('8.8.4.4', 'VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE');
  });

  it('A5: destinations are unique per table, not per VPC', () => {
    const s = setup();
    const rt = s.table();
    s.add('8.8.8.8/32');
    s.add('8.8.8.8/32', {}, rt);
    expect(entries(s.cp, rt).filter((e) => e.Type === 'Custom')).toHaveLength(1);
  });

  it('A5: a malformed CIDR → InvalidCidrBlock.Malformed', () => {
    const s = setup();
    for (const bad of ['8.8.8', '8.8.8.8/33', 'default', '8.8.8.256', '8.8.8.8/-1', '8.8.8.8/']) {
      s.fail(bad, 'InvalidCidrBlock.Malformed', {}, 'DestinationCidrBlock');
    }
  });

  it('A5: host bits set (8.8.8.8/24) are refused with InvalidCidrBlock.Malformed', () => {
    const s = setup();
    s.fail('8.8.8.8/24', 'InvalidCidrBlock.Malformed', {}, 'DestinationCidrBlock');
    s.fail('0.0.0.1/0', 'InvalidCidrBlock.Malformed');
  });

  it('A5: 200 custom entries fit, the 201st → QuotaExceeded', () => {
    const s = setup();
    for (let k = 0; k < 200; k++) s.add(`10.${k >> 8}.${k & 255}.0/24`);
    expect(s.cp.model.routeTables[0].Entries).toHaveLength(200);
    s.fail('11.0.0.0/24', 'QuotaExceeded', {}, 'RouteTableId');
    // the quota is per table
    s.add('11.0.0.0/24', {}, s.table());
  });

  it('A5: several entries may share a next hop', () => {
    const s = setup();
    s.add('8.8.8.8');
    s.add('8.8.4.4');
    expect(new Set(s.cp.model.routeTables[0].Entries.map((e) => e.NextHopId)).size).toBe(1);
  });

  it('A5: a next hop in another VPC is refused', () => {
    const s = setup();
    const other = s.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const vsw = s.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    const far = s.run('far', vsw);
    s.fail('8.8.8.8/32', 'InvalidInstanceId.NotFound', { NextHopId: far }, 'NextHopId');
  });

  it('A5: NextHopId is mandatory; an unknown instance is InvalidInstanceId.NotFound (404)', () => {
    const s = setup();
    expectFailure(s.cp, 'CreateRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/32' }, 'MissingParameter', { param: 'NextHopId' });
    s.fail('8.8.8.8/32', 'InvalidInstanceId.NotFound', { NextHopId: 'i-nope' }, 'NextHopId');
  });

  it('A6: NextHopType defaults to Instance', () => {
    const s = setup();
    s.call('CreateRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.b });
    expect(s.cp.model.routeTables[0].Entries[0].NextHopType).toBe('Instance');
  });

  it('A6: an unknown NextHopType → InvalidNextHopType.NotSupported', () => {
    const s = setup();
    for (const t of ['Foo', 'instance', 'Local', 'ipv4gateway']) s.fail('8.8.8.8/32', 'InvalidNextHopType.NotSupported', { NextHopType: t }, 'NextHopType');
  });

  it('A6: every API next-hop type not modelled yet → UnsupportedFeature.NextHopType (Instance, Ipv4Gateway, NatGateway, GatewayLoadBalancerEndpoint, VpnGateway and Attachment are modelled)', () => {
    const s = setup();
    expect(NEXT_HOP_TYPES).toHaveLength(13);
    expect([...MODELLED_NEXT_HOPS].sort()).toEqual(['Attachment', 'GatewayLoadBalancerEndpoint', 'Instance', 'Ipv4Gateway', 'NatGateway', 'VpnGateway']);
    const unmodelled = NEXT_HOP_TYPES.filter((t) => !MODELLED_NEXT_HOPS.has(t));
    expect(unmodelled).toHaveLength(7);
    for (const t of unmodelled) s.fail('8.8.8.8/32', 'UnsupportedFeature.NextHopType', { NextHopType: t, NextHopId: 'x' }, 'NextHopType');
  });

  it('A5: a bad RouteEntryName → InvalidRouteEntryName.Malformed', () => {
    const s = setup();
    s.fail('8.8.8.8/32', 'InvalidRouteEntryName.Malformed', { RouteEntryName: 'https://x' }, 'RouteEntryName');
  });

  it('A5: an unknown table → InvalidRouteTableId.NotFound (404)', () => {
    const s = setup();
    expectFailure(s.cp, 'CreateRouteEntry', { RouteTableId: 'vtb-nope', DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.b }, 'InvalidRouteTableId.NotFound', { param: 'RouteTableId', status: 404 });
  });
});

describe('A5: DeleteRouteEntry', () => {
  const setup = () => {
    const f = fixture();
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    const c = f.run('ECS-C', f.vswB, '192.168.1.2');
    const id1 = f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: b }).RouteEntryId as string;
    const id2 = f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '8.8.4.4/32', NextHopId: c }).RouteEntryId as string;
    const custom = (): string[] => f.cp.model.routeTables[0].Entries.map((e) => e.DestinationCidrBlock);
    return { ...f, b, c, id1, id2, custom };
  };

  it('A5: DeleteRouteEntry by destination (bare IP read as /32)', () => {
    const s = setup();
    s.call('DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8' });
    expect(s.custom()).toEqual(['8.8.4.4/32']);
  });

  it('A5: DeleteRouteEntry by destination with a matching / non-matching NextHopId', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.c }, 'InvalidRouteEntry.NotFound', { param: 'DestinationCidrBlock' });
    s.call('DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.b });
    expect(s.custom()).toEqual(['8.8.4.4/32']);
  });

  it('A5: DeleteRouteEntry by RouteEntryId, with or without RouteTableId', () => {
    const s = setup();
    s.call('DeleteRouteEntry', { RouteEntryId: s.id2 });
    expect(s.custom()).toEqual(['8.8.8.8/32']);
    s.call('DeleteRouteEntry', { RouteTableId: s.systemRt, RouteEntryId: s.id1 });
    expect(s.custom()).toEqual([]);
  });

  it('A5: after deletion the destination may be added again', () => {
    const s = setup();
    s.call('DeleteRouteEntry', { RouteEntryId: s.id1 });
    s.call('CreateRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: s.c });
    expect(s.cp.model.routeTables[0].Entries.find((e) => e.DestinationCidrBlock === '8.8.8.8/32')!.NextHopId).toBe(s.c);
  });

  it('A5: deleting a missing entry → InvalidRouteEntry.NotFound (by destination, by ID, by ID in the wrong table)', () => {
    const s = setup();
    const rt = s.table();
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '1.1.1.1/32' }, 'InvalidRouteEntry.NotFound', { param: 'DestinationCidrBlock' });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.systemRt, RouteEntryId: 'rte-nope' }, 'InvalidRouteEntry.NotFound', { param: 'RouteEntryId' });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: rt, RouteEntryId: s.id1 }, 'InvalidRouteEntry.NotFound', { param: 'RouteEntryId' });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteEntryId: 'rte-nope' }, 'InvalidRouteEntry.NotFound', { param: 'RouteEntryId' });
  });

  it('A5: deleting twice → the second call is InvalidRouteEntry.NotFound', () => {
    const s = setup();
    s.call('DeleteRouteEntry', { RouteEntryId: s.id1 });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteEntryId: s.id1 }, 'InvalidRouteEntry.NotFound', { param: 'RouteEntryId' });
  });

  it('A5: DeleteRouteEntry without RouteEntryId needs RouteTableId and DestinationCidrBlock; a malformed one → InvalidCidrBlock.Malformed', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteRouteEntry', { DestinationCidrBlock: '8.8.8.8/32' }, 'MissingParameter', { param: 'RouteTableId' });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.systemRt }, 'MissingParameter', { param: 'DestinationCidrBlock' });
    expectFailure(s.cp, 'DeleteRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '8.8.8.8/24' }, 'InvalidCidrBlock.Malformed', { param: 'DestinationCidrBlock' });
  });

  it('A5: an instance that is a next hop cannot be deleted (DependencyViolation.RouteEntry) until the entry goes', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteInstance', { InstanceId: s.b }, 'DependencyViolation.RouteEntry', { param: 'InstanceId' });
    s.call('DeleteRouteEntry', { RouteEntryId: s.id1 });
    s.call('DeleteInstance', { InstanceId: s.b });
    expect(s.cp.model.instances.map((i) => i.InstanceName)).toEqual(['ECS-C']);
  });
});

describe('A5: ModifyRouteEntry (seed 002: "modify the next hop of a route entry")', () => {
  it('A5: changes a custom entry\'s next hop and name; the destination stays', () => {
    const f = fixture();
    const a = f.run('ECS-A', f.vswA);
    const b = f.run('ECS-B', f.vswB);
    const rt = f.table('rt-a');
    const id = f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: a }).RouteEntryId as string;
    f.call('ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'Instance', NewNextHopId: b, RouteEntryName: 'via-b' });
    expect(f.cp.model.routeTables.find((t) => t.RouteTableId === rt)!.Entries).toEqual([
      expect.objectContaining({ RouteEntryId: id, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: b, RouteEntryName: 'via-b' }),
    ]);
    const igw = f.call('CreateIpv4Gateway', { VpcId: f.vpc }).Ipv4GatewayId as string;
    f.call('ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'Ipv4Gateway', NewNextHopId: igw });
    expect(entries(f.cp, rt).find((e) => e.RouteEntryId === id)).toMatchObject({ NextHopType: 'Ipv4Gateway', NextHopId: igw, RouteEntryName: 'via-b' });
  });

  it('A5: refuses what CreateRouteEntry refuses, and changes nothing', () => {
    const f = fixture();
    const a = f.run('ECS-A', f.vswA);
    const rt = f.table('rt-a');
    const id = f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: a }).RouteEntryId as string;
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const otherVsw = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'ap-northeast-1a', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    const stranger = f.run('ECS-X', otherVsw);
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: id, NewNextHopId: stranger }, 'InvalidInstanceId.NotFound', { param: 'NewNextHopId' });
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'HaVip', NewNextHopId: 'havip-1' }, 'UnsupportedFeature.NextHopType', { param: 'NewNextHopType' });
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'Teleport', NewNextHopId: a }, 'InvalidNextHopType.NotSupported', { param: 'NewNextHopType' });
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'Instance' }, 'MissingParameter', { param: 'NewNextHopId' });
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: 'rte-nope', NewNextHopId: a }, 'InvalidRouteEntry.NotFound', { param: 'RouteEntryId' });
    expectFailure(f.cp, 'ModifyRouteEntry', { RouteEntryId: id, RouteEntryName: 'http://x' }, 'InvalidRouteEntryName.Malformed', { param: 'RouteEntryName' });
    expectFailure(f.cp, 'ModifyRouteEntry', {}, 'MissingParameter', { param: 'RouteEntryId' });
  });
});
