// IPsec-VPN connections on a VPN gateway (VPC API 2016-04-28, SEMANTICS F2–F4, F6.7): the
// dual-tunnel form of CreateVpnConnection (TunnelOptionsSpecification, two tunnels, tunnel 1
// the master), Describe with the tunnels' negotiation state (live, from charon through the
// runtime: vpnConnectionView), Modify, Delete. A PSK or algorithm the other end does not
// share is accepted, as in the cloud: the tunnel just never comes up.
//
// Lab codes: InvalidPsk.Malformed, OperationDenied.IpsecVpnDisabled (a gateway created with
// EnableIpsec=false), DependencyViolation.VpnRouteEntry (delete while routes the user added
// still point at it), InvalidParameter.TunnelOptionsSpecification (not exactly two tunnels,
// one master and one slave).

import { action, type ActionContext } from '../context';
import { invalid, missing } from '../errors';
import type { CloudModel, VpnConnection, VpnGateway, VpnTunnel } from '../model';
import { bool, int, name, oneOf, reqStr, str, type Params } from '../params';
import { CLOUD_SERVICE_CIDR, cidrOf, overlaps } from '../cidr';
import { boolText, customerGatewayOf, isCenConnection, isDestinationRouting, ms, pageOf, subnets, tunnelEnd, vpnConnectionOf, vpnGatewayOf } from './vpn-common';
import { defaultHealth, defaultIke, defaultIpsec, healthCheck, ikeConfig, ipsecConfig, tunnelBool, tunnelInputs, type TunnelInput } from './vpn-tunnel-options';
import { syncAutoRoutes } from './vpn-routes';

/**
 * F6.7 ([S3]): an IDC that uses 100.64.0.0/10 clashes with the cloud services reached at
 * private addresses in that range. The connection is still made; the answer carries this.
 */
export function cloudServiceConflictWarning(remote: readonly string[]): string | undefined {
  const svc = cidrOf(CLOUD_SERVICE_CIDR);
  // 0.0.0.0/0 selects destination-routing mode (F2): it says nothing of the IDC's addresses.
  const hit = remote.filter((s) => s !== '0.0.0.0/0' && overlaps(cidrOf(s), svc));
  if (hit.length === 0) return undefined;
  return `RemoteSubnet ${hit.join(', ')} overlaps ${CLOUD_SERVICE_CIDR}, the range of cloud services reached at private IP addresses (OSS, SLS...). ` +
    'The data center must not use this CIDR block, or its traffic conflicts with those services. ' +
    'If the conflict cannot be avoided and the service supports PrivateLink, reach it through PrivateLink endpoints (VPC-native addresses) instead.';
}

function ipsecGateway(ctx: ActionContext, p: Params): VpnGateway {
  const g = vpnGatewayOf(ctx, reqStr(p, 'VpnGatewayId'));
  if (!g.EnableIpsec) throw invalid('OperationDenied.IpsecVpnDisabled', 'VpnGatewayId', `${g.VpnGatewayId} was created with IPsec-VPN disabled (EnableIpsec=false)`);
  return g;
}

const endpointIp = (g: VpnGateway, i: 1 | 2): string => g.Endpoints.find((e) => e.TunnelIndex === i)!.InternetIp;

/**
 * F3: exactly two tunnels, TunnelIndex 1 and 2 (by position when not given), one master and
 * one slave (tunnel 1 the master by default). Without TunnelOptionsSpecification the lab
 * takes the single-tunnel parameters (CustomerGatewayId, and IkeConfig/IpsecConfig as JSON
 * objects) for both tunnels: a convenience, each tunnel still gets its own ID and endpoint.
 */
function newTunnels(ctx: ActionContext, g: VpnGateway, p: Params): VpnTunnel[] {
  let inputs = tunnelInputs(p);
  if (inputs === undefined) {
    const cgw = reqStr(p, 'CustomerGatewayId');
    const one = (i: number): Record<string, unknown> => ({
      CustomerGatewayId: cgw,
      ...(p.IkeConfig !== undefined ? { TunnelIkeConfig: p.IkeConfig } : {}),
      ...(p.IpsecConfig !== undefined ? { TunnelIpsecConfig: p.IpsecConfig } : {}),
      ...(p.EnableDpd !== undefined ? { EnableDpd: p.EnableDpd } : {}),
      ...(p.EnableNatTraversal !== undefined ? { EnableNatTraversal: p.EnableNatTraversal } : {}),
      TunnelIndex: i,
    });
    inputs = tunnelInputs({ TunnelOptionsSpecification: [one(1), one(2)] as never });
  }
  const list = inputs!;
  if (list.length !== 2) {
    throw invalid('InvalidParameter.TunnelOptionsSpecification', 'TunnelOptionsSpecification', `a dual-tunnel connection takes exactly two tunnels (an active and a standby one), got ${list.length}`);
  }
  const indexes = list.map((t, i) => int(t.p, t.key('TunnelIndex'), 1, 2, i + 1) as 1 | 2);
  if (indexes[0] === indexes[1]) throw invalid('InvalidParameter.TunnelOptionsSpecification', list[1].key('TunnelIndex'), `both tunnels have TunnelIndex ${indexes[0]}`);
  const roles = list.map((t, i) => oneOf(t.p, t.key('Role'), ['master', 'slave'] as const, indexes[i] === 1 ? 'master' : 'slave'));
  if (roles[0] === roles[1]) throw invalid('InvalidParameter.TunnelOptionsSpecification', list[1].key('Role'), `both tunnels are ${roles[0]}; one must be master (active) and the other slave (standby)`);
  const fallbackCgw = str(p, 'CustomerGatewayId');
  const tunnels = list.map((t, i): VpnTunnel => {
    const TunnelIndex = indexes[i];
    const key = t.key('CustomerGatewayId');
    const own = str(t.p, key);
    if (own === undefined && fallbackCgw === undefined) throw missing(key);
    const cgw = own !== undefined ? customerGatewayOf(ctx, own, key) : customerGatewayOf(ctx, fallbackCgw!);
    if (str(t.p, t.key('RemoteCaCertificate')) !== undefined) throw invalid('InvalidParameter', t.key('RemoteCaCertificate'), 'a CA certificate is for ShangMi (SM) VPN gateways, which this lab does not model');
    if (str(t.p, t.key('TunnelId')) !== undefined) throw invalid('InvalidParameter', t.key('TunnelId'), 'TunnelId is given by the cloud; name tunnels by TunnelIndex');
    return {
      TunnelId: '',
      TunnelIndex,
      Role: roles[i],
      CustomerGatewayId: cgw.CustomerGatewayId,
      EnableDpd: tunnelBool(t, 'EnableDpd', true),
      EnableNatTraversal: tunnelBool(t, 'EnableNatTraversal', true),
      // F2: LocalId / RemoteId default to the tunnel's two public addresses.
      IkeConfig: ikeConfig(t, defaultIke(endpointIp(g, TunnelIndex), cgw.IpAddress)),
      IpsecConfig: ipsecConfig(t, defaultIpsec()),
    };
  });
  return tunnels.sort((a, b) => a.TunnelIndex - b.TunnelIndex);
}

function connName(p: Params): string | undefined {
  return name(p, 'Name', 'InvalidName.Malformed', 1, 100);
}

/** F2: protected data flows need both sides; `0.0.0.0/0` on both is destination-routing mode. */
function bothSubnets(p: Params, cur?: VpnConnection): { LocalSubnet: string[]; RemoteSubnet: string[] } {
  const LocalSubnet = subnets(p, 'LocalSubnet') ?? cur?.LocalSubnet;
  const RemoteSubnet = subnets(p, 'RemoteSubnet') ?? cur?.RemoteSubnet;
  if (!LocalSubnet) throw missing('LocalSubnet');
  if (!RemoteSubnet) throw missing('RemoteSubnet');
  return { LocalSubnet, RemoteSubnet };
}

export const CreateVpnConnection = action(
  [
    'VpnGatewayId', 'CustomerGatewayId', 'LocalSubnet', 'RemoteSubnet', 'Name', 'EffectImmediately', 'AutoConfigRoute', 'HealthCheckConfig',
    'TunnelOptionsSpecification', 'IkeConfig', 'IpsecConfig', 'EnableDpd', 'EnableNatTraversal', 'EnableTunnelsBgp', 'BgpConfig', 'RemoteCaCertificate',
  ],
  (ctx, p) => {
    const m = ctx.model;
    const g = ipsecGateway(ctx, p);
    const { LocalSubnet, RemoteSubnet } = bothSubnets(p);
    const Name = connName(p) ?? '';
    const EffectImmediately = bool(p, 'EffectImmediately', false);
    const AutoConfigRoute = bool(p, 'AutoConfigRoute', true);
    if (bool(p, 'EnableTunnelsBgp', false) || str(p, 'BgpConfig') !== undefined) {
      throw invalid('UnsupportedFeature.Bgp', 'EnableTunnelsBgp', 'BGP is not modelled by this lab; use destination-based or policy-based routes');
    }
    if (str(p, 'RemoteCaCertificate') !== undefined) throw invalid('InvalidParameter', 'RemoteCaCertificate', 'a CA certificate is for ShangMi (SM) VPN gateways, which this lab does not model');
    const HealthCheck = healthCheck(p, defaultHealth()) ?? defaultHealth();
    const Tunnels = newTunnels(ctx, g, p);
    const VpnConnectionId = ctx.newId('vco');
    for (const t of Tunnels) t.TunnelId = ctx.newId('tun');
    const CreateTime = ctx.isoNow();
    const c: VpnConnection = { VpnConnectionId, Name, VpnGatewayId: g.VpnGatewayId, LocalSubnet, RemoteSubnet, EffectImmediately, AutoConfigRoute, HealthCheck, Tunnels, CreateTime };
    m.vpnConnections.push(c);
    syncAutoRoutes(ctx, c);
    const Warning = cloudServiceConflictWarning(RemoteSubnet);
    return { VpnConnectionId, Name, CreateTime: ms(CreateTime), ...(Warning ? { Warning } : {}) };
  },
  { flat: ['TunnelOptionsSpecification', 'HealthCheckConfig'] },
);

/** A tunnel's negotiation as the runtime reads it from charon (F8): Status as the API words it. */
export interface TunnelLive {
  /** ike_sa_not_established, ike_sa_established, ipsec_sa_not_established or ipsec_sa_established. */
  Status: string;
  /** The tunnel's own state: active (default), updating or deleting. */
  State?: string;
}

const STATUS_ORDER = ['ike_sa_not_established', 'ike_sa_established', 'ipsec_sa_not_established', 'ipsec_sa_established'];

/**
 * The connection as DescribeVpnConnection(s) show it. `live` gives each tunnel's negotiation
 * state (the runtime, from charon); without it (the control plane alone) every tunnel is
 * `ike_sa_not_established`, state `active`. The connection's Status is its best tunnel's.
 * `healthStatus`: the F4 check's result (`success` / `failed`) when the engine runs one.
 */
export function vpnConnectionView(
  model: CloudModel, conn: VpnConnection, live?: (tunnelId: string) => TunnelLive | undefined, healthStatus?: 'success' | 'failed',
): Record<string, unknown> {
  const g = model.vpnGateways.find((x) => x.VpnGatewayId === conn.VpnGatewayId);
  const tunnels = conn.Tunnels.map((t) => {
    const e = tunnelEnd(model, conn, t.TunnelIndex);
    const l = live?.(t.TunnelId);
    return {
      TunnelId: t.TunnelId,
      TunnelIndex: t.TunnelIndex,
      Role: t.Role,
      CustomerGatewayId: t.CustomerGatewayId,
      InternetIp: e.InternetIp,
      ZoneNo: e.ZoneId,
      State: l?.State ?? 'active',
      Status: l?.Status ?? 'ike_sa_not_established',
      EnableDpd: boolText(t.EnableDpd),
      EnableNatTraversal: boolText(t.EnableNatTraversal),
      RemoteCaCertificate: '',
      TunnelIkeConfig: { ...t.IkeConfig },
      TunnelIpsecConfig: { ...t.IpsecConfig },
    };
  });
  const best = tunnels.map((t) => t.Status).sort((a, b) => STATUS_ORDER.indexOf(b) - STATUS_ORDER.indexOf(a))[0] ?? 'ike_sa_not_established';
  const h = conn.HealthCheck;
  const master = conn.Tunnels.find((t) => t.Role === 'master') ?? conn.Tunnels[0];
  return {
    VpnConnectionId: conn.VpnConnectionId,
    Name: conn.Name,
    VpnGatewayId: conn.VpnGatewayId,
    CustomerGatewayId: master?.CustomerGatewayId ?? '',
    LocalSubnet: conn.LocalSubnet.join(','),
    RemoteSubnet: conn.RemoteSubnet.join(','),
    // Lab-only: which F2 mode the subnets select.
    RoutingMode: isDestinationRouting(conn) ? 'DestinationRouting' : 'ProtectedDataFlows',
    EffectImmediately: conn.EffectImmediately,
    AutoConfigRoute: conn.AutoConfigRoute,
    CreateTime: ms(conn.CreateTime),
    Status: best,
    State: 'active',
    AttachType: isCenConnection(conn) ? 'CEN' : 'VPNGW',
    ...(isCenConnection(conn) ? { InternetIp: tunnels[0]?.InternetIp ?? '', TransitRouterId: model.trAttachments.find((a) => a.ResourceId === conn.VpnConnectionId)?.TransitRouterId ?? '' } : {}),
    NetworkType: 'public',
    EnableTunnelsBgp: false,
    Spec: g ? `${g.Bandwidth}M` : isCenConnection(conn) ? '1000M' : '',
    VcoHealthCheck: {
      Enable: boolText(h.Enable), Sip: h.Sip, Dip: h.Dip, Interval: h.Interval, Retry: h.Retry, Policy: h.Policy,
      ...(h.Enable ? { Status: healthStatus ?? 'failed' } : {}),
    },
    TunnelOptionsSpecification: { TunnelOptions: tunnels },
    Tag: { Tag: [] },
  };
}

export const DescribeVpnConnection = action(['VpnConnectionId'], (ctx, p) => vpnConnectionView(ctx.model, vpnConnectionOf(ctx, reqStr(p, 'VpnConnectionId'))));

export const DescribeVpnConnections = action(['VpnGatewayId', 'VpnConnectionId', 'CustomerGatewayId', 'PageNumber', 'PageSize'], (ctx, p) => {
  const gw = str(p, 'VpnGatewayId');
  const id = str(p, 'VpnConnectionId');
  const cgw = str(p, 'CustomerGatewayId');
  const all = ctx.model.vpnConnections.filter((c) => (gw === undefined || c.VpnGatewayId === gw) && (id === undefined || c.VpnConnectionId === id) &&
    (cgw === undefined || c.Tunnels.some((t) => t.CustomerGatewayId === cgw)));
  const pg = pageOf(p, all);
  return { TotalCount: pg.TotalCount, PageNumber: pg.PageNumber, PageSize: pg.PageSize, VpnConnections: { VpnConnection: pg.items.map((c) => vpnConnectionView(ctx.model, c)) } };
});

/** The tunnel a ModifyVpnConnectionAttribute item names: by TunnelId, else by TunnelIndex. */
function tunnelOf(c: VpnConnection, t: TunnelInput): VpnTunnel {
  const id = str(t.p, t.key('TunnelId'));
  const found = id !== undefined ? c.Tunnels.find((x) => x.TunnelId === id) : c.Tunnels.find((x) => x.TunnelIndex === int(t.p, t.key('TunnelIndex'), 1, 2));
  if (!found) {
    throw invalid('InvalidParameter.TunnelOptionsSpecification', id !== undefined ? t.key('TunnelId') : t.key('TunnelIndex'),
      `${c.VpnConnectionId} has no such tunnel (its tunnels: ${c.Tunnels.map((x) => `${x.TunnelIndex} ${x.TunnelId}`).join(', ')})`);
  }
  return found;
}

/**
 * Subnets, name, health check, and per tunnel (TunnelOptionsSpecification items naming a
 * TunnelId or TunnelIndex) its customer gateway, role, DPD, NAT traversal and phase 1/2
 * settings, the PSK included; fields not given keep their values. The answer carries the
 * F6.7 warning when the new RemoteSubnet overlaps 100.64.0.0/10.
 */
export const ModifyVpnConnectionAttribute = action(
  ['VpnConnectionId', 'Name', 'LocalSubnet', 'RemoteSubnet', 'EffectImmediately', 'AutoConfigRoute', 'HealthCheckConfig', 'TunnelOptionsSpecification', 'EnableTunnelsBgp'],
  (ctx, p) => {
    const c = vpnConnectionOf(ctx, reqStr(p, 'VpnConnectionId'));
    const { LocalSubnet, RemoteSubnet } = bothSubnets(p, c);
    const n = connName(p);
    if (bool(p, 'EnableTunnelsBgp', false)) throw invalid('UnsupportedFeature.Bgp', 'EnableTunnelsBgp', 'BGP is not modelled by this lab');
    const HealthCheck = healthCheck(p, c.HealthCheck) ?? c.HealthCheck;
    const inputs = tunnelInputs(p) ?? [];
    const next = c.Tunnels.map((t) => structuredClone(t));
    const touched = new Set<string>();
    for (const t of inputs) {
      const cur = next.find((x) => x.TunnelId === tunnelOf(c, t).TunnelId)!;
      if (touched.has(cur.TunnelId)) throw invalid('InvalidParameter.TunnelOptionsSpecification', t.path, `tunnel ${cur.TunnelId} is given twice`);
      touched.add(cur.TunnelId);
      if (str(t.p, t.key('CustomerGatewayId')) !== undefined) {
        const cgw = customerGatewayOf(ctx, reqStr(t.p, t.key('CustomerGatewayId')), t.key('CustomerGatewayId'));
        // The default remote ID follows the customer gateway unless the user set one.
        const wasDefault = cur.IkeConfig.RemoteId === ctx.model.customerGateways.find((x) => x.CustomerGatewayId === cur.CustomerGatewayId)?.IpAddress;
        cur.CustomerGatewayId = cgw.CustomerGatewayId;
        if (wasDefault) cur.IkeConfig.RemoteId = cgw.IpAddress;
      }
      cur.Role = oneOf(t.p, t.key('Role'), ['master', 'slave'] as const, cur.Role);
      cur.EnableDpd = tunnelBool(t, 'EnableDpd', cur.EnableDpd);
      cur.EnableNatTraversal = tunnelBool(t, 'EnableNatTraversal', cur.EnableNatTraversal);
      cur.IkeConfig = ikeConfig(t, cur.IkeConfig);
      cur.IpsecConfig = ipsecConfig(t, cur.IpsecConfig);
    }
    if (next.filter((t) => t.Role === 'master').length !== 1) {
      throw invalid('InvalidParameter.TunnelOptionsSpecification', 'TunnelOptionsSpecification', 'one tunnel must be master (active) and the other slave (standby)');
    }
    Object.assign(c, { LocalSubnet, RemoteSubnet, HealthCheck, Tunnels: next, EffectImmediately: bool(p, 'EffectImmediately', c.EffectImmediately), AutoConfigRoute: bool(p, 'AutoConfigRoute', c.AutoConfigRoute) });
    if (n !== undefined) c.Name = n;
    syncAutoRoutes(ctx, c);
    const Warning = subnets(p, 'RemoteSubnet') ? cloudServiceConflictWarning(RemoteSubnet) : undefined;
    return { ...vpnConnectionView(ctx.model, c), ...(Warning ? { Warning } : {}) };
  },
  { flat: ['TunnelOptionsSpecification', 'HealthCheckConfig'] },
);

/** Refused while a route the user added still points at it; its AutoConfigRoute routes go with it. */
export const DeleteVpnConnection = action(['VpnConnectionId'], (ctx, p) => {
  const m = ctx.model;
  const c = vpnConnectionOf(ctx, reqStr(p, 'VpnConnectionId'));
  const att = m.trAttachments.find((a) => a.ResourceId === c.VpnConnectionId);
  if (att) throw invalid('DependencyViolation.Attachment', 'VpnConnectionId', `${c.VpnConnectionId} is attached to transit router ${att.TransitRouterId} (${att.TransitRouterAttachmentId}); delete the attachment first (DeleteTransitRouterVpnAttachment)`);
  const users = m.vpnRouteEntries.filter((r) => r.NextHop === c.VpnConnectionId && !r.AutoConfigured);
  if (users.length > 0) {
    const r = users[0];
    throw invalid('DependencyViolation.VpnRouteEntry', 'VpnConnectionId',
      `${r.RouteType === 'pbr' ? `policy-based route ${r.RouteSource} → ${r.RouteDest}` : `destination-based route ${r.RouteDest}`} of ${r.VpnGatewayId} still points at ${c.VpnConnectionId}` +
      `${users.length > 1 ? ` (and ${users.length - 1} more)` : ''}; delete them first (DeleteVpnRouteEntry / DeleteVpnPbrRouteEntry)`);
  }
  m.vpnRouteEntries = m.vpnRouteEntries.filter((r) => r.NextHop !== c.VpnConnectionId);
  m.vpnConnections.splice(m.vpnConnections.indexOf(c), 1);
  return {};
});
