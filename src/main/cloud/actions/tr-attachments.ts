// Transit router attachments (CEN API 2017-09-12): a VPC (the TR takes an ENI in each chosen
// vSwitch, where its traffic enters the VPC) or an IPsec connection made by CreateVpnAttachment
// (F1 model 2). A new attachment is associated with the TR's route table and propagates to
// it, as an Enterprise TR does by default; Enable/Disable…Propagation and
// Associate/Dissociate… change that.
//
// Lab codes, in the API's style: InvalidTransitRouterAttachmentId.NotFound,
// InvalidTransitRouterRouteTableId.NotFound, OperationDenied.AlreadyAttached (a VPC or
// connection attached twice), OperationDenied.AttachType (a VPN-gateway connection cannot be
// attached: it belongs to its gateway), DependencyViolation.RouteEntry (delete while a route
// points at it), IncorrectStatus.Propagation / IncorrectStatus.Association (enable twice,
// disable what is not enabled).

import { action, type ActionContext } from '../context';
import { invalid, notFound } from '../errors';
import type { TransitRouter, TransitRouterAttachment } from '../model';
import { name, objects, page, reqStr, str, type Params } from '../params';
import { freePrivateIp, ipNotEnough } from './nat-gateway';
import { transitRouterOf } from './cen';
import { vpnConnectionOf } from './vpn-common';

export function attachmentOfId(ctx: ActionContext, id: string, param = 'TransitRouterAttachmentId', type?: 'VPC' | 'VPN'): TransitRouterAttachment {
  const a = ctx.model.trAttachments.find((x) => x.TransitRouterAttachmentId === id && (type === undefined || x.ResourceType === type));
  if (!a) throw notFound('InvalidTransitRouterAttachmentId.NotFound', param, id);
  return a;
}

function trOfRequest(ctx: ActionContext, p: Params): TransitRouter {
  const tr = transitRouterOf(ctx, reqStr(p, 'TransitRouterId'));
  const cen = str(p, 'CenId');
  if (cen !== undefined && cen !== tr.CenId) throw invalid('OperationDenied.CenNotMatch', 'CenId', `${tr.TransitRouterId} belongs to ${tr.CenId}, not ${cen}`);
  return tr;
}

function alreadyAttached(ctx: ActionContext, resourceId: string, param: string): void {
  const a = ctx.model.trAttachments.find((x) => x.ResourceId === resourceId);
  if (a) throw invalid('OperationDenied.AlreadyAttached', param, `${resourceId} is already attached to ${a.TransitRouterId} (${a.TransitRouterAttachmentId})`);
}

function newAttachment(ctx: ActionContext, p: Params, tr: TransitRouter, ResourceType: 'VPC' | 'VPN', ResourceId: string, ZoneMappings: TransitRouterAttachment['ZoneMappings']): string {
  const TransitRouterAttachmentId = ctx.newId('tr-attach');
  ctx.model.trAttachments.push({
    TransitRouterAttachmentId, TransitRouterId: tr.TransitRouterId, ResourceType, ResourceId, ZoneMappings,
    TransitRouterAttachmentName: name(p, 'TransitRouterAttachmentName', 'InvalidName.Malformed', 1, 128) ?? '',
    TransitRouterAttachmentDescription: name(p, 'TransitRouterAttachmentDescription', 'InvalidDescription.Malformed', 1, 256) ?? '',
    AssociatedRouteTableId: tr.RouteTableId, PropagatedRouteTableIds: [tr.RouteTableId], CreationTime: ctx.isoNow(),
  });
  return TransitRouterAttachmentId;
}

/** ZoneMappings: one vSwitch per zone (the cloud asks for two zones where the region has them; the lab takes one or more). */
export const CreateTransitRouterVpcAttachment = action(
  ['CenId', 'TransitRouterId', 'VpcId', 'VpcOwnerId', 'ZoneMappings', 'TransitRouterAttachmentName', 'TransitRouterAttachmentDescription', 'AutoPublishRouteEnabled', 'ChargeType'],
  (ctx, p) => {
    const tr = trOfRequest(ctx, p);
    const vpc = ctx.vpc(reqStr(p, 'VpcId'));
    alreadyAttached(ctx, vpc.VpcId, 'VpcId');
    const items = objects(p, 'ZoneMappings', ['ZoneId', 'VSwitchId']);
    if (items.length === 0) throw invalid('MissingParam.ZoneMappings', 'ZoneMappings', 'give at least one vSwitch of the VPC for the transit router\'s ENI, as ZoneMappings: [{ZoneId, VSwitchId}]');
    const zones = new Set<string>();
    const taken = new Set<string>();
    const ZoneMappings = items.map((it) => {
      const vsw = ctx.vswitch(reqStr(it.p, it.key('VSwitchId')), it.key('VSwitchId'));
      if (vsw.VpcId !== vpc.VpcId) throw invalid('OperationDenied.VpcNotMatch', it.key('VSwitchId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, not in ${vpc.VpcId}`);
      const ZoneId = reqStr(it.p, it.key('ZoneId'));
      if (ZoneId !== vsw.ZoneId) throw invalid('Mismatch.ZoneId', it.key('ZoneId'), `${vsw.VSwitchId} is in zone ${vsw.ZoneId}, not ${ZoneId}`);
      if (zones.has(ZoneId)) throw invalid('InvalidParameter.ZoneMappings', it.key('ZoneId'), `zone ${ZoneId} is given twice: one vSwitch per zone`);
      zones.add(ZoneId);
      const ip = freePrivateIp(ctx.model, vsw, taken);
      if (!ip) throw ipNotEnough(vsw, 'for the transit router\'s ENI');
      taken.add(ip);
      return { ZoneId, VSwitchId: vsw.VSwitchId, NetworkInterfaceIp: ip };
    });
    return { TransitRouterAttachmentId: newAttachment(ctx, p, tr, 'VPC', vpc.VpcId, ZoneMappings) };
  },
  { flat: ['ZoneMappings'] },
);

/** An IPsec connection of AttachType CEN (CreateVpnAttachment) on the TR. */
export const CreateTransitRouterVpnAttachment = action(
  ['CenId', 'TransitRouterId', 'VpnId', 'VpnOwnerId', 'Zone', 'TransitRouterAttachmentName', 'TransitRouterAttachmentDescription', 'AutoPublishRouteEnabled', 'ChargeType'],
  (ctx, p) => {
    const tr = trOfRequest(ctx, p);
    const c = vpnConnectionOf(ctx, reqStr(p, 'VpnId'), 'VpnId');
    if (c.AttachType !== 'CEN') throw invalid('OperationDenied.AttachType', 'VpnId', `${c.VpnConnectionId} is on VPN gateway ${c.VpnGatewayId}; a transit router takes IPsec connections made by CreateVpnAttachment`);
    alreadyAttached(ctx, c.VpnConnectionId, 'VpnId');
    objects(p, 'Zone', ['ZoneId']);
    return { TransitRouterAttachmentId: newAttachment(ctx, p, tr, 'VPN', c.VpnConnectionId, []) };
  },
  { flat: ['Zone'] },
);

function attachmentView(a: TransitRouterAttachment, tr: TransitRouter | undefined): Record<string, unknown> {
  const common = {
    TransitRouterAttachmentId: a.TransitRouterAttachmentId, TransitRouterId: a.TransitRouterId, CenId: tr?.CenId ?? '', ResourceType: a.ResourceType,
    TransitRouterAttachmentName: a.TransitRouterAttachmentName, TransitRouterAttachmentDescription: a.TransitRouterAttachmentDescription,
    Status: 'Attached', CreationTime: a.CreationTime,
    // Lab-only: its associated route table and the ones it propagates to.
    AssociatedRouteTableId: a.AssociatedRouteTableId ?? '', PropagatedRouteTableIds: [...a.PropagatedRouteTableIds],
  };
  if (a.ResourceType === 'VPC') return { ...common, VpcId: a.ResourceId, ZoneMappings: a.ZoneMappings.map((z) => ({ ...z })) };
  return { ...common, VpnId: a.ResourceId };
}

function listOf(type: 'VPC' | 'VPN'): ReturnType<typeof action> {
  const idParam = type === 'VPC' ? 'VpcId' : 'VpnId';
  return action(['CenId', 'TransitRouterId', 'TransitRouterAttachmentId', idParam, 'MaxResults', 'NextToken'], (ctx, p) => {
    const f = { tr: str(p, 'TransitRouterId'), id: str(p, 'TransitRouterAttachmentId'), res: str(p, idParam), cen: str(p, 'CenId') };
    const trs = new Map(ctx.model.transitRouters.map((t) => [t.TransitRouterId, t]));
    const all = ctx.model.trAttachments.filter((a) => a.ResourceType === type && (f.tr === undefined || a.TransitRouterId === f.tr) &&
      (f.id === undefined || a.TransitRouterAttachmentId === f.id) && (f.res === undefined || a.ResourceId === f.res) &&
      (f.cen === undefined || trs.get(a.TransitRouterId)?.CenId === f.cen));
    const pg = page(p, all, 20);
    return { TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults, TransitRouterAttachments: pg.items.map((a) => attachmentView(a, trs.get(a.TransitRouterId))) };
  });
}

export const ListTransitRouterVpcAttachments = listOf('VPC');
export const ListTransitRouterVpnAttachments = listOf('VPN');

/** Refused while a VPC route entry or a TR static route still points at it. */
function remove(ctx: ActionContext, a: TransitRouterAttachment): void {
  const m = ctx.model;
  for (const rt of m.routeTables) {
    const e = rt.Entries.find((x) => x.NextHopType === 'Attachment' && x.NextHopId === a.TransitRouterAttachmentId);
    if (e) throw invalid('DependencyViolation.RouteEntry', 'TransitRouterAttachmentId', `route entry ${e.DestinationCidrBlock} of ${rt.RouteTableId} still points at ${a.TransitRouterAttachmentId}; delete it first (DeleteRouteEntry)`);
  }
  const tre = m.trRouteEntries.find((x) => x.TransitRouterRouteEntryNextHopId === a.TransitRouterAttachmentId);
  if (tre) throw invalid('DependencyViolation.RouteEntry', 'TransitRouterAttachmentId', `transit router route ${tre.TransitRouterRouteEntryDestinationCidrBlock} (${tre.TransitRouterRouteEntryId}) still points at ${a.TransitRouterAttachmentId}; delete it first (DeleteTransitRouterRouteEntry)`);
  m.trAttachments.splice(m.trAttachments.indexOf(a), 1);
}

export const DeleteTransitRouterVpcAttachment = action(['TransitRouterAttachmentId', 'Force'], (ctx, p) => {
  remove(ctx, attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'), 'TransitRouterAttachmentId', 'VPC'));
  return {};
});

export const DeleteTransitRouterVpnAttachment = action(['TransitRouterAttachmentId', 'Force'], (ctx, p) => {
  remove(ctx, attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'), 'TransitRouterAttachmentId', 'VPN'));
  return {};
});

function tableOf(ctx: ActionContext, a: TransitRouterAttachment, p: Params): string {
  const id = reqStr(p, 'TransitRouterRouteTableId');
  const tr = ctx.model.transitRouters.find((t) => t.TransitRouterId === a.TransitRouterId);
  if (!tr || tr.RouteTableId !== id) throw notFound('InvalidTransitRouterRouteTableId.NotFound', 'TransitRouterRouteTableId', id);
  return id;
}

const PARAMS = ['TransitRouterAttachmentId', 'TransitRouterRouteTableId'];

export const EnableTransitRouterRouteTablePropagation = action(PARAMS, (ctx, p) => {
  const a = attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'));
  const t = tableOf(ctx, a, p);
  if (a.PropagatedRouteTableIds.includes(t)) throw invalid('IncorrectStatus.Propagation', 'TransitRouterRouteTableId', `${a.TransitRouterAttachmentId} already propagates to ${t}`);
  a.PropagatedRouteTableIds.push(t);
  return {};
});

export const DisableTransitRouterRouteTablePropagation = action(PARAMS, (ctx, p) => {
  const a = attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'));
  const t = tableOf(ctx, a, p);
  if (!a.PropagatedRouteTableIds.includes(t)) throw invalid('IncorrectStatus.Propagation', 'TransitRouterRouteTableId', `${a.TransitRouterAttachmentId} does not propagate to ${t}`);
  a.PropagatedRouteTableIds = a.PropagatedRouteTableIds.filter((x) => x !== t);
  return {};
});

export const AssociateTransitRouterAttachmentWithRouteTable = action(PARAMS, (ctx, p) => {
  const a = attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'));
  const t = tableOf(ctx, a, p);
  if (a.AssociatedRouteTableId !== undefined) throw invalid('IncorrectStatus.Association', 'TransitRouterAttachmentId', `${a.TransitRouterAttachmentId} is already associated with ${a.AssociatedRouteTableId}`);
  a.AssociatedRouteTableId = t;
  return {};
});

export const DissociateTransitRouterAttachmentFromRouteTable = action(PARAMS, (ctx, p) => {
  const a = attachmentOfId(ctx, reqStr(p, 'TransitRouterAttachmentId'));
  const t = tableOf(ctx, a, p);
  if (a.AssociatedRouteTableId !== t) throw invalid('IncorrectStatus.Association', 'TransitRouterRouteTableId', `${a.TransitRouterAttachmentId} is not associated with ${t}`);
  delete a.AssociatedRouteTableId;
  return {};
});
