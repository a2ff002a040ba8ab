// PrivateLink for the GWLB (SEMANTICS E2, E10, G4): endpoint services whose resources are a
// GWLB in some of its zones, GWLB endpoints with their ENI, connections, the statuses the API
// shows as asynchronous, route entries that point at an endpoint, and what may not be deleted.

import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/main/runtime/scenario-actions';
import { entries, expectFailure, gwlbFixture, ZONE_A, ZONE_B, type Res } from './helpers';

const ZONE_C = 'ap-northeast-1c';

/** The provider's GWLB (zones A and B of the fixture's VPC) and a consumer VPC 10.0.0.0/16 with a vSwitch in zones A, B and C. */
function setup(labName = 't-privatelink') {
  const f = gwlbFixture(labName);
  const gwlb = f.lb([{ ZoneId: ZONE_A, VSwitchId: f.vswA }, { ZoneId: ZONE_B, VSwitchId: f.vswB }], 'gwlb-lab');
  const consumer = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'business' });
  const vpc = consumer.VpcId as string;
  const vsw = (zone: string, cidr: string): string => f.call('CreateVSwitch', { VpcId: vpc, ZoneId: zone, CidrBlock: cidr }).VSwitchId as string;
  const cA = vsw(ZONE_A, '10.0.1.0/24');
  const cB = vsw(ZONE_B, '10.0.2.0/24');
  const cC = vsw(ZONE_C, '10.0.3.0/24');
  const service = (extra: Record<string, unknown> = {}): string =>
    f.call('CreateVpcEndpointService', { ServiceResourceType: 'gwlb', Resource: [{ ResourceId: gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A }, { ResourceId: gwlb, ResourceType: 'gwlb', ZoneId: ZONE_B }], ...extra } as never).ServiceId as string;
  const endpoint = (svc: string, zone = ZONE_A, vswitch = cA, extra: Record<string, unknown> = {}): string =>
    f.call('CreateVpcEndpoint', { EndpointType: 'GatewayLoadBalancer', ServiceId: svc, VpcId: vpc, Zone: [{ ZoneId: zone, VSwitchId: vswitch }], ...extra } as never).EndpointId as string;
  return { ...f, gwlb, consumer: vpc, consumerRt: consumer.RouteTableId as string, cA, cB, cC, service, endpoint };
}

const svcAttr = (s: ReturnType<typeof setup>, id: string): Res => s.call('GetVpcEndpointServiceAttribute', { ServiceId: id });
const epAttr = (s: ReturnType<typeof setup>, id: string): Res => s.call('GetVpcEndpointAttribute', { EndpointId: id });

describe('E2: endpoint services', () => {
  it('E2: a GWLB service spans the zones of its resources; auto-accept is off by default', () => {
    const s = setup();
    const id = s.service({ ServiceDescription: 'nva-service' });
    expect(id).toMatch(/^epsrv-[a-z0-9]{22}$/);
    expect(svcAttr(s, id)).toMatchObject({
      ServiceId: id, ServiceName: `com.aliyuncs.privatelink.cn-hangzhou.${id}`, ServiceDomain: `${id}.cn-hangzhou.privatelink.aliyuncs.com`,
      ServiceDescription: 'nva-service', ServiceResourceType: 'gwlb', ServiceType: 'GatewayLoadBalancer', AutoAcceptEnabled: false, Zones: [ZONE_A, ZONE_B],
      ServiceBusinessStatus: 'Normal',
    });
    expect(s.call('ListVpcEndpointServiceResources', { ServiceId: id }).Resources).toMatchObject([
      { ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A, VSwitchId: s.vswA, Ip: '192.168.0.1' },
      { ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_B, VSwitchId: s.vswB, Ip: '192.168.1.1' },
    ]);
  });

  it('E2 G4: ServiceStatus is Creating for the first second, then Active; the response of the create call shows it', () => {
    const s = setup();
    const r = s.call('CreateVpcEndpointService', { Resource: [{ ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A }] });
    expect(r).toMatchObject({ ServiceStatus: 'Creating', ServiceResourceType: 'gwlb' });
    s.clock.advance(1000);
    expect(svcAttr(s, r.ServiceId as string).ServiceStatus).toBe('Active');
    expect((s.call('ListVpcEndpointServices', { ServiceStatus: 'Active' }).Services as Res[]).map((x) => x.ServiceId)).toEqual([r.ServiceId]);
  });

  it('E2: each resource zone must be a zone of the GWLB; only gwlb resources are modelled', () => {
    const s = setup();
    const res = (r: Record<string, unknown>): Record<string, unknown> => ({ Resource: [{ ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A, ...r }] });
    expectFailure(s.cp, 'CreateVpcEndpointService', res({ ZoneId: ZONE_C }) as never, 'Mismatch.ZoneId', { param: 'Resource.1.ZoneId' });
    expectFailure(s.cp, 'CreateVpcEndpointService', res({ ResourceId: 'gwlb-nope' }) as never, 'ResourceNotFound.LoadBalancer', { param: 'Resource.1.ResourceId', status: 404 });
    expectFailure(s.cp, 'CreateVpcEndpointService', res({ ResourceType: 'nlb' }) as never, 'UnsupportedFeature.ServiceResourceType', { param: 'Resource.1.ResourceType' });
    expectFailure(s.cp, 'CreateVpcEndpointService', res({ ResourceType: 'GWLB' }) as never, 'InvalidParameter', { param: 'Resource.1.ResourceType' });
    expectFailure(s.cp, 'CreateVpcEndpointService', { ServiceResourceType: 'slb' }, 'UnsupportedFeature.ServiceResourceType', { param: 'ServiceResourceType' });
    expectFailure(s.cp, 'CreateVpcEndpointService', { Resource: [{ ResourceId: s.gwlb, ZoneId: ZONE_A }] }, 'MissingParameter', { param: 'Resource.1.ResourceType' });
    const twice = { ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A };
    expectFailure(s.cp, 'CreateVpcEndpointService', { Resource: [twice, twice] }, 'DuplicatedParam.Resource', { param: 'Resource.2.ResourceId' });
    expectFailure(s.cp, 'CreateVpcEndpointService', { Resource: Array.from({ length: 11 }, () => twice) }, 'InvalidParameter', { param: 'Resource' });
    expectFailure(s.cp, 'CreateVpcEndpointService', { ServiceDescription: 'https://x' }, 'InvalidParameter', { param: 'ServiceDescription' });
  });

  it('E2: Resource in the flat form; a service may start empty and take its resources with AttachResourceToVpcEndpointService', () => {
    const s = setup();
    const flat = s.call('CreateVpcEndpointService', { 'Resource.1.ResourceId': s.gwlb, 'Resource.1.ResourceType': 'gwlb', 'Resource.1.ZoneId': ZONE_B }).ServiceId as string;
    expect(svcAttr(s, flat).Zones).toEqual([ZONE_B]);
    const id = s.call('CreateVpcEndpointService', { ServiceResourceType: 'gwlb', AutoAcceptEnabled: true }).ServiceId as string;
    expect(svcAttr(s, id)).toMatchObject({ Zones: [], AutoAcceptEnabled: true });
    s.call('AttachResourceToVpcEndpointService', { ServiceId: id, ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A });
    expect(svcAttr(s, id).Zones).toEqual([ZONE_A]);
    expectFailure(s.cp, 'AttachResourceToVpcEndpointService', { ServiceId: id, ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A }, 'EndpointServiceResourceAlreadyAttached', { param: 'ResourceId' });
    expectFailure(s.cp, 'AttachResourceToVpcEndpointService', { ServiceId: id, ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_C }, 'Mismatch.ZoneId', { param: 'ZoneId' });
    expectFailure(s.cp, 'AttachResourceToVpcEndpointService', { ServiceId: id, ResourceId: s.gwlb, ResourceType: 'gwlb' }, 'MissingParameter', { param: 'ZoneId' });
    expectFailure(s.cp, 'AttachResourceToVpcEndpointService', { ServiceId: 'epsrv-nope', ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A }, 'EndpointServiceNotFound', { status: 400 });
  });

  it('E2: DetachResourceFromVpcEndpointService is refused for a zone an endpoint of the service uses (EndpointServiceConnectionDependence)', () => {
    const s = setup();
    const id = s.service();
    const ep = s.endpoint(id, ZONE_A, s.cA);
    const detach = (zone: string): Record<string, unknown> => ({ ServiceId: id, ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: zone });
    s.call('DetachResourceFromVpcEndpointService', detach(ZONE_B) as never);
    expect(svcAttr(s, id).Zones).toEqual([ZONE_A]);
    expectFailure(s.cp, 'DetachResourceFromVpcEndpointService', detach(ZONE_B) as never, 'EndpointServiceResourceNotFound', { param: 'ResourceId' });
    const e = expectFailure(s.cp, 'DetachResourceFromVpcEndpointService', detach(ZONE_A) as never, 'EndpointServiceConnectionDependence', { param: 'ZoneId' });
    expect(e.message).toContain(ep);
  });

  it('E2: UpdateVpcEndpointServiceAttribute turns auto-accept on for endpoints created from then on', () => {
    const s = setup();
    const id = s.service();
    const before = s.endpoint(id);
    s.call('UpdateVpcEndpointServiceAttribute', { ServiceId: id, AutoAcceptEnabled: 'true', ServiceDescription: 'now open' });
    const after = s.endpoint(id, ZONE_B, s.cB);
    expect([epAttr(s, before).ConnectionStatus, epAttr(s, after).ConnectionStatus]).toEqual(['Disconnected', 'Connected']);
    expect(svcAttr(s, id)).toMatchObject({ AutoAcceptEnabled: true, ServiceDescription: 'now open' });
  });

  it('E2: DeleteVpcEndpointService is refused while endpoints use it; a missing service → EndpointServiceNotFound (400)', () => {
    const s = setup();
    const id = s.service();
    const ep = s.endpoint(id);
    expectFailure(s.cp, 'DeleteVpcEndpointService', { ServiceId: id }, 'EndpointServiceConnectionDependence', { param: 'ServiceId' });
    s.call('DeleteVpcEndpoint', { EndpointId: ep });
    s.call('DeleteVpcEndpointService', { ServiceId: id });
    for (const a of ['DeleteVpcEndpointService', 'GetVpcEndpointServiceAttribute']) expectFailure(s.cp, a, { ServiceId: id }, 'EndpointServiceNotFound', { param: 'ServiceId', status: 400 });
  });

  it('E1a: DeleteLoadBalancer is refused while an endpoint service uses the GWLB (ResourceInUse.LoadBalancer)', () => {
    const s = setup();
    const id = s.service();
    expectFailure(s.cp, 'DeleteLoadBalancer', { LoadBalancerId: s.gwlb }, 'ResourceInUse.LoadBalancer', { param: 'LoadBalancerId' });
    s.call('DeleteVpcEndpointService', { ServiceId: id });
    s.call('DeleteLoadBalancer', { LoadBalancerId: s.gwlb });
  });
});

describe('E2: GWLB endpoints', () => {
  it('E2: a GWLBe gets an ENI with the next free address of its vSwitch; without auto-accept it is Disconnected', () => {
    const s = setup();
    const svc = s.service();
    s.run('app', s.cA); // 10.0.1.1
    const id = s.endpoint(svc, ZONE_A, s.cA, { EndpointName: 'gwlbe-a' });
    expect(id).toMatch(/^ep-[a-z0-9]{22}$/);
    expect(epAttr(s, id)).toMatchObject({
      EndpointId: id, EndpointName: 'gwlbe-a', EndpointType: 'GatewayLoadBalancer', ServiceId: svc, ServiceName: `com.aliyuncs.privatelink.cn-hangzhou.${svc}`,
      VpcId: s.consumer, ConnectionStatus: 'Disconnected', ZonePrivateIpAddressCount: 1,
    });
    const zones = s.call('ListVpcEndpointZones', { EndpointId: id }).Zones as Res[];
    expect(zones).toHaveLength(1);
    expect(zones[0]).toMatchObject({ ZoneId: ZONE_A, VSwitchId: s.cA, EniIp: '10.0.1.2' });
    expect(zones[0].EniId).toMatch(/^eni-[a-z0-9]{22}$/);
    // No two resources share an address: the next ECS skips the endpoint's ENI.
    s.run('app2', s.cA);
    expect(s.cp.model.instances.find((i) => i.InstanceName === 'app2')!.PrivateIpAddress).toBe('10.0.1.3');
    expectFailure(s.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: s.cA, PrivateIpAddress: '10.0.1.2' }, 'InvalidPrivateIpAddress.Duplicated');
  });

  it('E2 G4: with auto-accept the GWLBe is Connected at once; EndpointStatus is Creating for the first second, then Active', () => {
    const s = setup();
    const r = s.call('CreateVpcEndpoint', { EndpointType: 'GatewayLoadBalancer', ServiceId: s.service({ AutoAcceptEnabled: true }), VpcId: s.consumer, Zone: [{ ZoneId: ZONE_B, VSwitchId: s.cB }] });
    expect(r).toMatchObject({ EndpointStatus: 'Creating', ConnectionStatus: 'Connected' });
    expect((s.call('ListVpcEndpointZones', { EndpointId: r.EndpointId as string }).Zones as Res[])[0].ZoneStatus).toBe('Creating');
    s.clock.advance(1000);
    expect(epAttr(s, r.EndpointId as string)).toMatchObject({ EndpointStatus: 'Active', ConnectionStatus: 'Connected' });
    expect((s.call('ListVpcEndpointZones', { EndpointId: r.EndpointId as string }).Zones as Res[])[0].ZoneStatus).toBe('Connected');
  });

  it('E2: Zone.N.ip picks the ENI address; it must be a free, unreserved address of the vSwitch', () => {
    const s = setup();
    const svc = s.service();
    const id = s.call('CreateVpcEndpoint', { EndpointType: 'GatewayLoadBalancer', ServiceId: svc, VpcId: s.consumer, 'Zone.1.ZoneId': ZONE_A, 'Zone.1.VSwitchId': s.cA, 'Zone.1.ip': '10.0.1.100' }).EndpointId as string;
    expect(s.cp.model.endpoints.find((e) => e.EndpointId === id)!.Zone.EniIp).toBe('10.0.1.100');
    const at = (ip: string): Record<string, unknown> => ({ EndpointType: 'GatewayLoadBalancer', ServiceId: svc, VpcId: s.consumer, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.cA, ip }] });
    expectFailure(s.cp, 'CreateVpcEndpoint', at('10.0.1.100') as never, 'InvalidPrivateIpAddress.Duplicated', { param: 'Zone.1.ip' });
    for (const bad of ['10.0.2.5', '10.0.1.255', '10.0.1.0']) expectFailure(s.cp, 'CreateVpcEndpoint', at(bad) as never, 'InvalidPrivateIpAddress.Malformed', { param: 'Zone.1.ip' });
    expectFailure(s.cp, 'CreateVpcEndpoint', at('10.0.1') as never, 'InvalidPrivateIpAddress.Malformed', { param: 'Zone.1.ip' });
  });

  it('E2: a GWLBe is in exactly one zone, a zone of its service, with a vSwitch of its VPC in that zone', () => {
    const s = setup();
    const svc = s.service();
    const base = { EndpointType: 'GatewayLoadBalancer', ServiceId: svc, VpcId: s.consumer };
    expectFailure(s.cp, 'CreateVpcEndpoint', base, 'InvalidParameter.ZoneCount', { param: 'Zone' });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.cA }, { ZoneId: ZONE_B, VSwitchId: s.cB }] }, 'InvalidParameter.ZoneCount', { param: 'Zone' });
    const e = expectFailure(s.cp, 'CreateVpcEndpoint', { ...base, Zone: [{ ZoneId: ZONE_C, VSwitchId: s.cC }] }, 'EndpointZoneNotSupported', { param: 'Zone.1.ZoneId' });
    expect(e.message).toContain(`${ZONE_A}, ${ZONE_B}`);
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.cB }] }, 'Mismatch.ZoneId', { param: 'Zone.1.VSwitchId' });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.vswA }] }, 'Mismatch.VpcId', { param: 'Zone.1.VSwitchId' });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...base, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.cA, Ip: '10.0.1.9' }] }, 'UnsupportedParameter', { param: 'Zone.1.Ip' });
  });

  it('E2: EndpointType GatewayLoadBalancer is required (Interface, the API default, is not modelled); the service by ID or by name', () => {
    const s = setup();
    const svc = s.service();
    const z = { VpcId: s.consumer, Zone: [{ ZoneId: ZONE_A, VSwitchId: s.cA }] };
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, ServiceId: svc }, 'UnsupportedFeature.EndpointType', { param: 'EndpointType' });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, ServiceId: svc, EndpointType: 'Reverse' }, 'UnsupportedFeature.EndpointType');
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, EndpointType: 'GatewayLoadBalancer' }, 'MissingParameter', { param: 'ServiceId' });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, EndpointType: 'GatewayLoadBalancer', ServiceName: 'com.nope' }, 'EndpointServiceNotFound', { param: 'ServiceName', status: 400 });
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, EndpointType: 'GatewayLoadBalancer', ServiceId: svc, ServiceName: 'com.nope' }, 'InvalidParameter', { param: 'ServiceName' });
    const name = svcAttr(s, svc).ServiceName as string;
    const id = s.call('CreateVpcEndpoint', { ...z, EndpointType: 'GatewayLoadBalancer', ServiceName: name }).EndpointId as string;
    expect(epAttr(s, id).ServiceId).toBe(svc);
    expectFailure(s.cp, 'CreateVpcEndpoint', { ...z, EndpointType: 'GatewayLoadBalancer', ServiceId: svc, EndpointName: '1st' }, 'InvalidParameter', { param: 'EndpointName' });
  });

  it('E2: the provider accepts (EnableVpcEndpointConnection) and rejects (DisableVpcEndpointConnection) an endpoint of its service', () => {
    const s = setup();
    const svc = s.service();
    const ep = s.endpoint(svc);
    expect((s.call('ListVpcEndpointConnections', { ServiceId: svc }).Connections as Res[])).toMatchObject([{ EndpointId: ep, EndpointVpcId: s.consumer, ConnectionStatus: 'Disconnected' }]);
    s.call('EnableVpcEndpointConnection', { ServiceId: svc, EndpointId: ep });
    expect(epAttr(s, ep).ConnectionStatus).toBe('Connected');
    expectFailure(s.cp, 'EnableVpcEndpointConnection', { ServiceId: svc, EndpointId: ep }, 'EndpointConnectionOperationDenied', { param: 'EndpointId' });
    s.call('DisableVpcEndpointConnection', { ServiceId: svc, EndpointId: ep });
    expect(epAttr(s, ep).ConnectionStatus).toBe('Disconnected');
    expectFailure(s.cp, 'DisableVpcEndpointConnection', { ServiceId: svc, EndpointId: ep }, 'EndpointConnectionOperationDenied');
    const other = s.call('CreateVpcEndpointService', {}).ServiceId as string;
    expectFailure(s.cp, 'EnableVpcEndpointConnection', { ServiceId: other, EndpointId: ep }, 'EndpointConnectionNotFound', { param: 'EndpointId' });
    expectFailure(s.cp, 'EnableVpcEndpointConnection', { ServiceId: svc, EndpointId: 'ep-nope' }, 'EndpointNotFound', { param: 'EndpointId', status: 400 });
  });

  it('E2: ListVpcEndpoints filters; UpdateVpcEndpointAttribute renames; a missing endpoint → EndpointNotFound (400)', () => {
    const s = setup();
    const svc = s.service();
    const a = s.endpoint(svc, ZONE_A, s.cA, { EndpointName: 'gwlbe-a' });
    const b = s.endpoint(svc, ZONE_B, s.cB, { EndpointName: 'gwlbe-b' });
    s.call('EnableVpcEndpointConnection', { ServiceId: svc, EndpointId: b });
    const ids = (p: Record<string, unknown>): string[] => (s.call('ListVpcEndpoints', p as never).Endpoints as Res[]).map((x) => x.EndpointId as string);
    expect(ids({})).toEqual([a, b]);
    expect(ids({ ConnectionStatus: 'Connected' })).toEqual([b]);
    expect(ids({ EndpointName: 'gwlbe-a' })).toEqual([a]);
    expect(ids({ VpcId: s.vpc })).toEqual([]);
    expect(ids({ ServiceName: svcAttr(s, svc).ServiceName })).toEqual([a, b]);
    expect(ids({ EndpointType: 'GatewayLoadBalancer', MaxResults: 1 })).toEqual([a]);
    s.call('UpdateVpcEndpointAttribute', { EndpointId: a, EndpointName: 'gwlbe-1', EndpointDescription: 'zone a' });
    expect(epAttr(s, a)).toMatchObject({ EndpointName: 'gwlbe-1', EndpointDescription: 'zone a' });
    for (const x of ['GetVpcEndpointAttribute', 'DeleteVpcEndpoint', 'ListVpcEndpointZones']) expectFailure(s.cp, x, { EndpointId: 'ep-nope' }, 'EndpointNotFound', { status: 400 });
  });
});

describe('E10: routes to a GWLB endpoint', () => {
  it('E10: a business subnet\'s 0.0.0.0/0 goes to the GWLBe of its zone (CreateRouteEntry, NextHopType GatewayLoadBalancerEndpoint)', () => {
    const s = setup();
    const ep = s.endpoint(s.service());
    const rt = s.call('CreateRouteTable', { VpcId: s.consumer, RouteTableName: 'rt-app' }).RouteTableId as string;
    s.call('CreateRouteEntry', { RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep });
    expect(entries(s.cp, rt).filter((e) => e.Type === 'Custom')).toMatchObject([{ DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep }]);
  });

  it('E10: a route to a GWLBe of another VPC is refused (OperationDenied.VpcNotMatch); an unknown one → InvalidEndpointId.NotFound (404)', () => {
    const s = setup();
    const ep = s.endpoint(s.service());
    const e = expectFailure(s.cp, 'CreateRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep }, 'OperationDenied.VpcNotMatch', { param: 'NextHopId' });
    expect(e.message).toContain(s.consumer);
    expectFailure(s.cp, 'CreateRouteEntry', { RouteTableId: s.consumerRt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: 'ep-nope' }, 'InvalidEndpointId.NotFound', { param: 'NextHopId', status: 404 });
  });

  it('E10: ModifyRouteEntry moves an entry to a GWLBe (and refuses one of another VPC)', () => {
    const s = setup();
    const ep = s.endpoint(s.service());
    const app = s.run('app', s.cA);
    const id = s.call('CreateRouteEntry', { RouteTableId: s.consumerRt, DestinationCidrBlock: '0.0.0.0/0', NextHopId: app }).RouteEntryId as string;
    s.call('ModifyRouteEntry', { RouteEntryId: id, NewNextHopType: 'GatewayLoadBalancerEndpoint', NewNextHopId: ep });
    expect(entries(s.cp, s.consumerRt).find((e) => e.RouteEntryId === id)).toMatchObject({ NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep });
    const far = s.call('CreateRouteEntry', { RouteTableId: s.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopId: s.run('x', s.vswA) }).RouteEntryId as string;
    expectFailure(s.cp, 'ModifyRouteEntry', { RouteEntryId: far, NewNextHopType: 'GatewayLoadBalancerEndpoint', NewNextHopId: ep }, 'OperationDenied.VpcNotMatch', { param: 'NewNextHopId' });
  });

  it('E10: the gateway route table\'s entry of a business subnet is edited to the GWLBe (and, as for an ECS, not swapped directly)', () => {
    const s = setup();
    const svc = s.service();
    const epA = s.endpoint(svc, ZONE_A, s.cA);
    const epB = s.endpoint(svc, ZONE_B, s.cB);
    const gt = s.call('CreateRouteTable', { VpcId: s.consumer, AssociateType: 'Gateway' }).RouteTableId as string;
    const edit = (ep: string) => ({ GatewayRouteTableId: gt, DestinationCidrBlock: '10.0.3.0/24', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep });
    s.call('UpdateGatewayRouteTableEntryAttribute', edit(epA));
    expect(entries(s.cp, gt).find((e) => e.DestinationCidrBlock === '10.0.3.0/24')).toMatchObject({ Type: 'Custom', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: epA });
    s.call('UpdateGatewayRouteTableEntryAttribute', edit(epA)); // the same next hop again: no change
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', edit(epB), 'OperationDenied.EntryAlreadyCustomized', { param: 'DestinationCidrBlock' });
    const provider = s.call('CreateRouteTable', { VpcId: s.vpc, AssociateType: 'Gateway' }).RouteTableId as string;
    expectFailure(s.cp, 'UpdateGatewayRouteTableEntryAttribute', { ...edit(epA), GatewayRouteTableId: provider, DestinationCidrBlock: '192.168.0.0/24' }, 'OperationDenied.VpcNotMatch', { param: 'NextHopId' });
  });

  it('E10: DeleteVpcEndpoint is refused while a route entry (vSwitch or gateway table) points at it', () => {
    const s = setup();
    const ep = s.endpoint(s.service());
    const id = s.call('CreateRouteEntry', { RouteTableId: s.consumerRt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep }).RouteEntryId as string;
    expectFailure(s.cp, 'DeleteVpcEndpoint', { EndpointId: ep }, 'DependencyViolation.RouteEntry', { param: 'EndpointId' });
    s.call('DeleteRouteEntry', { RouteEntryId: id });
    const gt = s.call('CreateRouteTable', { VpcId: s.consumer, AssociateType: 'Gateway' }).RouteTableId as string;
    s.call('UpdateGatewayRouteTableEntryAttribute', { GatewayRouteTableId: gt, DestinationCidrBlock: '10.0.2.0/24', NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: ep });
    expectFailure(s.cp, 'DeleteVpcEndpoint', { EndpointId: ep }, 'DependencyViolation.RouteEntry');
    s.call('DeleteGatewayRouteTableEntry', { GatewayRouteTableId: gt, DestinationCidrBlock: '10.0.2.0/24' });
    s.call('DeleteVpcEndpoint', { EndpointId: ep });
    expect(s.cp.model.endpoints).toEqual([]);
  });
});

describe('names for IDs', () => {
  it('endpoint names resolve (also as a route\'s next hop); an endpoint service by its description, its name or its GWLB\'s name; VSwitchId inside Zone', () => {
    const s = setup();
    const svc = s.service({ ServiceDescription: 'nva-service' });
    const ep = s.endpoint(svc, ZONE_A, s.cA, { EndpointName: 'gwlbe-a' });
    const m = s.cp.model;
    expect(resolveParams(m, { EndpointId: 'gwlbe-a', NextHopId: 'gwlbe-a' })).toEqual({ EndpointId: ep, NextHopId: ep });
    expect(resolveParams(m, { ServiceId: 'nva-service' })).toEqual({ ServiceId: svc });
    expect(resolveParams(m, { ServiceId: svcAttr(s, svc).ServiceName })).toEqual({ ServiceId: svc });
    expect(resolveParams(m, { ServiceId: 'gwlb-lab' })).toEqual({ ServiceId: svc });
    expect(resolveParams(m, { Resource: [{ ResourceId: 'gwlb-lab', ResourceType: 'gwlb', ZoneId: ZONE_A }] })).toEqual({ Resource: [{ ResourceId: s.gwlb, ResourceType: 'gwlb', ZoneId: ZONE_A }] });
    s.cp.model.vswitches.find((v) => v.VSwitchId === s.cB)!.VSwitchName = 'vsw-app-b';
    expect(resolveParams(s.cp.model, { 'Zone.1.VSwitchId': 'vsw-app-b', Zone: undefined })).toEqual({ 'Zone.1.VSwitchId': s.cB });
  });
});
