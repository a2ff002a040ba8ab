// PrivateLink for the Gateway Load Balancer (PrivateLink API 2020-04-15, SEMANTICS E2): the
// provider's endpoint service, whose resources are a GWLB in some of its zones, and the
// consumer's GWLB endpoints (GWLBe), one zone each, with an ENI in a vSwitch of the consumer
// VPC that route entries point at (route-table.ts). Interface endpoints to the lab's cloud
// services, offered as Alibaba-managed services, are privatelink-interface.ts's and
// privatelink-services.ts's; these actions hand them over. Reverse endpoints, Interface
// endpoints to the user's own services, and services of CLB/ALB/NLB are not modelled.
//
// Error codes: EndpointServiceNotFound, EndpointNotFound (400, as the PrivateLink reference
// answers) and EndpointServiceConnectionDependence are the API's; the rest are the lab's
// choices, listed in the README.

import { action, type ActionContext } from '../context';
import { ApiError, invalid, missing, quoted } from '../errors';
import type { VpcEndpoint, VpcEndpointService } from '../model';
import { bool, idList, name, objects, oneOf, page, reqStr, str, type ParamItem, type Params } from '../params';
import { endpointStatus, serviceStatus } from './gwlb-status';
import { takePrivateIp } from './addresses';
import { createInterfaceEndpoint, findInterfaceEndpoint, interfaceEndpointView, interfaceZonesView } from './privatelink-interface';
import { managedServiceFor, serviceNotFound, type ManagedService } from './privatelink-services';

/** CreateVpcEndpointService takes at most 10 resources; a service holds at most 20. */
export const MAX_RESOURCES_AT_CREATE = 10;
export const MAX_RESOURCES = 20;
const RESOURCE_TYPES = ['slb', 'alb', 'nlb', 'gwlb'] as const;

// ---------------------------------------------------------------------------------------
// Endpoint services (the provider side)

/** `gwlb`, the one service resource type the lab models (the API's default is taken as gwlb too). */
function resourceType(p: Params, param: string, required: boolean): 'gwlb' {
  const v = str(p, param);
  if (v === undefined && required) throw missing(param);
  const t = oneOf(p, param, RESOURCE_TYPES, 'gwlb');
  if (t !== 'gwlb') throw new ApiError('UnsupportedFeature.ServiceResourceType', `Endpoint services of ${t} resources are not modelled by this lab; use gwlb.`, 400, param);
  return t;
}

/** A GWLB in one of its zones, as a service resource (E2: the service spans the chosen zones). */
function gwlbResource(ctx: ActionContext, p: Params, keys: { id: string; type: string; zone: string }): VpcEndpointService['Resources'][number] {
  const lb = ctx.gwlb(reqStr(p, keys.id), keys.id);
  resourceType(p, keys.type, true);
  const ZoneId = reqStr(p, keys.zone);
  if (!lb.ZoneMappings.some((z) => z.ZoneId === ZoneId)) {
    throw invalid('Mismatch.ZoneId', keys.zone, `${lb.LoadBalancerId} has no zone ${ZoneId}; its zones are ${lb.ZoneMappings.map((z) => z.ZoneId).join(', ')}`);
  }
  return { ResourceId: lb.LoadBalancerId, ResourceType: 'gwlb', ZoneId };
}

const sameResource = (a: { ResourceId: string; ZoneId: string }, b: { ResourceId: string; ZoneId: string }): boolean =>
  a.ResourceId === b.ResourceId && a.ZoneId === b.ZoneId;

const description = (p: Params, param: string): string | undefined => name(p, param, 'InvalidParameter', 2, 256);

export const CreateVpcEndpointService = action(['ServiceResourceType', 'Resource', 'AutoAcceptEnabled', 'ServiceDescription'], (ctx, p) => {
  const ServiceResourceType = resourceType(p, 'ServiceResourceType', false);
  const items = objects(p, 'Resource', ['ResourceId', 'ResourceType', 'ZoneId']);
  if (items.length > MAX_RESOURCES_AT_CREATE) throw invalid('InvalidParameter', 'Resource', `at most ${MAX_RESOURCES_AT_CREATE} resources at creation (attach more later), got ${items.length}`);
  const Resources: VpcEndpointService['Resources'] = [];
  for (const it of items) {
    const r = gwlbResource(ctx, it.p, { id: it.key('ResourceId'), type: it.key('ResourceType'), zone: it.key('ZoneId') });
    if (Resources.some((x) => sameResource(x, r))) throw invalid('DuplicatedParam.Resource', it.key('ResourceId'), `${r.ResourceId} in zone ${r.ZoneId} is given twice`);
    Resources.push(r);
  }
  const AutoAcceptEnabled = bool(p, 'AutoAcceptEnabled', false);
  const ServiceDescription = description(p, 'ServiceDescription') ?? '';
  const ServiceId = ctx.newId('epsrv');
  const svc: VpcEndpointService = {
    ServiceId, ServiceName: `com.aliyuncs.privatelink.${ctx.model.RegionId}.${ServiceId}`, ServiceDescription, ServiceResourceType,
    ServiceType: 'GatewayLoadBalancer', AutoAcceptEnabled, Resources, CreateTime: ctx.isoNow(),
  };
  ctx.model.endpointServices.push(svc);
  return serviceView(ctx, svc);
}, { flat: ['Resource'] });

const RESOURCE_KEYS = { id: 'ResourceId', type: 'ResourceType', zone: 'ZoneId' };

export const AttachResourceToVpcEndpointService = action(['ServiceId', 'ResourceId', 'ResourceType', 'ZoneId'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const r = gwlbResource(ctx, p, RESOURCE_KEYS);
  if (svc.Resources.some((x) => sameResource(x, r))) throw invalid('EndpointServiceResourceAlreadyAttached', 'ResourceId', `${r.ResourceId} in zone ${r.ZoneId} is already a resource of ${svc.ServiceId}`);
  if (svc.Resources.length >= MAX_RESOURCES) throw invalid('QuotaExceeded.ServiceResource', 'ServiceId', `an endpoint service holds at most ${MAX_RESOURCES} resources`);
  svc.Resources.push(r);
  return {};
});

/** Refused while an endpoint of the service sits in that zone: its traffic would have no GWLB to go to. */
export const DetachResourceFromVpcEndpointService = action(['ServiceId', 'ResourceId', 'ResourceType', 'ZoneId'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const ResourceId = reqStr(p, 'ResourceId');
  resourceType(p, 'ResourceType', true);
  const ZoneId = reqStr(p, 'ZoneId');
  const idx = svc.Resources.findIndex((x) => sameResource(x, { ResourceId, ZoneId }));
  if (idx < 0) throw invalid('EndpointServiceResourceNotFound', 'ResourceId', `${ResourceId} in zone ${ZoneId} is not a resource of ${svc.ServiceId}`);
  const left = svc.Resources.filter((_, i) => i !== idx);
  const ep = ctx.model.endpoints.find((e) => e.ServiceId === svc.ServiceId && e.Zone.ZoneId === ZoneId && !left.some((x) => x.ZoneId === ZoneId));
  if (ep) throw invalid('EndpointServiceConnectionDependence', 'ZoneId', `endpoint ${ep.EndpointId} of ${svc.ServiceId} is in zone ${ZoneId}; delete it first`);
  svc.Resources = left;
  return {};
});

function serviceView(ctx: ActionContext, s: VpcEndpointService): Record<string, unknown> {
  return {
    ServiceId: s.ServiceId,
    ServiceName: s.ServiceName,
    ServiceDomain: `${s.ServiceId}.${ctx.model.RegionId}.privatelink.aliyuncs.com`,
    ServiceDescription: s.ServiceDescription,
    ServiceStatus: serviceStatus(s, ctx.now()),
    ServiceBusinessStatus: 'Normal',
    ServiceResourceType: s.ServiceResourceType,
    ServiceType: s.ServiceType,
    AutoAcceptEnabled: s.AutoAcceptEnabled,
    Payer: 'Endpoint',
    AddressIpVersion: 'IPv4',
    ServiceSupportIPv6: false,
    ZoneAffinityEnabled: false,
    Zones: [...new Set(s.Resources.map((r) => r.ZoneId))],
    RegionId: ctx.model.RegionId,
    CreateTime: s.CreateTime,
  };
}

export const GetVpcEndpointServiceAttribute = action(['ServiceId'], (ctx, p) => serviceView(ctx, ctx.endpointService(reqStr(p, 'ServiceId'))));

export const ListVpcEndpointServices = action(
  ['ServiceId', 'ServiceName', 'ServiceStatus', 'ServiceResourceType', 'AutoAcceptEnabled', 'MaxResults', 'NextToken'],
  (ctx, p) => {
    const id = str(p, 'ServiceId');
    const nm = str(p, 'ServiceName');
    const status = str(p, 'ServiceStatus');
    const type = str(p, 'ServiceResourceType');
    const auto = str(p, 'AutoAcceptEnabled') === undefined ? undefined : bool(p, 'AutoAcceptEnabled', false);
    const all = ctx.model.endpointServices.filter((s) =>
      (id === undefined || s.ServiceId === id) && (nm === undefined || s.ServiceName === nm) && (type === undefined || s.ServiceResourceType === type) &&
      (auto === undefined || s.AutoAcceptEnabled === auto) && (status === undefined || serviceStatus(s, ctx.now()) === status));
    const pg = page(p, all, 50);
    return { Services: pg.items.map((s) => serviceView(ctx, s)), TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
  },
);

export const ListVpcEndpointServiceResources = action(['ServiceId', 'ZoneId', 'MaxResults', 'NextToken'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const zone = str(p, 'ZoneId');
  const pg = page(p, svc.Resources.filter((r) => zone === undefined || r.ZoneId === zone), 50);
  return {
    Resources: pg.items.map((r) => {
      const lb = ctx.gwlb(r.ResourceId, 'ResourceId');
      const z = lb.ZoneMappings.find((m) => m.ZoneId === r.ZoneId);
      return { ResourceId: r.ResourceId, ResourceType: r.ResourceType, ZoneId: r.ZoneId, VpcId: lb.VpcId, VSwitchId: z?.VSwitchId ?? '', Ip: z?.LoadBalancerAddresses[0]?.PrivateIpv4Address ?? '', RegionId: ctx.model.RegionId };
    }),
    TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults,
  };
});

/** Auto-accept applies to endpoints created from now on; existing connections keep their status. */
export const UpdateVpcEndpointServiceAttribute = action(['ServiceId', 'AutoAcceptEnabled', 'ServiceDescription'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const desc = description(p, 'ServiceDescription');
  svc.AutoAcceptEnabled = bool(p, 'AutoAcceptEnabled', svc.AutoAcceptEnabled);
  if (desc !== undefined) svc.ServiceDescription = desc;
  return {};
});

export const DeleteVpcEndpointService = action(['ServiceId'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const ep = ctx.model.endpoints.find((e) => e.ServiceId === svc.ServiceId);
  if (ep) throw invalid('EndpointServiceConnectionDependence', 'ServiceId', `endpoint ${ep.EndpointId} (in ${ep.VpcId}) still uses ${svc.ServiceId}; delete the endpoints first`);
  ctx.model.endpointServices.splice(ctx.model.endpointServices.indexOf(svc), 1);
  return {};
});

// ---------------------------------------------------------------------------------------
// GWLB endpoints (the consumer side)

function endpointName(p: Params): string | undefined {
  const v = str(p, 'EndpointName');
  if (v === undefined) return undefined;
  if (!/^\p{L}[\p{L}0-9_-]{1,127}$/u.test(v)) throw invalid('InvalidParameter', 'EndpointName', `${quoted(v)} must be 2-128 characters, start with a letter and hold only letters, digits, "_" or "-"`);
  return v;
}

function serviceFor(ctx: ActionContext, p: Params): VpcEndpointService {
  const id = str(p, 'ServiceId');
  const nm = str(p, 'ServiceName');
  if (id === undefined && nm === undefined) throw missing('ServiceId');
  if (id !== undefined) {
    const svc = ctx.endpointService(id);
    if (nm !== undefined && nm !== svc.ServiceName) throw invalid('InvalidParameter', 'ServiceName', `${quoted(nm)} is not the name of ${svc.ServiceId} (${svc.ServiceName})`);
    return svc;
  }
  const svc = ctx.model.endpointServices.find((s) => s.ServiceName === nm);
  if (!svc) throw new ApiError('EndpointServiceNotFound', `The specified ServiceName ${quoted(nm!)} does not exist.`, 400, 'ServiceName');
  return svc;
}

/** E2: the endpoint's one zone — a zone of its service, a vSwitch of its VPC there, and its ENI's address. */
function endpointZone(ctx: ActionContext, z: ParamItem, svc: VpcEndpointService, vpcId: string): VpcEndpoint['Zone'] {
  const ZoneId = reqStr(z.p, z.key('ZoneId'));
  const vsw = ctx.vswitch(reqStr(z.p, z.key('VSwitchId')), z.key('VSwitchId'));
  if (vsw.VpcId !== vpcId) throw invalid('Mismatch.VpcId', z.key('VSwitchId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, not in ${vpcId}`);
  if (vsw.ZoneId !== ZoneId) throw invalid('Mismatch.ZoneId', z.key('VSwitchId'), `${vsw.VSwitchId} is in zone ${vsw.ZoneId}, not in ${ZoneId}`);
  const zones = [...new Set(svc.Resources.map((r) => r.ZoneId))];
  if (!zones.includes(ZoneId)) {
    throw invalid('EndpointZoneNotSupported', z.key('ZoneId'), `${svc.ServiceId} serves ${zones.length ? `zones ${zones.join(', ')}` : 'no zone yet (attach a resource first)'}, not ${ZoneId}`);
  }
  const EniIp = takePrivateIp(ctx.model, vsw, z.p, z.key('ip'), 'the endpoint', z.key('VSwitchId'));
  return { ZoneId, VSwitchId: vsw.VSwitchId, EniId: ctx.newId('eni'), EniIp };
}

/** Interface endpoints reach the managed services only; GWLB endpoints the user's own services only. */
function interfaceService(ctx: ActionContext, p: Params): ManagedService {
  const id = str(p, 'ServiceId');
  const nm = str(p, 'ServiceName');
  if (id === undefined && nm === undefined) throw missing('ServiceId');
  const managed = managedServiceFor(ctx, id, nm);
  if (managed) return managed;
  const own = ctx.model.endpointServices.find((s) => s.ServiceId === id || (id === undefined && s.ServiceName === nm));
  if (own) {
    throw new ApiError('UnsupportedFeature.EndpointType', `${own.ServiceId} is a GatewayLoadBalancer service: its endpoints take EndpointType=GatewayLoadBalancer (Interface endpoints reach the lab's cloud services).`, 400, 'EndpointType');
  }
  throw serviceNotFound(id, nm);
}

export const CreateVpcEndpoint = action(
  ['EndpointType', 'ServiceId', 'ServiceName', 'VpcId', 'Zone', 'EndpointName', 'EndpointDescription', 'SecurityGroupId'],
  (ctx, p) => {
    const type = oneOf(p, 'EndpointType', ['Interface', 'Reverse', 'GatewayLoadBalancer'] as const, 'Interface');
    if (type === 'Reverse') {
      throw new ApiError('UnsupportedFeature.EndpointType', 'Reverse endpoints are not modelled by this lab; use Interface (cloud services) or GatewayLoadBalancer.', 400, 'EndpointType');
    }
    if (type === 'Interface') return createInterfaceEndpoint(ctx, p, interfaceService(ctx, p), endpointName(p) ?? '', description(p, 'EndpointDescription') ?? '');
    if (managedServiceFor(ctx, str(p, 'ServiceId'), str(p, 'ServiceName'))) {
      throw new ApiError('UnsupportedFeature.EndpointType', 'A cloud service is an Interface service: its endpoints take EndpointType=Interface.', 400, 'EndpointType');
    }
    if (idList(p, 'SecurityGroupId').length > 0) throw invalid('InvalidParameter', 'SecurityGroupId', 'a GWLB endpoint takes no security groups');
    const svc = serviceFor(ctx, p);
    const vpc = ctx.vpc(reqStr(p, 'VpcId'));
    const EndpointName = endpointName(p) ?? '';
    const EndpointDescription = description(p, 'EndpointDescription') ?? '';
    const zones = objects(p, 'Zone', ['ZoneId', 'VSwitchId', 'ip']);
    if (zones.length !== 1) {
      throw invalid('InvalidParameter.ZoneCount', 'Zone', `a GWLB endpoint is in exactly one zone, got ${zones.length}; create one endpoint per zone`);
    }
    const Zone = endpointZone(ctx, zones[0], svc, vpc.VpcId);
    const EndpointId = ctx.newId('ep');
    const ep: VpcEndpoint = {
      EndpointId, EndpointName, EndpointDescription, EndpointType: 'GatewayLoadBalancer', ServiceId: svc.ServiceId, VpcId: vpc.VpcId, Zone,
      ConnectionStatus: svc.AutoAcceptEnabled ? 'Connected' : 'Disconnected', CreateTime: ctx.isoNow(),
    };
    ctx.model.endpoints.push(ep);
    return endpointView(ctx, ep);
  },
  { flat: ['Zone'] },
);

function endpointView(ctx: ActionContext, e: VpcEndpoint): Record<string, unknown> {
  return {
    EndpointId: e.EndpointId,
    EndpointName: e.EndpointName,
    EndpointDescription: e.EndpointDescription,
    EndpointType: e.EndpointType,
    EndpointStatus: endpointStatus(e, ctx.now()),
    ConnectionStatus: e.ConnectionStatus,
    EndpointBusinessStatus: 'Normal',
    EndpointDomain: '',
    ServiceId: e.ServiceId,
    ServiceName: ctx.model.endpointServices.find((s) => s.ServiceId === e.ServiceId)?.ServiceName ?? '',
    VpcId: e.VpcId,
    ZoneAffinityEnabled: false,
    ZonePrivateIpAddressCount: 1,
    AddressIpVersion: 'IPv4',
    ResourceOwner: true,
    RegionId: ctx.model.RegionId,
    CreateTime: e.CreateTime,
  };
}

export const GetVpcEndpointAttribute = action(['EndpointId'], (ctx, p) => {
  const id = reqStr(p, 'EndpointId');
  const i = findInterfaceEndpoint(ctx.model, id);
  return i ? interfaceEndpointView(ctx, i) : endpointView(ctx, ctx.endpoint(id));
});

export const ListVpcEndpoints = action(
  ['EndpointId', 'EndpointName', 'EndpointStatus', 'ConnectionStatus', 'EndpointType', 'VpcId', 'ServiceName', 'MaxResults', 'NextToken'],
  (ctx, p) => {
    const f = Object.fromEntries(['EndpointId', 'EndpointName', 'ConnectionStatus', 'EndpointType', 'VpcId'].map((k) => [k, str(p, k)]));
    const status = str(p, 'EndpointStatus');
    const svcName = str(p, 'ServiceName');
    // Filtered on the views, which show GWLB and interface endpoints alike.
    const views = [...ctx.model.endpoints.map((e) => endpointView(ctx, e)), ...ctx.model.interfaceEndpoints.map((e) => interfaceEndpointView(ctx, e))];
    const all = views.filter((v) =>
      Object.entries(f).every(([k, want]) => want === undefined || v[k] === want) &&
      (status === undefined || v.EndpointStatus === status) && (svcName === undefined || v.ServiceName === svcName));
    const pg = page(p, all, 50);
    return { Endpoints: pg.items, TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
  },
);

function zoneView(ctx: ActionContext, e: VpcEndpoint): Record<string, unknown> {
  const creating = endpointStatus(e, ctx.now()) === 'Creating';
  return {
    ZoneId: e.Zone.ZoneId, VSwitchId: e.Zone.VSwitchId, EniId: e.Zone.EniId, EniIp: e.Zone.EniIp, ZoneDomain: '', RegionId: ctx.model.RegionId,
    ZoneStatus: creating ? 'Creating' : e.ConnectionStatus,
  };
}

export const ListVpcEndpointZones = action(['EndpointId', 'MaxResults', 'NextToken'], (ctx, p) => {
  const id = reqStr(p, 'EndpointId');
  const i = findInterfaceEndpoint(ctx.model, id);
  const pg = page(p, i ? interfaceZonesView(ctx, i) : [zoneView(ctx, ctx.endpoint(id))], 50);
  return { Zones: pg.items, TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
});

export const UpdateVpcEndpointAttribute = action(['EndpointId', 'EndpointName', 'EndpointDescription'], (ctx, p) => {
  const id = reqStr(p, 'EndpointId');
  const e = findInterfaceEndpoint(ctx.model, id) ?? ctx.endpoint(id);
  const n = endpointName(p);
  const d = description(p, 'EndpointDescription');
  if (n !== undefined) e.EndpointName = n;
  if (d !== undefined) e.EndpointDescription = d;
  return {};
});

/** Refused while a route entry (vSwitch or gateway route table) still sends traffic to it. */
export const DeleteVpcEndpoint = action(['EndpointId'], (ctx, p) => {
  const id = reqStr(p, 'EndpointId');
  // No route entry can point at an interface endpoint: it is reached by its ENI addresses.
  const i = findInterfaceEndpoint(ctx.model, id);
  if (i) {
    ctx.model.interfaceEndpoints.splice(ctx.model.interfaceEndpoints.indexOf(i), 1);
    return {};
  }
  const e = ctx.endpoint(id);
  for (const t of ctx.model.routeTables) {
    const r = t.Entries.find((x) => x.NextHopType === 'GatewayLoadBalancerEndpoint' && x.NextHopId === e.EndpointId);
    if (r) throw invalid('DependencyViolation.RouteEntry', 'EndpointId', `route table ${t.RouteTableId} still routes ${r.DestinationCidrBlock} to ${e.EndpointId}; delete or change that entry first`);
  }
  ctx.model.endpoints.splice(ctx.model.endpoints.indexOf(e), 1);
  return {};
});

// ---------------------------------------------------------------------------------------
// Connections: the provider accepts (or rejects) an endpoint of its service.

function connection(ctx: ActionContext, p: Params): VpcEndpoint {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const e = ctx.endpoint(reqStr(p, 'EndpointId'));
  if (e.ServiceId !== svc.ServiceId) throw invalid('EndpointConnectionNotFound', 'EndpointId', `${e.EndpointId} is an endpoint of ${e.ServiceId}, not of ${svc.ServiceId}`);
  return e;
}

export const EnableVpcEndpointConnection = action(['ServiceId', 'EndpointId'], (ctx, p) => {
  const e = connection(ctx, p);
  if (e.ConnectionStatus === 'Connected') throw invalid('EndpointConnectionOperationDenied', 'EndpointId', `${e.EndpointId} is already Connected`);
  e.ConnectionStatus = 'Connected';
  return {};
});

export const DisableVpcEndpointConnection = action(['ServiceId', 'EndpointId'], (ctx, p) => {
  const e = connection(ctx, p);
  if (e.ConnectionStatus === 'Disconnected') throw invalid('EndpointConnectionOperationDenied', 'EndpointId', `${e.EndpointId} is already Disconnected`);
  e.ConnectionStatus = 'Disconnected';
  return {};
});

export const ListVpcEndpointConnections = action(['ServiceId', 'EndpointId', 'ConnectionStatus', 'MaxResults', 'NextToken'], (ctx, p) => {
  const svc = ctx.endpointService(reqStr(p, 'ServiceId'));
  const id = str(p, 'EndpointId');
  const status = str(p, 'ConnectionStatus');
  const all = ctx.model.endpoints.filter((e) => e.ServiceId === svc.ServiceId && (id === undefined || e.EndpointId === id) && (status === undefined || e.ConnectionStatus === status));
  const pg = page(p, all, 50);
  return {
    Connections: pg.items.map((e) => ({
      ServiceId: svc.ServiceId, EndpointId: e.EndpointId, EndpointVpcId: e.VpcId, ConnectionStatus: e.ConnectionStatus, ResourceOwner: true,
      Zones: [{ ZoneId: e.Zone.ZoneId, VSwitchId: e.Zone.VSwitchId, EniId: e.Zone.EniId, ZoneStatus: zoneView(ctx, e).ZoneStatus }],
    })),
    TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults,
  };
});
