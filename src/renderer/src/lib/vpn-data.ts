// What the Console's VPN panel and the Topology show of IPsec-VPN, read with the cloud's
// Describe* actions (DescribeVpnGateways, DescribeVpnConnections, DescribeCustomerGateways,
// DescribeVpnRouteEntries, DescribeVpnPbrRouteEntries, DescribeVpnGatewayAdvertisedRoutes)
// and the lab's own DescribeIdcSites, DescribeCloudServices and DescribeVpnGatewayMonitor,
// unwrapped into flat rows. Every field is coerced, so a panel never trips over a missing one.
// The tunnels' negotiation changes without an action (charon decides it), so the monitor is
// read on a timer by whoever shows it (lib/poll.ts), not with the model.

import { arr, b, items, num, obj, s, strings } from './coerce';

type Invoke = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** One of a VPN gateway's two tunnel endpoints: a lab host `<VpnGatewayId>-t<index>`. */
export interface VpnEndpoint {
  TunnelIndex: number;
  ZoneId: string;
  VSwitchId: string;
  PrivateIpAddress: string;
  InternetIp: string;
  HostName: string;
}

export interface VpnGatewayRow {
  VpnGatewayId: string;
  Name: string;
  VpcId: string;
  VSwitchId: string;
  DisasterRecoveryVSwitchId: string;
  InternetIp: string;
  DisasterRecoveryInternetIp: string;
  Status: string;
  BusinessStatus: string;
  Spec: string;
  IpsecVpn: string;
  Endpoints: VpnEndpoint[];
  CreateTime: number;
}

export interface CustomerGatewayRow {
  CustomerGatewayId: string;
  Name: string;
  IpAddress: string;
  Asn: string;
  Description: string;
}

export interface TunnelRow {
  TunnelId: string;
  TunnelIndex: number;
  /** master or slave. */
  Role: string;
  CustomerGatewayId: string;
  InternetIp: string;
  ZoneNo: string;
  State: string;
  /** ike_sa_not_established, ike_sa_established, ipsec_sa_not_established or ipsec_sa_established. */
  Status: string;
}

export interface VpnConnectionRow {
  VpnConnectionId: string;
  Name: string;
  VpnGatewayId: string;
  CustomerGatewayId: string;
  LocalSubnet: string;
  RemoteSubnet: string;
  RoutingMode: string;
  /** CEN: attached to a transit router (CreateVpnAttachment); otherwise on a VPN gateway. */
  AttachType: string;
  Status: string;
  State: string;
  HealthCheck: { Enable: boolean; Sip: string; Dip: string; Status: string };
  Tunnels: TunnelRow[];
}

export interface VpnRouteRow {
  VpnGatewayId: string;
  /** dbr: destination-based; pbr: policy-based. */
  RouteType: 'dbr' | 'pbr';
  RouteSource: string;
  RouteDest: string;
  NextHop: string;
  /** 100 active, 0 standby. */
  Weight: number;
  Priority: number;
  /** published or normal. */
  State: string;
  Description: string;
}

export interface AdvertisedRouteRow {
  VpnGatewayId: string;
  RouteDest: string;
  Source: string;
}

export interface IdcHostRow {
  HostName: string;
  IpAddress: string;
}

export interface IdcSiteRow {
  SiteId: string;
  SiteName: string;
  CidrBlock: string;
  Gateway: { HostName: string; PublicIp: string; LanIp: string };
  Hosts: IdcHostRow[];
}

export interface CloudServiceRow {
  ServiceId: string;
  HostName: string;
  IpAddress: string;
  DomainNames: string[];
}

export interface VpnData {
  vpnGateways: VpnGatewayRow[];
  customerGateways: CustomerGatewayRow[];
  vpnConnections: VpnConnectionRow[];
  vpnRoutes: VpnRouteRow[];
  advertisedRoutes: AdvertisedRouteRow[];
  idcSites: IdcSiteRow[];
  cloudServices: CloudServiceRow[];
}

export const EMPTY_VPN: VpnData = { vpnGateways: [], customerGateways: [], vpnConnections: [], vpnRoutes: [], advertisedRoutes: [], idcSites: [], cloudServices: [] };

export function vpnGatewayRows(resp: unknown): VpnGatewayRow[] {
  return items(resp, 'VpnGateways', 'VpnGateway').map((o) => ({
    VpnGatewayId: s(o, 'VpnGatewayId'), Name: s(o, 'Name'), VpcId: s(o, 'VpcId'), VSwitchId: s(o, 'VSwitchId'),
    DisasterRecoveryVSwitchId: s(o, 'DisasterRecoveryVSwitchId'), InternetIp: s(o, 'InternetIp'), DisasterRecoveryInternetIp: s(o, 'DisasterRecoveryInternetIp'),
    Status: s(o, 'Status'), BusinessStatus: s(o, 'BusinessStatus'), Spec: s(o, 'Spec'), IpsecVpn: s(o, 'IpsecVpn'), CreateTime: num(o, 'CreateTime'),
    Endpoints: arr(o.Endpoints).map((e) => ({
      TunnelIndex: num(e, 'TunnelIndex'), ZoneId: s(e, 'ZoneId'), VSwitchId: s(e, 'VSwitchId'), PrivateIpAddress: s(e, 'PrivateIpAddress'),
      InternetIp: s(e, 'InternetIp'), HostName: s(e, 'HostName'),
    })),
  }));
}

export function customerGatewayRows(resp: unknown): CustomerGatewayRow[] {
  return items(resp, 'CustomerGateways', 'CustomerGateway').map((o) => ({
    CustomerGatewayId: s(o, 'CustomerGatewayId'), Name: s(o, 'Name'), IpAddress: s(o, 'IpAddress'), Asn: s(o, 'Asn'), Description: s(o, 'Description'),
  }));
}

export function vpnConnectionRows(resp: unknown): VpnConnectionRow[] {
  return items(resp, 'VpnConnections', 'VpnConnection').map((o) => {
    const hc = obj(o.VcoHealthCheck);
    return {
      VpnConnectionId: s(o, 'VpnConnectionId'), Name: s(o, 'Name'), VpnGatewayId: s(o, 'VpnGatewayId'), CustomerGatewayId: s(o, 'CustomerGatewayId'),
      LocalSubnet: s(o, 'LocalSubnet'), RemoteSubnet: s(o, 'RemoteSubnet'), RoutingMode: s(o, 'RoutingMode'), AttachType: s(o, 'AttachType'), Status: s(o, 'Status'), State: s(o, 'State'),
      HealthCheck: { Enable: b(hc, 'Enable'), Sip: s(hc, 'Sip'), Dip: s(hc, 'Dip'), Status: s(hc, 'Status') },
      Tunnels: items(o, 'TunnelOptionsSpecification', 'TunnelOptions').map((t) => ({
        TunnelId: s(t, 'TunnelId'), TunnelIndex: num(t, 'TunnelIndex'), Role: s(t, 'Role'), CustomerGatewayId: s(t, 'CustomerGatewayId'),
        InternetIp: s(t, 'InternetIp'), ZoneNo: s(t, 'ZoneNo'), State: s(t, 'State'), Status: s(t, 'Status'),
      })),
    };
  });
}

export function vpnRouteRows(resp: unknown, type: 'dbr' | 'pbr'): VpnRouteRow[] {
  const list = type === 'dbr' ? items(resp, 'VpnRouteEntries', 'VpnRouteEntry') : items(resp, 'VpnPbrRouteEntries', 'VpnPbrRouteEntry');
  return list.map((o) => ({
    VpnGatewayId: s(o, 'VpnInstanceId'), RouteType: type, RouteSource: s(o, 'RouteSource'), RouteDest: s(o, 'RouteDest'), NextHop: s(o, 'NextHop'),
    Weight: num(o, 'Weight'), Priority: num(o, 'Priority'), State: s(o, 'State'), Description: s(o, 'Description'),
  }));
}

export function advertisedRouteRows(resp: unknown): AdvertisedRouteRow[] {
  const gw = s(obj(resp), 'VpnGatewayId');
  return items(resp, 'AdvertisedRoutes', 'AdvertisedRoute').map((o) => ({ VpnGatewayId: gw, RouteDest: s(o, 'RouteDest'), Source: s(o, 'Source') }));
}

export function idcSiteRows(resp: unknown): IdcSiteRow[] {
  return items(resp, 'IdcSites', 'IdcSite').map((o) => {
    const g = obj(o.Gateway);
    return {
      SiteId: s(o, 'SiteId'), SiteName: s(o, 'SiteName'), CidrBlock: s(o, 'CidrBlock'),
      Gateway: { HostName: s(g, 'HostName'), PublicIp: s(g, 'PublicIp'), LanIp: s(g, 'LanIp') },
      Hosts: arr(o.Hosts).map((h) => ({ HostName: s(h, 'HostName'), IpAddress: s(h, 'IpAddress') })),
    };
  });
}

export function cloudServiceRows(resp: unknown): CloudServiceRow[] {
  return items(resp, 'CloudServices', 'CloudService').map((o) => ({
    ServiceId: s(o, 'ServiceId'), HostName: s(o, 'HostName'), IpAddress: s(o, 'IpAddress'), DomainNames: strings(o.DomainNames),
  }));
}

/** Everything VPN the panels list: the lists, then each gateway's routes and advertised routes. */
export async function loadVpnData(invoke: Invoke): Promise<VpnData> {
  const [g, c, v, idc, cs] = await Promise.all([
    invoke('DescribeVpnGateways', {}), invoke('DescribeCustomerGateways', {}), invoke('DescribeVpnConnections', { PageSize: 50 }),
    invoke('DescribeIdcSites', {}), invoke('DescribeCloudServices', {}),
  ]);
  const vpnGateways = vpnGatewayRows(g);
  const per = await Promise.all(
    vpnGateways.map((x) =>
      Promise.all([
        invoke('DescribeVpnRouteEntries', { VpnGatewayId: x.VpnGatewayId }),
        invoke('DescribeVpnPbrRouteEntries', { VpnGatewayId: x.VpnGatewayId }),
        invoke('DescribeVpnGatewayAdvertisedRoutes', { VpnGatewayId: x.VpnGatewayId }),
      ]),
    ),
  );
  const withGw = (rows: VpnRouteRow[], id: string): VpnRouteRow[] => rows.map((r) => ({ ...r, VpnGatewayId: r.VpnGatewayId || id }));
  return {
    vpnGateways,
    customerGateways: customerGatewayRows(c),
    vpnConnections: vpnConnectionRows(v),
    vpnRoutes: per.flatMap(([d, p], i) => [...withGw(vpnRouteRows(d, 'dbr'), vpnGateways[i].VpnGatewayId), ...withGw(vpnRouteRows(p, 'pbr'), vpnGateways[i].VpnGatewayId)]),
    advertisedRoutes: per.flatMap(([, , a], i) => advertisedRouteRows(a).map((r) => ({ ...r, VpnGatewayId: r.VpnGatewayId || vpnGateways[i].VpnGatewayId }))),
    idcSites: idcSiteRows(idc),
    cloudServices: cloudServiceRows(cs),
  };
}

// --- The monitor (DescribeVpnGatewayMonitor): each tunnel's live state, alerts, events. ---

export interface TunnelLive {
  VpnConnectionId: string;
  TunnelId: string;
  TunnelIndex: number;
  Role: string;
  /** 1 up, 0 down: the cloud's "tunnel negotiation status" metric. */
  TunnelStatus: number;
  Status: string;
  CarriesTraffic: boolean;
  HealthCheck: string;
  SpiIn: string;
  SpiOut: string;
  InBps: number;
  OutBps: number;
  InPps: number;
  OutPps: number;
  /** Why it is down, in strongSwan's words. */
  Reason: string;
}

export interface VpnAlert {
  Level: string;
  Rule: string;
}

export interface VpnEvent {
  EventName: string;
  Time: string;
  ResourceId: string;
  Content: string;
}

export interface VpnMonitor {
  VpnGatewayId: string;
  Tunnels: TunnelLive[];
  Alerts: VpnAlert[];
  Events: VpnEvent[];
}

export function monitorOf(resp: unknown): VpnMonitor {
  const o = obj(resp);
  return {
    VpnGatewayId: s(o, 'VpnGatewayId'),
    Tunnels: arr(o.Tunnels).map((t) => ({
      VpnConnectionId: s(t, 'VpnConnectionId'), TunnelId: s(t, 'TunnelId'), TunnelIndex: num(t, 'TunnelIndex'), Role: s(t, 'Role'),
      TunnelStatus: num(t, 'TunnelStatus'), Status: s(t, 'Status'), CarriesTraffic: b(t, 'CarriesTraffic'), HealthCheck: s(t, 'HealthCheck'),
      SpiIn: s(t, 'SpiIn'), SpiOut: s(t, 'SpiOut'), InBps: num(t, 'InBps'), OutBps: num(t, 'OutBps'), InPps: num(t, 'InPps'), OutPps: num(t, 'OutPps'),
      Reason: s(t, 'Reason'),
    })),
    Alerts: arr(o.Alerts).map((a) => ({ Level: s(a, 'Level'), Rule: s(a, 'Rule') })),
    Events: arr(o.Events).map((e) => ({ EventName: s(e, 'EventName'), Time: s(e, 'Time'), ResourceId: s(e, 'ResourceId'), Content: s(e, 'Content') })),
  };
}

/** Tunnel ID → its live state, over every gateway's monitor. */
export type TunnelIndex = Map<string, TunnelLive>;

export function tunnelIndex(monitors: readonly VpnMonitor[]): TunnelIndex {
  return new Map(monitors.flatMap((m) => m.Tunnels.map((t) => [t.TunnelId, t] as const)));
}

/** Every gateway's monitor, read at once (the VPN panel and the Topology poll this while shown). */
export async function loadMonitors(invoke: Invoke, gateways: readonly Pick<VpnGatewayRow, 'VpnGatewayId'>[]): Promise<VpnMonitor[]> {
  return (await Promise.all(gateways.map((g) => invoke('DescribeVpnGatewayMonitor', { VpnGatewayId: g.VpnGatewayId })))).map(monitorOf);
}

// --- In the console's words. ---

export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

/** The console's words for a tunnel's (or connection's) negotiation status. */
const NEGOTIATION: Record<string, string> = {
  ike_sa_not_established: 'Phase 1 Negotiation Failed',
  ike_sa_established: 'Phase 1 Negotiation Succeeded',
  ipsec_sa_not_established: 'Phase 2 Negotiation Failed',
  ipsec_sa_established: 'Phase 2 Negotiation Succeeded',
};

/**
 * How a tunnel's negotiation reads and its colour: up (its IPsec SA established) green, down
 * red. The monitor's TunnelStatus, when there is one, is the cloud's own up/down verdict.
 */
export function negotiationWords(status: string, live?: Pick<TunnelLive, 'TunnelStatus' | 'Status'>): { text: string; tone: Tone; up: boolean } {
  const st = live?.Status || status;
  const up = live ? live.TunnelStatus === 1 : st === 'ipsec_sa_established';
  const text = NEGOTIATION[st] ?? (st || '-');
  return { text, tone: up ? 'ok' : 'bad', up };
}

/** master / slave in the console's words. */
export function roleWords(role: string): string {
  return role === 'master' ? 'Active tunnel' : role === 'slave' ? 'Standby tunnel' : role || '-';
}

/** A route's weight: 100 active, 0 standby. */
export function weightWords(w: number): string {
  return w === 100 ? '100 (active)' : w === 0 ? '0 (standby)' : String(w);
}

/** A route's publication state. */
export function publishWords(state: string): string {
  return state === 'published' ? 'Published' : state === 'normal' ? 'Not published' : state || '-';
}

export function alertTone(level: string): Tone {
  return level === 'Critical' ? 'bad' : level === 'Warn' ? 'warn' : 'idle';
}

/** A rate for a table cell: `0 bit/s`, `12.3 kbit/s`, `4.5 Mbit/s`. */
export function bpsWords(bps: number): string {
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

/** The IDC site behind a customer gateway: the one whose router has that public address. */
export function siteOfCustomerGateway(d: Pick<VpnData, 'idcSites' | 'customerGateways'>, cgwId: string): IdcSiteRow | undefined {
  const ip = d.customerGateways.find((c) => c.CustomerGatewayId === cgwId)?.IpAddress;
  return ip ? d.idcSites.find((x) => x.Gateway.PublicIp === ip) : undefined;
}

/**
 * A connection's tunnels with the endpoint each ends on; a single-tunnel connection (no
 * TunnelOptions) is one tunnel on the gateway's first endpoint.
 */
export function connectionTunnels(d: Pick<VpnData, 'vpnGateways'>, c: VpnConnectionRow): { tunnel: TunnelRow; endpoint: VpnEndpoint | undefined }[] {
  const gw = d.vpnGateways.find((g) => g.VpnGatewayId === c.VpnGatewayId);
  const tunnels: TunnelRow[] = c.Tunnels.length > 0 ? c.Tunnels : [{
    TunnelId: c.VpnConnectionId, TunnelIndex: 1, Role: 'master', CustomerGatewayId: c.CustomerGatewayId, InternetIp: gw?.InternetIp ?? '', ZoneNo: '', State: c.State, Status: c.Status,
  }];
  return tunnels.map((tunnel) => ({ tunnel, endpoint: gw?.Endpoints.find((e) => e.TunnelIndex === tunnel.TunnelIndex) }));
}
