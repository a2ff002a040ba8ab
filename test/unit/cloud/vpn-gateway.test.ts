// VPN gateways (SEMANTICS F1, F3, F6) and customer gateways: two tunnel endpoints in two zones
// with addresses nothing else can take, the cloud's describe shape, the dependency refusals,
// and the lab's custom advertised routes.

import { describe, expect, it } from 'vitest';
import { expectFailure, instanceIdOf } from './helpers';
import { IDC_IP, vpnFixture } from './vpn-fixture';
import { isVpnEndpointHostName } from '../../../src/main/cloud/actions/hosts';
import { vpnEndpointHostName } from '../../../src/main/cloud/actions/vpn-gateway';

describe('CreateVpnGateway', () => {
  it('F3: tunnel 1 in VSwitchId\'s zone, tunnel 2 in DisasterRecoveryVSwitchId\'s, each with a vSwitch address and a public IP from the EIP pool', () => {
    const f = vpnFixture();
    const id = f.gw({ Name: 'vpn-hz', Bandwidth: '100' });
    expect(id).toMatch(/^vpn-[a-z0-9]{22}$/);
    const g = f.cp.model.vpnGateways[0];
    expect(g).toMatchObject({ Name: 'vpn-hz', Bandwidth: 100, EnableIpsec: true, NetworkType: 'public', AdvertisedRoutes: [] });
    expect(g.Endpoints).toEqual([
      { TunnelIndex: 1, ZoneId: 'ap-northeast-1a', VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1', InternetIp: '47.96.0.1' },
      { TunnelIndex: 2, ZoneId: 'ap-northeast-1b', VSwitchId: f.vswB, PrivateIpAddress: '192.168.1.1', InternetIp: '47.96.0.2' },
    ]);
    const d = f.call('DescribeVpnGateway', { VpnGatewayId: id });
    expect(d).toMatchObject({
      VpnGatewayId: id, VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB, InternetIp: '47.96.0.1', DisasterRecoveryInternetIp: '47.96.0.2',
      Status: 'active', Spec: '100M', IpsecVpn: 'enable', SslVpn: 'disable', NetworkType: 'public',
    });
    expect((d.Endpoints as { HostName: string }[]).map((e) => e.HostName)).toEqual([`${id}-t1`, `${id}-t2`]);
    const list = f.call('DescribeVpnGateways', { VpcId: f.vpc });
    expect(list).toMatchObject({ TotalCount: 1, PageNumber: 1, PageSize: 10 });
    expect((list.VpnGateways as { VpnGateway: { VpnGatewayId: string }[] }).VpnGateway.map((x) => x.VpnGatewayId)).toEqual([id]);
  });

  it('F3: the two vSwitches must be in different zones of the gateway\'s VPC; a failed create changes nothing', () => {
    const f = vpnFixture();
    const sameZone = f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'ap-northeast-1a', CidrBlock: '192.168.2.0/24' }).VSwitchId as string;
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: sameZone }, 'OperationDenied.VSwitchSameZone', { param: 'DisasterRecoveryVSwitchId' });
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswA }, 'OperationDenied.VSwitchSameZone');
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA }, 'MissingParameter', { param: 'DisasterRecoveryVSwitchId' });
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const far = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'ap-northeast-1c', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: far }, 'OperationDenied.VpcNotMatch', { param: 'DisasterRecoveryVSwitchId' });
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: 'vsw-nope', DisasterRecoveryVSwitchId: f.vswB }, 'InvalidVSwitchId.NotFound');
  });

  it('a public gateway\'s bandwidth is 10 (default), 100, 200, 500 or 1000 Mbit/s; SSL-VPN and private gateways are refused', () => {
    const f = vpnFixture();
    for (const b of ['5', '20', '0', '2000', 'ten']) expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB, Bandwidth: b }, 'InvalidParameter', { param: 'Bandwidth' });
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB, EnableSsl: 'true' }, 'UnsupportedFeature.SslVpn');
    expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB, NetworkType: 'private' }, 'UnsupportedFeature.NetworkType');
    f.gw();
    expect(f.cp.model.vpnGateways[0].Bandwidth).toBe(10);
  });

  it('one VPN gateway per VPC (lab quota)', () => {
    const f = vpnFixture();
    const id = f.gw();
    const e = expectFailure(f.cp, 'CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB }, 'QuotaExceeded.VpnGateway', { param: 'VpcId' });
    expect(e.message).toContain(id);
  });

  it('the endpoints\' vSwitch addresses are taken: an ECS cannot have them, and the next ECS gets the next free one', () => {
    const f = vpnFixture();
    f.gw();
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'ECS-A', VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1' }, 'InvalidPrivateIpAddress.Duplicated');
    const i = instanceIdOf(f.call('RunInstances', { InstanceName: 'ECS-B', VSwitchId: f.vswB }));
    expect(f.cp.model.instances.find((x) => x.InstanceId === i)!.PrivateIpAddress).not.toBe('192.168.1.1');
  });

  it('the endpoints\' public IPs are taken: EIPs skip them, and they skip EIPs, Internet hosts and IDC routers', () => {
    const f = vpnFixture();
    f.allocate(); // 47.96.0.1
    f.call('CreateInternetHost', { HostName: 'web', IpAddress: '47.96.0.2' });
    f.gw();
    expect(f.cp.model.vpnGateways[0].Endpoints.map((e) => e.InternetIp)).toEqual(['47.96.0.3', '47.96.0.4']);
    f.allocate();
    expect(f.cp.model.eips.map((e) => e.IpAddress)).toEqual(['47.96.0.1', '47.96.0.5']);
    expectFailure(f.cp, 'AllocateEipAddress', { IpAddress: '47.96.0.3' }, 'InvalidIpAddress.AlreadyUsed');
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'x', IpAddress: '47.96.0.4' }, 'InvalidIpAddress.AlreadyUsed');
  });

  it('lab-only InternetIp / DisasterRecoveryInternetIp / PrivateIpAddress fix the endpoints\' addresses, checked like any other', () => {
    const f = vpnFixture();
    const base = { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB };
    expectFailure(f.cp, 'CreateVpnGateway', { ...base, InternetIp: '10.0.0.1' }, 'InvalidIpAddress.Malformed', { param: 'InternetIp' });
    expectFailure(f.cp, 'CreateVpnGateway', { ...base, InternetIp: IDC_IP }, 'InvalidIpAddress.AlreadyUsed', { param: 'InternetIp' });
    expectFailure(f.cp, 'CreateVpnGateway', { ...base, InternetIp: '203.0.113.1', DisasterRecoveryInternetIp: '203.0.113.1' }, 'InvalidIpAddress.AlreadyUsed', { param: 'DisasterRecoveryInternetIp' });
    expectFailure(f.cp, 'CreateVpnGateway', { ...base, PrivateIpAddress: '192.168.1.9' }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
    f.gw({ InternetIp: '203.0.113.1', DisasterRecoveryInternetIp: '203.0.113.2', PrivateIpAddress: '192.168.0.200', DisasterRecoveryPrivateIpAddress: '192.168.1.200' });
    expect(f.cp.model.vpnGateways[0].Endpoints.map((e) => [e.PrivateIpAddress, e.InternetIp])).toEqual([['192.168.0.200', '203.0.113.1'], ['192.168.1.200', '203.0.113.2']]);
  });

  it('F3: the endpoint appliances\' host names <VpnGatewayId>-t1/-t2 are reserved: no ECS or host may take one', () => {
    const f = vpnFixture();
    const id = f.gw();
    expect(vpnEndpointHostName(id, 2)).toBe(`${id}-t2`);
    expect(isVpnEndpointHostName(`${id}-t1`)).toBe(true);
    expect(isVpnEndpointHostName('vpn-abc-t3')).toBe(false);
    expectFailure(f.cp, 'RunInstances', { InstanceName: `${id}-t1`, VSwitchId: f.vswA }, 'InvalidInstanceName.Duplicated', { param: 'InstanceName' });
    // Reserved by shape, also for a gateway that does not exist (yet).
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'vpn-zzz-t2', IpAddress: '203.0.113.9' }, 'InvalidInstanceName.Duplicated');
  });

  it('ModifyVpnGatewayAttribute renames; DeleteVpnGateway is refused while a connection or a VPC route uses it', () => {
    const f = vpnFixture();
    const id = f.gw();
    f.call('ModifyVpnGatewayAttribute', { VpnGatewayId: id, Name: 'renamed', Description: 'to the IDC' });
    expect(f.cp.model.vpnGateways[0]).toMatchObject({ Name: 'renamed', Description: 'to the IDC' });
    const c = f.conn(id, f.cgw());
    expectFailure(f.cp, 'DeleteVpnGateway', { VpnGatewayId: id }, 'DependencyViolation.VpnConnection', { param: 'VpnGatewayId' });
    f.call('DeleteVpnConnection', { VpnConnectionId: c });
    const rt = f.table('rt-a');
    f.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'VpnGateway', NextHopId: id });
    expectFailure(f.cp, 'DeleteVpnGateway', { VpnGatewayId: id }, 'DependencyViolation.RouteEntry');
    f.call('DeleteRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '172.16.0.0/16' });
    f.call('DeleteVpnGateway', { VpnGatewayId: id });
    expect(f.cp.model.vpnGateways).toEqual([]);
    expectFailure(f.cp, 'DescribeVpnGateway', { VpnGatewayId: id }, 'InvalidVpnGatewayInstanceId.NotFound', { status: 404 });
    // Its addresses are free again.
    expect(instanceIdOf(f.call('RunInstances', { InstanceName: 'ECS-A', VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1' }))).toMatch(/^i-/);
  });
});

describe('custom advertised routes (F6)', () => {
  it('F6.4: 100.64.0.0/10 may be advertised to the IDC (unlike a route entry); 0.0.0.0/0 and duplicates are refused', () => {
    const f = vpnFixture();
    const id = f.gw();
    f.call('CreateVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '100.64.0.0/10' });
    expectFailure(f.cp, 'CreateVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '100.64.0.0/10' }, 'AdvertisedRoute.AlreadyExists');
    expectFailure(f.cp, 'CreateVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '0.0.0.0/0' }, 'InvalidRouteDest.Malformed');
    expectFailure(f.cp, 'CreateVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '100.64.0.1/10' }, 'InvalidRouteDest.Malformed');
    expect(f.call('DescribeVpnGatewayAdvertisedRoutes', { VpnGatewayId: id }).AdvertisedRoutes).toEqual({ AdvertisedRoute: [{ RouteDest: '100.64.0.0/10', Source: 'CUSTOM' }] });
    f.call('DeleteVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '100.64.0.0/10' });
    expectFailure(f.cp, 'DeleteVpnGatewayAdvertisedRoute', { VpnGatewayId: id, RouteDest: '100.64.0.0/10' }, 'AdvertisedRoute.NotFound', { status: 404 });
  });
});

describe('customer gateways', () => {
  it('CreateCustomerGateway takes a public IP (normally an IDC router\'s), once; Describe in the cloud\'s shape', () => {
    const f = vpnFixture();
    const id = f.cgw(IDC_IP, { Name: 'idc-hz', Asn: '65001' });
    expect(id).toMatch(/^cgw-/);
    expect(f.call('DescribeCustomerGateway', { CustomerGatewayId: id })).toMatchObject({ CustomerGatewayId: id, IpAddress: IDC_IP, Name: 'idc-hz', Asn: '65001' });
    expect((f.call('DescribeCustomerGateways', {}).CustomerGateways as { CustomerGateway: unknown[] }).CustomerGateway).toHaveLength(1);
    expectFailure(f.cp, 'CreateCustomerGateway', { IpAddress: IDC_IP }, 'InvalidIpAddress.AlreadyExist', { param: 'IpAddress' });
    expectFailure(f.cp, 'CreateCustomerGateway', { IpAddress: '172.16.0.1' }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    expectFailure(f.cp, 'CreateCustomerGateway', { IpAddress: '203.0.113.7', Asn: '45104' }, 'InvalidAsn.Malformed');
    expectFailure(f.cp, 'CreateCustomerGateway', { IpAddress: '203.0.113.7', Asn: '0' }, 'InvalidAsn.Malformed');
    // The API does not require a device at the address.
    f.cgw('203.0.113.7');
    f.call('ModifyCustomerGatewayAttribute', { CustomerGatewayId: id, Name: 'idc-sh' });
    expect(f.cp.model.customerGateways[0].Name).toBe('idc-sh');
  });

  it('DeleteCustomerGateway is refused while a connection\'s tunnel uses it', () => {
    const f = vpnFixture();
    const g = f.gw();
    const cgw = f.cgw();
    const c = f.conn(g, cgw);
    expectFailure(f.cp, 'DeleteCustomerGateway', { CustomerGatewayId: cgw }, 'DependencyViolation.VpnConnection', { param: 'CustomerGatewayId' });
    f.call('DeleteVpnConnection', { VpnConnectionId: c });
    f.call('DeleteCustomerGateway', { CustomerGatewayId: cgw });
    expectFailure(f.cp, 'DescribeCustomerGateway', { CustomerGatewayId: cgw }, 'InvalidCustomerGatewayInstanceId.NotFound', { status: 404 });
  });
});
