// The Gateway Load Balancer's control plane (SEMANTICS E1, E1a, E7, E8, G4): instances and
// their addresses, server groups and servers, the one listener, the statuses the API shows
// as asynchronous, the structured parameters in their three forms, and names for IDs.

import { describe, expect, it } from 'vitest';
import { ControlPlane, unsupportedParam } from '../../../src/main/cloud/control-plane';
import type { GwlbServerGroup } from '../../../src/main/cloud/model';
import type { ParamObject, Params } from '../../../src/main/cloud/params';
import { resourcesOf } from '../../../src/main/runtime/describe';
import { resolveParams } from '../../../src/main/runtime/scenario-actions';
import { Engine } from '../../../src/main/engine/dataplane';
import { compile } from '../../../src/main/cloud/compile';
import { checkAction } from '../../../src/main/scenario/actions';
import { expectFailure, gwlbFixture, ZONE_A, ZONE_B, type Res } from './helpers';

type Mapping = { ZoneId: string; VSwitchId: string; LoadBalancerAddresses: { EniId: string; PrivateIpv4Address: string }[] };
const attr = (f: ReturnType<typeof gwlbFixture>, id: string): Res => f.call('GetLoadBalancerAttribute', { LoadBalancerId: id });
const mappings = (r: Res): Mapping[] => r.ZoneMappings as Mapping[];
const groupOf = (f: ReturnType<typeof gwlbFixture>, id: string): Res =>
  (f.call('ListServerGroups', { ServerGroupIds: [id] }).ServerGroups as Res[])[0];
const serversOf = (f: ReturnType<typeof gwlbFixture>, id: string): Res[] => f.call('ListServerGroupServers', { ServerGroupId: id }).Servers as Res[];
const model = (f: ReturnType<typeof gwlbFixture>, id: string): GwlbServerGroup => f.cp.model.serverGroups.find((g) => g.ServerGroupId === id)!;
/** The address RunInstances gave a new ECS. */
const ipOfNew = (f: ReturnType<typeof gwlbFixture>, name: string, vsw: string): string => {
  const id = f.run(name, vsw);
  return f.cp.model.instances.find((i) => i.InstanceId === id)!.PrivateIpAddress;
};

describe('E1: CreateLoadBalancer', () => {
  it('E1: one private address per zone, the lowest free one of that zone\'s vSwitch, each on its own ENI', () => {
    const f = gwlbFixture();
    f.run('app', f.vswA); // takes 192.168.0.1
    const id = f.lb([{ ZoneId: ZONE_A, VSwitchId: f.vswA }, { ZoneId: ZONE_B, VSwitchId: f.vswB }], 'gwlb-lab');
    expect(id).toMatch(/^gwlb-[a-z0-9]{22}$/);
    const r = attr(f, id);
    expect(r).toMatchObject({ LoadBalancerId: id, LoadBalancerName: 'gwlb-lab', VpcId: f.vpc, AddressIpVersion: 'Ipv4', TrafficMode: 'LoadBalance', LoadBalancerBusinessStatus: 'Normal' });
    const m = mappings(r);
    expect(m.map((z) => [z.ZoneId, z.VSwitchId, z.LoadBalancerAddresses[0].PrivateIpv4Address])).toEqual([
      [ZONE_A, f.vswA, '192.168.0.2'],
      [ZONE_B, f.vswB, '192.168.1.1'],
    ]);
    for (const z of m) expect(z.LoadBalancerAddresses[0].EniId).toMatch(/^eni-[a-z0-9]{22}$/);
  });

  it('E1: no two resources share an address: ECS, NAT gateways and later GWLBs skip a GWLB\'s address, and asking for it is refused', () => {
    const f = gwlbFixture();
    f.lb(); // 192.168.0.1
    expect(ipOfNew(f, 'next', f.vswA)).toBe('192.168.0.2');
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'clash', VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1' }, 'InvalidPrivateIpAddress.Duplicated');
    f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswA });
    expect(f.cp.model.natGateways[0].PrivateIpAddress).toBe('192.168.0.3');
    expect(mappings(attr(f, f.lb()))[0].LoadBalancerAddresses[0].PrivateIpv4Address).toBe('192.168.0.4');
  });

  it('E1: a zone mapping may ask for its address (lab-only PrivateIpv4Address, like the seed\'s 10.0.1.41); a used or reserved one is refused', () => {
    const f = gwlbFixture();
    const id = f.lb([{ ZoneId: ZONE_A, VSwitchId: f.vswA, PrivateIpv4Address: '192.168.0.41' }]);
    expect(mappings(attr(f, id))[0].LoadBalancerAddresses[0].PrivateIpv4Address).toBe('192.168.0.41');
    const again = { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: f.vswA, PrivateIpv4Address: '192.168.0.41' }] };
    expectFailure(f.cp, 'CreateLoadBalancer', again, 'InvalidPrivateIpAddress.Duplicated', { param: 'ZoneMappings.1.PrivateIpv4Address' });
    const reserved = { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: f.vswA, PrivateIpv4Address: '192.168.0.255' }] };
    expectFailure(f.cp, 'CreateLoadBalancer', reserved, 'InvalidPrivateIpAddress.Malformed', { param: 'ZoneMappings.1.PrivateIpv4Address' });
  });

  it('E1: ZoneMappings as a JSON value, as JSON text (the CLI) and in the flat RPC form give the same GWLB', () => {
    const forms = [
      (vsw: string) => ({ ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: vsw }] }),
      (vsw: string) => ({ ZoneMappings: JSON.stringify([{ ZoneId: ZONE_A, VSwitchId: vsw }]) }),
      (vsw: string) => ({ 'ZoneMappings.1.ZoneId': ZONE_A, 'ZoneMappings.1.VSwitchId': vsw }),
    ];
    const got = forms.map((form) => {
      const f = gwlbFixture('t-forms');
      const id = f.call('CreateLoadBalancer', { VpcId: f.vpc, ...form(f.vswA) }).LoadBalancerId as string;
      return f.cp.model.gwlbs.find((x) => x.LoadBalancerId === id);
    });
    expect(got[1]).toEqual(got[0]);
    expect(got[2]).toEqual(got[0]);
  });

  it('E1: the flat form orders items by N, and a misspelt field is refused with a did-you-mean, naming the flat parameter', () => {
    const f = gwlbFixture();
    const id = f.call('CreateLoadBalancer', {
      VpcId: f.vpc, 'ZoneMappings.2.ZoneId': ZONE_B, 'ZoneMappings.2.VSwitchId': f.vswB, 'ZoneMappings.1.ZoneId': ZONE_A, 'ZoneMappings.1.VSwitchId': f.vswA,
    }).LoadBalancerId as string;
    expect(mappings(attr(f, id)).map((z) => z.ZoneId)).toEqual([ZONE_A, ZONE_B]);
    const e = expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, 'ZoneMappings.1.ZoneId': ZONE_A, 'ZoneMappings.1.VSwitchID': f.vswA }, 'UnsupportedParameter', { param: 'ZoneMappings.1.VSwitchID' });
    expect(e.message).toContain('did you mean ZoneMappings.1.VSwitchId?');
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitch: f.vswA }] }, 'UnsupportedParameter', { param: 'ZoneMappings.1.VSwitch' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, 'ZoneMappings.1': ZONE_A }, 'InvalidParameter', { param: 'ZoneMappings.1' });
  });

  it('E1: both forms at once, JSON that does not parse, or a list of strings are refused as InvalidParameter', () => {
    const f = gwlbFixture();
    const z = [{ ZoneId: ZONE_A, VSwitchId: f.vswA }];
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: z, 'ZoneMappings.2.ZoneId': ZONE_B }, 'InvalidParameter', { param: 'ZoneMappings' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: '[{"ZoneId":' }, 'InvalidParameter', { param: 'ZoneMappings' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [ZONE_A] }, 'InvalidParameter', { param: 'ZoneMappings.1' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: ZONE_A }, 'InvalidParameter', { param: 'ZoneMappings' });
  });

  it('E1: 1 to 20 zones, one vSwitch per zone, each vSwitch in the VPC and in its zone', () => {
    const f = gwlbFixture();
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc }, 'MissingParameter', { param: 'ZoneMappings' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [] }, 'MissingParameter', { param: 'ZoneMappings' });
    const many = Array.from({ length: 21 }, (_, i) => ({ ZoneId: `z${i}`, VSwitchId: f.vswA }));
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: many }, 'InvalidParameter', { param: 'ZoneMappings' });
    const vswA2 = f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: ZONE_A, CidrBlock: '192.168.2.0/24' }).VSwitchId as string;
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: f.vswA }, { ZoneId: ZONE_A, VSwitchId: vswA2 }] }, 'DuplicatedParam.ZoneId', { param: 'ZoneMappings.2.ZoneId' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_B, VSwitchId: f.vswA }] }, 'Mismatch.ZoneId', { param: 'ZoneMappings.1.VSwitchId' });
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const otherVsw = f.call('CreateVSwitch', { VpcId: other, ZoneId: ZONE_A, CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: otherVsw }] }, 'Mismatch.VpcId', { param: 'ZoneMappings.1.VSwitchId' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: 'vsw-nope' }] }, 'InvalidVSwitchId.NotFound', { param: 'ZoneMappings.1.VSwitchId', status: 404 });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ VSwitchId: f.vswA }] }, 'MissingParameter', { param: 'ZoneMappings.1.ZoneId' });
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: 'vpc-nope', ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: f.vswA }] }, 'InvalidVpcId.NotFound', { param: 'VpcId', status: 404 });
  });

  it('E1: a name of 2-128 characters starting with a letter; IPv4 only; a full vSwitch → InvalidVSwitchId.IpNotEnough', () => {
    const f = gwlbFixture();
    const z = [{ ZoneId: ZONE_A, VSwitchId: f.vswA }];
    for (const bad of ['a', '1gwlb', 'gw lb', 'x'.repeat(129)]) {
      expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: z, LoadBalancerName: bad }, 'InvalidParameter', { param: 'LoadBalancerName' });
    }
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: z, AddressIpVersion: 'DualStack' }, 'InvalidParameter', { param: 'AddressIpVersion' });
    const tiny = f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'tiny', CidrBlock: '192.168.9.0/29' }).VSwitchId as string;
    for (let k = 0; k < 4; k++) f.run(`h${k}`, tiny);
    expectFailure(f.cp, 'CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: [{ ZoneId: 'tiny', VSwitchId: tiny }] }, 'InvalidVSwitchId.IpNotEnough', { param: 'ZoneMappings.1.VSwitchId' });
  });

  it('E1a G4: LoadBalancerStatus is Provisioning for the first second, then Active; CreateTime is the control plane\'s clock', () => {
    const f = gwlbFixture();
    const id = f.lb();
    expect(attr(f, id)).toMatchObject({ LoadBalancerStatus: 'Provisioning', CreateTime: '2024-04-15T10:00:00.000Z' });
    f.clock.advance(999);
    expect(attr(f, id).LoadBalancerStatus).toBe('Provisioning');
    f.clock.advance(1);
    expect(attr(f, id).LoadBalancerStatus).toBe('Active');
  });

  it('E1a: ListLoadBalancers filters by IDs, names, VPC, zone and status, and pages with MaxResults and NextToken', () => {
    const f = gwlbFixture();
    const a = f.lb(undefined, 'gwlb-a');
    f.clock.advance(1000);
    const b = f.lb([{ ZoneId: ZONE_B, VSwitchId: f.vswB }], 'gwlb-b');
    const ids = (p: Record<string, unknown>): string[] => (f.call('ListLoadBalancers', p as never).LoadBalancers as Res[]).map((x) => x.LoadBalancerId as string);
    expect(ids({})).toEqual([a, b]);
    expect(ids({ LoadBalancerIds: [b] })).toEqual([b]);
    expect(ids({ LoadBalancerNames: 'gwlb-a' })).toEqual([a]);
    expect(ids({ ZoneIds: [ZONE_B] })).toEqual([b]);
    expect(ids({ VpcIds: [f.vpc] })).toEqual([a, b]);
    expect(ids({ LoadBalancerStatus: 'Provisioning' })).toEqual([b]);
    const p1 = f.call('ListLoadBalancers', { MaxResults: 1 });
    expect([p1.TotalCount, p1.MaxResults, (p1.LoadBalancers as Res[]).length]).toEqual([2, 1, 1]);
    const p2 = f.call('ListLoadBalancers', { MaxResults: '1', NextToken: p1.NextToken as string });
    expect([(p2.LoadBalancers as Res[])[0].LoadBalancerId, p2.NextToken]).toEqual([b, '']);
    expectFailure(f.cp, 'ListLoadBalancers', { MaxResults: 0 }, 'InvalidParameter', { param: 'MaxResults' });
    expectFailure(f.cp, 'ListLoadBalancers', { NextToken: 'x' }, 'InvalidParameter', { param: 'NextToken' });
  });

  it('E1a: UpdateLoadBalancerAttribute renames; DeleteLoadBalancer frees its addresses; unknown IDs → ResourceNotFound.LoadBalancer (404)', () => {
    const f = gwlbFixture();
    const id = f.lb();
    f.call('UpdateLoadBalancerAttribute', { LoadBalancerId: id, LoadBalancerName: 'renamed' });
    expect(attr(f, id).LoadBalancerName).toBe('renamed');
    f.call('DeleteLoadBalancer', { LoadBalancerId: id });
    expect(f.cp.model.gwlbs).toEqual([]);
    expect(ipOfNew(f, 'reuse', f.vswA)).toBe('192.168.0.1');
    for (const a of ['GetLoadBalancerAttribute', 'DeleteLoadBalancer', 'UpdateLoadBalancerAttribute']) {
      expectFailure(f.cp, a, { LoadBalancerId: id }, 'ResourceNotFound.LoadBalancer', { param: 'LoadBalancerId', status: 404 });
    }
  });

  it('E1a: DeleteLoadBalancer is refused while its listener exists (ResourceInUse.LoadBalancer); a dry run changes nothing', () => {
    const f = gwlbFixture();
    const id = f.lb();
    const l = f.listener(id, f.group());
    const e = expectFailure(f.cp, 'DeleteLoadBalancer', { LoadBalancerId: id }, 'ResourceInUse.LoadBalancer', { param: 'LoadBalancerId' });
    expect(e.message).toContain(l);
    f.call('DeleteListener', { ListenerId: l });
    expectFailure(f.cp, 'DeleteLoadBalancer', { LoadBalancerId: id, DryRun: true }, 'DryRunOperation');
    f.call('DeleteLoadBalancer', { LoadBalancerId: id });
  });
});

describe('E1 E7: CreateServerGroup', () => {
  it('E1 E7 E8: the defaults: Instance, GENEVE, 5TCH, NoRebalance, TCP health check on port 80 every 10 s, draining off (300 s)', () => {
    const f = gwlbFixture();
    const id = f.group();
    expect(id).toMatch(/^sgp-[a-z0-9]{22}$/);
    expect(groupOf(f, id)).toMatchObject({
      ServerGroupId: id, ServerGroupType: 'Instance', Protocol: 'GENEVE', Scheduler: '5TCH', ServerFailoverMode: 'NoRebalance', VpcId: f.vpc, ServerCount: 0,
      RelatedLoadBalancerIds: [],
      HealthCheckConfig: {
        HealthCheckEnabled: true, HealthCheckProtocol: 'TCP', HealthCheckConnectPort: 80, HealthCheckConnectTimeout: 5,
        HealthCheckInterval: 10, HealthyThreshold: 2, UnhealthyThreshold: 2,
      },
      ConnectionDrainConfig: { ConnectionDrainEnabled: false, ConnectionDrainTimeout: 300 },
    });
  });

  it('E1: 3TCH and 2TCH schedulers, Rebalance failover and the Ip type are taken; other values, and a protocol other than GENEVE, are refused', () => {
    const f = gwlbFixture();
    const id = f.group({ ServerGroupName: 'nva-group', ServerGroupType: 'Ip', Scheduler: '2TCH', ServerFailoverMode: 'Rebalance', Protocol: 'GENEVE' });
    expect(groupOf(f, id)).toMatchObject({ ServerGroupName: 'nva-group', ServerGroupType: 'Ip', Scheduler: '2TCH', ServerFailoverMode: 'Rebalance' });
    expect(groupOf(f, f.group({ Scheduler: '3TCH' })).Scheduler).toBe('3TCH');
    for (const [k, v] of [['Scheduler', '4TCH'], ['Scheduler', 'Wrr'], ['ServerFailoverMode', 'rebalance'], ['Protocol', 'TCP'], ['ServerGroupType', 'Eni']]) {
      expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, [k]: v }, 'InvalidParameter', { param: k });
    }
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: 'vpc-nope' }, 'InvalidVpcId.NotFound', { status: 404 });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, ServerGroupName: '-x' }, 'InvalidParameter', { param: 'ServerGroupName' });
  });

  it('E7: every health-check setting takes its documented range and refuses one step beyond, naming the field', () => {
    const f = gwlbFixture();
    const ranges: [string, number, number][] = [
      ['HealthCheckConnectPort', 1, 65535], ['HealthCheckConnectTimeout', 1, 300], ['HealthCheckInterval', 1, 50],
      ['HealthyThreshold', 2, 10], ['UnhealthyThreshold', 2, 10],
    ];
    for (const [field, min, max] of ranges) {
      for (const ok of [min, max]) expect((groupOf(f, f.group({ HealthCheckConfig: { [field]: ok } })).HealthCheckConfig as Res)[field]).toBe(ok);
      for (const bad of [min - 1, max + 1, 'ten', 1.5]) {
        expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, HealthCheckConfig: { [field]: bad } }, 'InvalidParameter', { param: `HealthCheckConfig.${field}` });
      }
    }
  });

  it('E7: HealthCheckConfig in the flat form and as JSON text; health checks may be turned off', () => {
    const f = gwlbFixture();
    const a = f.group({ 'HealthCheckConfig.HealthCheckInterval': '5', 'HealthCheckConfig.HealthCheckConnectPort': 22 });
    expect(groupOf(f, a).HealthCheckConfig).toMatchObject({ HealthCheckInterval: 5, HealthCheckConnectPort: 22, HealthCheckConnectTimeout: 5 });
    const b = f.group({ HealthCheckConfig: '{"HealthCheckEnabled": false}' });
    expect(groupOf(f, b).HealthCheckConfig).toMatchObject({ HealthCheckEnabled: false, HealthCheckProtocol: 'TCP' });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, 'HealthCheckConfig.HealthCheckIntervall': 5 }, 'UnsupportedParameter', { param: 'HealthCheckConfig.HealthCheckIntervall' });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, 'HealthCheckConfig.1.HealthCheckInterval': 5 }, 'InvalidParameter', { param: 'HealthCheckConfig.1.HealthCheckInterval' });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, HealthCheckConfig: '[1]' }, 'InvalidParameter', { param: 'HealthCheckConfig' });
  });

  it('E7: HTTP health checks (and their HTTP-only fields) are not modelled yet → UnsupportedFeature.HealthCheckProtocol', () => {
    const f = gwlbFixture();
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, HealthCheckConfig: { HealthCheckProtocol: 'HTTP' } }, 'UnsupportedFeature.HealthCheckProtocol', { param: 'HealthCheckConfig.HealthCheckProtocol' });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, HealthCheckConfig: { HealthCheckPath: '/health' } }, 'UnsupportedFeature.HealthCheckProtocol', { param: 'HealthCheckConfig.HealthCheckPath' });
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, HealthCheckConfig: { HealthCheckProtocol: 'UDP' } }, 'InvalidParameter', { param: 'HealthCheckConfig.HealthCheckProtocol' });
  });

  it('E8: connection draining takes 1-3600 s', () => {
    const f = gwlbFixture();
    const id = f.group({ ConnectionDrainConfig: { ConnectionDrainEnabled: true, ConnectionDrainTimeout: 3600 } });
    expect(groupOf(f, id).ConnectionDrainConfig).toEqual({ ConnectionDrainEnabled: true, ConnectionDrainTimeout: 3600 });
    for (const bad of [0, 3601]) {
      expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, ConnectionDrainConfig: { ConnectionDrainTimeout: bad } }, 'InvalidParameter', { param: 'ConnectionDrainConfig.ConnectionDrainTimeout' });
    }
    expectFailure(f.cp, 'CreateServerGroup', { VpcId: f.vpc, ConnectionDrainConfig: { ConnectionDrainEnabled: 'yes' } }, 'InvalidParameter', { param: 'ConnectionDrainConfig.ConnectionDrainEnabled' });
  });

  it('E1a G4: ServerGroupStatus is Creating for the first second, then Available', () => {
    const f = gwlbFixture();
    const id = f.group();
    expect(groupOf(f, id).ServerGroupStatus).toBe('Creating');
    f.clock.advance(1000);
    expect(groupOf(f, id).ServerGroupStatus).toBe('Available');
  });

  it('E1a: UpdateServerGroupAttribute changes only what it is given, HealthCheckConfig field by field', () => {
    const f = gwlbFixture();
    const id = f.group({ HealthCheckConfig: { HealthCheckConnectPort: 22 } });
    f.call('UpdateServerGroupAttribute', { ServerGroupId: id, Scheduler: '3TCH', HealthCheckConfig: { HealthCheckInterval: 2 }, ConnectionDrainConfig: { ConnectionDrainEnabled: true } });
    expect(groupOf(f, id)).toMatchObject({
      Scheduler: '3TCH', ServerFailoverMode: 'NoRebalance',
      HealthCheckConfig: { HealthCheckConnectPort: 22, HealthCheckInterval: 2, HealthyThreshold: 2 },
      ConnectionDrainConfig: { ConnectionDrainEnabled: true, ConnectionDrainTimeout: 300 },
    });
    f.call('UpdateServerGroupAttribute', { ServerGroupId: id, ServerFailoverMode: 'Rebalance', ServerGroupName: 'renamed' });
    expect(groupOf(f, id)).toMatchObject({ Scheduler: '3TCH', ServerFailoverMode: 'Rebalance', ServerGroupName: 'renamed' });
    expectFailure(f.cp, 'UpdateServerGroupAttribute', { ServerGroupId: id, HealthCheckConfig: { UnhealthyThreshold: 1 } }, 'InvalidParameter');
    expectFailure(f.cp, 'UpdateServerGroupAttribute', { ServerGroupId: 'sgp-nope' }, 'ResourceNotFound.ServerGroup', { status: 404 });
  });

  it('E1a: DeleteServerGroup is refused while a listener uses it (ResourceInUse.ServerGroup)', () => {
    const f = gwlbFixture();
    const g = f.group();
    const l = f.listener(f.lb(), g);
    expectFailure(f.cp, 'DeleteServerGroup', { ServerGroupId: g }, 'ResourceInUse.ServerGroup', { param: 'ServerGroupId' });
    f.call('DeleteListener', { ListenerId: l });
    f.call('DeleteServerGroup', { ServerGroupId: g });
    expectFailure(f.cp, 'DeleteServerGroup', { ServerGroupId: g }, 'ResourceNotFound.ServerGroup', { status: 404 });
  });

  it('E1a: ListServerGroups filters by IDs, names, type and VPC, and shows the GWLBs that use each group', () => {
    const f = gwlbFixture();
    const a = f.group({ ServerGroupName: 'ga' });
    const b = f.group({ ServerGroupName: 'gb', ServerGroupType: 'Ip' });
    const ids = (p: Record<string, unknown>): string[] => (f.call('ListServerGroups', p as never).ServerGroups as Res[]).map((x) => x.ServerGroupId as string);
    expect(ids({})).toEqual([a, b]);
    expect(ids({ ServerGroupNames: ['gb'] })).toEqual([b]);
    expect(ids({ ServerGroupType: 'Instance' })).toEqual([a]);
    expect(ids({ VpcId: 'vpc-other' })).toEqual([]);
    // E1: a group may serve several GWLB instances.
    const lb1 = f.lb();
    const lb2 = f.lb();
    f.listener(lb1, a);
    f.listener(lb2, a);
    expect(groupOf(f, a).RelatedLoadBalancerIds).toEqual([lb1, lb2]);
  });
});

describe('E1 E8: servers', () => {
  it('E1: an Instance group takes ECS of its VPC by ID, on port 6081, with the ECS address as ServerIp', () => {
    const f = gwlbFixture();
    const g = f.group();
    const nva = f.run('NVA-1', f.vswA, '192.168.0.10', { Mtu: 8500 });
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs' }] });
    expect(serversOf(f, g)).toEqual([{ ServerGroupId: g, ServerId: nva, ServerIp: '192.168.0.10', ServerType: 'Ecs', Port: 6081, Status: 'Available' }]);
    expect(groupOf(f, g).ServerCount).toBe(1);
  });

  it('E1: Servers in the flat form and as JSON text', () => {
    const f = gwlbFixture();
    const g = f.group();
    const a = f.run('a', f.vswA);
    const b = f.run('b', f.vswA);
    f.call('AddServersToServerGroup', { ServerGroupId: g, 'Servers.1.ServerId': a, 'Servers.1.ServerType': 'Ecs', 'Servers.1.Port': '6081' });
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: JSON.stringify([{ ServerId: b, ServerType: 'Ecs', ServerIp: '192.168.0.2', Port: 6081 }]) });
    expect(serversOf(f, g).map((s) => s.ServerId)).toEqual([a, b]);
  });

  it('E1: an Instance group refuses an ECS of another VPC, an unknown ECS, an Ip server, a port other than 6081 and a wrong ServerIp', () => {
    const f = gwlbFixture();
    const g = f.group();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const vsw = f.call('CreateVSwitch', { VpcId: other, ZoneId: ZONE_A, CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
    const far = f.run('far', vsw);
    const near = f.run('near', f.vswA);
    const add = (s: ParamObject): Params => ({ ServerGroupId: g, Servers: [{ ServerType: 'Ecs', ...s }] });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: far }), 'Mismatch.VpcId', { param: 'Servers.1.ServerId' });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: 'i-nope' }), 'InvalidInstanceId.NotFound', { param: 'Servers.1.ServerId', status: 404 });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: '192.168.0.9', ServerType: 'Ip' }), 'Mismatch.ServerType', { param: 'Servers.1.ServerType' });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: near, ServerType: 'Eni' }), 'UnsupportedFeature.ServerType', { param: 'Servers.1.ServerType' });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: near, ServerType: 'ecs' }), 'InvalidParameter', { param: 'Servers.1.ServerType' });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: near, Port: 6082 }), 'InvalidParameter', { param: 'Servers.1.Port' });
    expectFailure(f.cp, 'AddServersToServerGroup', add({ ServerId: near, ServerIp: '192.168.0.99' }), 'InvalidParameter', { param: 'Servers.1.ServerIp' });
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: near }] }, 'MissingParameter', { param: 'Servers.1.ServerType' });
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g }, 'MissingParameter', { param: 'Servers' });
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: 'sgp-nope', Servers: [{ ServerId: near, ServerType: 'Ecs' }] }, 'ResourceNotFound.ServerGroup', { status: 404 });
  });

  it('E1: an Ip group takes addresses in 10/8, 100.64/10, 172.16/12 and 192.168/16 only', () => {
    const f = gwlbFixture();
    const g = f.group({ ServerGroupType: 'Ip' });
    const ok = ['10.0.0.1', '100.64.0.1', '100.127.255.254', '172.16.0.1', '172.31.255.1', '192.168.7.7'];
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: ok.map((ServerId) => ({ ServerId, ServerType: 'Ip' })) });
    expect(serversOf(f, g).map((s) => [s.ServerId, s.ServerIp])).toEqual(ok.map((a) => [a, a]));
    for (const bad of ['8.8.8.8', '100.128.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1']) {
      expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: bad, ServerType: 'Ip' }] }, 'InvalidParameter', { param: 'Servers.1.ServerId' });
    }
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: '10.0.0.300', ServerType: 'Ip' }] }, 'InvalidParameter', { param: 'Servers.1.ServerId' });
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: f.run('e', f.vswA), ServerType: 'Ecs' }] }, 'Mismatch.ServerType');
  });

  it('E1: duplicates are refused: twice in one call (DuplicatedParam.Server) or already in the group (ResourceAlreadyExist.Server); at most 200 per call', () => {
    const f = gwlbFixture();
    const g = f.group({ ServerGroupType: 'Ip' });
    const s = { ServerId: '10.0.0.1', ServerType: 'Ip' };
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [s, s] }, 'DuplicatedParam.Server', { param: 'Servers.2.ServerId' });
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: [s] });
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: [s] }, 'ResourceAlreadyExist.Server', { param: 'Servers.1.ServerId' });
    const many = Array.from({ length: 201 }, (_, i) => ({ ServerId: `10.1.${i >> 8}.${(i & 255) + 1}`, ServerType: 'Ip' }));
    expectFailure(f.cp, 'AddServersToServerGroup', { ServerGroupId: g, Servers: many }, 'InvalidParameter', { param: 'Servers' });
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: many.slice(0, 200) });
    expect(groupOf(f, g).ServerCount).toBe(201);
  });

  it('E8: with connection draining off, a removed server is gone at once', () => {
    const f = gwlbFixture();
    const g = f.group();
    const nva = f.run('NVA', f.vswA);
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs' }] });
    f.call('RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs', Port: 6081 }] });
    expect(serversOf(f, g)).toEqual([]);
    expect(model(f, g).Servers).toEqual([]);
    expectFailure(f.cp, 'RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva }] }, 'ResourceNotFound.BackendServer', { param: 'Servers.1.ServerId', status: 404 });
  });

  it('E8: with connection draining on, a removed server is Draining until now + the timeout, then gone; it can then be added again', () => {
    const f = gwlbFixture();
    const g = f.group({ ConnectionDrainConfig: { ConnectionDrainEnabled: true, ConnectionDrainTimeout: 10 } });
    const nva = f.run('NVA', f.vswA);
    const add = { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs' }] };
    f.call('AddServersToServerGroup', add);
    f.call('RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva }] });
    expect(serversOf(f, g)).toMatchObject([{ ServerId: nva, Status: 'Draining' }]);
    expect(model(f, g).Servers[0].DrainEndTime).toBe(f.clock.iso(10_000));
    expect(groupOf(f, g).ServerCount).toBe(1);
    expectFailure(f.cp, 'RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva }] }, 'IncorrectStatus.BackendServer', { param: 'Servers.1.ServerId' });
    expectFailure(f.cp, 'AddServersToServerGroup', add, 'ResourceAlreadyExist.Server');
    f.clock.advance(9_999);
    expect(serversOf(f, g)).toHaveLength(1);
    f.clock.advance(1);
    expect(serversOf(f, g)).toEqual([]);
    expect(groupOf(f, g).ServerCount).toBe(0);
    f.call('AddServersToServerGroup', add);
    expect(model(f, g).Servers).toEqual([{ ServerId: nva, ServerIp: '192.168.0.1', ServerType: 'Ecs', Port: 6081, Status: 'Available' }]);
  });

  it('E8: DeleteInstance refuses an ECS that is a server of a group, also while it drains, and not after', () => {
    const f = gwlbFixture();
    const g = f.group({ ConnectionDrainConfig: { ConnectionDrainEnabled: true, ConnectionDrainTimeout: 5 } });
    const nva = f.run('NVA', f.vswA);
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs' }] });
    expectFailure(f.cp, 'DeleteInstance', { InstanceId: nva }, 'DependencyViolation.ServerGroup', { param: 'InstanceId' });
    f.call('RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva }] });
    expectFailure(f.cp, 'DeleteInstance', { InstanceId: nva }, 'DependencyViolation.ServerGroup');
    f.clock.advance(5000);
    f.call('DeleteInstance', { InstanceId: nva });
  });

  it('E1a: ListServerGroupServers filters by server IDs and addresses', () => {
    const f = gwlbFixture();
    const g = f.group({ ServerGroupType: 'Ip' });
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: ['10.0.0.1', '10.0.0.2'].map((ServerId) => ({ ServerId, ServerType: 'Ip' })) });
    expect(f.call('ListServerGroupServers', { ServerGroupId: g, ServerIps: '10.0.0.2' }).Servers).toMatchObject([{ ServerIp: '10.0.0.2' }]);
    expect(f.call('ListServerGroupServers', { ServerGroupId: g, ServerIds: ['10.0.0.1'] }).TotalCount).toBe(1);
    expectFailure(f.cp, 'ListServerGroupServers', {}, 'MissingParameter', { param: 'ServerGroupId' });
  });
});

describe('E1: listeners', () => {
  it('E1 E8: a listener sends all traffic of its GWLB to one group; the idle timeout defaults to 350 s', () => {
    const f = gwlbFixture();
    const lb = f.lb();
    const g = f.group();
    const l = f.listener(lb, g, { ListenerDescription: 'all traffic, to the NVAs' });
    expect(l).toMatch(/^lsn-[a-z0-9]{22}$/);
    expect(f.call('GetListenerAttribute', { ListenerId: l })).toMatchObject({
      ListenerId: l, LoadBalancerId: lb, ServerGroupId: g, TcpIdleTimeout: 350, ListenerDescription: 'all traffic, to the NVAs', RegionId: 'cn-hangzhou',
    });
    expect(groupOf(f, g).RelatedLoadBalancerIds).toEqual([lb]);
  });

  it('E1a G4: ListenerStatus is Provisioning for the first second, then Running', () => {
    const f = gwlbFixture();
    const l = f.listener(f.lb(), f.group());
    expect(f.call('GetListenerAttribute', { ListenerId: l }).ListenerStatus).toBe('Provisioning');
    f.clock.advance(1000);
    expect(f.call('GetListenerAttribute', { ListenerId: l }).ListenerStatus).toBe('Running');
  });

  it('E1: one listener per GWLB (ResourceAlreadyExist.Listener); the group must be in the GWLB\'s VPC (Mismatch.VpcId)', () => {
    const f = gwlbFixture();
    const lb = f.lb();
    const g = f.group();
    f.listener(lb, g);
    expectFailure(f.cp, 'CreateListener', { LoadBalancerId: lb, ServerGroupId: g }, 'ResourceAlreadyExist.Listener', { param: 'LoadBalancerId' });
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const far = f.call('CreateServerGroup', { VpcId: other }).ServerGroupId as string;
    expectFailure(f.cp, 'CreateListener', { LoadBalancerId: f.lb(), ServerGroupId: far }, 'Mismatch.VpcId', { param: 'ServerGroupId' });
    expectFailure(f.cp, 'CreateListener', { LoadBalancerId: 'gwlb-nope', ServerGroupId: g }, 'ResourceNotFound.LoadBalancer', { status: 404 });
    expectFailure(f.cp, 'CreateListener', { LoadBalancerId: lb }, 'MissingParameter', { param: 'ServerGroupId' });
  });

  it('E8: TcpIdleTimeout is 60-6000 s; the description 2-256 characters of letters, digits and , . ; / @ _ -', () => {
    const f = gwlbFixture();
    const g = f.group();
    for (const t of [60, 6000]) expect(f.call('GetListenerAttribute', { ListenerId: f.listener(f.lb(), g, { TcpIdleTimeout: t }) }).TcpIdleTimeout).toBe(t);
    const lb = f.lb();
    for (const bad of [59, 6001, '350s']) expectFailure(f.cp, 'CreateListener', { LoadBalancerId: lb, ServerGroupId: g, TcpIdleTimeout: bad }, 'InvalidParameter', { param: 'TcpIdleTimeout' });
    for (const bad of ['x', 'a'.repeat(257), 'tab\there', 'what?']) expectFailure(f.cp, 'CreateListener', { LoadBalancerId: lb, ServerGroupId: g, ListenerDescription: bad }, 'InvalidParameter', { param: 'ListenerDescription' });
  });

  it('E1a: UpdateListenerAttribute changes the group, the idle timeout and the description; ListListeners filters; DeleteListener', () => {
    const f = gwlbFixture();
    const lb = f.lb();
    const g1 = f.group();
    const g2 = f.group();
    const l = f.listener(lb, g1);
    f.call('UpdateListenerAttribute', { ListenerId: l, ServerGroupId: g2, TcpIdleTimeout: 120, ListenerDescription: 'moved' });
    expect(f.call('GetListenerAttribute', { ListenerId: l })).toMatchObject({ ServerGroupId: g2, TcpIdleTimeout: 120, ListenerDescription: 'moved' });
    f.call('UpdateListenerAttribute', { ListenerId: l, TcpIdleTimeout: 90 });
    expect(f.call('GetListenerAttribute', { ListenerId: l })).toMatchObject({ ServerGroupId: g2, TcpIdleTimeout: 90 });
    expectFailure(f.cp, 'UpdateListenerAttribute', { ListenerId: l, TcpIdleTimeout: 10 }, 'InvalidParameter');
    expect((f.call('ListListeners', { LoadBalancerIds: [lb] }).Listeners as Res[]).map((x) => x.ListenerId)).toEqual([l]);
    expect(f.call('ListListeners', { ListenerIds: 'lsn-nope' }).TotalCount).toBe(0);
    f.call('DeleteListener', { ListenerId: l });
    expectFailure(f.cp, 'DeleteListener', { ListenerId: l }, 'ResourceNotFound.Listener', { status: 404 });
    expectFailure(f.cp, 'GetListenerAttribute', { ListenerId: l }, 'ResourceNotFound.Listener', { status: 404 });
  });
});

describe('the flat RPC form at the door', () => {
  it('a declared structured parameter takes its flat names; other actions and other shapes are refused as UnsupportedParameter', () => {
    const own = ['VpcId', 'ZoneMappings', 'LoadBalancerName', 'AddressIpVersion'];
    for (const ok of ['ZoneMappings.1.ZoneId', 'ZoneMappings.20.VSwitchId']) expect(unsupportedParam('CreateLoadBalancer', own, ok)).toBeNull();
    for (const bad of ['VpcId.1', 'ZoneMappings.0.ZoneId', 'ZoneMappings.1.ZoneId.x', 'ZoneMappings..ZoneId', 'ZoneMapping.1.ZoneId']) {
      expect(unsupportedParam('CreateLoadBalancer', own, bad)?.code, bad).toBe('UnsupportedParameter');
    }
    expect(unsupportedParam('CreateVpc', ['CidrBlock', 'VpcName'], 'VpcName.1')?.code).toBe('UnsupportedParameter');
    const cp = new ControlPlane('t-flat');
    expectFailure(cp, 'CreateVpc', { CidrBlock: '10.0.0.0/16', 'VpcName.1': 'x' }, 'UnsupportedParameter', { param: 'VpcName.1' });
  });

  it('a scenario step may use the flat names too', () => {
    expect(checkAction('CreateLoadBalancer', { VpcId: 'v', 'ZoneMappings.1.ZoneId': 'z', 'ZoneMappings.1.VSwitchId': 's' })).toEqual([]);
    expect(checkAction('AddServersToServerGroup', { ServerGroupId: 'g', 'Servers.1.ServerId': 'NVA' })).toEqual([]);
    expect(checkAction('CreateLoadBalancer', { 'VpcId.1': 'v' })).toHaveLength(1);
  });
});

describe('names for IDs', () => {
  it('GWLB, server group and listener names resolve to their IDs; a GWLB\'s name also stands for its listener', () => {
    const f = gwlbFixture();
    const lb = f.lb(undefined, 'gwlb-lab');
    const g = f.group({ ServerGroupName: 'nvas' });
    const l = f.listener(lb, g, { ListenerDescription: 'to-nvas' });
    expect(resolveParams(f.cp.model, { LoadBalancerId: 'gwlb-lab', ServerGroupId: 'nvas' })).toEqual({ LoadBalancerId: lb, ServerGroupId: g });
    expect(resolveParams(f.cp.model, { ListenerId: 'gwlb-lab' })).toEqual({ ListenerId: l });
    expect(resolveParams(f.cp.model, { ListenerId: 'to-nvas' })).toEqual({ ListenerId: l });
    expect(resolveParams(f.cp.model, { LoadBalancerIds: 'gwlb-lab', ServerGroupIds: ['nvas'] })).toEqual({ LoadBalancerIds: [lb], ServerGroupIds: [g] });
  });

  it('ServerId inside Servers names an ECS, in a JSON value, JSON text or the flat form; Ip servers and zones pass through', () => {
    const f = gwlbFixture();
    const nva = f.run('NVA-1', f.vswA);
    expect(resolveParams(f.cp.model, { Servers: [{ ServerId: 'NVA-1', ServerType: 'Ecs' }, { ServerId: '10.0.0.1', ServerType: 'Ip' }] }))
      .toEqual({ Servers: [{ ServerId: nva, ServerType: 'Ecs' }, { ServerId: '10.0.0.1', ServerType: 'Ip' }] });
    expect(JSON.parse(resolveParams(f.cp.model, { Servers: '[{"ServerId":"NVA-1","ServerType":"Ecs"}]' }).Servers as string)).toEqual([{ ServerId: nva, ServerType: 'Ecs' }]);
    expect(resolveParams(f.cp.model, { 'Servers.1.ServerId': 'NVA-1' })).toEqual({ 'Servers.1.ServerId': nva });
    const vsw = f.cp.model.vswitches[0];
    vsw.VSwitchName = 'vsw-nva';
    expect(resolveParams(f.cp.model, { ZoneMappings: [{ ZoneId: 'vsw-nva', VSwitchId: 'vsw-nva' }] })).toEqual({ ZoneMappings: [{ ZoneId: 'vsw-nva', VSwitchId: vsw.VSwitchId }] });
    // Text that is not JSON passes through for the action to judge.
    expect(resolveParams(f.cp.model, { Servers: '[oops' })).toEqual({ Servers: '[oops' });
  });

  it('a whole GWLB built with names, as a scenario would', () => {
    const f = gwlbFixture();
    f.run('NVA-1', f.vswA, undefined, { Mtu: 8500 });
    f.cp.model.vswitches[0].VSwitchName = 'vsw-a';
    const call = (a: string, p: Record<string, unknown>): Res => f.cp.invoke(a, resolveParams(f.cp.model, p));
    call('CreateLoadBalancer', { VpcId: 'vpc-lab', LoadBalancerName: 'gwlb-lab', ZoneMappings: [{ ZoneId: ZONE_A, VSwitchId: 'vsw-a' }] });
    call('CreateServerGroup', { VpcId: 'vpc-lab', ServerGroupName: 'nvas' });
    call('AddServersToServerGroup', { ServerGroupId: 'nvas', Servers: [{ ServerId: 'NVA-1', ServerType: 'Ecs' }] });
    call('CreateListener', { LoadBalancerId: 'gwlb-lab', ServerGroupId: 'nvas' });
    expect(f.cp.model.listeners).toHaveLength(1);
    expect(f.cp.model.serverGroups[0].Servers[0].ServerIp).toBe('192.168.0.1');
  });
});

describe('vpclab status', () => {
  it('G4: lists the GWLB, its listener, the server group with its servers (by ECS name) and their statuses', () => {
    const f = gwlbFixture();
    const lb = f.lb(undefined, 'gwlb-lab');
    const g = f.group({ ServerGroupName: 'nvas', ConnectionDrainConfig: { ConnectionDrainEnabled: true } });
    const nva = f.run('NVA-1', f.vswA);
    f.call('AddServersToServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva, ServerType: 'Ecs' }, { ServerId: f.run('NVA-2', f.vswA), ServerType: 'Ecs' }] });
    f.call('RemoveServersFromServerGroup', { ServerGroupId: g, Servers: [{ ServerId: nva }] });
    f.listener(lb, g);
    // Health is the engine's: a real one, on this model, before any probe has answered.
    const engine = new Engine(() => undefined, () => f.clock.now());
    engine.load(compile(f.cp.model, () => undefined, engine.counters));
    const rows = resourcesOf(f.cp.model, engine, f.clock.now());
    expect(rows.find((r) => r.type === 'GWLB')).toEqual({ type: 'GWLB', id: lb, name: 'gwlb-lab', detail: `Provisioning ${ZONE_A} 192.168.0.1` });
    expect(rows.find((r) => r.type === 'ServerGroup')?.detail).toBe('Creating 5TCH NoRebalance; servers NVA-1 192.168.0.2 Initial (Draining), NVA-2 192.168.0.3 Initial; health check TCP:80 every 10s');
    expect(rows.find((r) => r.type === 'Listener')?.detail).toBe(`Provisioning ${lb} → ${g}, idle timeout 350s`);
    f.clock.advance(1000);
    expect(resourcesOf(f.cp.model, engine, f.clock.now()).find((r) => r.type === 'GWLB')?.detail).toMatch(/^Active /);
  });
});
