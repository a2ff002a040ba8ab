// Model → forwarding state for transit routers (SEMANTICS F1 model 2, F6, F7): each TR, its
// attachments (VPCs and IPsec connections), and its route table's selected routes as an LPM
// whose entries hold a destination's equal-cost members. compile.ts wires the VPC route
// entries that point at an attachment, the VPC side's vSwitch tables and the appliances' ports.

import type { Counters } from '../engine/counters';
import { AttachmentKind, type TrAttachmentFw, type TrRouteFw, type TrRouteTableFw, type TransitRouterFw, type VpnConnFw } from '../engine/forwarding';
import { Lpm } from '../engine/lpm';
import { mix32 } from '../engine/nat/hash';
import { cidrOf } from './cidr';
import { parseIp } from '../engine/wire/ipv4';
import type { CloudModel } from './model';
import { trRoutes } from './tr-routes';

/**
 * An attachment's ECMP seed: its address — a connection's public IP, a VPC's first TR ENI —
 * as the GWLB seeds by backend address, so the same lab makes the same choices in every run
 * whatever IDs it was given; FNV-1a of the ID when it has none.
 */
function memberKey(m: CloudModel, a: CloudModel['trAttachments'][number]): number {
  const addr = a.ResourceType === 'VPC' ? a.ZoneMappings[0]?.NetworkInterfaceIp : m.vpnConnections.find((c) => c.VpnConnectionId === a.ResourceId)?.Tunnels[0]?.InternetIp;
  if (addr) return mix32(parseIp(addr)) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < a.TransitRouterAttachmentId.length; i++) h = Math.imul(h ^ a.TransitRouterAttachmentId.charCodeAt(i), 0x01000193);
  return mix32(h) >>> 0;
}

/** `VPC vpc-1`, `IPsec ecmp-1`: what the attachment connects, by its name where it has one. */
function resourceName(m: CloudModel, a: CloudModel['trAttachments'][number]): string {
  if (a.ResourceType === 'VPC') return `VPC ${m.vpcs.find((v) => v.VpcId === a.ResourceId)?.VpcName || a.ResourceId}`;
  return `IPsec ${m.vpnConnections.find((c) => c.VpnConnectionId === a.ResourceId)?.Name || a.ResourceId}`;
}

export function compileTransitRouters(model: CloudModel, vpcIndexOf: (id: string) => number, conns: Map<string, VpnConnFw>, counters: Counters): Map<string, TrAttachmentFw> {
  const atts = new Map<string, TrAttachmentFw>();
  for (const t of model.transitRouters) {
    const trFw: TransitRouterFw = { id: t.TransitRouterId, device: counters.device(t.TransitRouterId) };
    const table: TrRouteTableFw = { id: t.RouteTableId, label: `${t.RouteTableId} (${t.TransitRouterName || t.TransitRouterId} route table)`, device: counters.device(t.RouteTableId), lpm: new Lpm() };
    const mine: TrAttachmentFw[] = [];
    for (const a of model.trAttachments) {
      if (a.TransitRouterId !== t.TransitRouterId) continue;
      const vpc = a.ResourceType === 'VPC';
      const fw: TrAttachmentFw = {
        id: a.TransitRouterAttachmentId, label: `${a.TransitRouterAttachmentId} (${a.TransitRouterAttachmentName ? `${a.TransitRouterAttachmentName}, ` : ''}${resourceName(model, a)})`,
        device: counters.device(a.TransitRouterAttachmentId), kind: vpc ? AttachmentKind.Vpc : AttachmentKind.Vpn, tr: trFw, key: memberKey(model, a),
        table: a.AssociatedRouteTableId === t.RouteTableId ? table : null, vpc: vpc ? vpcIndexOf(a.ResourceId) : -1, vpcTable: null,
        conn: vpc ? null : conns.get(a.ResourceId) ?? null,
      };
      atts.set(fw.id, fw);
      mine.push(fw);
    }
    const byDest = new Map<string, TrRouteFw>();
    for (const r of trRoutes(model, t.RouteTableId)) {
      if (r.TransitRouterRouteEntryStatus !== 'Active') continue;
      const dest = r.TransitRouterRouteEntryDestinationCidrBlock;
      let fw = byDest.get(dest);
      if (!fw) {
        const kind = r.TransitRouterRouteEntryOrigin === 'Static' ? 'static' : r.TransitRouterRouteEntryOrigin === 'CloudService' ? 'cloud service access' : `learned from ${r.TransitRouterRouteEntryOrigin}`;
        fw = { members: [], blackhole: false, rule: `${dest} (${kind})` };
        byDest.set(dest, fw);
      }
      if (r.TransitRouterRouteEntryNextHopType === 'BlackHole') fw.blackhole = true;
      const m = atts.get(r.TransitRouterRouteEntryNextHopId);
      if (m) fw.members.push(m);
    }
    for (const [dest, fw] of byDest) {
      const c = cidrOf(dest);
      table.lpm.insert(c.addr, c.len, fw);
    }
  }
  return atts;
}
