// The Console's rows, read from the real control plane's Describe* answers (no root, no
// lab): seed 004's VPC with an IPv4 gateway, a gateway route table and a NAT gateway.
import { describe, expect, it } from 'vitest';
import {
  boundTo, compactParams, internetAccess, items, loadConsoleData, nameIndex, nextHopChoices, nextHopLabel, nextHopTarget, routeEntryRows,
  routeTableName, snatRows, dnatRows, splitEntries, type ConsoleData,
} from '../../../src/renderer/src/lib/console-data';
import { fixture } from '../cloud/helpers';

async function seed() {
  const f = fixture();
  const a = f.run('ECS-A', f.vswA, '192.168.0.1');
  const b = f.run('ECS-B', f.vswB, '192.168.1.1');
  const rtA = f.table('rt-a');
  f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
  f.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: b });
  const eipA = f.allocate('47.74.10.1');
  f.call('AssociateEipAddress', { AllocationId: eipA, InstanceId: a });
  const igw = f.call('CreateIpv4Gateway', { VpcId: f.vpc, Ipv4GatewayName: 'igw-tokyo' }).Ipv4GatewayId as string;
  const invoke = async (action: string, params: Record<string, unknown>) => f.cp.invoke(action, params as never);
  const data = await loadConsoleData(invoke);
  return { f, a, b, rtA, eipA, igw, data, invoke };
}

describe('loadConsoleData', () => {
  it('unwraps every Describe call into rows', async () => {
    const { f, a, rtA, igw, data } = await seed();
    expect(data.vpcs).toEqual([
      expect.objectContaining({ VpcId: f.vpc, VpcName: 'vpc-lab', CidrBlock: '192.168.0.0/16', Status: 'Available', VSwitchIds: [f.vswA, f.vswB] }),
    ]);
    expect(data.vswitches.map((s) => [s.CidrBlock, s.RouteTableId])).toEqual([['192.168.0.0/24', rtA], ['192.168.1.0/24', f.systemRt]]);
    expect(data.routeTables.map((t) => [t.RouteTableId, t.RouteTableType, t.AssociateType, t.VSwitchIds])).toEqual([
      [f.systemRt, 'System', 'VSwitch', [f.vswB]],
      [rtA, 'Custom', 'VSwitch', [f.vswA]],
    ]);
    expect(data.instances.find((i) => i.InstanceId === a)).toMatchObject({ InstanceName: 'ECS-A', PrivateIpAddress: '192.168.0.1', EipAddress: '47.74.10.1' });
    expect(data.eips).toEqual([expect.objectContaining({ IpAddress: '47.74.10.1', Status: 'InUse', InstanceId: a, InstanceType: 'EcsInstance' })]);
    expect(data.ipv4Gateways).toEqual([expect.objectContaining({ Ipv4GatewayId: igw, Ipv4GatewayName: 'igw-tokyo', Enabled: false, ConsoleStatus: 'Inactive' })]);
    expect(data.natGateways).toEqual([]);
  });

  it('names resources and next hops as the console does', async () => {
    const { f, b, rtA, igw, data, invoke } = await seed();
    const names = nameIndex(data);
    expect(names.get(rtA)).toBe('rt-a');
    expect(names.get(b)).toBe('ECS-B');
    expect(routeTableName(f.systemRt, data)).toBe('System route table');
    expect(routeTableName(rtA, data)).toBe('rt-a');
    expect(boundTo(data.routeTables[1], data, names)).toBe(names.get(f.vswA) ?? f.vswA);
    expect(internetAccess(data.vpcs[0], data)).toBe('Default (IPv4 gateway inactive)');

    const entries = routeEntryRows(await invoke('DescribeRouteEntryList', { RouteTableId: rtA }));
    const { system, custom } = splitEntries(entries);
    expect(system.map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([
      ['192.168.0.0/24', 'local', ''], ['192.168.1.0/24', 'local', ''], ['100.64.0.0/10', 'service', ''],
    ]);
    expect(custom).toEqual([expect.objectContaining({ DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: b, Type: 'Custom' })]);
    expect(nextHopLabel(custom[0], names)).toBe(`ECS Instance ECS-B (${b})`);
    expect(nextHopTarget(custom[0], names)).toBe(`ECS-B (${b})`);
    expect(nextHopLabel(system[0], names)).toBe('Local');
    expect(nextHopLabel({ NextHopType: 'Ipv4Gateway', NextHopId: igw }, names)).toBe(`IPv4 Gateway igw-tokyo (${igw})`);

    expect(nextHopChoices(data, f.vpc, 'Instance').map((c) => c.value)).toHaveLength(2);
    expect(nextHopChoices(data, f.vpc, 'Ipv4Gateway')).toEqual([{ value: igw, label: `igw-tokyo (${igw}, Inactive)` }]);
    expect(nextHopChoices(data, f.vpc, 'NatGateway')).toEqual([]);
  });

  it('shows an active gateway, its gateway table, a NAT gateway and its entries', async () => {
    const { f, a, igw, invoke } = await seed();
    f.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: igw });
    const gt = f.call('CreateRouteTable', { VpcId: f.vpc, AssociateType: 'Gateway', RouteTableName: 'rt-igw' }).RouteTableId as string;
    f.call('UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: gt, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: a });
    f.call('AssociateRouteTableWithGateway', { RouteTableId: gt, GatewayId: igw });
    const ngw = f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB, EipBindMode: 'NAT', Name: 'ngw-lab' }).NatGatewayId as string;
    const eip = f.allocate('47.74.10.9');
    f.call('AssociateEipAddress', { AllocationId: eip, InstanceId: ngw, InstanceType: 'Nat' });
    const gw = (await loadConsoleData(invoke)).natGateways[0];
    f.call('CreateSnatEntry', { SnatTableId: gw.SnatTableId, SourceVSwitchId: f.vswB, SnatIp: '47.74.10.9' });
    f.call('CreateForwardEntry', { ForwardTableId: gw.ForwardTableId, ExternalIp: '47.74.10.9', ExternalPort: '80', InternalIp: '192.168.1.1', InternalPort: '8080', IpProtocol: 'TCP' });

    const data: ConsoleData = await loadConsoleData(invoke);
    const names = nameIndex(data);
    expect(data.ipv4Gateways[0]).toMatchObject({ Enabled: true, ConsoleStatus: 'Active', Ipv4GatewayRouteTableId: gt });
    expect(internetAccess(data.vpcs[0], data)).toBe('Controlled by IPv4 gateway');
    expect(boundTo(data.routeTables.find((t) => t.RouteTableId === gt)!, data, names)).toBe('IPv4 Gateway igw-tokyo');
    const gwEntries = splitEntries(routeEntryRows(await invoke('DescribeRouteEntryList', { RouteTableId: gt })));
    expect(gwEntries.custom.map((e) => [e.DestinationCidrBlock, e.NextHopId])).toEqual([['192.168.0.0/24', a]]);
    expect(gwEntries.system.map((e) => [e.DestinationCidrBlock, e.NextHopType])).toEqual([['192.168.1.0/24', 'Local']]);

    expect(data.natGateways[0]).toMatchObject({
      NatGatewayId: ngw, Name: 'ngw-lab', VSwitchId: f.vswB, EipBindMode: 'NAT',
      Ips: [{ AllocationId: eip, IpAddress: '47.74.10.9', UsingStatus: 'UsedBySnatTable' }],
    });
    expect(data.natGateways[0].PrivateIpAddress).toMatch(/^192\.168\.1\./);
    expect(snatRows(await invoke('DescribeSnatTableEntries', { NatGatewayId: ngw }))).toEqual([
      expect.objectContaining({ SourceCIDR: '192.168.1.0/24', SourceVSwitchId: f.vswB, SnatIp: ['47.74.10.9'], EipAffinity: false }),
    ]);
    expect(dnatRows(await invoke('DescribeForwardTableEntries', { NatGatewayId: ngw }))).toEqual([
      expect.objectContaining({ ExternalIp: '47.74.10.9', ExternalPort: '80', InternalIp: '192.168.1.1', InternalPort: '8080', IpProtocol: 'TCP' }),
    ]);
    expect(nextHopChoices(data, f.vpc, 'NatGateway')).toEqual([{ value: ngw, label: `ngw-lab (${ngw})` }]);
  });
});

describe('helpers', () => {
  it('items() tolerates missing and malformed envelopes', () => {
    expect(items(undefined, 'Vpcs', 'Vpc')).toEqual([]);
    expect(items({ Vpcs: { Vpc: 'x' } }, 'Vpcs', 'Vpc')).toEqual([]);
    expect(items({ Vpcs: { Vpc: [null, { a: 1 }] } }, 'Vpcs', 'Vpc')).toEqual([{}, { a: 1 }]);
  });
  it('compactParams drops what a form left empty and trims the rest', () => {
    expect(compactParams({ A: ' rt-a ', B: '', C: '  ', D: undefined, E: null, F: [], G: ['x'], H: false, I: 0 })).toEqual({ A: 'rt-a', G: ['x'], H: false, I: 0 });
  });
});
