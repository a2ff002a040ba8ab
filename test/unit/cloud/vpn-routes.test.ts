// A VPN gateway's routes (SEMANTICS F5): destination- and policy-based, the forbidden
// destinations, priorities, duplicates, publication into the VPC's system route table and
// its removal, the VpnGateway next hop in custom tables, AutoConfigRoute.

import { describe, expect, it } from 'vitest';
import { entries, expectFailure } from './helpers';
import { vpnFixture } from './vpn-fixture';

function lab() {
  const f = vpnFixture();
  const g = f.gw();
  const cgw = f.cgw();
  // Destination-routing mode: no automatic routes.
  const c = f.conn(g, cgw, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
  return { ...f, g, cgwId: cgw, c };
}

const vpnRows = (f: ReturnType<typeof lab>, rt = f.systemRt) => entries(f.cp, rt).filter((e) => e.NextHopType === 'VpnGateway').map((e) => [e.DestinationCidrBlock, e.NextHopId, e.Type]);

describe('F5: forbidden destinations', () => {
  it('F5: 0.0.0.0/0 is refused as a destination, for both route types', () => {
    const f = lab();
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '0.0.0.0/0', NextHop: f.c }, 'VpnRouteEntry.InvalidDestination', { param: 'RouteDest' });
    expectFailure(f.cp, 'CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '0.0.0.0/0', NextHop: f.c }, 'VpnRouteEntry.InvalidDestination', { param: 'RouteDest' });
  });

  it('F5: 100.64.0.0/10 is refused as a destination, and so is any subnet or supernet of it', () => {
    const f = lab();
    for (const d of ['100.64.0.0/10', '100.64.0.0/16', '100.100.2.136/32', '100.127.255.0/24', '100.0.0.0/8', '64.0.0.0/2', '100.0.0.0/9']) {
      const e = expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: d, NextHop: f.c }, 'VpnRouteEntry.InvalidDestination', { param: 'RouteDest' });
      expect(e.message).toContain('100.64.0.0/10');
      expectFailure(f.cp, 'CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: d, NextHop: f.c }, 'VpnRouteEntry.InvalidDestination');
    }
    // Neighbours of the range are fine.
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '100.128.0.0/10', NextHop: f.c });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '100.0.0.0/10', NextHop: f.c });
    expect(f.cp.model.vpnRouteEntries.map((r) => r.RouteDest)).toEqual(['100.128.0.0/10', '100.0.0.0/10']);
  });

  it('F5: a malformed destination or source, an unknown next hop, or one of another gateway is refused', () => {
    const f = lab();
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.0.0.1/8', NextHop: f.c }, 'InvalidRouteDest.Malformed');
    expectFailure(f.cp, 'CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: 'x', RouteDest: '10.0.0.0/8', NextHop: f.c }, 'InvalidRouteSource.Malformed');
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.0.0.0/8', NextHop: 'vco-nope' }, 'InvalidVpnConnectionInstanceId.NotFound', { param: 'NextHop' });
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: 'vpn-nope', RouteDest: '10.0.0.0/8', NextHop: f.c }, 'InvalidVpnGatewayInstanceId.NotFound', { status: 404 });
    const vpc2 = f.call('CreateVpc', { CidrBlock: '10.8.0.0/16' }).VpcId as string;
    const a = f.call('CreateVSwitch', { VpcId: vpc2, ZoneId: 'ap-northeast-1a', CidrBlock: '10.8.0.0/24' }).VSwitchId as string;
    const b = f.call('CreateVSwitch', { VpcId: vpc2, ZoneId: 'ap-northeast-1b', CidrBlock: '10.8.1.0/24' }).VSwitchId as string;
    const g2 = f.call('CreateVpnGateway', { VpcId: vpc2, VSwitchId: a, DisasterRecoveryVSwitchId: b }).VpnGatewayId as string;
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: g2, RouteDest: '10.0.0.0/8', NextHop: f.c }, 'OperationDenied.VpnConnectionNotInGateway', { param: 'NextHop' });
  });
});

describe('F5: weights, priorities, duplicates', () => {
  it('F5: Weight is 0 (standby) or 100 (active); a destination may have an active and a standby route', () => {
    const f = lab();
    const c2 = f.conn(f.g, f.cgwId, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, Weight: '100' });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: c2, Weight: '0' });
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.17.0.0/16', NextHop: f.c, Weight: '50' }, 'InvalidParameter', { param: 'Weight' });
    const rows = (f.call('DescribeVpnRouteEntries', { VpnGatewayId: f.g }).VpnRouteEntries as { VpnRouteEntry: { NextHop: string; Weight: number; State: string; VpnInstanceId: string }[] }).VpnRouteEntry;
    expect(rows.map((r) => [r.NextHop, r.Weight, r.State, r.VpnInstanceId])).toEqual([[f.c, 100, 'normal', f.g], [c2, 0, 'normal', f.g]]);
    f.call('ModifyVpnRouteEntryWeight', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: c2, Weight: '0', NewWeight: '100' });
    expect(f.cp.model.vpnRouteEntries.map((r) => r.Weight)).toEqual([100, 100]);
  });

  it('F5: a duplicate route (same destination and next hop; for pbr the same source too) is refused', () => {
    const f = lab();
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c });
    expectFailure(f.cp, 'CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, Weight: '0' }, 'VpnRouteEntry.AlreadyExists');
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c });
    expectFailure(f.cp, 'CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c, Priority: '5' }, 'VpnRouteEntry.AlreadyExists');
    // Another source is another policy.
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.1.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c });
  });

  it('F5.1: a policy-based route\'s priority is 1–100 (default 10), listed lowest first', () => {
    const f = lab();
    for (const p of ['0', '101', 'x']) expectFailure(f.cp, 'CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c, Priority: p }, 'InvalidParameter', { param: 'Priority' });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.1.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c, Priority: '1' });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/16', RouteDest: '172.16.0.0/16', NextHop: f.c, Priority: '100' });
    const rows = (f.call('DescribeVpnPbrRouteEntries', { VpnGatewayId: f.g }).VpnPbrRouteEntries as { VpnPbrRouteEntry: { RouteSource: string; Priority: number }[] }).VpnPbrRouteEntry;
    expect(rows.map((r) => [r.RouteSource, r.Priority])).toEqual([['192.168.1.0/24', 1], ['192.168.0.0/24', 10], ['192.168.0.0/16', 100]]);
    f.call('ModifyVpnPbrRouteEntryPriority', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/16', RouteDest: '172.16.0.0/16', NextHop: f.c, NewPriority: '2' });
    expect(f.cp.model.vpnRouteEntries.find((r) => r.RouteSource === '192.168.0.0/16')!.Priority).toBe(2);
    f.call('DeleteVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c, Weight: '100' });
    expectFailure(f.cp, 'DeleteVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '172.16.0.0/16', NextHop: f.c }, 'VpnRouteEntry.NotFound', { status: 404 });
    expect(f.cp.model.vpnRouteEntries).toHaveLength(2);
  });
});

describe('F5: publication to the VPC', () => {
  it('F5: a published route appears in the VPC system route table as RouteDest → VpnGateway, and leaves it when unpublished or deleted', () => {
    const f = lab();
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, PublishVpc: 'true' });
    expect(vpnRows(f)).toEqual([['172.16.0.0/16', f.g, 'System']]);
    // Custom vSwitch tables are not touched.
    const rt = f.table('rt-a');
    expect(vpnRows(f, rt)).toEqual([]);
    f.call('PublishVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, RouteType: 'dbr', PublishVpc: 'false' });
    expect(vpnRows(f)).toEqual([]);
    expect((f.call('DescribeVpnRouteEntries', { VpnGatewayId: f.g }).VpnRouteEntries as { VpnRouteEntry: { State: string }[] }).VpnRouteEntry[0].State).toBe('normal');
    f.call('PublishVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, RouteType: 'dbr', PublishVpc: 'true' });
    expect(vpnRows(f)).toEqual([['172.16.0.0/16', f.g, 'System']]);
    f.call('DeleteVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, Weight: '100' });
    expect(vpnRows(f)).toEqual([]);
    expectFailure(f.cp, 'PublishVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, RouteType: 'dbr', PublishVpc: 'true' }, 'VpnRouteEntry.NotFound');
  });

  it('F5: an active and a standby route, or several policies, to one destination are one VPC entry; policy-based routes publish too', () => {
    const f = lab();
    const c2 = f.conn(f.g, f.cgwId, { LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, Weight: '100', PublishVpc: 'true' });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: c2, Weight: '0', PublishVpc: 'true' });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.0.0/24', RouteDest: '10.20.0.0/16', NextHop: f.c, PublishVpc: 'false' });
    f.call('CreateVpnPbrRouteEntry', { VpnGatewayId: f.g, RouteSource: '192.168.1.0/24', RouteDest: '10.20.0.0/16', NextHop: f.c, PublishVpc: 'false' });
    expect(vpnRows(f)).toEqual([['172.16.0.0/16', f.g, 'System']]);
    f.call('PublishVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.20.0.0/16', NextHop: f.c, RouteType: 'pbr', PublishVpc: 'true' });
    expect(vpnRows(f)).toEqual([['172.16.0.0/16', f.g, 'System'], ['10.20.0.0/16', f.g, 'System']]);
    // Withdrawing one of the two keeps the VPC entry.
    f.call('PublishVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '172.16.0.0/16', NextHop: f.c, RouteType: 'dbr', PublishVpc: 'false' });
    expect(vpnRows(f)).toEqual([['172.16.0.0/16', f.g, 'System'], ['10.20.0.0/16', f.g, 'System']]);
  });

  it('F5: a published destination inside a vSwitch CIDR, or one a custom entry of the system table holds, is not added', () => {
    const f = lab();
    const ecs = f.run('ECS-A', f.vswA);
    f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '10.30.0.0/16', NextHopId: ecs });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '192.168.0.0/24', NextHop: f.c, PublishVpc: 'true' });
    f.call('CreateVpnRouteEntry', { VpnGatewayId: f.g, RouteDest: '10.30.0.0/16', NextHop: f.c, PublishVpc: 'true' });
    expect(vpnRows(f)).toEqual([]);
  });

  it('CreateRouteEntry takes NextHopType VpnGateway in a custom table: a gateway of the table\'s VPC', () => {
    const f = lab();
    const rt = f.table('rt-a');
    f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'VpnGateway', NextHopId: f.g });
    expect(vpnRows(f, rt)).toEqual([['172.16.0.0/16', f.g, 'Custom']]);
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '172.17.0.0/16', NextHopType: 'VpnGateway', NextHopId: 'vpn-nope' }, 'InvalidVpnGatewayInstanceId.NotFound', { param: 'NextHopId' });
    const vpc2 = f.call('CreateVpc', { CidrBlock: '10.8.0.0/16' }).VpcId as string;
    const rt2 = f.call('CreateRouteTable', { VpcId: vpc2 }).RouteTableId as string;
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: rt2, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'VpnGateway', NextHopId: f.g }, 'OperationDenied.VpcNotMatch');
  });
});

describe('AutoConfigRoute', () => {
  it('in protected-data-flows mode (default true) each RemoteSubnet block gets an active, published route to the connection, kept in step with Modify', () => {
    const f = vpnFixture();
    const g = f.gw();
    const c = f.conn(g, f.cgw(), { RemoteSubnet: '172.16.0.0/24,172.16.1.0/24' });
    expect(f.cp.model.vpnRouteEntries.map((r) => [r.RouteDest, r.NextHop, r.Weight, r.PublishVpc])).toEqual([['172.16.0.0/24', c, 100, true], ['172.16.1.0/24', c, 100, true]]);
    expect(entries(f.cp, f.systemRt).filter((e) => e.NextHopType === 'VpnGateway').map((e) => e.DestinationCidrBlock)).toEqual(['172.16.0.0/24', '172.16.1.0/24']);
    f.call('ModifyVpnConnectionAttribute', { VpnConnectionId: c, RemoteSubnet: '172.16.1.0/24,172.16.2.0/24' });
    expect(f.cp.model.vpnRouteEntries.map((r) => r.RouteDest).sort()).toEqual(['172.16.1.0/24', '172.16.2.0/24']);
    f.call('ModifyVpnConnectionAttribute', { VpnConnectionId: c, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' });
    expect(f.cp.model.vpnRouteEntries).toEqual([]);
  });

  it('AutoConfigRoute=false adds none', () => {
    const f = vpnFixture();
    const g = f.gw();
    f.conn(g, f.cgw(), { AutoConfigRoute: 'false' });
    expect(f.cp.model.vpnRouteEntries).toEqual([]);
  });
});
