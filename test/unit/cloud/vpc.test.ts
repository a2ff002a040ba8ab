// CreateVpc / CreateVSwitch and their Describe calls (SEMANTICS A1, A2.1, A4, A5 reverse check).

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { cidrOf, contains, containsIp, gatewayOf, isReserved, overlaps, CLOUD_SERVICE_CIDR } from '../../../src/main/cloud/cidr';
import { parseIp } from '../../../src/main/engine/wire/ipv4';
import { entries, expectFailure, fixture } from './helpers';

describe('cidr.ts', () => {
  it('A1: contains/overlaps: equal counts as contained, disjoint blocks do not overlap', () => {
    const vpc = cidrOf('192.168.0.0/16');
    const a = cidrOf('192.168.0.0/24');
    expect(contains(vpc, a)).toBe(true);
    expect(contains(a, vpc)).toBe(false);
    expect(contains(a, cidrOf('192.168.0.0/24'))).toBe(true);
    expect(overlaps(a, vpc)).toBe(true);
    expect(overlaps(a, cidrOf('192.168.1.0/24'))).toBe(false);
    expect(contains(cidrOf('0.0.0.0/0'), cidrOf('255.255.255.255'))).toBe(true);
    expect(cidrOf('8.8.8.8')).toEqual({ addr: parseIp('8.8.8.8'), len: 32, mask: 0xffffffff });
    expect(containsIp(a, parseIp('192.168.0.77'))).toBe(true);
    expect(containsIp(a, parseIp('192.168.1.77'))).toBe(false);
  });

  it('A1: the first address and the last three of a vSwitch are reserved (.0, .253, .254, .255 of a /24)', () => {
    const a = cidrOf('192.168.1.0/24');
    const reserved = [0, 253, 254, 255];
    for (let i = 0; i < 256; i++) expect(isReserved(a, parseIp(`192.168.1.${i}`)), `.${i}`).toBe(reserved.includes(i));
    const small = cidrOf('10.0.0.8/29');
    expect([8, 9, 10, 11, 12, 13, 14, 15].filter((i) => isReserved(small, parseIp(`10.0.0.${i}`)))).toEqual([8, 13, 14, 15]);
  });

  it('A1: the vSwitch gateway is the first of the reserved trio (.253 of a /24)', () => {
    expect(gatewayOf(cidrOf('192.168.1.0/24'))).toBe(parseIp('192.168.1.253'));
    expect(gatewayOf(cidrOf('10.0.0.0/16'))).toBe(parseIp('10.0.255.253'));
    expect(gatewayOf(cidrOf('10.0.0.8/29'))).toBe(parseIp('10.0.0.13'));
    expect(CLOUD_SERVICE_CIDR).toBe('100.64.0.0/10');
  });
});

describe('CreateVpc', () => {
  it('A2: CreateVpc creates its System route table (vSwitch type, no custom entries) and returns its ID', () => {
    const cp = new ControlPlane('t-vpc');
    const r = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8', VpcName: 'main' });
    const vpc = cp.model.vpcs[0];
    expect(vpc).toEqual({ VpcId: r.VpcId, VpcName: 'main', CidrBlock: '10.0.0.0/8', Status: 'Available', RouteTableId: r.RouteTableId, InternetMode: 'default' });
    expect(cp.model.routeTables).toEqual([
      { RouteTableId: r.RouteTableId, RouteTableName: '', VpcId: r.VpcId, RouteTableType: 'System', AssociateType: 'VSwitch', Entries: [] },
    ]);
    const list = cp.invoke('DescribeRouteTableList', { VpcId: r.VpcId as string }) as { TotalCount: number; RouterTableList: { RouterTableListType: { RouteTableType: string; VSwitchIds: { VSwitchId: string[] } }[] } };
    expect(list.TotalCount).toBe(1);
    expect(list.RouterTableList.RouterTableListType[0]).toMatchObject({ RouteTableType: 'System', VSwitchIds: { VSwitchId: [] } });
  });

  it('A2: each VPC gets its own system table', () => {
    const cp = new ControlPlane('t-vpc2');
    const a = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16' });
    const b = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16' });
    expect(a.RouteTableId).not.toBe(b.RouteTableId);
    expect(cp.model.routeTables.map((t) => [t.VpcId, t.RouteTableType])).toEqual([[a.VpcId, 'System'], [b.VpcId, 'System']]);
  });

  it('A1: a malformed VPC CIDR, host bits, or a mask outside /8-/28 → InvalidCidrBlock.Malformed', () => {
    const f = fixture();
    for (const c of ['10.0.0.0/7', '10.0.0.0/29', '10.0.0.1/8', 'ten/8', '10.0.0.0', '192.168.0.0/33']) {
      expectFailure(f.cp, 'CreateVpc', { CidrBlock: c }, 'InvalidCidrBlock.Malformed', { param: 'CidrBlock' });
    }
  });

  it('A4: a VPC may not overlap the cloud-service range 100.64.0.0/10', () => {
    const f = fixture();
    for (const c of ['100.64.0.0/10', '100.100.0.0/16', '100.0.0.0/8']) expectFailure(f.cp, 'CreateVpc', { CidrBlock: c }, 'InvalidCidrBlock.Malformed', { param: 'CidrBlock' });
    f.call('CreateVpc', { CidrBlock: '100.128.0.0/16' });
  });

  it('A1: DescribeVpcs lists vSwitch IDs and filters by VpcId', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const all = f.call('DescribeVpcs') as { TotalCount: number; Vpcs: { Vpc: { VpcId: string; VSwitchIds: { VSwitchId: string[] } }[] } };
    expect(all.TotalCount).toBe(2);
    expect(all.Vpcs.Vpc[0].VSwitchIds.VSwitchId).toEqual([f.vswA, f.vswB]);
    expect(all.Vpcs.Vpc[1].VSwitchIds.VSwitchId).toEqual([]);
    const one = f.call('DescribeVpcs', { VpcId: other }) as typeof all;
    expect(one.Vpcs.Vpc.map((v) => v.VpcId)).toEqual([other]);
  });
});

describe('CreateVSwitch', () => {
  it('A2: a new vSwitch is bound to the system route table by default', () => {
    const f = fixture();
    expect(f.cp.model.vswitches.map((v) => v.RouteTableId)).toEqual([f.systemRt, f.systemRt]);
    expect(f.cp.model.vswitches[0]).toMatchObject({ VpcId: f.vpc, CidrBlock: '192.168.0.0/24', ZoneId: 'ap-northeast-1a', Status: 'Available' });
  });

  it('A1: a vSwitch CIDR outside the VPC → InvalidParameter', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }, 'InvalidParameter', { param: 'CidrBlock' });
    // straddling the VPC edge: contains the VPC rather than being inside it
    const small = f.call('CreateVpc', { CidrBlock: '172.16.0.0/20' }).VpcId as string;
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: small, ZoneId: 'z', CidrBlock: '172.16.0.0/16' }, 'InvalidParameter', { param: 'CidrBlock' });
  });

  it('A1: a vSwitch equal to the whole VPC CIDR is allowed', () => {
    const cp = new ControlPlane('t-whole');
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '172.16.0.0/16' }).VpcId as string;
    cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '172.16.0.0/16' });
    expect(cp.model.vswitches).toHaveLength(1);
  });

  it('A1: overlapping vSwitches → InvalidCidrBlock.Overlapped (equal, inside, containing)', () => {
    const f = fixture();
    for (const c of ['192.168.0.0/24', '192.168.0.128/25', '192.168.0.0/23', '192.168.0.0/16']) {
      expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: c }, 'InvalidCidrBlock.Overlapped', { param: 'CidrBlock' });
    }
  });

  it('A1: the same CIDR in another VPC does not overlap', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '192.168.0.0/16' }).VpcId as string;
    f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '192.168.0.0/24' });
    expect(f.cp.model.vswitches).toHaveLength(3);
  });

  it('A1: vSwitch masks outside /16-/29, host bits, and garbage → InvalidCidrBlock.Malformed', () => {
    const cp = new ControlPlane('t-mask');
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    for (const c of ['10.0.0.0/15', '10.0.0.0/30', '10.0.0.0/32', '10.0.0.1/24', 'nope']) {
      expectFailure(cp, 'CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: c }, 'InvalidCidrBlock.Malformed', { param: 'CidrBlock' });
    }
    cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '10.0.0.0/16' });
    cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '10.1.0.0/29' });
  });

  it('A5: a new vSwitch may not equal or contain an existing custom route destination', () => {
    const f = fixture();
    const i = f.run('ECS-A', f.vswA);
    f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '192.168.8.0/24', NextHopId: i });
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.8.0/24' }, 'InvalidCidrBlock.Overlapped', { param: 'CidrBlock' });
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.8.0/23' }, 'InvalidCidrBlock.Overlapped', { param: 'CidrBlock' });
    // a custom table's entry counts as well
    const rt = f.table();
    f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '192.168.20.0/24', NextHopId: i });
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.20.0/24' }, 'InvalidCidrBlock.Overlapped');
    // a vSwitch inside a broader custom destination is fine (the destination contains it)
    f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '192.168.64.0/18', NextHopId: i });
    f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.65.0/24' });
  });

  it('A4: a vSwitch created later appears as a system entry in every existing vSwitch-type table', () => {
    const f = fixture();
    const rt = f.table();
    const late = f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.9.0/24' }).VSwitchId as string;
    for (const t of [f.systemRt, rt]) {
      expect(entries(f.cp, t).filter((e) => e.Type === 'System').map((e) => e.DestinationCidrBlock)).toEqual([
        '192.168.0.0/24', '192.168.1.0/24', '192.168.9.0/24', '100.64.0.0/10',
      ]);
    }
    expect(f.cp.model.vswitches.find((v) => v.VSwitchId === late)!.RouteTableId).toBe(f.systemRt);
  });

  it('A1: DescribeVSwitches filters by VpcId and VSwitchId', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const o = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }).VSwitchId;
    type R = { TotalCount: number; VSwitches: { VSwitch: { VSwitchId: string }[] } };
    const ids = (r: R): string[] => r.VSwitches.VSwitch.map((v) => v.VSwitchId);
    expect(ids(f.call('DescribeVSwitches') as R)).toEqual([f.vswA, f.vswB, o]);
    expect(ids(f.call('DescribeVSwitches', { VpcId: f.vpc }) as R)).toEqual([f.vswA, f.vswB]);
    expect(ids(f.call('DescribeVSwitches', { VSwitchId: f.vswB }) as R)).toEqual([f.vswB]);
    expect((f.call('DescribeVSwitches', { VpcId: other, VSwitchId: f.vswA }) as R).TotalCount).toBe(0);
  });
});
