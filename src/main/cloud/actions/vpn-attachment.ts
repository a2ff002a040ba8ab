// IPsec connections for a transit router (VPC API 2016-04-28 CreateVpnAttachment, SEMANTICS
// F1 model 2, F7): no VPN gateway; the connection itself has a public address, where its
// tunnel ends (a lab appliance running charon, as a VPN gateway's endpoints do), and is
// attached to a TR by CreateTransitRouterVpnAttachment. The lab makes single-tunnel
// connections, the kind F7's ECMP groups of up to 16 are made of; dual-tunnel attachments
// (TunnelOptionsSpecification) are refused until modelled. Describe, Modify, Download and
// Delete are the VPN-gateway connection's actions, which take both kinds.
//
// LAB-ONLY parameters: `InternetIp` (the connection's public address, default the next free
// one of the lab's EIP pool) and `ZoneId` (the zone its tunnel ends in, default the region's
// first lab zone), so a tutorial can show fixed addresses.

import { action } from '../context';
import { ApiError, invalid } from '../errors';
import type { VpnConnection, VpnTunnel } from '../model';
import { bool, ip, name, str, type Params } from '../params';
import { isPublic, ipToString } from '../../engine/wire/ipv4';
import { freePublicIp, publicAddressInUse } from './eip';
import { customerGatewayOf, ms, subnets } from './vpn-common';
import { defaultHealth, defaultIke, defaultIpsec, healthCheck, ikeConfig, ipsecConfig, tunnelBool, tunnelInputs } from './vpn-tunnel-options';
import { cloudServiceConflictWarning } from './vpn-connection';
import { missing } from '../errors';

function internetIp(m: Parameters<typeof publicAddressInUse>[0], p: Params): string {
  if (str(p, 'InternetIp') === undefined) {
    const a = freePublicIp(m);
    if (!a) throw new ApiError('QuotaExceeded.Eip', 'The lab EIP pool is exhausted.', 400, 'InternetIp');
    return a;
  }
  const a = ip(p, 'InternetIp');
  if (!isPublic(a.addr)) throw invalid('InvalidIpAddress.Malformed', 'InternetIp', `${ipToString(a.addr)} is not a public address`);
  const user = publicAddressInUse(m, a.text);
  if (user) throw invalid('InvalidIpAddress.AlreadyUsed', 'InternetIp', `${a.text} is already used by ${user}`);
  return a.text;
}

export const CreateVpnAttachment = action(
  [
    'CustomerGatewayId', 'LocalSubnet', 'RemoteSubnet', 'Name', 'EffectImmediately', 'AutoConfigRoute', 'HealthCheckConfig', 'IkeConfig', 'IpsecConfig',
    'EnableDpd', 'EnableNatTraversal', 'NetworkType', 'AttachType', 'EnableTunnelsBgp', 'BgpConfig', 'TunnelOptionsSpecification', 'InternetIp', 'ZoneId',
  ],
  (ctx, p) => {
    const m = ctx.model;
    if (str(p, 'AttachType') !== undefined && str(p, 'AttachType') !== 'CEN') throw invalid('UnsupportedFeature.AttachType', 'AttachType', 'the lab attaches these connections to a transit router (CEN)');
    if (str(p, 'NetworkType') !== undefined && str(p, 'NetworkType') !== 'public') throw invalid('UnsupportedFeature.NetworkType', 'NetworkType', 'private IPsec connections are not modelled by this lab; use public');
    if (p.TunnelOptionsSpecification !== undefined) throw invalid('UnsupportedFeature.DualTunnel', 'TunnelOptionsSpecification', 'the lab makes single-tunnel attachments (the members of a transit router\'s ECMP group); give CustomerGatewayId, IkeConfig and IpsecConfig');
    if (bool(p, 'EnableTunnelsBgp', false) || str(p, 'BgpConfig') !== undefined) throw invalid('UnsupportedFeature.Bgp', 'BgpConfig', 'BGP is not modelled by this lab; use static routes in the transit router route table');
    const cgwId = str(p, 'CustomerGatewayId');
    if (cgwId === undefined) throw missing('CustomerGatewayId');
    const cgw = customerGatewayOf(ctx, cgwId);
    const LocalSubnet = subnets(p, 'LocalSubnet');
    const RemoteSubnet = subnets(p, 'RemoteSubnet');
    if (!LocalSubnet) throw missing('LocalSubnet');
    if (!RemoteSubnet) throw missing('RemoteSubnet');
    const InternetIp = internetIp(m, p);
    const ZoneId = str(p, 'ZoneId') ?? `${m.RegionId}-h`;
    const one = { CustomerGatewayId: cgw.CustomerGatewayId, TunnelIndex: 1,
      ...(p.IkeConfig !== undefined ? { TunnelIkeConfig: p.IkeConfig } : {}), ...(p.IpsecConfig !== undefined ? { TunnelIpsecConfig: p.IpsecConfig } : {}),
      ...(p.EnableDpd !== undefined ? { EnableDpd: p.EnableDpd } : {}), ...(p.EnableNatTraversal !== undefined ? { EnableNatTraversal: p.EnableNatTraversal } : {}) };
    const t = tunnelInputs({ TunnelOptionsSpecification: [one] as never })![0];
    const tunnel: VpnTunnel = {
      TunnelId: ctx.newId('tun'), TunnelIndex: 1, Role: 'master', CustomerGatewayId: cgw.CustomerGatewayId, InternetIp, ZoneId,
      EnableDpd: tunnelBool(t, 'EnableDpd', true), EnableNatTraversal: tunnelBool(t, 'EnableNatTraversal', true),
      IkeConfig: ikeConfig(t, defaultIke(InternetIp, cgw.IpAddress)), IpsecConfig: ipsecConfig(t, defaultIpsec()),
    };
    const VpnConnectionId = ctx.newId('vco');
    const CreateTime = ctx.isoNow();
    const c: VpnConnection = {
      VpnConnectionId, Name: name(p, 'Name', 'InvalidName.Malformed', 1, 100) ?? '', VpnGatewayId: '', AttachType: 'CEN', LocalSubnet, RemoteSubnet,
      EffectImmediately: bool(p, 'EffectImmediately', false), AutoConfigRoute: bool(p, 'AutoConfigRoute', true),
      HealthCheck: healthCheck(p, defaultHealth()) ?? defaultHealth(), Tunnels: [tunnel], CreateTime,
    };
    m.vpnConnections.push(c);
    const Warning = cloudServiceConflictWarning(RemoteSubnet);
    return { VpnConnectionId, Name: c.Name, CreateTime: ms(CreateTime), InternetIp, ...(Warning ? { Warning } : {}) };
  },
  { flat: ['HealthCheckConfig'] },
);
