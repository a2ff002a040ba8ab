// The IPv4 gateway (SEMANTICS B1–B9): create, activate (with its default routes), describe,
// bind a gateway route table, delete in private or public mode. Gateway route table entry
// edits live with the other route table calls (route-table.ts).

import { action, type ActionContext } from '../context';
import { ApiError, invalid, notFound, quoted } from '../errors';
import type { Ipv4Gateway, RouteTable } from '../model';
import { list, name, oneOf, reqStr, str, type Params } from '../params';
import { MAX_CUSTOM_ENTRIES } from './route-table';
import { multiBindedNat } from './nat-gateway';

const MAX_ROUTE_TABLE_LIST = 10; // B4
const ALL_ZERO = '0.0.0.0/0';

export const CreateIpv4Gateway = action(['VpcId', 'Ipv4GatewayName', 'Ipv4GatewayDescription'], (ctx, p) => {
  const vpcId = reqStr(p, 'VpcId');
  const vpc = ctx.model.vpcs.find((v) => v.VpcId === vpcId);
  // B3 lists OperationFailed.VpcNotExist for this call (HTTP 400, unlike the lab's 404 finders).
  if (!vpc) throw new ApiError('OperationFailed.VpcNotExist', `The specified VpcId ${quoted(vpcId)} does not exist.`, 400, 'VpcId');
  // B1: 1–128 / 1–256 characters, not starting with http:// or https://.
  const Ipv4GatewayName = name(p, 'Ipv4GatewayName', 'IllegalParam.Ipv4GatewayName', 1, 128) ?? '';
  const Ipv4GatewayDescription = name(p, 'Ipv4GatewayDescription', 'IllegalParam.Ipv4GatewayDescription', 1, 256) ?? '';
  const existing = ctx.model.ipv4Gateways.find((g) => g.VpcId === vpc.VpcId);
  if (existing) throw invalid('OperationDenied.VpcExistIpv4Gateway', 'VpcId', `${vpc.VpcId} already has IPv4 gateway ${existing.Ipv4GatewayId} (one per VPC)`);
  // B3/D12: a MULTI_BINDED NAT gateway's EIPs count as NIC-visible ("direct") EIPs.
  const ngw = multiBindedNat(ctx.model, vpc.VpcId);
  if (ngw) throw invalid('OperationDenied.DirectEipExist', 'VpcId', `${vpc.VpcId} has NAT gateway ${ngw.NatGatewayId} in EipBindMode MULTI_BINDED; switch it to NAT first (ModifyNatGatewayAttribute)`);
  const Ipv4GatewayId = ctx.newId('ipv4gw');
  // B2: the API passes through Creating; the lab is synchronous, so it lands on Created (console: Inactive).
  ctx.model.ipv4Gateways.push({
    Ipv4GatewayId, Ipv4GatewayName, Ipv4GatewayDescription, VpcId: vpc.VpcId, Status: 'Created', Enabled: false, CreationTime: ctx.isoNow(),
  });
  return { Ipv4GatewayId };
});

/**
 * B4: activation adds `0.0.0.0/0 → Ipv4Gateway` to each listed vSwitch table of the VPC. Every
 * table is checked before any entry is added, so a refusal adds nothing and the gateway stays
 * Inactive (the control plane discards the draft anyway).
 */
export const EnableVpcIpv4Gateway = action(['Ipv4GatewayId', 'RouteTableList'], (ctx, p) => {
  const gw = ctx.ipv4Gateway(reqStr(p, 'Ipv4GatewayId'));
  if (gw.Enabled) {
    throw new ApiError('OperationFailed.Ipv4GatewayAlreadyActive.', `The IPv4 gateway ${gw.Ipv4GatewayId} is already active (activation is one-way).`, 400, 'Ipv4GatewayId');
  }
  // B4/D12. CreateNatGateway refuses MULTI_BINDED next to an IPv4 gateway and the mode never
  // switches back, so the API alone cannot reach this; a model restored from elsewhere can.
  const ngw = multiBindedNat(ctx.model, gw.VpcId);
  if (ngw) throw invalid('OperationDenied.NatgatewayExist', 'Ipv4GatewayId', `${gw.VpcId} has NAT gateway ${ngw.NatGatewayId} in EipBindMode MULTI_BINDED; switch it to NAT first (ModifyNatGatewayAttribute)`);
  const ids = list(p, 'RouteTableList');
  if (ids.length > MAX_ROUTE_TABLE_LIST) throw invalid('IllegalParam.RouteTableList', 'RouteTableList', `at most ${MAX_ROUTE_TABLE_LIST} route tables, got ${ids.length}`);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw invalid('IllegalParam.RouteTableList', 'RouteTableList', `${dup} is listed twice`);
  const tables = ids.map((id) => {
    const rt = ctx.routeTable(id, 'RouteTableList');
    if (rt.VpcId !== gw.VpcId) throw invalid('IllegalParam.RouteTableList', 'RouteTableList', `${id} is in ${rt.VpcId}, not in the gateway's VPC ${gw.VpcId}`);
    if (rt.AssociateType !== 'VSwitch') {
      throw invalid('OperationDenied.RouteTableTypeIncorrect', 'RouteTableList', `${id} is a gateway route table; activation adds default routes to vSwitch route tables only`);
    }
    return rt;
  });
  for (const rt of tables) {
    if (rt.Entries.some((e) => e.DestinationCidrBlock === ALL_ZERO)) {
      // B4.2: the message names the table, as the API's does.
      throw new ApiError('OperationDenied.ConflictOfAllZeroRouting', `routetable [${rt.RouteTableId}] exist all-zero route entry`, 400, 'RouteTableList');
    }
    if (rt.Entries.length >= MAX_CUSTOM_ENTRIES) throw invalid('QuotaExceeded', 'RouteTableList', `${rt.RouteTableId} already holds ${MAX_CUSTOM_ENTRIES} custom entries`);
  }
  for (const rt of tables) {
    rt.Entries.push({
      RouteEntryId: ctx.newId('rte'), RouteTableId: rt.RouteTableId, DestinationCidrBlock: ALL_ZERO, NextHopType: 'Ipv4Gateway', NextHopId: gw.Ipv4GatewayId,
      RouteEntryName: '', Type: 'Custom', Status: 'Available',
    });
  }
  gw.Enabled = true;
  // B9: PRIVATE --create+activate--> CONTROLLED; "controlled" itself is derived from Enabled.
  ctx.vpc(gw.VpcId).InternetMode = 'default';
  return {};
});

/**
 * The API's view of a gateway, plus `ConsoleStatus`, a LAB-ONLY field (not in the Alibaba
 * API): the console's Inactive/Active label (SEMANTICS G4), derived from `Enabled`.
 */
function view(g: Ipv4Gateway): Record<string, unknown> {
  return {
    Ipv4GatewayId: g.Ipv4GatewayId,
    Ipv4GatewayName: g.Ipv4GatewayName,
    Ipv4GatewayDescription: g.Ipv4GatewayDescription,
    VpcId: g.VpcId,
    Status: g.Status,
    Enabled: g.Enabled,
    Ipv4GatewayRouteTableId: g.Ipv4GatewayRouteTableId ?? '',
    CreationTime: g.CreationTime,
    ConsoleStatus: g.Enabled ? 'Active' : 'Inactive',
  };
}

export const GetIpv4GatewayAttribute = action(['Ipv4GatewayId'], (ctx, p) => view(ctx.ipv4Gateway(reqStr(p, 'Ipv4GatewayId'))));

function filtered(ctx: ActionContext, p: Params): Ipv4Gateway[] {
  const vpcId = str(p, 'VpcId');
  const id = str(p, 'Ipv4GatewayId');
  const nm = str(p, 'Ipv4GatewayName');
  return ctx.model.ipv4Gateways.filter(
    (g) => (vpcId === undefined || g.VpcId === vpcId) && (id === undefined || g.Ipv4GatewayId === id) && (nm === undefined || g.Ipv4GatewayName === nm),
  );
}

/** The lab's Describe* form, wrapped like its other Describe calls. */
export const DescribeIpv4Gateways = action(['VpcId', 'Ipv4GatewayId', 'Ipv4GatewayName'], (ctx, p) => {
  const gws = filtered(ctx, p);
  return { TotalCount: gws.length, Ipv4Gateways: { Ipv4GatewayModels: gws.map(view) } };
});

/** The Alibaba API's own list call: a flat `Ipv4GatewayModels` list, creation time as `GmtCreate`. */
export const ListIpv4Gateways = action(['VpcId', 'Ipv4GatewayId', 'Ipv4GatewayName'], (ctx, p) => {
  const gws = filtered(ctx, p);
  return { TotalCount: gws.length, Ipv4GatewayModels: gws.map((g) => ({ ...view(g), GmtCreate: g.CreationTime })) };
});

function gatewayTable(ctx: ActionContext, id: string): RouteTable {
  const rt = ctx.model.routeTables.find((t) => t.RouteTableId === id);
  if (!rt) throw notFound('ResourceNotFound.GatewayRouteTable', 'RouteTableId', id);
  return rt;
}

function gatewayType(p: Params): void {
  const t = str(p, 'GatewayType') ?? 'Ipv4Gateway';
  if (t !== 'Ipv4Gateway') throw invalid('IllegalParam.GatewayType', 'GatewayType', `${quoted(t)} is not supported; the lab models Ipv4Gateway only`);
}

/** B6: bind the VPC's gateway route table to its (active) IPv4 gateway. */
export const AssociateRouteTableWithGateway = action(['RouteTableId', 'GatewayId', 'GatewayType'], (ctx, p) => {
  gatewayType(p);
  const rt = gatewayTable(ctx, reqStr(p, 'RouteTableId'));
  const gw = ctx.ipv4Gateway(reqStr(p, 'GatewayId'), 'GatewayId');
  if (rt.AssociateType !== 'Gateway') {
    throw invalid('OperationDenied.RouteTableTypeIncorrect', 'RouteTableId', `${rt.RouteTableId} is a vSwitch route table; only a gateway (Border Gateway) table binds to a gateway`);
  }
  if (rt.VpcId !== gw.VpcId) throw invalid('OperationDenied.GatewayAndTableNotInOneVpc', 'GatewayId', `${gw.Ipv4GatewayId} is in ${gw.VpcId}, ${rt.RouteTableId} in ${rt.VpcId}`);
  if (!gw.Enabled) throw invalid('OperationDenied.Ipv4GatewayNotActive', 'GatewayId', `${gw.Ipv4GatewayId} is not activated yet (EnableVpcIpv4Gateway)`);
  const holder = ctx.model.ipv4Gateways.find((g) => g.Ipv4GatewayRouteTableId === rt.RouteTableId);
  if (holder) throw invalid('ResourceAlreadyAssociated.GatewayRouteTable', 'RouteTableId', `${rt.RouteTableId} is already bound to ${holder.Ipv4GatewayId}`);
  if (gw.Ipv4GatewayRouteTableId !== undefined) {
    throw invalid('ResourceAlreadyAssociated.Ipv4Gateway', 'GatewayId', `${gw.Ipv4GatewayId} already has gateway route table ${gw.Ipv4GatewayRouteTableId} (one per gateway)`);
  }
  gw.Ipv4GatewayRouteTableId = rt.RouteTableId;
  return {};
});

export const DissociateRouteTableFromGateway = action(['RouteTableId', 'GatewayId', 'GatewayType'], (ctx, p) => {
  gatewayType(p);
  const rt = gatewayTable(ctx, reqStr(p, 'RouteTableId'));
  const gw = ctx.ipv4Gateway(reqStr(p, 'GatewayId'), 'GatewayId');
  if (rt.AssociateType !== 'Gateway') throw invalid('OperationDenied.RouteTableTypeIncorrect', 'RouteTableId', `${rt.RouteTableId} is a vSwitch route table`);
  if (gw.Ipv4GatewayRouteTableId !== rt.RouteTableId) {
    throw invalid('OperationFailed.NotExistAssociateRelation', 'RouteTableId', `${rt.RouteTableId} is not bound to ${gw.Ipv4GatewayId}`);
  }
  delete gw.Ipv4GatewayRouteTableId;
  return {};
});

/**
 * B8. `private` (the API default) refuses while a route still points at the gateway and leaves
 * the VPC without Internet access if the gateway was active; `public` deletes those routes
 * itself and returns the VPC to default (EIP direct) mode. Deleting a gateway that was never
 * activated leaves the mode as it was (B9 [INF]: DEFAULT+IGW(Inactive) --delete--> DEFAULT;
 * a VPC already private stays private unless `public` is chosen).
 */
export const DeleteIpv4Gateway = action(['Ipv4GatewayId', 'InternetMode'], (ctx, p) => {
  const gw = ctx.ipv4Gateway(reqStr(p, 'Ipv4GatewayId'));
  const mode = oneOf(p, 'InternetMode', ['private', 'public'] as const, 'private');
  if (gw.Ipv4GatewayRouteTableId !== undefined) {
    throw invalid('DependencyViolation.GatewayRouteTableRelation', 'Ipv4GatewayId', `unbind gateway route table ${gw.Ipv4GatewayRouteTableId} first (DissociateRouteTableFromGateway)`);
  }
  const tables = ctx.model.routeTables.filter((t) => t.VpcId === gw.VpcId);
  const pointsHere = (e: { NextHopType: string; NextHopId: string }): boolean => e.NextHopType === 'Ipv4Gateway' && e.NextHopId === gw.Ipv4GatewayId;
  if (mode === 'private') {
    const rt = tables.find((t) => t.Entries.some(pointsHere));
    if (rt) {
      const e = rt.Entries.find(pointsHere)!;
      throw invalid('DependencyViolation.RouteEntry', 'Ipv4GatewayId', `route table ${rt.RouteTableId} still routes ${e.DestinationCidrBlock} to ${gw.Ipv4GatewayId}; delete such entries first or delete in public mode`);
    }
  } else {
    for (const t of tables) t.Entries = t.Entries.filter((e) => !pointsHere(e));
  }
  const vpc = ctx.vpc(gw.VpcId);
  if (mode === 'public') vpc.InternetMode = 'default';
  else if (gw.Enabled) vpc.InternetMode = 'private';
  ctx.model.ipv4Gateways.splice(ctx.model.ipv4Gateways.indexOf(gw), 1);
  return {};
});
