// Cloud Enterprise Network instances and their Enterprise Edition transit routers (CEN API
// 2017-09-12, SEMANTICS F1 model 2): create, list, delete. A transit router comes with its
// system route table; attachments, routes and cloud service access are in the tr-*.ts and
// cen-route-service.ts files.
//
// Error codes: the CEN API's where its reference names them (IllegalParam.CenId is not
// used: the lab answers an unknown ID with the NotFound codes below, lab codes in the API's
// style); QuotaExceeded.TransitRouter (one TR per CEN and region, as the cloud allows);
// DependencyViolation.TransitRouter / DependencyViolation.Attachment (delete while in use).

import { action, type ActionContext } from '../context';
import { invalid, notFound } from '../errors';
import type { CenInstance, TransitRouter } from '../model';
import { name, reqStr, str } from '../params';
import { page } from '../params';

export function cenOf(ctx: ActionContext, id: string, param = 'CenId'): CenInstance {
  const c = ctx.model.cens.find((x) => x.CenId === id);
  if (!c) throw notFound('InvalidCenInstanceId.NotFound', param, id);
  return c;
}

export function transitRouterOf(ctx: ActionContext, id: string, param = 'TransitRouterId'): TransitRouter {
  const t = ctx.model.transitRouters.find((x) => x.TransitRouterId === id);
  if (!t) throw notFound('InvalidTransitRouterId.NotFound', param, id);
  return t;
}

export const CreateCenInstance = action(['Name', 'Description', 'ProtectionLevel'], (ctx, p) => {
  const CenId = ctx.newId('cen');
  ctx.model.cens.push({
    CenId, Name: name(p, 'Name', 'InvalidName.Malformed', 1, 128) ?? '', Description: name(p, 'Description', 'InvalidDescription.Malformed', 1, 256) ?? '', CreationTime: ctx.isoNow(),
  });
  return { CenId };
});

export const DescribeCens = action(['CenId', 'PageNumber', 'PageSize'], (ctx, p) => {
  const id = str(p, 'CenId');
  const all = ctx.model.cens.filter((c) => id === undefined || c.CenId === id);
  return {
    TotalCount: all.length, PageNumber: 1, PageSize: all.length,
    Cens: {
      Cen: all.map((c) => ({
        CenId: c.CenId, Name: c.Name, Description: c.Description, Status: 'Active', ProtectionLevel: 'REDUCED', CreationTime: c.CreationTime,
        TransitRouterIds: ctx.model.transitRouters.filter((t) => t.CenId === c.CenId).map((t) => t.TransitRouterId),
      })),
    },
  };
});

export const DeleteCen = action(['CenId'], (ctx, p) => {
  const c = cenOf(ctx, reqStr(p, 'CenId'));
  const tr = ctx.model.transitRouters.find((t) => t.CenId === c.CenId);
  if (tr) throw invalid('DependencyViolation.TransitRouter', 'CenId', `${c.CenId} still has transit router ${tr.TransitRouterId}; delete it first (DeleteTransitRouter)`);
  ctx.model.cenRouteServices = ctx.model.cenRouteServices.filter((s) => s.CenId !== c.CenId);
  ctx.model.cens.splice(ctx.model.cens.indexOf(c), 1);
  return {};
});

/** An Enterprise Edition TR in the lab's region, with its system route table. */
export const CreateTransitRouter = action(['CenId', 'TransitRouterName', 'TransitRouterDescription', 'SupportMulticast'], (ctx, p) => {
  const m = ctx.model;
  const cen = cenOf(ctx, reqStr(p, 'CenId'));
  const region = str(p, 'RegionId') ?? m.RegionId;
  if (region !== m.RegionId) throw invalid('InvalidRegionId.NotFound', 'RegionId', `the lab has one region, ${m.RegionId}`);
  const mine = m.transitRouters.find((t) => t.CenId === cen.CenId && t.RegionId === region);
  if (mine) throw invalid('QuotaExceeded.TransitRouter', 'CenId', `${cen.CenId} already has transit router ${mine.TransitRouterId} in ${region}: one per region`);
  const TransitRouterId = ctx.newId('tr');
  const RouteTableId = ctx.newId('vtb');
  m.transitRouters.push({
    TransitRouterId, CenId: cen.CenId, RegionId: region, RouteTableId, CreationTime: ctx.isoNow(),
    TransitRouterName: name(p, 'TransitRouterName', 'InvalidName.Malformed', 1, 128) ?? '',
    TransitRouterDescription: name(p, 'TransitRouterDescription', 'InvalidDescription.Malformed', 1, 256) ?? '',
  });
  return { TransitRouterId };
});

export function transitRouterView(t: TransitRouter): Record<string, unknown> {
  return {
    TransitRouterId: t.TransitRouterId, TransitRouterName: t.TransitRouterName, TransitRouterDescription: t.TransitRouterDescription,
    CenId: t.CenId, RegionId: t.RegionId, Type: 'Enterprise', Status: 'Active', CreationTime: t.CreationTime,
    // Lab-only: its one route table.
    TransitRouterRouteTableId: t.RouteTableId,
  };
}

export const ListTransitRouters = action(['CenId', 'TransitRouterId', 'MaxResults', 'NextToken', 'PageNumber', 'PageSize'], (ctx, p) => {
  const cen = str(p, 'CenId');
  const id = str(p, 'TransitRouterId');
  const all = ctx.model.transitRouters.filter((t) => (cen === undefined || t.CenId === cen) && (id === undefined || t.TransitRouterId === id));
  const pg = page(p, all, 20);
  return { TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults, TransitRouters: pg.items.map(transitRouterView) };
});

export const DeleteTransitRouter = action(['TransitRouterId'], (ctx, p) => {
  const m = ctx.model;
  const t = transitRouterOf(ctx, reqStr(p, 'TransitRouterId'));
  const a = m.trAttachments.find((x) => x.TransitRouterId === t.TransitRouterId);
  if (a) throw invalid('DependencyViolation.Attachment', 'TransitRouterId', `${t.TransitRouterId} still has attachment ${a.TransitRouterAttachmentId} (${a.ResourceType} ${a.ResourceId}); delete it first`);
  m.trRouteEntries = m.trRouteEntries.filter((e) => e.TransitRouterRouteTableId !== t.RouteTableId);
  m.transitRouters.splice(m.transitRouters.indexOf(t), 1);
  return {};
});
