// A VPN gateway's routes (SEMANTICS F5): destination-based (`dbr`: CreateVpnRouteEntry …)
// and policy-based (`pbr`: CreateVpnPbrRouteEntry …), each to one of the gateway's IPsec-VPN
// connections, active (Weight 100) or standby (0); and their publication to the VPC
// (PublishVpnRouteEntry, or PublishVpc at creation): the VPC's system route table then holds
// `RouteDest → VpnGateway` (routes.ts). How the engine picks among them is engine/vpn.
//
// Documented codes: InvalidVpnGatewayInstanceId.NotFound, Resource.QuotaFull. Lab codes (the
// docs state the rules but name no code): VpnRouteEntry.InvalidDestination (F5: 0.0.0.0/0,
// 100.64.0.0/10, its subnets and supernets), VpnRouteEntry.AlreadyExists, VpnRouteEntry.NotFound,
// OperationDenied.VpnConnectionNotInGateway (a next hop of another gateway),
// InvalidRouteDest.Malformed / InvalidRouteSource.Malformed.

import { action, type ActionContext } from '../context';
import { ApiError, invalid, quoted } from '../errors';
import type { CloudModel, VpnConnection, VpnGateway, VpnRouteEntry } from '../model';
import { bool, int, oneOf, name, reqStr, str, type Params } from '../params';
import { cidrOf } from '../cidr';
import { forbiddenVpnDestination, isDestinationRouting, ms, pageOf, reqCidr, vpnConnectionOf, vpnGatewayOf } from './vpn-common';

/** Lab quota per gateway and route type (the API answers Resource.QuotaFull). */
export const MAX_VPN_ROUTES = 100;
/** F5.1: policy-based routes are tried by priority value, lowest first. */
export const PBR_PRIORITY = { min: 1, max: 100, dflt: 10 };
export const WEIGHTS = [0, 100] as const;

function dest(p: Params): string {
  const d = reqCidr(p, 'RouteDest', 'InvalidRouteDest.Malformed');
  const why = forbiddenVpnDestination(d.c);
  if (why) throw invalid('VpnRouteEntry.InvalidDestination', 'RouteDest', why);
  return d.text;
}

function weight(p: Params, param = 'Weight', dflt: number | undefined = 100): 0 | 100 {
  const w = int(p, param, 0, 100, dflt);
  if (w !== 0 && w !== 100) throw invalid('InvalidParameter', param, `${w} is not 0 (standby) or 100 (active)`);
  return w;
}

/** The next hop: one of this gateway's IPsec-VPN connections. */
function nextHop(ctx: ActionContext, g: VpnGateway, p: Params): VpnConnection {
  const c = vpnConnectionOf(ctx, reqStr(p, 'NextHop'), 'NextHop');
  if (c.VpnGatewayId !== g.VpnGatewayId) {
    throw invalid('OperationDenied.VpnConnectionNotInGateway', 'NextHop', `${c.VpnConnectionId} is a connection of ${c.VpnGatewayId}, not of ${g.VpnGatewayId}`);
  }
  return c;
}

const overlay = (p: Params): void => void oneOf(p, 'OverlayMode', ['Ipsec'] as const, 'Ipsec');

const same = (a: VpnRouteEntry, b: Pick<VpnRouteEntry, 'VpnGatewayId' | 'RouteType' | 'RouteDest' | 'NextHop' | 'RouteSource'>): boolean =>
  a.VpnGatewayId === b.VpnGatewayId && a.RouteType === b.RouteType && a.RouteDest === b.RouteDest && a.NextHop === b.NextHop && (a.RouteSource ?? '') === (b.RouteSource ?? '');

function view(r: VpnRouteEntry): Record<string, unknown> {
  return {
    VpnInstanceId: r.VpnGatewayId,
    ...(r.RouteType === 'pbr' ? { RouteSource: r.RouteSource, Priority: r.Priority } : {}),
    RouteDest: r.RouteDest,
    NextHop: r.NextHop,
    Weight: r.Weight,
    State: r.PublishVpc ? 'published' : 'normal',
    OverlayMode: 'Ipsec',
    Description: r.Description,
    CreateTime: ms(r.CreateTime),
    RouteEntryType: 'custom',
    // Lab-only: made by CreateVpnConnection's AutoConfigRoute, deleted with its connection.
    ...(r.AutoConfigured ? { AutoConfigured: true } : {}),
  };
}

function add(ctx: ActionContext, r: VpnRouteEntry): void {
  const m = ctx.model;
  if (m.vpnRouteEntries.some((x) => same(x, r))) {
    const what = r.RouteType === 'pbr' ? `a policy-based route ${r.RouteSource} → ${r.RouteDest}` : `a destination-based route to ${r.RouteDest}`;
    throw invalid('VpnRouteEntry.AlreadyExists', 'RouteDest', `${r.VpnGatewayId} already has ${what} with next hop ${r.NextHop}`);
  }
  if (m.vpnRouteEntries.filter((x) => x.VpnGatewayId === r.VpnGatewayId && x.RouteType === r.RouteType).length >= MAX_VPN_ROUTES) {
    throw new ApiError('Resource.QuotaFull', `The quota of resource is full: a VPN gateway holds at most ${MAX_VPN_ROUTES} ${r.RouteType === 'pbr' ? 'policy-based' : 'destination-based'} routes.`, 400, 'VpnGatewayId');
  }
  m.vpnRouteEntries.push(r);
}

/** Weight and PublishVpc are required by the API; the lab defaults them to 100 (active) and false. */
export const CreateVpnRouteEntry = action(['VpnGatewayId', 'RouteDest', 'NextHop', 'Weight', 'PublishVpc', 'Description', 'OverlayMode'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const RouteDest = dest(p);
  const c = nextHop(ctx, g, p);
  const r: VpnRouteEntry = {
    VpnGatewayId: g.VpnGatewayId, RouteType: 'dbr', RouteDest, NextHop: c.VpnConnectionId, Weight: weight(p), PublishVpc: bool(p, 'PublishVpc', false),
    Description: name(p, 'Description', 'InvalidDescription.Malformed', 1, 100) ?? '', CreateTime: ctx.isoNow(),
  };
  overlay(p);
  add(ctx, r);
  return view(r);
});

export const CreateVpnPbrRouteEntry = action(['VpnGatewayId', 'RouteSource', 'RouteDest', 'NextHop', 'Weight', 'Priority', 'PublishVpc', 'Description', 'OverlayMode'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const RouteSource = reqCidr(p, 'RouteSource', 'InvalidRouteSource.Malformed').text;
  const RouteDest = dest(p);
  const c = nextHop(ctx, g, p);
  const r: VpnRouteEntry = {
    VpnGatewayId: g.VpnGatewayId, RouteType: 'pbr', RouteSource, RouteDest, NextHop: c.VpnConnectionId, Weight: weight(p),
    Priority: int(p, 'Priority', PBR_PRIORITY.min, PBR_PRIORITY.max, PBR_PRIORITY.dflt), PublishVpc: bool(p, 'PublishVpc', false),
    Description: name(p, 'Description', 'InvalidDescription.Malformed', 1, 100) ?? '', CreateTime: ctx.isoNow(),
  };
  overlay(p);
  add(ctx, r);
  return view(r);
});

/** The entries a Delete/Modify call names; `Weight`, `Priority` narrow the match when given. */
function find(ctx: ActionContext, p: Params, type: 'dbr' | 'pbr'): { g: VpnGateway; list: VpnRouteEntry[] } {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const RouteDest = reqCidr(p, 'RouteDest', 'InvalidRouteDest.Malformed').text;
  const NextHop = reqStr(p, 'NextHop');
  const RouteSource = type === 'pbr' ? reqCidr(p, 'RouteSource', 'InvalidRouteSource.Malformed').text : undefined;
  const w = str(p, 'Weight') !== undefined ? weight(p) : undefined;
  const prio = type === 'pbr' && str(p, 'Priority') !== undefined ? int(p, 'Priority', PBR_PRIORITY.min, PBR_PRIORITY.max) : undefined;
  overlay(p);
  const list = ctx.model.vpnRouteEntries.filter((r) => same(r, { VpnGatewayId: g.VpnGatewayId, RouteType: type, RouteDest, NextHop, RouteSource }) &&
    (w === undefined || r.Weight === w) && (prio === undefined || r.Priority === prio));
  if (list.length === 0) {
    const what = type === 'pbr' ? `policy-based route ${RouteSource} → ${RouteDest}` : `destination-based route to ${RouteDest}`;
    throw new ApiError('VpnRouteEntry.NotFound', `${g.VpnGatewayId} has no ${what} with next hop ${quoted(NextHop)}${w !== undefined ? ` and weight ${w}` : ''}.`, 404, 'RouteDest');
  }
  return { g, list };
}

function remove(m: CloudModel, list: VpnRouteEntry[]): void {
  m.vpnRouteEntries = m.vpnRouteEntries.filter((r) => !list.includes(r));
}

export const DeleteVpnRouteEntry = action(['VpnGatewayId', 'RouteDest', 'NextHop', 'Weight', 'OverlayMode'], (ctx, p) => {
  remove(ctx.model, find(ctx, p, 'dbr').list);
  return {};
});

export const DeleteVpnPbrRouteEntry = action(['VpnGatewayId', 'RouteSource', 'RouteDest', 'NextHop', 'Weight', 'Priority', 'OverlayMode'], (ctx, p) => {
  remove(ctx.model, find(ctx, p, 'pbr').list);
  return {};
});

/** F5: switch a route between active (100) and standby (0). */
export const ModifyVpnRouteEntryWeight = action(['VpnGatewayId', 'RouteDest', 'NextHop', 'Weight', 'NewWeight', 'OverlayMode'], (ctx, p) => {
  const { list } = find(ctx, p, 'dbr');
  const w = weight(p, 'NewWeight', undefined);
  for (const r of list) r.Weight = w;
  return view(list[0]);
});

export const ModifyVpnPbrRouteEntryWeight = action(['VpnGatewayId', 'RouteSource', 'RouteDest', 'NextHop', 'Weight', 'Priority', 'NewWeight', 'OverlayMode'], (ctx, p) => {
  const { list } = find(ctx, p, 'pbr');
  const w = weight(p, 'NewWeight', undefined);
  for (const r of list) r.Weight = w;
  return view(list[0]);
});

export const ModifyVpnPbrRouteEntryPriority = action(['VpnGatewayId', 'RouteSource', 'RouteDest', 'NextHop', 'Weight', 'Priority', 'NewPriority', 'OverlayMode'], (ctx, p) => {
  const { list } = find(ctx, p, 'pbr');
  const prio = int(p, 'NewPriority', PBR_PRIORITY.min, PBR_PRIORITY.max);
  for (const r of list) r.Priority = prio;
  return view(list[0]);
});

/**
 * F5: publish a route to the VPC (its system route table gains `RouteDest → VpnGateway`) or
 * withdraw it (PublishVpc=false). RouteSource (lab-only) narrows a policy-based route; without
 * it every policy-based route with that destination and next hop is (un)published.
 */
export const PublishVpnRouteEntry = action(['VpnGatewayId', 'RouteDest', 'NextHop', 'RouteType', 'PublishVpc', 'RouteSource'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const RouteDest = reqCidr(p, 'RouteDest', 'InvalidRouteDest.Malformed').text;
  const NextHop = reqStr(p, 'NextHop');
  const RouteType = oneOf(p, 'RouteType', ['dbr', 'pbr'] as const);
  const PublishVpc = bool(p, 'PublishVpc', true);
  const src = RouteType === 'pbr' && str(p, 'RouteSource') !== undefined ? reqCidr(p, 'RouteSource', 'InvalidRouteSource.Malformed').text : undefined;
  const list = ctx.model.vpnRouteEntries.filter((r) => r.VpnGatewayId === g.VpnGatewayId && r.RouteType === RouteType && r.RouteDest === RouteDest && r.NextHop === NextHop &&
    (src === undefined || r.RouteSource === src));
  if (list.length === 0) {
    throw new ApiError('VpnRouteEntry.NotFound', `${g.VpnGatewayId} has no ${RouteType === 'pbr' ? 'policy-based' : 'destination-based'} route to ${RouteDest} with next hop ${quoted(NextHop)}.`, 404, 'RouteDest');
  }
  for (const r of list) r.PublishVpc = PublishVpc;
  return {};
});

export const DescribeVpnRouteEntries = action(['VpnGatewayId', 'RouteEntryType', 'PageNumber', 'PageSize'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const type = oneOf(p, 'RouteEntryType', ['custom', 'bgp', 'all'] as const, 'all');
  const all = type === 'bgp' ? [] : ctx.model.vpnRouteEntries.filter((r) => r.VpnGatewayId === g.VpnGatewayId && r.RouteType === 'dbr');
  const pg = pageOf(p, all);
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, VpnRouteEntries: { VpnRouteEntry: pg.items.map(view) } };
});

export const DescribeVpnPbrRouteEntries = action(['VpnGatewayId', 'PageNumber', 'PageSize'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  // F5.1: in the order they are tried.
  const all = ctx.model.vpnRouteEntries.filter((r) => r.VpnGatewayId === g.VpnGatewayId && r.RouteType === 'pbr').sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  const pg = pageOf(p, all);
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, VpnPbrRouteEntries: { VpnPbrRouteEntry: pg.items.map(view) } };
});

/**
 * AutoConfigRoute (default true in the API): the SDK says only "whether to automatically
 * configure routes" (ModifyVpnConnectionAttribute's text: "automatically advertise routes");
 * the docs do not say which. [INF] The lab reads it as the console does in protected-data-flows mode:
 * one active destination-based route per RemoteSubnet block to the connection, published to
 * the VPC, kept in step with the connection's RemoteSubnet and deleted with it. Blocks F5
 * forbids as destinations (a 100.64/10 IDC, F6.7) get no route; destination-routing mode gets
 * none (the user adds them).
 */
export function syncAutoRoutes(ctx: ActionContext, c: VpnConnection): void {
  const m = ctx.model;
  // A transit router learns a CEN connection's RemoteSubnet itself (cloud/tr-routes.ts).
  const want = c.AutoConfigRoute && !isDestinationRouting(c) && c.AttachType !== 'CEN' ? c.RemoteSubnet.filter((s) => !forbiddenVpnDestination(cidrOf(s))) : [];
  m.vpnRouteEntries = m.vpnRouteEntries.filter((r) => !(r.AutoConfigured && r.NextHop === c.VpnConnectionId && !want.includes(r.RouteDest)));
  for (const RouteDest of want) {
    const key = { VpnGatewayId: c.VpnGatewayId, RouteType: 'dbr' as const, RouteDest, NextHop: c.VpnConnectionId };
    if (m.vpnRouteEntries.some((r) => same(r, key))) continue;
    m.vpnRouteEntries.push({ ...key, Weight: 100, PublishVpc: true, Description: '', CreateTime: ctx.isoNow(), AutoConfigured: true });
  }
}
