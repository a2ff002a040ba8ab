// Route tables and their entries (SEMANTICS A2–A7, B6): create, bind to vSwitches, add and
// remove custom entries, edit the entries of a gateway route table, describe. System entries
// are derived (routes.ts).

import { action, type ActionContext } from '../context';
import { CLOUD_SERVICE_CIDR, cidrOf, contains, overlaps } from '../cidr';
import { ApiError, invalid, missing, notFound, quoted } from '../errors';
import type { RouteTable } from '../model';
import { cidr, name, oneOf, reqStr, str, type Params } from '../params';
import { effectiveEntries } from '../routes';

const MAX_TABLES_PER_VPC = 10; // A2: vSwitch-type tables, including the system table
export const MAX_CUSTOM_ENTRIES = 200; // A5

/** A6: every next-hop type the API knows; the lab forwards through those it models. */
export const NEXT_HOP_TYPES = [
  'Instance', 'HaVip', 'RouterInterface', 'NetworkInterface', 'VpnGateway', 'IPv6Gateway', 'NatGateway',
  'Attachment', 'VpcPeer', 'Ipv4Gateway', 'GatewayEndpoint', 'Ecr', 'GatewayLoadBalancerEndpoint',
] as const;
export const MODELLED_NEXT_HOPS = new Set<string>(['Instance', 'Ipv4Gateway', 'NatGateway', 'GatewayLoadBalancerEndpoint', 'VpnGateway', 'Attachment']);

export const CreateRouteTable = action(['VpcId', 'AssociateType', 'RouteTableName'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  const AssociateType = oneOf(p, 'AssociateType', ['VSwitch', 'Gateway'] as const, 'VSwitch');
  const mine = ctx.model.routeTables.filter((t) => t.VpcId === vpc.VpcId);
  if (AssociateType === 'Gateway') {
    // A2/B6: one gateway ("Border Gateway") table per VPC; its entries follow the vSwitches (routes.ts).
    const gt = mine.find((t) => t.AssociateType === 'Gateway');
    if (gt) throw invalid('QuotaExceeded.GatewayRouteTable', 'VpcId', `${vpc.VpcId} already has gateway route table ${gt.RouteTableId}; a VPC holds at most one`);
  } else if (mine.filter((t) => t.AssociateType === 'VSwitch').length >= MAX_TABLES_PER_VPC) {
    throw invalid('QuotaExceeded.RouteTable', 'VpcId', `a VPC holds at most ${MAX_TABLES_PER_VPC} route tables`);
  }
  const RouteTableName = name(p, 'RouteTableName', 'InvalidRouteTableName.Malformed') ?? '';
  const RouteTableId = ctx.newId('vtb');
  ctx.model.routeTables.push({ RouteTableId, RouteTableName, VpcId: vpc.VpcId, RouteTableType: 'Custom', AssociateType, Entries: [] });
  return { RouteTableId };
});

function customVSwitchTable(ctx: ActionContext, id: string): RouteTable {
  const rt = ctx.routeTable(id);
  if (rt.RouteTableType !== 'Custom' || rt.AssociateType !== 'VSwitch') {
    throw invalid('OperationDenied.RouteTableTypeIncorrect', 'RouteTableId', `${id} is a ${rt.RouteTableType} table; only custom vSwitch tables are bound with this call`);
  }
  return rt;
}

export const AssociateRouteTable = action(['RouteTableId', 'VSwitchId'], (ctx, p) => {
  const rt = customVSwitchTable(ctx, reqStr(p, 'RouteTableId'));
  const vsw = ctx.vswitch(reqStr(p, 'VSwitchId'));
  if (vsw.VpcId !== rt.VpcId) throw invalid('OperationDenied.VpcNotMatch', 'VSwitchId', `${vsw.VSwitchId} is not in ${rt.VpcId}`);
  if (vsw.RouteTableId === rt.RouteTableId) {
    throw invalid('ResourceAlreadyAssociated.RouteTable', 'VSwitchId', `${vsw.VSwitchId} is already associated with ${rt.RouteTableId}`);
  }
  // A3: binding another custom table is a direct replacement.
  vsw.RouteTableId = rt.RouteTableId;
  return {};
});

export const UnassociateRouteTable = action(['RouteTableId', 'VSwitchId'], (ctx, p) => {
  const rt = customVSwitchTable(ctx, reqStr(p, 'RouteTableId'));
  const vsw = ctx.vswitch(reqStr(p, 'VSwitchId'));
  if (vsw.RouteTableId !== rt.RouteTableId) {
    throw invalid('OperationFailed.NotExistAssociateRelation', 'VSwitchId', `${vsw.VSwitchId} is not associated with ${rt.RouteTableId}`);
  }
  // A3: back to the system table.
  vsw.RouteTableId = ctx.vpc(rt.VpcId).RouteTableId;
  return {};
});

export const CreateRouteEntry = action(['RouteTableId', 'DestinationCidrBlock', 'NextHopType', 'NextHopId', 'RouteEntryName'], (ctx, p) => {
  const rt = ctx.routeTable(reqStr(p, 'RouteTableId'));
  if (rt.AssociateType !== 'VSwitch') throw invalid('OperationDenied.RouteTableTypeIncorrect', 'RouteTableId', 'gateway route tables only allow editing their system entries');
  const dst = cidr(p, 'DestinationCidrBlock');
  // A5: 100.64.0.0/10 and its subnets are the cloud-service range (conservative reading).
  if (contains(cidrOf(CLOUD_SERVICE_CIDR), dst)) {
    throw invalid('InvalidCidrBlock', 'DestinationCidrBlock', `${dst.text} is inside ${CLOUD_SERVICE_CIDR}, which is reserved for cloud services`);
  }
  // A5: may contain a vSwitch CIDR but may not equal or lie inside one.
  for (const v of ctx.model.vswitches.filter((s) => s.VpcId === rt.VpcId)) {
    if (contains(cidrOf(v.CidrBlock), dst)) {
      throw invalid('InvalidCidrBlock', 'DestinationCidrBlock', `${dst.text} equals or lies inside vSwitch ${v.VSwitchId} (${v.CidrBlock})`);
    }
  }
  const canonical = `${ipText(dst.addr)}/${dst.len}`;
  if (rt.Entries.some((e) => e.DestinationCidrBlock === canonical)) {
    throw invalid('VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE', 'DestinationCidrBlock', `${rt.RouteTableId} already has an entry for ${canonical}`);
  }
  if (rt.Entries.length >= MAX_CUSTOM_ENTRIES) throw invalid('QuotaExceeded', 'RouteTableId', `a route table holds at most ${MAX_CUSTOM_ENTRIES} custom entries`);
  const NextHopType = str(p, 'NextHopType') ?? 'Instance';
  const NextHopId = reqStr(p, 'NextHopId');
  checkNextHop(ctx, rt, NextHopType, NextHopId, 'NextHopType', 'NextHopId');
  const RouteEntryId = ctx.newId('rte');
  const RouteEntryName = name(p, 'RouteEntryName', 'InvalidRouteEntryName.Malformed') ?? '';
  rt.Entries.push({ RouteEntryId, RouteTableId: rt.RouteTableId, DestinationCidrBlock: canonical, NextHopType, NextHopId, RouteEntryName, Type: 'Custom', Status: 'Available' });
  return { RouteEntryId };
});

/** A5: the next hop is a modelled type and lives in the route table's VPC. */
function checkNextHop(ctx: ActionContext, rt: RouteTable, NextHopType: string, NextHopId: string, typeParam: string, idParam: string): void {
  if (!(NEXT_HOP_TYPES as readonly string[]).includes(NextHopType)) {
    throw invalid('InvalidNextHopType.NotSupported', typeParam, `${quoted(NextHopType)} is not one of ${NEXT_HOP_TYPES.join(', ')}`);
  }
  if (!MODELLED_NEXT_HOPS.has(NextHopType)) {
    throw new ApiError('UnsupportedFeature.NextHopType', `Next hop type ${NextHopType} is not modelled by this lab yet.`, 400, typeParam);
  }
  if (NextHopType === 'Ipv4Gateway') {
    // B2: the gateway may still be Inactive; the route then has no effect until activation.
    const gw = ctx.ipv4Gateway(NextHopId, idParam);
    if (gw.VpcId !== rt.VpcId) throw invalid('OperationDenied.GatewayAndTableNotInOneVpc', idParam, `${NextHopId} is the IPv4 gateway of ${gw.VpcId}, not of ${rt.VpcId}`);
  } else if (NextHopType === 'NatGateway') {
    // D13: the NAT gateway only translates; routes decide what reaches it.
    const ngw = ctx.natGateway(NextHopId, idParam);
    if (ngw.VpcId !== rt.VpcId) throw invalid('InvalidNatGatewayId.NotFound', idParam, `${NextHopId} is a NAT gateway of ${ngw.VpcId}, not of ${rt.VpcId} (the next hop must live in the same VPC)`);
  } else if (NextHopType === 'GatewayLoadBalancerEndpoint') {
    gwlbEndpointHop(ctx, rt, NextHopId, idParam);
  } else if (NextHopType === 'VpnGateway') {
    // F5: the gateway's own routes then decide which connection (engine/vpn).
    const g = ctx.model.vpnGateways.find((x) => x.VpnGatewayId === NextHopId);
    if (!g) throw notFound('InvalidVpnGatewayInstanceId.NotFound', idParam, NextHopId);
    if (g.VpcId !== rt.VpcId) throw invalid('OperationDenied.VpcNotMatch', idParam, `${NextHopId} is the VPN gateway of ${g.VpcId}, not of ${rt.VpcId} (the next hop must live in the same VPC)`);
  } else if (NextHopType === 'Attachment') {
    // A transit router's attachment of this very VPC: the TR's route table then decides.
    const a = ctx.model.trAttachments.find((x) => x.TransitRouterAttachmentId === NextHopId);
    if (!a) throw notFound('InvalidTransitRouterAttachmentId.NotFound', idParam, NextHopId);
    if (a.ResourceType !== 'VPC' || a.ResourceId !== rt.VpcId) {
      throw invalid('OperationDenied.VpcNotMatch', idParam, `${NextHopId} attaches ${a.ResourceType} ${a.ResourceId} to ${a.TransitRouterId}, not ${rt.VpcId} (the next hop must be this VPC's own attachment)`);
    }
  } else {
    const inst = ctx.instance(NextHopId, idParam);
    if (inst.VpcId !== rt.VpcId) throw invalid('InvalidInstanceId.NotFound', idParam, `${NextHopId} is not in ${rt.VpcId} (the next hop must live in the same VPC)`);
  }
}

/**
 * E2/E10: a GWLB endpoint (`ep-…`) of the table's own VPC. It may still be Creating or not yet
 * Connected, as an IPv4 gateway may be Inactive: the route then has no effect until it is.
 */
function gwlbEndpointHop(ctx: ActionContext, rt: RouteTable, NextHopId: string, idParam: string): void {
  const ep = ctx.model.endpoints.find((e) => e.EndpointId === NextHopId);
  if (!ep) throw notFound('InvalidEndpointId.NotFound', idParam, NextHopId);
  if (ep.VpcId !== rt.VpcId) {
    throw invalid('OperationDenied.VpcNotMatch', idParam, `${NextHopId} is a GWLB endpoint of ${ep.VpcId}, not of ${rt.VpcId} (the next hop must live in the same VPC)`);
  }
}

/**
 * ModifyRouteEntry: a custom entry's name, or its next hop (NewNextHopType + NewNextHopId,
 * seed 002: "Call ModifyRouteEntry to modify the next hop of a route entry"). The
 * destination cannot change (delete and add instead); system entries cannot be modified (A4).
 */
export const ModifyRouteEntry = action(['RouteEntryId', 'NewNextHopType', 'NewNextHopId', 'RouteEntryName'], (ctx, p) => {
  const entryId = reqStr(p, 'RouteEntryId');
  const rt = ctx.model.routeTables.find((t) => t.Entries.some((e) => e.RouteEntryId === entryId));
  if (!rt) throw invalid('InvalidRouteEntry.NotFound', 'RouteEntryId', `no route table holds a custom entry ${entryId}`);
  const entry = rt.Entries.find((e) => e.RouteEntryId === entryId)!;
  const newType = str(p, 'NewNextHopType');
  const newId = str(p, 'NewNextHopId');
  if (newType !== undefined && newId === undefined) throw missing('NewNextHopId');
  const newName = name(p, 'RouteEntryName', 'InvalidRouteEntryName.Malformed');
  if (newId !== undefined) {
    const type = newType ?? entry.NextHopType;
    checkNextHop(ctx, rt, type, newId, 'NewNextHopType', 'NewNextHopId');
    entry.NextHopType = type;
    entry.NextHopId = newId;
  }
  if (newName !== undefined) entry.RouteEntryName = newName;
  return {};
});

export const DeleteRouteEntry = action(['RouteTableId', 'RouteEntryId', 'DestinationCidrBlock', 'NextHopId'], (ctx, p) => {
  const entryId = str(p, 'RouteEntryId');
  const rt = entryId !== undefined && str(p, 'RouteTableId') === undefined
    ? ctx.model.routeTables.find((t) => t.Entries.some((e) => e.RouteEntryId === entryId))
    : ctx.routeTable(reqStr(p, 'RouteTableId'));
  if (!rt) throw invalid('InvalidRouteEntry.NotFound', 'RouteEntryId', `no route table holds a custom entry ${entryId}`);
  let idx: number;
  if (entryId !== undefined) {
    idx = rt.Entries.findIndex((e) => e.RouteEntryId === entryId);
  } else {
    const dst = cidr(p, 'DestinationCidrBlock');
    const canonical = `${ipText(dst.addr)}/${dst.len}`;
    const hop = str(p, 'NextHopId');
    idx = rt.Entries.findIndex((e) => e.DestinationCidrBlock === canonical && (hop === undefined || e.NextHopId === hop));
    if (idx < 0 && effectiveEntries(ctx.model, rt).some((e) => e.Type === 'System' && overlaps(cidrOf(e.DestinationCidrBlock), dst) && e.DestinationCidrBlock === canonical)) {
      throw invalid('IncorrectRouteEntryStatus', 'DestinationCidrBlock', `${canonical} is a system entry, which cannot be deleted`);
    }
  }
  if (idx < 0) throw invalid('InvalidRouteEntry.NotFound', entryId !== undefined ? 'RouteEntryId' : 'DestinationCidrBlock', `no such custom entry in ${rt.RouteTableId}`);
  rt.Entries.splice(idx, 1);
  return {};
});

/** The gateway route table named by `GatewayRouteTableId` (or the SDK's `IPv4GatewayRouteTableId`). */
export function gatewayRouteTable(ctx: ActionContext, p: Params, param = 'GatewayRouteTableId'): RouteTable {
  const id = param === 'GatewayRouteTableId' ? str(p, param) ?? str(p, 'IPv4GatewayRouteTableId') ?? reqStr(p, param) : reqStr(p, param);
  const rt = ctx.model.routeTables.find((t) => t.RouteTableId === id);
  if (!rt) throw notFound('ResourceNotFound.GatewayRouteTable', param, id);
  if (rt.AssociateType !== 'Gateway') {
    throw invalid('OperationDenied.RouteTableTypeIncorrect', param, `${id} is a vSwitch route table, not a gateway (Border Gateway) route table`);
  }
  return rt;
}

/** The vSwitch whose CIDR a gateway-table destination names (B6: the destination is fixed). */
function gatewayEntryVSwitch(ctx: ActionContext, rt: RouteTable, p: Params) {
  const dst = cidr(p, 'DestinationCidrBlock');
  const vsw = ctx.model.vswitches.find((v) => {
    if (v.VpcId !== rt.VpcId) return false;
    const c = cidrOf(v.CidrBlock);
    return c.addr === dst.addr && c.len === dst.len;
  });
  if (!vsw) {
    throw new ApiError('ResourceNotFound.RouteEntry', `${rt.RouteTableId} has no entry for ${dst.text}: a gateway route table holds one entry per vSwitch CIDR of ${rt.VpcId}`, 404, 'DestinationCidrBlock');
  }
  return vsw;
}

/**
 * B6: edit the entry for one vSwitch CIDR of a gateway route table. `Local` reverts an edited
 * entry (a no-op on an unedited one). `Instance` (alias `EcsInstance`) and `NetworkInterface`
 * take an ECS of the same VPC: the lab's ECS have exactly one NIC, so a NetworkInterface next
 * hop is named by its instance's ID (the primary ENI). `GatewayLoadBalancerEndpoint` takes a
 * GWLB endpoint of the same VPC (E10: inbound traffic to a business subnet goes through the
 * appliances); the SDK's list of values for this call does not name it, but the console offers
 * it and the GWLB tutorial does exactly this, so the lab accepts it. These may only replace the
 * system (Local) entry; an entry already edited must be reverted first, so a direct swap is
 * refused with `OperationDenied.EntryAlreadyCustomized` (lab code; the real one is
 * undocumented, Y4). Repeating the same next hop only updates the entry's name. `Description`
 * is checked but not stored (route entries have no description field in the model yet).
 */
export const UpdateGatewayRouteTableEntryAttribute = action(['GatewayRouteTableId', 'IPv4GatewayRouteTableId', 'DestinationCidrBlock', 'NextHopType', 'NextHopId', 'Name', 'Description'], (ctx, p) => {
  const rt = gatewayRouteTable(ctx, p);
  const vsw = gatewayEntryVSwitch(ctx, rt, p);
  const raw = reqStr(p, 'NextHopType');
  const NextHopType = raw === 'EcsInstance' ? 'Instance' : raw;
  if (!['Local', 'Instance', 'NetworkInterface', 'GatewayLoadBalancerEndpoint'].includes(NextHopType)) {
    throw invalid('InvalidNextHopType.NotSupported', 'NextHopType', `${quoted(raw)} is not one of Local, Instance (EcsInstance), NetworkInterface, GatewayLoadBalancerEndpoint`);
  }
  const RouteEntryName = name(p, 'Name', 'IllegalParam.Name');
  name(p, 'Description', 'IllegalParam.Description', 1, 256);
  const idx = rt.Entries.findIndex((e) => e.DestinationCidrBlock === vsw.CidrBlock);
  if (NextHopType === 'Local') {
    // B6: back to the system entry.
    if (idx >= 0) rt.Entries.splice(idx, 1);
    return {};
  }
  const NextHopId = reqStr(p, 'NextHopId');
  if (NextHopType === 'GatewayLoadBalancerEndpoint') {
    gwlbEndpointHop(ctx, rt, NextHopId, 'NextHopId');
  } else {
    const inst = ctx.instance(NextHopId, 'NextHopId');
    if (inst.VpcId !== rt.VpcId) throw invalid('InvalidInstanceId.NotFound', 'NextHopId', `${NextHopId} is not in ${rt.VpcId} (the next hop must live in the same VPC)`);
  }
  if (idx >= 0) {
    const cur = rt.Entries[idx];
    if (cur.NextHopType === NextHopType && cur.NextHopId === NextHopId) {
      if (RouteEntryName !== undefined) cur.RouteEntryName = RouteEntryName;
      return {};
    }
    throw invalid('OperationDenied.EntryAlreadyCustomized', 'DestinationCidrBlock',
      `${vsw.CidrBlock} in ${rt.RouteTableId} already points at ${cur.NextHopType} ${cur.NextHopId}; revert it to Local (or delete it) before pointing it elsewhere`);
  }
  rt.Entries.push({
    RouteEntryId: ctx.newId('rte'), RouteTableId: rt.RouteTableId, DestinationCidrBlock: vsw.CidrBlock, NextHopType, NextHopId,
    RouteEntryName: RouteEntryName ?? '', Type: 'Custom', Status: 'Available',
  });
  return {};
});

/** B6: deleting an edited gateway-table entry reverts it to the system entry; a system entry cannot be deleted. */
export const DeleteGatewayRouteTableEntry = action(['GatewayRouteTableId', 'IPv4GatewayRouteTableId', 'DestinationCidrBlock', 'NextHopId'], (ctx, p) => {
  const rt = gatewayRouteTable(ctx, p);
  const vsw = gatewayEntryVSwitch(ctx, rt, p);
  const hop = str(p, 'NextHopId');
  const idx = rt.Entries.findIndex((e) => e.DestinationCidrBlock === vsw.CidrBlock);
  if (idx < 0) throw invalid('IncorrectRouteEntryStatus', 'DestinationCidrBlock', `${vsw.CidrBlock} is a system entry (next hop Local), which cannot be deleted`);
  if (hop !== undefined && rt.Entries[idx].NextHopId !== hop) {
    throw new ApiError('ResourceNotFound.RouteEntry', `${vsw.CidrBlock} in ${rt.RouteTableId} points at ${rt.Entries[idx].NextHopId}, not ${hop}.`, 404, 'NextHopId');
  }
  rt.Entries.splice(idx, 1);
  return {};
});

export const DescribeRouteTableList = action(['VpcId', 'RouteTableId'], (ctx, p) => {
  const vpcId = str(p, 'VpcId');
  const id = str(p, 'RouteTableId');
  const list = ctx.model.routeTables.filter((t) => (vpcId === undefined || t.VpcId === vpcId) && (id === undefined || t.RouteTableId === id));
  return {
    TotalCount: list.length,
    RouterTableList: {
      RouterTableListType: list.map((t) => ({
        RouteTableId: t.RouteTableId,
        RouteTableName: t.RouteTableName,
        VpcId: t.VpcId,
        RouteTableType: t.RouteTableType,
        AssociateType: t.AssociateType,
        Status: 'Available',
        VSwitchIds: { VSwitchId: ctx.model.vswitches.filter((v) => v.RouteTableId === t.RouteTableId).map((v) => v.VSwitchId) },
      })),
    },
  };
});

export const DescribeRouteEntryList = action(['RouteTableId'], (ctx, p) => {
  const rt = ctx.routeTable(reqStr(p, 'RouteTableId'));
  const entries = effectiveEntries(ctx.model, rt);
  return { RouteEntrys: { RouteEntry: entries.map((e) => ({ ...e, RouteTableId: rt.RouteTableId, NextHopId: e.NextHopId || '-' })) } };
});

function ipText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
