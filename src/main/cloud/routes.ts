// The entries a route table holds, system and custom, as one list. System entries are not
// stored: they follow from the VPC's vSwitches (SEMANTICS A4), so they can never go stale.

import { CLOUD_SERVICE_CIDR, cidrOf, contains } from './cidr';
import type { CloudModel, RouteTable } from './model';

export interface EffectiveEntry {
  DestinationCidrBlock: string;
  /** `local` for vSwitch CIDRs, `service` for 100.64.0.0/10; API names for custom entries. */
  NextHopType: string;
  NextHopId: string;
  Type: 'System' | 'Custom';
  RouteEntryId?: string;
  RouteEntryName?: string;
  Status: 'Available';
}

export function effectiveEntries(model: CloudModel, rt: RouteTable): EffectiveEntry[] {
  if (rt.AssociateType === 'Gateway') return gatewayEntries(model, rt);
  const system: EffectiveEntry[] = model.vswitches
    .filter((v) => v.VpcId === rt.VpcId)
    .map((v) => ({ DestinationCidrBlock: v.CidrBlock, NextHopType: 'local', NextHopId: '', Type: 'System', Status: 'Available' }));
  system.push({ DestinationCidrBlock: CLOUD_SERVICE_CIDR, NextHopType: 'service', NextHopId: '', Type: 'System', Status: 'Available' });
  if (rt.RouteTableType === 'System') system.push(...publishedVpnEntries(model, rt, system));
  const custom: EffectiveEntry[] = rt.Entries.map((e) => ({
    DestinationCidrBlock: e.DestinationCidrBlock,
    NextHopType: e.NextHopType,
    NextHopId: e.NextHopId,
    Type: 'Custom',
    RouteEntryId: e.RouteEntryId,
    RouteEntryName: e.RouteEntryName,
    Status: 'Available',
  }));
  return [...system, ...custom];
}

/**
 * A gateway route table (B6) holds one entry per vSwitch CIDR: the system entry (next hop
 * `Local`) unless the user edited it, in which case the edited (custom) entry replaces it.
 */
function gatewayEntries(model: CloudModel, rt: RouteTable): EffectiveEntry[] {
  return model.vswitches
    .filter((v) => v.VpcId === rt.VpcId)
    .map((v): EffectiveEntry => {
      const e = rt.Entries.find((x) => x.DestinationCidrBlock === v.CidrBlock);
      if (!e) return { DestinationCidrBlock: v.CidrBlock, NextHopType: 'Local', NextHopId: '', Type: 'System', Status: 'Available' };
      return { DestinationCidrBlock: e.DestinationCidrBlock, NextHopType: e.NextHopType, NextHopId: e.NextHopId, Type: 'Custom', RouteEntryId: e.RouteEntryId, RouteEntryName: e.RouteEntryName, Status: 'Available' };
    });
}

/**
 * F5: the routes a VPN gateway of the VPC published (PublishVpc), one entry per destination
 * (a destination's active and standby routes, and policy-based routes to it, are one VPC
 * route): `RouteDest → VpnGateway`. A destination that equals or lies inside a vSwitch CIDR
 * (the local route owns it) or that a custom entry of the table already holds is not added.
 * F4's revoke_route (withdrawn while the health check fails) is live state, the engine's.
 */
function publishedVpnEntries(model: CloudModel, rt: RouteTable, system: EffectiveEntry[]): EffectiveEntry[] {
  const out: EffectiveEntry[] = [];
  const seen = new Set<string>(rt.Entries.map((e) => e.DestinationCidrBlock));
  const local = system.filter((e) => e.NextHopType === 'local').map((e) => cidrOf(e.DestinationCidrBlock));
  for (const g of model.vpnGateways) {
    if (g.VpcId !== rt.VpcId) continue;
    for (const r of model.vpnRouteEntries) {
      if (r.VpnGatewayId !== g.VpnGatewayId || !r.PublishVpc || seen.has(r.RouteDest)) continue;
      const c = cidrOf(r.RouteDest);
      if (local.some((v) => contains(v, c))) continue;
      seen.add(r.RouteDest);
      out.push({ DestinationCidrBlock: r.RouteDest, NextHopType: 'VpnGateway', NextHopId: g.VpnGatewayId, Type: 'System', Status: 'Available' });
    }
  }
  return out;
}
