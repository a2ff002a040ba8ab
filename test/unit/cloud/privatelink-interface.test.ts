// PrivateLink interface endpoints to the lab's cloud services (F6's answer to the 100.64/10
// conflict): the services offered as Alibaba-managed endpoint services, CreateVpcEndpoint
// with EndpointType=Interface (one ENI per zone at a VPC-native address), the views, the
// endpoint's domain in the lab's zone, bad input, and scenario names.

import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/main/runtime/scenario-actions';
import { zoneOf } from '../../../src/main/runtime/zone';
import { expectFailure, fixture, testClock, type Res } from './helpers';

const ZONE_A = 'ap-northeast-1a';
const ZONE_B = 'ap-northeast-1b';
const OSS_NAME = 'com.aliyuncs.privatelink.cn-hangzhou.oss';

function setup() {
  const clock = testClock();
  const f = fixture('t-pl-interface', { now: clock.now });
  const oss = f.call('CreateCloudService', { HostName: 'OSS', IpAddress: '100.118.28.10', DomainNames: 'oss-cn-hangzhou-internal.aliyuncs.com', Services: 'http-hello' }).ServiceId as string;
  const zones = (ip?: string) => [{ ZoneId: ZONE_A, VSwitchId: f.vswA, ...(ip ? { ip } : {}) }, { ZoneId: ZONE_B, VSwitchId: f.vswB }];
  const create = (extra: Record<string, unknown> = {}): Res =>
    f.call('CreateVpcEndpoint', { EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: f.vpc, Zone: zones('192.168.0.60'), ...extra } as never);
  return { ...f, clock, oss, zones, create };
}

describe('managed endpoint services', () => {
  it('every cloud service is offered as an Interface service com.aliyuncs.privatelink.<region>.<host>, listed for the end user, not as the user\'s own', () => {
    const s = setup();
    const listed = s.call('ListVpcEndpointServicesByEndUser', { ServiceType: 'Interface' }).Services as Res[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ ServiceName: OSS_NAME, ServiceType: 'Interface', AutoAcceptEnabled: true, ServiceStatus: 'Active', Zones: [ZONE_A, ZONE_B] });
    expect(listed[0].ServiceId).toMatch(/^epsrv-[a-z0-9]{22}$/);
    expect(s.call('ListVpcEndpointServicesByEndUser', { ServiceName: OSS_NAME }).TotalCount).toBe(1);
    expect(s.call('ListVpcEndpointServices').TotalCount).toBe(0);
    s.call('DeleteCloudService', { ServiceId: s.oss });
    expect(s.call('ListVpcEndpointServicesByEndUser').TotalCount).toBe(0);
  });
});

describe('CreateVpcEndpoint EndpointType=Interface', () => {
  it('one ENI per zone: the address asked for, else the vSwitch\'s lowest free one; Connected at once, Creating then Active', () => {
    const s = setup();
    const sg = s.call('CreateSecurityGroup', { VpcId: s.vpc, SecurityGroupName: 'sg-ep' }).SecurityGroupId as string;
    // H1: the endpoint's ENIs take groups of its own VPC that exist.
    expectFailure(s.cp, 'CreateVpcEndpoint', { EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: s.vpc, Zone: s.zones() as never, SecurityGroupId: ['sg-abc123'] as never }, 'InvalidSecurityGroupId.NotFound', { param: 'SecurityGroupId' });
    const r = s.create({ EndpointName: 'ep-oss', SecurityGroupId: [sg] });
    expect(s.cp.model.interfaceEndpoints[0].SecurityGroupIds).toEqual([sg]);
    expectFailure(s.cp, 'DeleteSecurityGroup', { SecurityGroupId: sg }, 'DependencyViolation', { param: 'SecurityGroupId' });
    const id = r.EndpointId as string;
    const svc = (s.call('ListVpcEndpointServicesByEndUser').Services as Res[])[0].ServiceId as string;
    expect(r).toMatchObject({ EndpointType: 'Interface', EndpointStatus: 'Creating', ConnectionStatus: 'Connected', ServiceId: svc, ServiceName: OSS_NAME, VpcId: s.vpc });
    expect(r.EndpointDomain).toBe(`${id}.${svc}.cn-hangzhou.privatelink.aliyuncs.com`);
    s.clock.advance(1000);
    expect(s.call('GetVpcEndpointAttribute', { EndpointId: id })).toMatchObject({ EndpointStatus: 'Active', EndpointName: 'ep-oss', ResourceOwner: false });
    const z = s.call('ListVpcEndpointZones', { EndpointId: id });
    expect(z.TotalCount).toBe(2);
    expect(z.Zones).toMatchObject([
      { ZoneId: ZONE_A, VSwitchId: s.vswA, EniIp: '192.168.0.60', ZoneStatus: 'Connected' },
      { ZoneId: ZONE_B, VSwitchId: s.vswB, EniIp: '192.168.1.1', ZoneStatus: 'Connected' },
    ]);
    expect((z.Zones as Res[])[0].EniId).toMatch(/^eni-/);
    expect(s.call('ListVpcEndpoints', { EndpointType: 'Interface' }).TotalCount).toBe(1);
    expect(s.call('ListVpcEndpoints', { EndpointType: 'GatewayLoadBalancer' }).TotalCount).toBe(0);
    expect(s.call('ListVpcEndpoints', { ServiceName: OSS_NAME, ConnectionStatus: 'Connected' }).TotalCount).toBe(1);
    // The ENI addresses are taken: an ECS cannot have one.
    expectFailure(s.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: s.vswA, PrivateIpAddress: '192.168.0.60' }, 'InvalidPrivateIpAddress.Duplicated');
  });

  it('the endpoint\'s domain resolves in the lab\'s zone to every ENI, each zone\'s domain to its own', () => {
    const s = setup();
    const r = s.create();
    const recs = zoneOf(s.cp.model).records.filter((x) => x.name === r.EndpointDomain);
    expect(recs.map((x) => x.value)).toEqual(['192.168.0.60', '192.168.1.1']);
    const zoneA = (s.call('ListVpcEndpointZones', { EndpointId: r.EndpointId as string }).Zones as Res[])[0].ZoneDomain as string;
    expect(zoneOf(s.cp.model).records.filter((x) => x.name === zoneA).map((x) => x.value)).toEqual(['192.168.0.60']);
  });

  it('by ServiceId too; renamed by UpdateVpcEndpointAttribute; DeleteVpcEndpoint frees its addresses', () => {
    const s = setup();
    const svc = (s.call('ListVpcEndpointServicesByEndUser').Services as Res[])[0].ServiceId as string;
    const id = s.create({ ServiceName: undefined, ServiceId: svc }).EndpointId as string;
    s.call('UpdateVpcEndpointAttribute', { EndpointId: id, EndpointName: 'oss-ep' });
    expect(s.call('GetVpcEndpointAttribute', { EndpointId: id }).EndpointName).toBe('oss-ep');
    s.call('DeleteVpcEndpoint', { EndpointId: id });
    expect(s.call('ListVpcEndpoints').TotalCount).toBe(0);
    expect(zoneOf(s.cp.model).records.some((x) => x.name.includes(id))).toBe(false);
    s.run('ecs', s.vswA, '192.168.0.60');
    expectFailure(s.cp, 'GetVpcEndpointAttribute', { EndpointId: id }, 'EndpointNotFound', { param: 'EndpointId', status: 400 });
  });

  it('bad input: the Alibaba code, the parameter named, nothing changed', () => {
    const s = setup();
    const base = { EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: s.vpc, Zone: s.zones() };
    const fail = (p: Record<string, unknown>, code: string, param?: string) => expectFailure(s.cp, 'CreateVpcEndpoint', p as never, code, param ? { param } : {});
    fail({ ...base, ServiceName: 'com.aliyuncs.privatelink.cn-hangzhou.nope' }, 'EndpointServiceNotFound', 'ServiceName');
    fail({ ...base, ServiceName: undefined, ServiceId: 'epsrv-nope' }, 'EndpointServiceNotFound', 'ServiceId');
    fail({ ...base, ServiceName: undefined }, 'MissingParameter', 'ServiceId');
    fail({ ...base, Zone: undefined }, 'MissingParameter', 'Zone');
    fail({ ...base, VpcId: undefined }, 'MissingParameter', 'VpcId');
    fail({ ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA }, { ZoneId: ZONE_A, VSwitchId: s.vswA }] }, 'DuplicatedParam.ZoneId', 'Zone.2.ZoneId');
    fail({ ...base, Zone: [{ ZoneId: ZONE_B, VSwitchId: s.vswA }] }, 'Mismatch.ZoneId', 'Zone.1.VSwitchId');
    fail({ ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA, ip: '192.168.1.5' }] }, 'InvalidPrivateIpAddress.Malformed', 'Zone.1.ip');
    fail({ ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA, ip: 'x' }] }, 'InvalidPrivateIpAddress.Malformed', 'Zone.1.ip');
    fail({ ...base, SecurityGroupId: ['default'] }, 'InvalidSecurityGroupId.Malformed', 'SecurityGroupId');
    fail({ ...base, EndpointType: 'GatewayLoadBalancer' }, 'UnsupportedFeature.EndpointType', 'EndpointType');
    fail({ ...base, EndpointName: '1st' }, 'InvalidParameter', 'EndpointName');
    const other = s.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    fail({ ...base, VpcId: other }, 'Mismatch.VpcId', 'Zone.1.VSwitchId');
    const svc = (s.call('ListVpcEndpointServicesByEndUser').Services as Res[])[0].ServiceId as string;
    fail({ ...base, ServiceId: svc, ServiceName: 'com.other' }, 'InvalidParameter', 'ServiceName');
    s.run('ecs', s.vswA, '192.168.0.7');
    fail({ ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA, ip: '192.168.0.7' }] }, 'InvalidPrivateIpAddress.Duplicated', 'Zone.1.ip');
  });

  it('scenario steps name things: the VPC and vSwitch by name, the service by ServiceName, the cloud service\'s host name, or the endpoint by its name', () => {
    const s = setup();
    s.cp.model.vswitches.find((v) => v.VSwitchId === s.vswA)!.VSwitchName = 'vsw-a';
    const m = s.cp.model;
    const p = resolveParams(m, { EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: 'vpc-lab', Zone: [{ ZoneId: ZONE_A, VSwitchId: 'vsw-a', ip: '192.168.0.60' }], EndpointName: 'ep-oss' });
    expect(p).toEqual({ EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: s.vpc, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA, ip: '192.168.0.60' }], EndpointName: 'ep-oss' });
    const id = s.call('CreateVpcEndpoint', p).EndpointId as string;
    const svc = (s.call('ListVpcEndpointServicesByEndUser').Services as Res[])[0].ServiceId as string;
    expect(resolveParams(s.cp.model, { EndpointId: 'ep-oss', ServiceId: 'OSS' })).toEqual({ EndpointId: id, ServiceId: svc });
    expect(resolveParams(s.cp.model, { ServiceId: OSS_NAME })).toEqual({ ServiceId: svc });
  });
});
