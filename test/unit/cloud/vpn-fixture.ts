// The VPN unit tests' lab: the fixture's VPC (192.168.0.0/16, vSwitch A in zone a, B in zone
// b), an IDC site whose router is 198.51.100.1 with LAN 172.16.0.0/16, and shorthands for
// the VPN gateway, customer gateway and dual-tunnel connection calls.

import { fixture, type Fixture } from './helpers';
import type { Params } from '../../../src/main/cloud/params';

export const IDC_IP = '198.51.100.1';

export interface VpnFixture extends Fixture {
  gw: (extra?: Params) => string;
  cgw: (ip?: string, extra?: Params) => string;
  /** A connection on `gw` to `cgw` for both tunnels; `tunnels` overrides per-tunnel options. */
  conn: (gw: string, cgw: string, extra?: Params, tunnels?: Record<string, unknown>[]) => string;
  tunnelSpec: (cgw: string, tunnels?: Record<string, unknown>[]) => Record<string, unknown>[];
}

export function vpnFixture(labName = 't-vpn-unit'): VpnFixture {
  const f = fixture(labName);
  f.call('CreateIdcSite', { SiteName: 'idc', CidrBlock: '172.16.0.0/16', GatewayName: 'idc-gw', GatewayPublicIp: IDC_IP });
  const gw = (extra: Params = {}): string => f.call('CreateVpnGateway', { VpcId: f.vpc, VSwitchId: f.vswA, DisasterRecoveryVSwitchId: f.vswB, ...extra }).VpnGatewayId as string;
  const cgw = (ip = IDC_IP, extra: Params = {}): string => f.call('CreateCustomerGateway', { IpAddress: ip, ...extra }).CustomerGatewayId as string;
  const tunnelSpec = (c: string, tunnels: Record<string, unknown>[] = [{}, {}]): Record<string, unknown>[] => tunnels.map((t) => ({ CustomerGatewayId: c, ...t }));
  const conn = (g: string, c: string, extra: Params = {}, tunnels?: Record<string, unknown>[]): string =>
    f.call('CreateVpnConnection', {
      VpnGatewayId: g, LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16', TunnelOptionsSpecification: tunnelSpec(c, tunnels) as never, ...extra,
    }).VpnConnectionId as string;
  return { ...f, gw, cgw, conn, tunnelSpec };
}
