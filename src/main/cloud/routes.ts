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
