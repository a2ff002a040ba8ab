// The lab's cloud services (OSS-like hosts in 100.64/10, cloud-services.ts) as Alibaba-managed
// PrivateLink endpoint services, as Alibaba offers `com.aliyuncs.privatelink.<region>.oss`.
//
// Choice: every cloud service is offered automatically, derived when read — there is no
// CreateVpcEndpointService for it and nothing stored. The cloud's managed services exist
// before the user does anything; a lab-only resource type to create them would make every
// scenario carry a step the real console never shows. Being derived, a service appears and
// goes with its cloud service; its ID is `epsrv-` + the cloud service ID's suffix, so it is
// stable and unique (IDs come from one counter).
//
// They are the provider's, not the user's: ListVpcEndpointServices (the user's own services)
// never lists them; ListVpcEndpointServicesByEndUser (what the user may connect to) does.

import { action, type ActionContext } from '../context';
import { ApiError, invalid, quoted } from '../errors';
import type { CloudModel, CloudService } from '../model';
import { oneOf, page, str } from '../params';

export interface ManagedService {
  ServiceId: string;
  ServiceName: string;
  /** The cloud service it offers. */
  cloud: CloudService;
}

export const managedServiceId = (cs: CloudService): string => `epsrv-${cs.ServiceId.slice(cs.ServiceId.indexOf('-') + 1)}`;

export const managedServiceName = (model: CloudModel, cs: CloudService): string =>
  `com.aliyuncs.privatelink.${model.RegionId}.${cs.HostName.toLowerCase()}`;

export function managedServices(model: CloudModel): ManagedService[] {
  return model.cloudServices.map((cs) => ({ ServiceId: managedServiceId(cs), ServiceName: managedServiceName(model, cs), cloud: cs }));
}

export const managedService = (model: CloudModel, serviceId: string): ManagedService | undefined =>
  managedServices(model).find((s) => s.ServiceId === serviceId);

/**
 * The managed service that ServiceId and/or ServiceName name; undefined when they name none
 * (the caller then tries the user's own services). Both given and disagreeing: InvalidParameter.
 */
export function managedServiceFor(ctx: ActionContext, id: string | undefined, name: string | undefined): ManagedService | undefined {
  const all = managedServices(ctx.model);
  const byId = id === undefined ? undefined : all.find((s) => s.ServiceId === id);
  const byName = name === undefined ? undefined : all.find((s) => s.ServiceName === name);
  if (byId && name !== undefined && byId.ServiceName !== name) {
    throw invalid('InvalidParameter', 'ServiceName', `${quoted(name)} is not the name of ${byId.ServiceId} (${byId.ServiceName})`);
  }
  if (id === undefined) return byName;
  return byId;
}

export function managedServiceView(ctx: ActionContext, s: ManagedService): Record<string, unknown> {
  const zones = [...new Set(ctx.model.vswitches.map((v) => v.ZoneId))].sort();
  return {
    ServiceId: s.ServiceId,
    ServiceName: s.ServiceName,
    ServiceDomain: `${s.ServiceId}.${ctx.model.RegionId}.privatelink.aliyuncs.com`,
    ServiceDescription: `${s.cloud.HostName} (${s.cloud.IpAddress})`,
    ServiceStatus: 'Active',
    ServiceBusinessStatus: 'Normal',
    ServiceType: 'Interface',
    AutoAcceptEnabled: true,
    Payer: 'Endpoint',
    AddressIpVersion: 'IPv4',
    ServiceSupportIPv6: false,
    ZoneAffinityEnabled: false,
    // Managed services are in every zone of the region: the lab's are those its vSwitches use.
    Zones: zones,
    RegionId: ctx.model.RegionId,
  };
}

/** What the user may connect an endpoint to: the managed services, and the user's own. */
export const ListVpcEndpointServicesByEndUser = action(['ServiceId', 'ServiceName', 'ServiceType', 'MaxResults', 'NextToken'], (ctx, p) => {
  const id = str(p, 'ServiceId');
  const nm = str(p, 'ServiceName');
  const type = str(p, 'ServiceType') === undefined ? undefined : oneOf(p, 'ServiceType', ['Interface', 'GatewayLoadBalancer'] as const);
  const rows: Record<string, unknown>[] = [
    ...managedServices(ctx.model).map((s) => managedServiceView(ctx, s)),
    ...ctx.model.endpointServices.map((s) => ({
      ServiceId: s.ServiceId, ServiceName: s.ServiceName, ServiceDomain: `${s.ServiceId}.${ctx.model.RegionId}.privatelink.aliyuncs.com`,
      ServiceType: s.ServiceType, ServiceResourceType: s.ServiceResourceType, Payer: 'Endpoint', AddressIpVersion: 'IPv4', ServiceSupportIPv6: false,
      Zones: [...new Set(s.Resources.map((r) => r.ZoneId))], RegionId: ctx.model.RegionId,
    })),
  ];
  const all = rows.filter((r) => (id === undefined || r.ServiceId === id) && (nm === undefined || r.ServiceName === nm) && (type === undefined || r.ServiceType === type));
  const pg = page(p, all, 50);
  return { Services: pg.items, TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
});

/** EndpointServiceNotFound naming the parameter the user gave. */
export const serviceNotFound = (id: string | undefined, name: string | undefined): ApiError =>
  id !== undefined
    ? new ApiError('EndpointServiceNotFound', `The specified endpoint service ${quoted(id)} does not exist.`, 400, 'ServiceId')
    : new ApiError('EndpointServiceNotFound', `The specified ServiceName ${quoted(name ?? '')} does not exist.`, 400, 'ServiceName');
