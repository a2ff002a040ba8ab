// What the Console's Transit Routers panel and the Topology show of CEN: the CEN instances,
// their transit routers, the VPC and VPN attachments, the TR route table's entries (static,
// learned, cloud service), the cloud-service access entries and each attached IPsec
// connection's tunnel as DescribeVpnAttachmentMonitor reads it. Read with the cloud's own
// List*/Describe* actions and unwrapped into flat rows; every field coerced. The tunnels
// change without an action (charon on both ends), so the monitor is read on a timer by
// whoever shows it (lib/poll.ts), not with the model.

import { arr, num, obj, s, strings, type Obj } from './coerce';
import { monitorOf, type TunnelLive, type VpnAlert, type VpnEvent } from './vpn-data';

type Invoke = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface CenRow {
  CenId: string;
  Name: string;
  Status: string;
}

export interface TransitRouterRow {
  TransitRouterId: string;
  TransitRouterName: string;
  CenId: string;
  RegionId: string;
  Status: string;
  /** Its system route table, which every attachment is associated with here. */
  TransitRouterRouteTableId: string;
}

export interface ZoneMappingRow {
  ZoneId: string;
  VSwitchId: string;
  /** The TR's ENI in that vSwitch. */
  NetworkInterfaceIp: string;
}

export interface TrAttachmentRow {
  TransitRouterAttachmentId: string;
  TransitRouterId: string;
  /** VPC or VPN. */
  ResourceType: string;
  Name: string;
  Status: string;
  AssociatedRouteTableId: string;
  PropagatedRouteTableIds: string[];
  /** For a VPC attachment. */
  VpcId: string;
  ZoneMappings: ZoneMappingRow[];
  /** For a VPN attachment: the IPsec connection. */
  VpnId: string;
}

export interface TrRouteRow {
  /** Empty for a learned or cloud-service route (nobody can delete those by ID). */
  EntryId: string;
  TableId: string;
  Dest: string;
  /** Static or Propagated. */
  Type: string;
  NextHopId: string;
  /** VPC or VPN. */
  NextHopResourceType: string;
  NextHopResourceId: string;
  /** Active, or Standby (kept but not selected). */
  Status: string;
  Name: string;
  /** Static, VPC, VPN or CloudService: where the route came from. */
  Origin: string;
}

export interface RouteServiceRow {
  CenId: string;
  Host: string;
  HostRegionId: string;
  HostVpcId: string;
  AccessRegionId: string;
  Description: string;
  /** Creating, Active or Failed. */
  Status: string;
  Cidrs: string[];
}

export interface TrData {
  cens: CenRow[];
  transitRouters: TransitRouterRow[];
  trAttachments: TrAttachmentRow[];
  trRoutes: TrRouteRow[];
  routeServices: RouteServiceRow[];
}

export const EMPTY_TR: TrData = { cens: [], transitRouters: [], trAttachments: [], trRoutes: [], routeServices: [] };

/** The CEN APIs list at most MaxResults rows (default 20); a lab has fewer than this. */
const ALL = { MaxResults: 500 };

const list = (resp: unknown, key: string): Obj[] => arr(obj(resp)[key]);

export function cenRows(resp: unknown): CenRow[] {
  return arr(obj(obj(resp).Cens).Cen).map((o) => ({ CenId: s(o, 'CenId'), Name: s(o, 'Name'), Status: s(o, 'Status') }));
}

export function transitRouterRows(resp: unknown): TransitRouterRow[] {
  return list(resp, 'TransitRouters').map((o) => ({
    TransitRouterId: s(o, 'TransitRouterId'), TransitRouterName: s(o, 'TransitRouterName'), CenId: s(o, 'CenId'), RegionId: s(o, 'RegionId'),
    Status: s(o, 'Status'), TransitRouterRouteTableId: s(o, 'TransitRouterRouteTableId'),
  }));
}

export function trAttachmentRows(resp: unknown): TrAttachmentRow[] {
  return list(resp, 'TransitRouterAttachments').map((o) => ({
    TransitRouterAttachmentId: s(o, 'TransitRouterAttachmentId'), TransitRouterId: s(o, 'TransitRouterId'), ResourceType: s(o, 'ResourceType'),
    Name: s(o, 'TransitRouterAttachmentName'), Status: s(o, 'Status'), AssociatedRouteTableId: s(o, 'AssociatedRouteTableId'),
    PropagatedRouteTableIds: strings(o.PropagatedRouteTableIds), VpcId: s(o, 'VpcId'), VpnId: s(o, 'VpnId'),
    ZoneMappings: arr(o.ZoneMappings).map((z) => ({ ZoneId: s(z, 'ZoneId'), VSwitchId: s(z, 'VSwitchId'), NetworkInterfaceIp: s(z, 'NetworkInterfaceIp') })),
  }));
}

export function trRouteRows(resp: unknown): TrRouteRow[] {
  return list(resp, 'TransitRouterRouteEntries').map((o) => ({
    EntryId: s(o, 'TransitRouterRouteEntryId'), TableId: s(o, 'TransitRouterRouteTableId'), Dest: s(o, 'TransitRouterRouteEntryDestinationCidrBlock'),
    Type: s(o, 'TransitRouterRouteEntryType'), NextHopId: s(o, 'TransitRouterRouteEntryNextHopId'),
    NextHopResourceType: s(o, 'TransitRouterRouteEntryNextHopResourceType'), NextHopResourceId: s(o, 'TransitRouterRouteEntryNextHopResourceId'),
    Status: s(o, 'TransitRouterRouteEntryStatus'), Name: s(o, 'TransitRouterRouteEntryName'), Origin: s(o, 'TransitRouterRouteEntryOrigin'),
  }));
}

export function routeServiceRows(resp: unknown): RouteServiceRow[] {
  return arr(obj(obj(resp).RouteServiceEntries).RouteServiceEntry).map((o) => ({
    CenId: s(o, 'CenId'), Host: s(o, 'Host'), HostRegionId: s(o, 'HostRegionId'), HostVpcId: s(o, 'HostVpcId'), AccessRegionId: s(o, 'AccessRegionId'),
    Description: s(o, 'Description'), Status: s(o, 'Status'), Cidrs: strings(obj(o.Cidrs).Cidr),
  }));
}

/** Everything CEN the panel lists: the lists, then each TR's route table and each CEN's cloud-service entries. */
export async function loadTrData(invoke: Invoke): Promise<TrData> {
  const [c, t, va, na] = await Promise.all([
    invoke('DescribeCens', { PageSize: 50 }), invoke('ListTransitRouters', ALL),
    invoke('ListTransitRouterVpcAttachments', ALL), invoke('ListTransitRouterVpnAttachments', ALL),
  ]);
  const cens = cenRows(c);
  const transitRouters = transitRouterRows(t);
  const [routes, services] = await Promise.all([
    Promise.all(transitRouters.map((r) => invoke('ListTransitRouterRouteEntries', { TransitRouterRouteTableId: r.TransitRouterRouteTableId, ...ALL }))),
    Promise.all(cens.map((x) => invoke('DescribeRouteServicesInCen', { CenId: x.CenId, PageSize: 50 }))),
  ]);
  return {
    cens, transitRouters,
    trAttachments: [...trAttachmentRows(va), ...trAttachmentRows(na)],
    trRoutes: routes.flatMap(trRouteRows),
    routeServices: services.flatMap(routeServiceRows),
  };
}

// --- The monitor (DescribeVpnAttachmentMonitor): each attached connection's tunnel. ---

export interface AttachmentTunnel extends TunnelLive {
  /** The connection's name. */
  Name: string;
  TransitRouterAttachmentId: string;
  TransitRouterId: string;
  InternetIp: string;
  Alerts: VpnAlert[];
}

export interface Threshold {
  Info: number;
  Warn: number;
  Critical: number;
}

export interface TrMonitor {
  BandwidthMbps: Threshold;
  PacketsPerSecond: Threshold;
  Tunnels: AttachmentTunnel[];
  Events: VpnEvent[];
}

export const EMPTY_TR_MONITOR: TrMonitor = { BandwidthMbps: { Info: 0, Warn: 0, Critical: 0 }, PacketsPerSecond: { Info: 0, Warn: 0, Critical: 0 }, Tunnels: [], Events: [] };

const threshold = (v: unknown): Threshold => {
  const o = obj(v);
  return { Info: num(o, 'Info'), Warn: num(o, 'Warn'), Critical: num(o, 'Critical') };
};

export function trMonitorOf(resp: unknown): TrMonitor {
  const o = obj(resp);
  const base = monitorOf(resp);
  const raw = arr(o.Tunnels);
  return {
    BandwidthMbps: threshold(obj(o.Thresholds).BandwidthMbps),
    PacketsPerSecond: threshold(obj(o.Thresholds).PacketsPerSecond),
    Tunnels: base.Tunnels.map((t, i) => ({
      ...t, Name: s(raw[i], 'Name'), TransitRouterAttachmentId: s(raw[i], 'TransitRouterAttachmentId'), TransitRouterId: s(raw[i], 'TransitRouterId'),
      InternetIp: s(raw[i], 'InternetIp'), Alerts: arr(raw[i].Alerts).map((a) => ({ Level: s(a, 'Level'), Rule: s(a, 'Rule') })),
    })),
    Events: base.Events,
  };
}

/** Every TR's attached connections at once (an empty monitor when the lab has no TR). */
export async function loadTrMonitor(invoke: Invoke, routers: readonly Pick<TransitRouterRow, 'TransitRouterId'>[]): Promise<TrMonitor> {
  const all = (await Promise.all(routers.map((r) => invoke('DescribeVpnAttachmentMonitor', { TransitRouterId: r.TransitRouterId })))).map(trMonitorOf);
  if (all.length === 0) return EMPTY_TR_MONITOR;
  return { ...all[0], Tunnels: all.flatMap((m) => m.Tunnels), Events: all.flatMap((m) => m.Events).sort((a, b) => b.Time.localeCompare(a.Time)) };
}

// --- ECMP: the equal-cost routes to one destination over VPN attachments. ---

export interface EcmpMember {
  /** 1-based place in the group, the order the trace counts members in. */
  index: number;
  of: number;
  dest: string;
  /** Its tunnel is up: it takes flows. A member that is down is left out until it recovers. */
  live: boolean;
}

/**
 * VPN attachment ID → its places in ECMP groups: the active routes of one route table to one
 * destination over more than one VPN attachment, in the table's order. `up` says whether an
 * attachment's tunnel is up (from the monitor); without a reading every member counts as up.
 */
export function ecmpMembership(routes: readonly TrRouteRow[], up?: (attachmentId: string) => boolean): Map<string, EcmpMember[]> {
  const groups = new Map<string, TrRouteRow[]>();
  for (const r of routes) {
    if (r.Status !== 'Active' || r.NextHopResourceType !== 'VPN') continue;
    const key = `${r.TableId} ${r.Dest}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out = new Map<string, EcmpMember[]>();
  for (const rows of groups.values()) {
    if (rows.length < 2) continue;
    rows.forEach((r, i) => {
      const m = { index: i + 1, of: rows.length, dest: r.Dest, live: up ? up(r.NextHopId) : true };
      out.set(r.NextHopId, [...(out.get(r.NextHopId) ?? []), m]);
    });
  }
  return out;
}

/** A member's place in words: `ECMP 2 of 4 for 172.16.0.0/16`, and whether it is left out. */
export function ecmpWords(m: EcmpMember): string {
  return `ECMP ${m.index} of ${m.of} for ${m.dest}${m.live ? '' : ' (tunnel down: left out)'}`;
}

/** A route's type and origin in the console's words. */
export function trRouteTypeWords(r: Pick<TrRouteRow, 'Type' | 'Origin'>): string {
  if (r.Origin === 'CloudService') return 'Cloud service';
  if (r.Type === 'Propagated') return `Learned from ${r.Origin || 'an attachment'}`;
  return r.Type === 'Static' ? 'Static' : r.Type || '-';
}

/** The lab host that ends a TR-attached connection's tunnel (the engine names it so). */
export const attachmentTunnelHost = (vpnConnectionId: string): string => `${vpnConnectionId}-t1`;
