// PrivateLink interface endpoints (EndpointType=Interface, API 2020-04-15) to the lab's managed
// endpoint services (privatelink-services.ts): the answer to F6's address conflict. A client
// that cannot use 100.64/10 (an IDC that itself numbers hosts there) talks to a VPC-native
// address, the endpoint's ENI, instead; the engine (engine/privatelink/) translates to the
// service and back. One ENI per zone, at the address asked for or the vSwitch's lowest free one.
//
// The actions are privatelink.ts's (CreateVpcEndpoint, GetVpcEndpointAttribute, …), which
// hand interface endpoints to these functions. Not modelled: Reverse endpoints, endpoints to
// the user's own (GWLB) services as Interface, ZonePrivateIpAddressCount other than 1. The
// endpoint's ENIs have its security groups (SecurityGroupId, groups of its VPC), which the
// engine enforces like an ECS's, and their vSwitches' ACLs.
//
// Error codes: EndpointServiceNotFound, EndpointNotFound and MissingParameter are the API's;
// Mismatch.VpcId, Mismatch.ZoneId, DuplicatedParam.ZoneId, InvalidParameter.ZoneCount and
// InvalidSecurityGroupId.Malformed are the lab's choices, listed in the README.

import type { ActionContext } from '../context';
import { invalid, missing, quoted } from '../errors';
import type { CloudModel, InterfaceEndpoint } from '../model';
import { idList, objects, reqStr, type ParamItem, type Params } from '../params';
import { takePrivateIp } from './addresses';
import { endpointStatus } from './gwlb-status';
import { managedService, type ManagedService } from './privatelink-services';
import { sgOf } from './security-group';

/** The API takes up to 10 zones and up to 10 security groups per endpoint ENI. */
export const MAX_ZONES = 10;
export const MAX_SECURITY_GROUPS = 10;

export const findInterfaceEndpoint = (model: CloudModel, id: string): InterfaceEndpoint | undefined =>
  model.interfaceEndpoints.find((e) => e.EndpointId === id);

function zoneOf(ctx: ActionContext, z: ParamItem, vpcId: string): InterfaceEndpoint['Zones'][number] {
  const ZoneId = reqStr(z.p, z.key('ZoneId'));
  const vsw = ctx.vswitch(reqStr(z.p, z.key('VSwitchId')), z.key('VSwitchId'));
  if (vsw.VpcId !== vpcId) throw invalid('Mismatch.VpcId', z.key('VSwitchId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, not in ${vpcId}`);
  if (vsw.ZoneId !== ZoneId) throw invalid('Mismatch.ZoneId', z.key('VSwitchId'), `${vsw.VSwitchId} is in zone ${vsw.ZoneId}, not in ${ZoneId}`);
  const EniIp = takePrivateIp(ctx.model, vsw, z.p, z.key('ip'), 'the endpoint', z.key('VSwitchId'));
  return { ZoneId, VSwitchId: vsw.VSwitchId, EniId: ctx.newId('eni'), EniIp };
}

function securityGroups(ctx: ActionContext, p: Params, vpcId: string): string[] {
  const ids = idList(p, 'SecurityGroupId');
  if (ids.length > MAX_SECURITY_GROUPS) throw invalid('InvalidParameter', 'SecurityGroupId', `at most ${MAX_SECURITY_GROUPS} security groups, got ${ids.length}`);
  const bad = ids.find((x) => !/^sg-[a-z0-9]{1,64}$/.test(x));
  if (bad !== undefined) throw invalid('InvalidSecurityGroupId.Malformed', 'SecurityGroupId', `${quoted(bad)} is not a security group ID (sg-…)`);
  for (const id of ids) {
    const g = sgOf(ctx, id);
    if (g.VpcId !== vpcId) throw invalid('Mismatch.VpcId', 'SecurityGroupId', `${g.SecurityGroupId} is in ${g.VpcId}, not in ${vpcId}`);
  }
  return ids;
}

/** CreateVpcEndpoint with EndpointType=Interface; the name and description are already checked. */
export function createInterfaceEndpoint(ctx: ActionContext, p: Params, svc: ManagedService, EndpointName: string, EndpointDescription: string): Record<string, unknown> {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const items = objects(p, 'Zone', ['ZoneId', 'VSwitchId', 'ip']);
  if (items.length === 0) throw missing('Zone');
  if (items.length > MAX_ZONES) throw invalid('InvalidParameter.ZoneCount', 'Zone', `at most ${MAX_ZONES} zones, got ${items.length}`);
  const SecurityGroupIds = securityGroups(ctx, p, vpc.VpcId);
  const Zones: InterfaceEndpoint['Zones'] = [];
  for (const it of items) {
    const z = zoneOf(ctx, it, vpc.VpcId);
    // One ENI per zone: a second one in the same zone is a mistake the API refuses too.
    if (Zones.some((x) => x.ZoneId === z.ZoneId)) throw invalid('DuplicatedParam.ZoneId', it.key('ZoneId'), `zone ${z.ZoneId} is given twice; an endpoint has one ENI per zone`);
    // Two zones of one call take addresses of different vSwitches, so they cannot collide.
    Zones.push(z);
  }
  const ep: InterfaceEndpoint = {
    EndpointId: ctx.newId('ep'), EndpointName, EndpointDescription, EndpointType: 'Interface', ServiceId: svc.ServiceId, VpcId: vpc.VpcId,
    Zones, SecurityGroupIds, CreateTime: ctx.isoNow(),
  };
  ctx.model.interfaceEndpoints.push(ep);
  return interfaceEndpointView(ctx, ep);
}

/** `ep-….epsrv-….<region>.privatelink.aliyuncs.com`, as GetVpcEndpointAttribute shows it. */
export const endpointDomain = (model: CloudModel, e: InterfaceEndpoint): string =>
  `${e.EndpointId}.${e.ServiceId}.${model.RegionId}.privatelink.aliyuncs.com`;

export const zoneDomain = (model: CloudModel, e: InterfaceEndpoint, zoneId: string): string =>
  `${e.EndpointId}-${zoneId}.${e.ServiceId}.${model.RegionId}.privatelink.aliyuncs.com`;

/** The names the lab's DNS zone gives the endpoints: the endpoint's to every ENI, each zone's to its own. */
export function interfaceEndpointRecords(model: CloudModel): { name: string; ip: string }[] {
  const out: { name: string; ip: string }[] = [];
  for (const e of model.interfaceEndpoints) {
    for (const z of e.Zones) out.push({ name: endpointDomain(model, e), ip: z.EniIp }, { name: zoneDomain(model, e, z.ZoneId), ip: z.EniIp });
  }
  return out;
}

export function interfaceEndpointView(ctx: ActionContext, e: InterfaceEndpoint): Record<string, unknown> {
  return {
    EndpointId: e.EndpointId,
    EndpointName: e.EndpointName,
    EndpointDescription: e.EndpointDescription,
    EndpointType: e.EndpointType,
    EndpointStatus: endpointStatus(e, ctx.now()),
    ConnectionStatus: 'Connected',
    EndpointBusinessStatus: 'Normal',
    EndpointDomain: endpointDomain(ctx.model, e),
    ServiceId: e.ServiceId,
    ServiceName: managedService(ctx.model, e.ServiceId)?.ServiceName ?? '',
    VpcId: e.VpcId,
    ZoneAffinityEnabled: false,
    ZonePrivateIpAddressCount: 1,
    AddressIpVersion: 'IPv4',
    Payer: 'Endpoint',
    ResourceOwner: false,
    RegionId: ctx.model.RegionId,
    CreateTime: e.CreateTime,
  };
}

export function interfaceZonesView(ctx: ActionContext, e: InterfaceEndpoint): Record<string, unknown>[] {
  const creating = endpointStatus(e, ctx.now()) === 'Creating';
  return e.Zones.map((z) => ({
    ZoneId: z.ZoneId, VSwitchId: z.VSwitchId, EniId: z.EniId, EniIp: z.EniIp, ZoneDomain: zoneDomain(ctx.model, e, z.ZoneId),
    RegionId: ctx.model.RegionId, ZoneStatus: creating ? 'Creating' : 'Connected',
  }));
}
