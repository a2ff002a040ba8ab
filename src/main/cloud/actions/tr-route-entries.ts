// A transit router's route table (CEN API 2017-09-12): static routes to an attachment or a
// blackhole, and the list of every route with its type (Static, Propagated) and whether it
// is selected (cloud/tr-routes.ts). F7: static routes to up to 16 attachments for one
// destination are equal-cost; a 17th is refused (lab code QuotaExceeded.EcmpRoute), so the
// table never holds a static route that could not forward — the routes learned from a 17th
// connection, which nobody asked for one by one, are kept Standby instead.
//
// Lab codes: InvalidTransitRouterRouteTableId.NotFound, InvalidTransitRouterRouteEntryId.NotFound,
// InvalidRouteEntry.Duplicated (same destination and next hop), OperationDenied.AttachmentNotInTransitRouter.

import { action, type ActionContext } from '../context';
import { invalid, missing, notFound } from '../errors';
import type { TransitRouter } from '../model';
import { name, oneOf, page, reqStr, str } from '../params';
import { MAX_ECMP, trRoutes } from '../tr-routes';
import { reqCidr } from './vpn-common';
import { attachmentOfId } from './tr-attachments';

function tableOwner(ctx: ActionContext, id: string, param = 'TransitRouterRouteTableId'): TransitRouter {
  const tr = ctx.model.transitRouters.find((t) => t.RouteTableId === id);
  if (!tr) throw notFound('InvalidTransitRouterRouteTableId.NotFound', param, id);
  return tr;
}

export const CreateTransitRouterRouteEntry = action(
  [
    'TransitRouterRouteTableId', 'TransitRouterRouteEntryDestinationCidrBlock', 'TransitRouterRouteEntryNextHopType', 'TransitRouterRouteEntryNextHopId',
    'TransitRouterRouteEntryName', 'TransitRouterRouteEntryDescription',
  ],
  (ctx, p) => {
    const m = ctx.model;
    const tr = tableOwner(ctx, reqStr(p, 'TransitRouterRouteTableId'));
    const dest = reqCidr(p, 'TransitRouterRouteEntryDestinationCidrBlock').text;
    const type = oneOf(p, 'TransitRouterRouteEntryNextHopType', ['Attachment', 'BlackHole'] as const);
    let next = '';
    if (type === 'Attachment') {
      const id = str(p, 'TransitRouterRouteEntryNextHopId');
      if (id === undefined) throw missing('TransitRouterRouteEntryNextHopId');
      const a = attachmentOfId(ctx, id, 'TransitRouterRouteEntryNextHopId');
      if (a.TransitRouterId !== tr.TransitRouterId) {
        throw invalid('OperationDenied.AttachmentNotInTransitRouter', 'TransitRouterRouteEntryNextHopId', `${a.TransitRouterAttachmentId} is an attachment of ${a.TransitRouterId}, not of ${tr.TransitRouterId}`);
      }
      next = a.TransitRouterAttachmentId;
    }
    const same = m.trRouteEntries.filter((e) => e.TransitRouterRouteTableId === tr.RouteTableId && e.TransitRouterRouteEntryDestinationCidrBlock === dest);
    const dup = same.find((e) => e.TransitRouterRouteEntryNextHopType === type && e.TransitRouterRouteEntryNextHopId === next);
    if (dup) throw invalid('InvalidRouteEntry.Duplicated', 'TransitRouterRouteEntryDestinationCidrBlock', `${tr.RouteTableId} already has ${dest} → ${next || 'blackhole'} (${dup.TransitRouterRouteEntryId})`);
    const members = same.filter((e) => e.TransitRouterRouteEntryNextHopType === 'Attachment').length;
    if (type === 'Attachment' && members >= MAX_ECMP) {
      throw invalid('QuotaExceeded.EcmpRoute', 'TransitRouterRouteEntryNextHopId',
        `${dest} already has ${members} equal-cost routes in ${tr.RouteTableId}; a transit router spreads a destination over at most ${MAX_ECMP} attachments (ECMP)`);
    }
    const TransitRouterRouteEntryId = ctx.newId('rte');
    m.trRouteEntries.push({
      TransitRouterRouteEntryId, TransitRouterRouteTableId: tr.RouteTableId, TransitRouterRouteEntryDestinationCidrBlock: dest,
      TransitRouterRouteEntryNextHopType: type, TransitRouterRouteEntryNextHopId: next,
      TransitRouterRouteEntryName: name(p, 'TransitRouterRouteEntryName', 'InvalidName.Malformed', 1, 128) ?? '',
      TransitRouterRouteEntryDescription: name(p, 'TransitRouterRouteEntryDescription', 'InvalidDescription.Malformed', 1, 256) ?? '',
      CreateTime: ctx.isoNow(),
    });
    return { TransitRouterRouteEntryId };
  },
);

export const DeleteTransitRouterRouteEntry = action(['TransitRouterRouteEntryId'], (ctx, p) => {
  const id = reqStr(p, 'TransitRouterRouteEntryId');
  const i = ctx.model.trRouteEntries.findIndex((e) => e.TransitRouterRouteEntryId === id);
  if (i < 0) throw notFound('InvalidTransitRouterRouteEntryId.NotFound', 'TransitRouterRouteEntryId', id);
  ctx.model.trRouteEntries.splice(i, 1);
  return {};
});

/** Every route of the table: static, learned (Propagated) and cloud-service ones, each Active or Standby. */
export const ListTransitRouterRouteEntries = action(
  ['TransitRouterRouteTableId', 'TransitRouterRouteEntryDestinationCidrBlock', 'TransitRouterRouteEntryType', 'TransitRouterRouteEntryStatus', 'MaxResults', 'NextToken'],
  (ctx, p) => {
    const tr = tableOwner(ctx, reqStr(p, 'TransitRouterRouteTableId'));
    const f = { dest: str(p, 'TransitRouterRouteEntryDestinationCidrBlock'), type: str(p, 'TransitRouterRouteEntryType'), status: str(p, 'TransitRouterRouteEntryStatus') };
    const all = trRoutes(ctx.model, tr.RouteTableId).filter((r) => (f.dest === undefined || r.TransitRouterRouteEntryDestinationCidrBlock === f.dest) &&
      (f.type === undefined || r.TransitRouterRouteEntryType === f.type) && (f.status === undefined || r.TransitRouterRouteEntryStatus === f.status));
    const pg = page(p, all, 50);
    return { TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults, TransitRouterRouteEntries: pg.items };
  },
);

export const ListTransitRouterRouteTables = action(['TransitRouterId', 'MaxResults', 'NextToken'], (ctx, p) => {
  const id = str(p, 'TransitRouterId');
  const all = ctx.model.transitRouters.filter((t) => id === undefined || t.TransitRouterId === id);
  const pg = page(p, all, 20);
  return {
    TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults,
    TransitRouterRouteTables: pg.items.map((t) => ({
      TransitRouterRouteTableId: t.RouteTableId, TransitRouterId: t.TransitRouterId, TransitRouterRouteTableType: 'System',
      TransitRouterRouteTableName: '', TransitRouterRouteTableStatus: 'Active', CreateTime: t.CreationTime,
    })),
  };
});
