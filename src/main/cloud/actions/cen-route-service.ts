// Cloud service access through a transit router (CEN API 2017-09-12, SEMANTICS F6): a VPC's
// 100.64.0.0/10 system route is never advertised to a TR, so an IDC behind the TR cannot reach
// OSS-like services by it. ResolveAndRouteServiceInCen names the service's address (Host),
// the VPC in the service's region it is reached through (HostVpcId, attached to the CEN's TR
// there) and the regions to reach it from (AccessRegionIds); the TR route tables of those
// regions then route Host to that VPC attachment, and the VPC's own 100.64/10 system route
// takes it to the service.
//
// Status (derived when read): Creating for its first second, then Active while HostVpcId is
// attached to a TR of the CEN in HostRegionId, else Failed (the route is not installed).
//
// Lab codes: InvalidHost.NotCloudService (a Host outside 100.64.0.0/10), Forbidden.RouteServiceExists,
// InvalidRouteService.NotFound, InvalidRegionId.NotFound (the lab has one region).

import { action, type ActionContext } from '../context';
import { invalid, notFound } from '../errors';
import type { CenRouteService, CloudModel } from '../model';
import { idList, name, reqStr, str, type Params } from '../params';
import { CLOUD_SERVICE_CIDR, cidrOf, contains } from '../cidr';
import { serviceAttachment } from '../tr-routes';
import { SETTLE_MS } from './gwlb-status';
import { cenOf } from './cen';
import { cidrParam } from './vpn-common';

export function routeServiceStatus(m: Readonly<CloudModel>, s: CenRouteService, now: number): 'Creating' | 'Active' | 'Failed' {
  if (!serviceAttachment(m, s)) return 'Failed';
  return now - Date.parse(s.CreateTime) < SETTLE_MS ? 'Creating' : 'Active';
}

function region(ctx: ActionContext, p: Params, param: string): string {
  const r = reqStr(p, param);
  if (r !== ctx.model.RegionId) throw invalid('InvalidRegionId.NotFound', param, `the lab has one region, ${ctx.model.RegionId}`);
  return r;
}

function host(p: Params): string {
  const h = cidrParam(reqStr(p, 'Host'), 'Host', 'InvalidHost.Malformed');
  if (!contains(cidrOf(CLOUD_SERVICE_CIDR), h.c)) {
    throw invalid('InvalidHost.NotCloudService', 'Host', `${h.text} is not in ${CLOUD_SERVICE_CIDR}: cloud service access is for services on the cloud-service range; other addresses are reached by ordinary routes`);
  }
  return h.text;
}

export const ResolveAndRouteServiceInCen = action(['CenId', 'Host', 'HostRegionId', 'HostVpcId', 'AccessRegionIds', 'Description', 'ConflictCheck'], (ctx, p) => {
  const m = ctx.model;
  const cen = cenOf(ctx, reqStr(p, 'CenId'));
  const Host = host(p);
  const HostRegionId = region(ctx, p, 'HostRegionId');
  const HostVpcId = ctx.vpc(reqStr(p, 'HostVpcId'), 'HostVpcId').VpcId;
  const access = idList(p, 'AccessRegionIds');
  if (access.length === 0) throw invalid('MissingParam.AccessRegionIds', 'AccessRegionIds', 'name the region(s) the service is reached from');
  for (const r of access) if (r !== m.RegionId) throw invalid('InvalidRegionId.NotFound', 'AccessRegionIds', `the lab has one region, ${m.RegionId}; got ${r}`);
  const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? '';
  for (const AccessRegionId of new Set(access)) {
    const dup = m.cenRouteServices.find((s) => s.CenId === cen.CenId && s.Host === Host && s.HostRegionId === HostRegionId && s.AccessRegionId === AccessRegionId);
    if (dup) throw invalid('Forbidden.RouteServiceExists', 'Host', `${cen.CenId} already routes ${Host} from ${AccessRegionId} (through ${dup.HostVpcId})`);
    m.cenRouteServices.push({ CenId: cen.CenId, Host, HostRegionId, HostVpcId, AccessRegionId, Description, CreateTime: ctx.isoNow() });
  }
  return {};
});

export const DescribeRouteServicesInCen = action(['CenId', 'Host', 'HostRegionId', 'HostVpcId', 'AccessRegionId', 'PageNumber', 'PageSize'], (ctx, p) => {
  const cen = cenOf(ctx, reqStr(p, 'CenId'));
  const f = { host: str(p, 'Host'), hr: str(p, 'HostRegionId'), vpc: str(p, 'HostVpcId'), ar: str(p, 'AccessRegionId') };
  const all = ctx.model.cenRouteServices.filter((s) => s.CenId === cen.CenId && (f.host === undefined || s.Host === f.host) &&
    (f.hr === undefined || s.HostRegionId === f.hr) && (f.vpc === undefined || s.HostVpcId === f.vpc) && (f.ar === undefined || s.AccessRegionId === f.ar));
  const now = ctx.now();
  return {
    TotalCount: all.length, PageNumber: 1, PageSize: all.length,
    RouteServiceEntries: {
      RouteServiceEntry: all.map((s) => ({
        CenId: s.CenId, Host: s.Host, HostRegionId: s.HostRegionId, HostVpcId: s.HostVpcId, AccessRegionId: s.AccessRegionId,
        Description: s.Description, Status: routeServiceStatus(ctx.model, s, now), Cidrs: { Cidr: [s.Host] },
      })),
    },
  };
});

export const DeleteRouteServiceInCen = action(['CenId', 'Host', 'HostRegionId', 'AccessRegionId'], (ctx, p) => {
  const m = ctx.model;
  const cen = cenOf(ctx, reqStr(p, 'CenId'));
  const Host = host(p);
  const HostRegionId = region(ctx, p, 'HostRegionId');
  const AccessRegionId = region(ctx, p, 'AccessRegionId');
  const i = m.cenRouteServices.findIndex((s) => s.CenId === cen.CenId && s.Host === Host && s.HostRegionId === HostRegionId && s.AccessRegionId === AccessRegionId);
  if (i < 0) throw notFound('InvalidRouteService.NotFound', 'Host', Host);
  m.cenRouteServices.splice(i, 1);
  return {};
});
