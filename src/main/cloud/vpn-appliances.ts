// The cloud side's IPsec appliances: the lab hosts where the cloud's tunnels end, each a
// namespace running charon. A VPN gateway has two (tunnel 1's zone, tunnel 2's), each holding
// that tunnel of every connection of the gateway (F3); an IPsec connection attached to a
// transit router has one per tunnel, its own (F1 model 2). lab-hosts.ts makes the hosts,
// runtime/vpn.ts configures their charons, compile wires their ports.

import type { CloudModel, VpnConnection } from './model';
import { isCenConnection } from './actions/vpn-common';
import { vpnEndpointHostName } from './actions/vpn-gateway';

export interface VpnAppliance {
  host: string;
  /** Whose it is: the VPN gateway's ID, or the connection's. */
  ownerId: string;
  /** The connections whose tunnel `index` ends here. */
  conns: VpnConnection[];
  index: 1 | 2;
  InternetIp: string;
  ZoneId: string;
  /** A VPN gateway endpoint's vSwitch leg; absent for a transit router's connection. */
  vpcId?: string;
  VSwitchId?: string;
  PrivateIpAddress?: string;
  /** StopVpnTunnelEndpoint: its zone failed. */
  stopped: boolean;
}

/** The lab host name of a transit router connection's tunnel appliance (hosts.ts reserves the `-tN` shape). */
export const cenTunnelHostName = (vpnConnectionId: string, tunnelIndex: 1 | 2): string => `${vpnConnectionId}-t${tunnelIndex}`;

export function vpnAppliances(m: Readonly<CloudModel>): VpnAppliance[] {
  const out: VpnAppliance[] = [];
  for (const g of m.vpnGateways) {
    const conns = m.vpnConnections.filter((c) => c.VpnGatewayId === g.VpnGatewayId);
    for (const e of g.Endpoints) {
      out.push({
        host: vpnEndpointHostName(g.VpnGatewayId, e.TunnelIndex), ownerId: g.VpnGatewayId, conns, index: e.TunnelIndex, InternetIp: e.InternetIp, ZoneId: e.ZoneId,
        vpcId: g.VpcId, VSwitchId: e.VSwitchId, PrivateIpAddress: e.PrivateIpAddress, stopped: e.Status === 'Stopped',
      });
    }
  }
  for (const c of m.vpnConnections) {
    if (!isCenConnection(c)) continue;
    for (const t of c.Tunnels) {
      if (!t.InternetIp) continue;
      out.push({ host: cenTunnelHostName(c.VpnConnectionId, t.TunnelIndex), ownerId: c.VpnConnectionId, conns: [c], index: t.TunnelIndex, InternetIp: t.InternetIp, ZoneId: t.ZoneId ?? '', stopped: false });
    }
  }
  return out;
}
