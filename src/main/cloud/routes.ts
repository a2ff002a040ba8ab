// The entries a route table holds, system and custom, as one list. System entries are not
// stored: they follow from the VPC's vSwitches (SEMANTICS A4), so they can never go stale.

import { CLOUD_SERVICE_CIDR } from './cidr';
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
