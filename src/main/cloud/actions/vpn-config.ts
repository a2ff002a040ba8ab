// DownloadVpnConnectionConfig: the configuration the IDC's gateway needs, from the data
// center's point of view as the cloud hands it out (its Local is the customer gateway, its
// Remote the VPN gateway; LocalSubnet is the IDC side), per tunnel in TunnelsConfig; plus,
// lab-only, `SwanctlConf`: a ready swanctl.conf for a strongSwan customer gateway
// (vpn-swanctl.ts). `CustomerGatewayId` (lab-only) keeps the tunnels ending on that one.

import { action } from '../context';
import { invalid } from '../errors';
import { reqStr, str } from '../params';
import { customerSideSwanctl, trafficSelectors } from '../vpn-swanctl';
import { customerGatewayOf, isCenConnection, tunnelEnd, vpnConnectionOf, vpnGatewayOf } from './vpn-common';

export const DownloadVpnConnectionConfig = action(['VpnConnectionId', 'CustomerGatewayId'], (ctx, p) => {
  const m = ctx.model;
  const c = vpnConnectionOf(ctx, reqStr(p, 'VpnConnectionId'));
  // A CEN connection's tunnels carry their own addresses; a gateway's must still exist.
  if (!isCenConnection(c)) vpnGatewayOf(ctx, c.VpnGatewayId);
  const only = str(p, 'CustomerGatewayId');
  if (only !== undefined) {
    customerGatewayOf(ctx, only);
    if (!c.Tunnels.some((t) => t.CustomerGatewayId === only)) throw invalid('InvalidParameter', 'CustomerGatewayId', `no tunnel of ${c.VpnConnectionId} ends on ${only}`);
  }
  const ts = trafficSelectors(m, c);
  const tunnels = c.Tunnels.filter((t) => only === undefined || t.CustomerGatewayId === only).map((t) => {
    const cgw = m.customerGateways.find((x) => x.CustomerGatewayId === t.CustomerGatewayId)!;
    const ep = tunnelEnd(m, c, t.TunnelIndex);
    return {
      TunnelId: t.TunnelId,
      TunnelIndex: t.TunnelIndex,
      Role: t.Role,
      Local: cgw.IpAddress,
      Remote: ep.InternetIp,
      EnableDpd: t.EnableDpd,
      EnableNatTraversal: t.EnableNatTraversal,
      // Mirrored: the IDC's local ID is the cloud's remote ID.
      IkeConfig: { ...t.IkeConfig, LocalId: t.IkeConfig.RemoteId, RemoteId: t.IkeConfig.LocalId },
      IpsecConfig: { ...t.IpsecConfig },
    };
  });
  return {
    VpnConnectionConfig: {
      LocalSubnet: c.RemoteSubnet.join(','),
      RemoteSubnet: c.LocalSubnet.join(','),
      Local: tunnels[0]?.Local ?? '',
      Remote: tunnels[0]?.Remote ?? '',
      TunnelsConfig: { TunnelConfig: tunnels },
      // Lab-only: what the strongSwan configuration below protects (vpn-swanctl.ts trafficSelectors).
      TrafficSelectors: { Local: ts.idc.join(','), Remote: ts.cloud.join(',') },
      SwanctlConf: customerSideSwanctl(m, c.VpnConnectionId, only),
    },
  };
});
