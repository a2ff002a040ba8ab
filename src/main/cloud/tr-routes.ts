// A transit router route table's routes, as the TR holds them: its static entries, the routes
// its attachments propagate to it (route learning), and the routes of cloud service access
// (ResolveAndRouteServiceInCen). Derived from the model, never stored, so a vSwitch added to
// an attached VPC or a connection's RemoteSubnet changed shows at once (F9).
//
// Route learning: a VPC attachment advertises its VPC's vSwitch CIDR blocks, never the VPC's
// 100.64.0.0/10 system route (F6); a VPN attachment in protected-data-flows mode advertises
// its RemoteSubnet blocks (in destination-routing mode it advertises nothing: the user adds
// static routes). Selection per destination: static routes win over learned ones; routes of
// the winning kind to different attachments are equal-cost (F7), at most MAX_ECMP of them
// take part, in creation order, and the rest are Standby. A static route to a 17th member is
// refused when it is added (actions/tr-routes.ts); a learned one is kept Standby, as the
// cloud keeps routes it does not select.

import type { CenRouteService, CloudModel, TransitRouter, TransitRouterAttachment } from './model';
import { cidrOf } from './cidr';
import { formatCidr } from '../engine/wire/ipv4-addr';
import { isDestinationRouting } from './actions/vpn-common';

/** F7: up to 16 equal-cost routes (single-tunnel IPsec connections) per destination. */
export const MAX_ECMP = 16;

export interface TrRoute {
  /** Static: its entry's ID; learned and cloud-service routes have none. */
  TransitRouterRouteEntryId: string;
  TransitRouterRouteTableId: string;
  TransitRouterRouteEntryDestinationCidrBlock: string;
  TransitRouterRouteEntryType: 'Static' | 'Propagated';
  TransitRouterRouteEntryNextHopType: 'Attachment' | 'BlackHole';
  TransitRouterRouteEntryNextHopId: string;
  /** What the next-hop attachment connects: VPC or VPN; '' for a blackhole. */
  TransitRouterRouteEntryNextHopResourceType: string;
  TransitRouterRouteEntryNextHopResourceId: string;
  /** Active: it forwards; Standby: another route of the destination was selected. */
  TransitRouterRouteEntryStatus: 'Active' | 'Standby';
  TransitRouterRouteEntryName: string;
  /** Lab-only: why it is there — static, learned from VPC/VPN, or cloud service access. */
  TransitRouterRouteEntryOrigin: 'Static' | 'VPC' | 'VPN' | 'CloudService';
}

/** The VPC attachment that serves a route service: its host VPC on a TR of the CEN in its region. */
export function serviceAttachment(m: Readonly<CloudModel>, s: CenRouteService): TransitRouterAttachment | undefined {
  const trs = new Set(m.transitRouters.filter((t) => t.CenId === s.CenId && t.RegionId === s.HostRegionId).map((t) => t.TransitRouterId));
  return m.trAttachments.find((a) => a.ResourceType === 'VPC' && a.ResourceId === s.HostVpcId && trs.has(a.TransitRouterId));
}

function learned(m: Readonly<CloudModel>, a: TransitRouterAttachment): string[] {
  if (a.ResourceType === 'VPC') return m.vswitches.filter((v) => v.VpcId === a.ResourceId).map((v) => v.CidrBlock);
  const c = m.vpnConnections.find((x) => x.VpnConnectionId === a.ResourceId);
  return c && !isDestinationRouting(c) ? c.RemoteSubnet.filter((s) => s !== '0.0.0.0/0') : [];
}

/** Every route of TR route table `tableId`, static first, each with its selection status. */
export function trRoutes(m: Readonly<CloudModel>, tableId: string): TrRoute[] {
  const tr = m.transitRouters.find((t) => t.RouteTableId === tableId);
  if (!tr) return [];
  const attachments = new Map(m.trAttachments.filter((a) => a.TransitRouterId === tr.TransitRouterId).map((a) => [a.TransitRouterAttachmentId, a]));
  const route = (dest: string, next: TransitRouterAttachment | undefined, type: TrRoute['TransitRouterRouteEntryType'], origin: TrRoute['TransitRouterRouteEntryOrigin'], id = '', name = ''): TrRoute => ({
    TransitRouterRouteEntryId: id, TransitRouterRouteTableId: tableId,
    TransitRouterRouteEntryDestinationCidrBlock: formatCidr(cidrOf(dest)), TransitRouterRouteEntryType: type,
    TransitRouterRouteEntryNextHopType: next ? 'Attachment' : 'BlackHole', TransitRouterRouteEntryNextHopId: next?.TransitRouterAttachmentId ?? '',
    TransitRouterRouteEntryNextHopResourceType: next?.ResourceType ?? '', TransitRouterRouteEntryNextHopResourceId: next?.ResourceId ?? '',
    TransitRouterRouteEntryStatus: 'Active', TransitRouterRouteEntryName: name, TransitRouterRouteEntryOrigin: origin,
  });
  const out: TrRoute[] = [];
  for (const e of m.trRouteEntries) {
    if (e.TransitRouterRouteTableId !== tableId) continue;
    const next = e.TransitRouterRouteEntryNextHopType === 'Attachment' ? attachments.get(e.TransitRouterRouteEntryNextHopId) : undefined;
    out.push(route(e.TransitRouterRouteEntryDestinationCidrBlock, next, 'Static', 'Static', e.TransitRouterRouteEntryId, e.TransitRouterRouteEntryName));
  }
  for (const s of m.cenRouteServices) {
    if (s.CenId !== tr.CenId || s.AccessRegionId !== tr.RegionId) continue;
    const a = serviceAttachment(m, s);
    if (a) out.push(route(s.Host, a, 'Static', 'CloudService', '', s.Description));
  }
  for (const a of attachments.values()) {
    if (!a.PropagatedRouteTableIds.includes(tableId)) continue;
    for (const dest of learned(m, a)) out.push(route(dest, a, 'Propagated', a.ResourceType));
  }
  select(out);
  return out;
}

/** Per destination: static over learned; of the winners, the first MAX_ECMP to distinct attachments. */
function select(routes: TrRoute[]): void {
  const byDest = new Map<string, TrRoute[]>();
  for (const r of routes) {
    const list = byDest.get(r.TransitRouterRouteEntryDestinationCidrBlock) ?? [];
    list.push(r);
    byDest.set(r.TransitRouterRouteEntryDestinationCidrBlock, list);
  }
  for (const list of byDest.values()) {
    const staticOnes = list.some((r) => r.TransitRouterRouteEntryType === 'Static');
    const members = new Set<string>();
    for (const r of list) {
      const wins = staticOnes ? r.TransitRouterRouteEntryType === 'Static' : true;
      const key = r.TransitRouterRouteEntryNextHopId || 'blackhole';
      if (!wins || members.has(key) || members.size >= MAX_ECMP) {
        r.TransitRouterRouteEntryStatus = 'Standby';
        continue;
      }
      members.add(key);
    }
  }
}

/** The TR a VPC or VPN resource is attached to, and the attachment. */
export function attachmentOf(m: Readonly<CloudModel>, resourceId: string): { att: TransitRouterAttachment; tr: TransitRouter } | undefined {
  const att = m.trAttachments.find((a) => a.ResourceId === resourceId);
  const tr = att && m.transitRouters.find((t) => t.TransitRouterId === att.TransitRouterId);
  return att && tr ? { att, tr } : undefined;
}
