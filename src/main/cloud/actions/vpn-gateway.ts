// VPN gateways (VPC API 2016-04-28, SEMANTICS F1, F3): create one per VPC with two tunnel
// endpoints in two zones, each with an address of its vSwitch and a public IP; describe,
// rename, delete; and the custom advertised routes that tell the IDC what is behind the
// tunnels (F6). Customer gateways, connections and routes are in the other vpn-*.ts files.
//
// Lab codes (the docs name none): QuotaExceeded.VpnGateway (a second gateway in a VPC),
// OperationDenied.VSwitchSameZone (F3: the two vSwitches must be in different zones),
// OperationDenied.VpcNotMatch (as for NAT gateways), DependencyViolation.VpnConnection
// (delete while connections use it; the docs only say it cannot be done), DependencyViolation.RouteEntry
// (a VPC route entry still points at it, as for NAT gateways),
// UnsupportedFeature.* (SSL-VPN, private gateways), AdvertisedRoute.AlreadyExists /
// AdvertisedRoute.NotFound / InvalidRouteDest.Malformed for the lab's advertised-route calls.

import { action, type ActionContext } from '../context';
import { ApiError, invalid, quoted } from '../errors';
import type { CloudModel, VpnGateway, VpnTunnelEndpoint, VSwitch } from '../model';
import { bool, int, ip, name, oneOf, reqStr, str, type Params } from '../params';
import { isPublic, ipToString } from '../../engine/wire/ipv4';
import { takePrivateIp } from './addresses';
import { freePublicIp, publicAddressInUse } from './eip';
import { ALL_ZERO, boolText, connectionsOf, ms, pageOf, reqCidr, vpnGatewayOf } from './vpn-common';

/** CreateVpnGateway: a public VPN gateway's bandwidth, Mbit/s (F8's utilisation alerts are relative to it). */
export const VPN_BANDWIDTHS = [10, 100, 200, 500, 1000] as const;
export const DEFAULT_VPN_BANDWIDTH = 10;
/** Lab quota: custom advertised routes per gateway. */
export const MAX_ADVERTISED_ROUTES = 50;

/** The lab host name of a gateway's tunnel endpoint appliance N (hosts.ts reserves the shape). */
export const vpnEndpointHostName = (vpnGatewayId: string, tunnelIndex: 1 | 2): string => `${vpnGatewayId}-t${tunnelIndex}`;

/**
 * `param`: a public address no one holds, or (absent) the first free one of the lab's EIP
 * pool, as AllocateEipAddress picks. `taken`: what the other endpoint already took.
 */
function publicIp(m: CloudModel, p: Params, param: string, taken: Set<string>): string {
  if (str(p, param) === undefined) {
    const a = freePublicIp(m, taken);
    if (!a) throw new ApiError('QuotaExceeded.Eip', 'The lab EIP pool is exhausted.', 400, param);
    return a;
  }
  const a = ip(p, param);
  const text = ipToString(a.addr);
  if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', param, `${text} is not a public address`);
  const user = taken.has(text) ? 'the other tunnel endpoint' : publicAddressInUse(m, text);
  if (user) throw invalid('InvalidIpAddress.AlreadyUsed', param, `${text} is already used by ${user}`);
  return text;
}

function endpoint(ctx: ActionContext, vsw: VSwitch, TunnelIndex: 1 | 2, p: Params, ipParam: string, privParam: string, vswParam: string, taken: Set<string>): VpnTunnelEndpoint {
  // F3: each endpoint's inside leg is an ENI of its vSwitch, one private address each.
  const PrivateIpAddress = takePrivateIp(ctx.model, vsw, p, privParam, `tunnel ${TunnelIndex} of the VPN gateway`, vswParam);
  const InternetIp = publicIp(ctx.model, p, ipParam, taken);
  taken.add(InternetIp);
  return { TunnelIndex, ZoneId: vsw.ZoneId, VSwitchId: vsw.VSwitchId, PrivateIpAddress, InternetIp };
}

/**
 * F1/F3. VSwitchId is tunnel 1's zone, DisasterRecoveryVSwitchId tunnel 2's: two vSwitches of
 * the VPC in different zones (the lab's gateways are all dual-tunnel, so both are required).
 * LAB-ONLY parameters, so a tutorial can show fixed addresses: `InternetIp` and
 * `DisasterRecoveryInternetIp` (the endpoints' public IPs, default the next free ones of the
 * EIP pool), `PrivateIpAddress` and `DisasterRecoveryPrivateIpAddress` (their vSwitch
 * addresses, default the lowest free ones).
 */
export const CreateVpnGateway = action(
  [
    'VpcId', 'VSwitchId', 'DisasterRecoveryVSwitchId', 'Name', 'Description', 'Bandwidth', 'EnableIpsec', 'EnableSsl', 'SslConnections',
    'NetworkType', 'VpnType', 'InstanceChargeType', 'AutoPay', 'Period',
    'InternetIp', 'DisasterRecoveryInternetIp', 'PrivateIpAddress', 'DisasterRecoveryPrivateIpAddress',
  ],
  (ctx, p) => {
    const m = ctx.model;
    const vpc = ctx.vpc(reqStr(p, 'VpcId'));
    const vsw1 = ctx.vswitch(reqStr(p, 'VSwitchId'));
    const vsw2 = ctx.vswitch(reqStr(p, 'DisasterRecoveryVSwitchId'), 'DisasterRecoveryVSwitchId');
    for (const [v, param] of [[vsw1, 'VSwitchId'], [vsw2, 'DisasterRecoveryVSwitchId']] as const) {
      if (v.VpcId !== vpc.VpcId) throw invalid('OperationDenied.VpcNotMatch', param, `${v.VSwitchId} is in ${v.VpcId}, not in ${vpc.VpcId}`);
    }
    if (vsw1.ZoneId === vsw2.ZoneId) {
      throw invalid('OperationDenied.VSwitchSameZone', 'DisasterRecoveryVSwitchId',
        `${vsw2.VSwitchId} is in zone ${vsw2.ZoneId}, like ${vsw1.VSwitchId}; the two tunnels of a VPN gateway need vSwitches in two different zones`);
    }
    const Name = name(p, 'Name', 'InvalidName.Malformed', 1, 100) ?? '';
    const Description = name(p, 'Description', 'InvalidDescription.Malformed', 1, 100) ?? '';
    const Bandwidth = int(p, 'Bandwidth', 1, 1000, DEFAULT_VPN_BANDWIDTH);
    if (!(VPN_BANDWIDTHS as readonly number[]).includes(Bandwidth)) {
      throw invalid('InvalidParameter', 'Bandwidth', `${Bandwidth} Mbit/s is not one of ${VPN_BANDWIDTHS.join(', ')} (a public VPN gateway)`);
    }
    const EnableIpsec = bool(p, 'EnableIpsec', true);
    if (bool(p, 'EnableSsl', false)) throw new ApiError('UnsupportedFeature.SslVpn', 'SSL-VPN is not modelled by this lab; use IPsec-VPN (EnableSsl=false).', 400, 'EnableSsl');
    if (str(p, 'SslConnections') !== undefined) int(p, 'SslConnections', 1, 1000);
    if (str(p, 'NetworkType') === 'private') {
      throw new ApiError('UnsupportedFeature.NetworkType', 'Private VPN gateways (NetworkType private) are not modelled by this lab; use public.', 400, 'NetworkType');
    }
    oneOf(p, 'NetworkType', ['public'] as const, 'public');
    oneOf(p, 'VpnType', ['Normal'] as const, 'Normal');
    oneOf(p, 'InstanceChargeType', ['POSTPAY', 'PREPAY'] as const, 'POSTPAY');
    bool(p, 'AutoPay', false);
    if (str(p, 'Period') !== undefined) int(p, 'Period', 1, 36);
    const mine = m.vpnGateways.find((g) => g.VpcId === vpc.VpcId);
    if (mine) throw invalid('QuotaExceeded.VpnGateway', 'VpcId', `${vpc.VpcId} already has VPN gateway ${mine.VpnGatewayId}; the lab holds one per VPC`);
    const taken = new Set<string>();
    const e1 = endpoint(ctx, vsw1, 1, p, 'InternetIp', 'PrivateIpAddress', 'VSwitchId', taken);
    const e2 = endpoint(ctx, vsw2, 2, p, 'DisasterRecoveryInternetIp', 'DisasterRecoveryPrivateIpAddress', 'DisasterRecoveryVSwitchId', taken);
    const VpnGatewayId = ctx.newId('vpn');
    m.vpnGateways.push({
      VpnGatewayId, Name, Description, VpcId: vpc.VpcId, Bandwidth, EnableIpsec, NetworkType: 'public', Endpoints: [e1, e2], AdvertisedRoutes: [], CreateTime: ctx.isoNow(),
    });
    return { VpnGatewayId, Name };
  },
);

/** The gateway as DescribeVpnGateway(s) show it; `Endpoints` and `AdvertisedRoutes` are lab-only fields. */
export function vpnGatewayView(m: CloudModel, g: VpnGateway): Record<string, unknown> {
  const [t1, t2] = [g.Endpoints.find((e) => e.TunnelIndex === 1)!, g.Endpoints.find((e) => e.TunnelIndex === 2)!];
  const routes = m.vpnRouteEntries.filter((r) => r.VpnGatewayId === g.VpnGatewayId);
  return {
    VpnGatewayId: g.VpnGatewayId,
    Name: g.Name,
    Description: g.Description,
    VpcId: g.VpcId,
    VSwitchId: t1.VSwitchId,
    DisasterRecoveryVSwitchId: t2.VSwitchId,
    InternetIp: t1.InternetIp,
    DisasterRecoveryInternetIp: t2.InternetIp,
    Status: 'active',
    BusinessStatus: 'Normal',
    Spec: `${g.Bandwidth}M`,
    IpsecVpn: g.EnableIpsec ? 'enable' : 'disable',
    SslVpn: 'disable',
    SslMaxConnections: 0,
    NetworkType: g.NetworkType,
    VpnType: 'Normal',
    ChargeType: 'PostPaid',
    EnableBgp: boolText(false),
    AutoPropagate: false,
    CreateTime: ms(g.CreateTime),
    EndTime: 0,
    // F3: every gateway of the lab is dual-tunnel.
    Tag: { Tag: [] },
    EniInstanceIds: { EniInstanceId: [] },
    ReservationData: {},
    VpnConnections: connectionsOf(m, g.VpnGatewayId).length,
    RouteEntries: routes.length,
    Endpoints: g.Endpoints.map((e) => ({ ...e, HostName: vpnEndpointHostName(g.VpnGatewayId, e.TunnelIndex) })),
    AdvertisedRoutes: [...g.AdvertisedRoutes],
  };
}

export const DescribeVpnGateway = action(['VpnGatewayId', 'IncludeReservationData'], (ctx, p) => {
  bool(p, 'IncludeReservationData', false);
  return vpnGatewayView(ctx.model, vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId')));
});

export const DescribeVpnGateways = action(['VpnGatewayId', 'VpcId', 'Status', 'BusinessStatus', 'IncludeReservationData', 'PageNumber', 'PageSize'], (ctx, p) => {
  const id = str(p, 'VpnGatewayId');
  const vpcId = str(p, 'VpcId');
  const status = str(p, 'Status');
  const business = str(p, 'BusinessStatus');
  bool(p, 'IncludeReservationData', false);
  const all = ctx.model.vpnGateways
    .filter((g) => (id === undefined || g.VpnGatewayId === id) && (vpcId === undefined || g.VpcId === vpcId))
    .map((g) => vpnGatewayView(ctx.model, g))
    .filter((v) => (status === undefined || v.Status === status) && (business === undefined || v.BusinessStatus === business));
  const pg = pageOf(p, all);
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, VpnGateways: { VpnGateway: pg.items } };
});

export const ModifyVpnGatewayAttribute = action(['VpnGatewayId', 'Name', 'Description', 'AutoPropagate'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const n = name(p, 'Name', 'InvalidName.Malformed', 1, 100);
  const d = name(p, 'Description', 'InvalidDescription.Malformed', 1, 100);
  // BGP route propagation: the lab has no BGP, so only false is meaningful.
  if (bool(p, 'AutoPropagate', false)) throw new ApiError('UnsupportedFeature.Bgp', 'BGP (AutoPropagate) is not modelled by this lab.', 400, 'AutoPropagate');
  if (n !== undefined) g.Name = n;
  if (d !== undefined) g.Description = d;
  return vpnGatewayView(ctx.model, g);
});

/** Refused while an IPsec-VPN connection uses it (the docs: it cannot be deleted then). */
export const DeleteVpnGateway = action(['VpnGatewayId'], (ctx, p) => {
  const m = ctx.model;
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const conns = connectionsOf(m, g.VpnGatewayId);
  if (conns.length > 0) {
    throw invalid('DependencyViolation.VpnConnection', 'VpnGatewayId',
      `${g.VpnGatewayId} is used by IPsec-VPN connection ${conns.map((c) => c.VpnConnectionId).join(', ')}; delete the connection first (DeleteVpnConnection)`);
  }
  for (const rt of m.routeTables) {
    const e = rt.Entries.find((x) => x.NextHopType === 'VpnGateway' && x.NextHopId === g.VpnGatewayId);
    if (e) throw invalid('DependencyViolation.RouteEntry', 'VpnGatewayId', `route table ${rt.RouteTableId} still routes ${e.DestinationCidrBlock} to ${g.VpnGatewayId}; delete such entries first`);
  }
  m.vpnGateways.splice(m.vpnGateways.indexOf(g), 1);
  m.vpnRouteEntries = m.vpnRouteEntries.filter((r) => r.VpnGatewayId !== g.VpnGatewayId);
  return {};
});

// ---------------------------------------------------------------------------------------
// The fault a trainer injects on the cloud side (F3): one of the gateway's zones fails. The
// cloud has no such action; these LAB actions are named after StopInstances/StartInstances.
// A stopped endpoint keeps its namespace and its charon; the engine carries nothing to or
// from it, so its tunnels go down for the cloud at once and for the IDC when DPD gives up.

function endpointOf(p: Params, g: VpnGateway): VpnTunnelEndpoint {
  const i = int(p, 'TunnelIndex', 1, 2);
  return g.Endpoints.find((e) => e.TunnelIndex === i)!;
}

export const StopVpnTunnelEndpoint = action(['VpnGatewayId', 'TunnelIndex'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const e = endpointOf(p, g);
  if (e.Status === 'Stopped') throw invalid('IncorrectStatus.Stopped', 'TunnelIndex', `tunnel ${e.TunnelIndex}'s endpoint of ${g.VpnGatewayId} is already stopped`);
  e.Status = 'Stopped';
  return { VpnGatewayId: g.VpnGatewayId, TunnelIndex: e.TunnelIndex, ZoneId: e.ZoneId, Status: e.Status };
});

export const StartVpnTunnelEndpoint = action(['VpnGatewayId', 'TunnelIndex'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const e = endpointOf(p, g);
  if (e.Status !== 'Stopped') throw invalid('IncorrectStatus.Running', 'TunnelIndex', `tunnel ${e.TunnelIndex}'s endpoint of ${g.VpnGatewayId} is running`);
  delete e.Status;
  return { VpnGatewayId: g.VpnGatewayId, TunnelIndex: e.TunnelIndex, ZoneId: e.ZoneId, Status: 'Running' };
});

// ---------------------------------------------------------------------------------------
// Custom advertised routes (F6). The console has "Destination CIDR Block > Add Custom
// Advertised Route"; no public API name was found, so these are LAB actions in the API's
// style. An advertised route tells the IDC the block is behind the tunnels: here it widens the
// cloud side's traffic selectors in destination-routing mode (vpn-swanctl.ts). Unlike a route
// entry (F5), it may be 100.64.0.0/10 (F6.4: advertised to the IDC, not routed to it).

function advertisedDest(p: Params): string {
  const d = reqCidr(p, 'RouteDest', 'InvalidRouteDest.Malformed');
  if (d.c.len === 0) throw invalid('InvalidRouteDest.Malformed', 'RouteDest', `${ALL_ZERO} cannot be advertised: the IDC would send all its traffic into the tunnel`);
  return d.text;
}

export const CreateVpnGatewayAdvertisedRoute = action(['VpnGatewayId', 'RouteDest'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const dest = advertisedDest(p);
  if (g.AdvertisedRoutes.includes(dest)) throw invalid('AdvertisedRoute.AlreadyExists', 'RouteDest', `${g.VpnGatewayId} already advertises ${dest}`);
  if (g.AdvertisedRoutes.length >= MAX_ADVERTISED_ROUTES) throw invalid('QuotaExceeded.AdvertisedRoute', 'RouteDest', `a VPN gateway advertises at most ${MAX_ADVERTISED_ROUTES} custom routes`);
  g.AdvertisedRoutes.push(dest);
  return { VpnGatewayId: g.VpnGatewayId, RouteDest: dest };
});

export const DeleteVpnGatewayAdvertisedRoute = action(['VpnGatewayId', 'RouteDest'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  const dest = reqCidr(p, 'RouteDest', 'InvalidRouteDest.Malformed').text;
  const i = g.AdvertisedRoutes.indexOf(dest);
  if (i < 0) throw new ApiError('AdvertisedRoute.NotFound', `${g.VpnGatewayId} does not advertise ${quoted(dest)}.`, 404, 'RouteDest');
  g.AdvertisedRoutes.splice(i, 1);
  return {};
});

export const DescribeVpnGatewayAdvertisedRoutes = action(['VpnGatewayId'], (ctx, p) => {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  return { VpnGatewayId: g.VpnGatewayId, TotalCount: g.AdvertisedRoutes.length, AdvertisedRoutes: { AdvertisedRoute: g.AdvertisedRoutes.map((RouteDest) => ({ RouteDest, Source: 'CUSTOM' })) } };
});
