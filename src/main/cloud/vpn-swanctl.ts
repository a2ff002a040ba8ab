// strongSwan configuration (swanctl.conf) for both ends of the lab's IPsec-VPN connections:
// the VPN gateway's tunnel endpoint appliances (cloudSideSwanctl) and the IDC's customer
// gateway (customerSideSwanctl, also what DownloadVpnConnectionConfig hands out). Pure
// functions of the model; IKE and ESP themselves are charon's.
//
// swanctl refuses several settings on one line: every setting here has a line of its own.
// The F2 parameters map to strongSwan's names: aes → aes128 (aes192, aes256, des, 3des as
// they are), md5/sha1/sha256/sha384/sha512 as they are, group1/2/5/14 → modp768/1024/1536/
// 2048; IpsecPfs `disabled` puts no DH group in esp_proposals. An SA lives at most its
// lifetime and is rekeyed at 90% of it (lifetime 0: never rekeyed).
// IKEv1 aggressive mode with a PSK needs charon's
// `i_dont_care_about_security_and_use_aggressive_mode_psk = yes` in strongswan.conf.

import type { CloudModel, VpnConnection, VpnIkeConfig, VpnIpsecConfig, VpnTunnel } from './model';
import { isCenConnection, isDestinationRouting, tunnelEnd } from './actions/vpn-common';
import { trRoutes } from './tr-routes';

const ENC: Record<VpnIkeConfig['IkeEncAlg'], string> = { aes: 'aes128', aes192: 'aes192', aes256: 'aes256', des: 'des', '3des': '3des' };
const DH: Record<VpnIkeConfig['IkePfs'], string> = { group1: 'modp768', group2: 'modp1024', group5: 'modp1536', group14: 'modp2048' };
/** DPD probes every 10 s; IKEv1 declares the peer dead after 30 s (IKEv2 uses its retransmits). */
const DPD_DELAY = '10s';
const DPD_TIMEOUT = '30s';

export const ikeProposal = (c: VpnIkeConfig): string => `${ENC[c.IkeEncAlg]}-${c.IkeAuthAlg}-${DH[c.IkePfs]}`;
export const espProposal = (c: VpnIpsecConfig): string =>
  c.IpsecPfs === 'disabled' ? `${ENC[c.IpsecEncAlg]}-${c.IpsecAuthAlg}` : `${ENC[c.IpsecEncAlg]}-${c.IpsecAuthAlg}-${DH[c.IpsecPfs]}`;

/** A value as swanctl reads it: bare when plain, else a quoted string. */
function val(v: string): string {
  return /^[A-Za-z0-9.@:_\-/]+$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Rekey at 90% of the lifetime, hard limit at the lifetime; 0 disables rekeying. */
function lifetimes(seconds: number, rekeyName: string, hardName: string, hardIsRemainder: boolean): string[] {
  if (seconds === 0) return [`${rekeyName} = 0s`];
  const rekey = Math.floor(seconds * 0.9);
  return [`${rekeyName} = ${rekey}s`, `${hardName} = ${hardIsRemainder ? seconds - rekey : seconds}s`];
}

/**
 * The traffic selectors of a connection: `cloud` is the VPC side, `idc` the data center's.
 * Protected data flows (F2): LocalSubnet and RemoteSubnet. Destination-routing mode (0.0.0.0/0
 * on both): a remote selector of 0.0.0.0/0 would, with userspace ESP (kernel-libipsec, the
 * lab's choice on kernels without XFRM), route everything into the TUN, charon's own IKE
 * and ESP packets included, and the tunnel would strangle itself. So the lab narrows the
 * selectors each side routes to (the cloud side's own local selector stays 0.0.0.0/0, see
 * cloudSelectors) to what routing can send: the cloud side is the
 * VPC CIDR plus the gateway's custom advertised routes (F6: 100.64.0.0/10), the IDC side the
 * destinations of this connection's VPN route entries (destination- and policy-based, F5),
 * or, while it has none, the LAN of the IDC site whose router holds the customer gateway's
 * address (empty when there is no such site: the connection then gets no child).
 */
export function trafficSelectors(model: Readonly<CloudModel>, conn: VpnConnection): { cloud: string[]; idc: string[] } {
  if (!isDestinationRouting(conn)) return { cloud: [...conn.LocalSubnet], idc: [...conn.RemoteSubnet] };
  let cloud: string[];
  let idc: string[];
  if (isCenConnection(conn)) ({ cloud, idc } = trSelectors(model, conn));
  else {
    const g = model.vpnGateways.find((x) => x.VpnGatewayId === conn.VpnGatewayId);
    const vpc = g && model.vpcs.find((v) => v.VpcId === g.VpcId);
    cloud = uniq([...(vpc ? [vpc.CidrBlock] : []), ...(g?.AdvertisedRoutes ?? [])]);
    idc = uniq(model.vpnRouteEntries.filter((r) => r.NextHop === conn.VpnConnectionId).map((r) => r.RouteDest));
  }
  if (idc.length === 0) {
    const ips = new Set(conn.Tunnels.map((t) => model.customerGateways.find((c) => c.CustomerGatewayId === t.CustomerGatewayId)?.IpAddress));
    idc = uniq(model.idcSites.filter((s) => ips.has(s.Gateway.PublicIp)).map((s) => s.CidrBlock));
  }
  return { cloud, idc };
}

/**
 * A connection on a transit router, destination-routing mode: the cloud side is what the
 * attachment's route table sends elsewhere than to an IPsec connection (the attached VPCs'
 * vSwitches, the cloud services routed in, static routes to VPCs), the IDC side what the
 * TR's tables send to this attachment. Unattached: nothing (no child is configured).
 */
function trSelectors(model: Readonly<CloudModel>, conn: VpnConnection): { cloud: string[]; idc: string[] } {
  const att = model.trAttachments.find((a) => a.ResourceId === conn.VpnConnectionId);
  const tr = att && model.transitRouters.find((t) => t.TransitRouterId === att.TransitRouterId);
  if (!att || !tr) return { cloud: [], idc: [] };
  const routes = trRoutes(model, tr.RouteTableId).filter((r) => r.TransitRouterRouteEntryStatus === 'Active');
  const cloud = att.AssociatedRouteTableId === tr.RouteTableId
    ? uniq(routes.filter((r) => r.TransitRouterRouteEntryNextHopResourceType === 'VPC').map((r) => r.TransitRouterRouteEntryDestinationCidrBlock))
    : [];
  const idc = uniq(routes.filter((r) => r.TransitRouterRouteEntryNextHopId === att.TransitRouterAttachmentId).map((r) => r.TransitRouterRouteEntryDestinationCidrBlock));
  return { cloud, idc };
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/**
 * The local selectors of the cloud side's children. In destination-routing mode 0.0.0.0/0,
 * as the cloud configures it: a 0.0.0.0/0 local selector routes nothing into ESP (routes go
 * to the remote selectors) and narrows to whatever the IDC proposes, so the IDC's own
 * configuration — the advertised routes in its downloaded remote selectors — decides what it
 * reaches. Two local selectors towards one remote would also need a local address inside
 * each of them for userspace ESP to route the child, which 0.0.0.0/0 always has.
 */
export function cloudSelectors(model: Readonly<CloudModel>, conn: VpnConnection): string[] {
  return isDestinationRouting(conn) ? ['0.0.0.0/0'] : trafficSelectors(model, conn).cloud;
}

interface End {
  /** The connection's (and its child's) name. */
  name: string;
  version: 1 | 2;
  aggressive: boolean;
  localAddr: string;
  remoteAddr: string;
  localId: string;
  remoteId: string;
  psk: string;
  localTs: string[];
  remoteTs: string[];
  t: VpnTunnel;
  startAction: 'start' | 'trap';
  dpdAction: 'restart' | 'trap' | 'clear';
  /** A fixed IPsec policy priority (lower first), or charon's automatic one. */
  priority?: number;
  /** What to do when the peer closes the child SA: `start` brings it up again at once. */
  closeAction?: 'start';
}

function connectionBlock(e: End): string[] {
  const { t } = e;
  const ike = t.IkeConfig;
  const out = [
    `  ${e.name} {`,
    `    version = ${e.version}`,
    `    local_addrs = ${e.localAddr}`,
    `    remote_addrs = ${e.remoteAddr}`,
  ];
  if (e.version === 1) out.push(`    aggressive = ${e.aggressive ? 'yes' : 'no'}`);
  else out.push('    mobike = no');
  // NAT traversal on (F2 default): ESP in UDP 4500 always, as the cloud's gateways send it.
  out.push(`    encap = ${t.EnableNatTraversal ? 'yes' : 'no'}`);
  out.push(`    proposals = ${ikeProposal(ike)}`);
  // IKEv1 cannot rekey an IKE SA, only reauthenticate it; rekey_time's 4 h default is turned off.
  if (e.version === 1) out.push('    rekey_time = 0s');
  out.push(...lifetimes(ike.IkeLifetime, e.version === 2 ? 'rekey_time' : 'reauth_time', 'over_time', true).map((l) => `    ${l}`));
  if (t.EnableDpd) {
    out.push(`    dpd_delay = ${DPD_DELAY}`);
    if (e.version === 1) out.push(`    dpd_timeout = ${DPD_TIMEOUT}`);
  }
  out.push(
    '    local {', '      auth = psk', `      id = ${val(e.localId)}`, '    }',
    '    remote {', '      auth = psk', `      id = ${val(e.remoteId)}`, '    }',
  );
  out.push('    children {');
  if (e.localTs.length > 0 && e.remoteTs.length > 0) {
    out.push(
      `      ${e.name} {`,
      `        local_ts = ${e.localTs.join(',')}`,
      `        remote_ts = ${e.remoteTs.join(',')}`,
      `        esp_proposals = ${espProposal(t.IpsecConfig)}`,
      ...lifetimes(t.IpsecConfig.IpsecLifetime, 'rekey_time', 'life_time', false).map((l) => `        ${l}`),
      ...(e.priority !== undefined ? [`        priority = ${e.priority}`] : []),
      `        start_action = ${e.startAction}`,
      ...(t.EnableDpd ? [`        dpd_action = ${e.dpdAction}`] : []),
      ...(e.closeAction ? [`        close_action = ${e.closeAction}`] : []),
      '      }',
    );
  }
  out.push('    }', '  }');
  return out;
}

function secretBlock(e: End): string[] {
  // Always quoted: a key may hold `#`, `{` or `"` (F2's character set).
  const secret = `"${e.psk.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [`  ike-${e.name} {`, `    id-local = ${val(e.localId)}`, `    id-remote = ${val(e.remoteId)}`, `    secret = ${secret}`, '  }'];
}

function render(ends: End[]): string {
  return ['connections {', ...ends.flatMap(connectionBlock), '}', 'secrets {', ...ends.flatMap(secretBlock), '}', ''].join('\n');
}

const version = (t: VpnTunnel): 1 | 2 => (t.IkeConfig.IkeVersion === 'ikev1' ? 1 : 2);
const aggressive = (t: VpnTunnel): boolean => t.IkeConfig.IkeMode === 'aggressive';

/**
 * The swanctl.conf of a cloud-side tunnel appliance (F3): one connection per IPsec connection
 * whose tunnel `tunnelIndex` ends there, named by its VpnConnectionId, from the appliance's
 * public IP to the tunnel's customer gateway. A VPN gateway's endpoint holds all its
 * connections' tunnel N; a transit router's connection has an appliance of its own.
 * EffectImmediately starts negotiation at once; otherwise the SA is set up when traffic
 * needs it (trap), as the API describes.
 */
export function applianceSwanctl(model: Readonly<CloudModel>, conns: readonly VpnConnection[], tunnelIndex: 1 | 2): string {
  const ends: End[] = [];
  for (const c of conns) {
    const t = c.Tunnels.find((x) => x.TunnelIndex === tunnelIndex);
    const cgw = t && model.customerGateways.find((x) => x.CustomerGatewayId === t.CustomerGatewayId);
    const local = tunnelEnd(model, c, tunnelIndex).InternetIp;
    if (!t || !cgw || !local) continue;
    const ts = trafficSelectors(model, c);
    ends.push({
      name: c.VpnConnectionId, version: version(t), aggressive: aggressive(t), localAddr: local, remoteAddr: cgw.IpAddress,
      localId: t.IkeConfig.LocalId, remoteId: t.IkeConfig.RemoteId, psk: t.IkeConfig.Psk, localTs: cloudSelectors(model, c), remoteTs: ts.idc, t,
      startAction: c.EffectImmediately ? 'start' : 'trap', dpdAction: c.EffectImmediately ? 'restart' : 'trap',
    });
  }
  return render(ends);
}

/** The swanctl.conf of VPN gateway `vpnGatewayId`'s endpoint `tunnelIndex`. */
export function cloudSideSwanctl(model: Readonly<CloudModel>, vpnGatewayId: string, tunnelIndex: 1 | 2): string {
  const g = model.vpnGateways.find((x) => x.VpnGatewayId === vpnGatewayId);
  if (!g) throw new Error(`internal: no VPN gateway ${vpnGatewayId}`);
  if (!g.Endpoints.some((e) => e.TunnelIndex === tunnelIndex)) throw new Error(`internal: ${vpnGatewayId} has no tunnel endpoint ${tunnelIndex}`);
  return applianceSwanctl(model, model.vpnConnections.filter((c) => c.VpnGatewayId === vpnGatewayId), tunnelIndex);
}

/**
 * F3 on the IDC side: both tunnels protect the same traffic, so their IPsec policies are the
 * same. The fixed priorities ask for the master tunnel's SA first. Measured with userspace
 * ESP (kernel-libipsec, charon 5.9) they are not honoured: of the two SAs the newest carries
 * the IDC's outbound traffic, and when it goes the other one takes over at once. The cloud
 * side accepts on both tunnels (its device layer is active-active, F3) and sends on the
 * active one, so either way traffic flows; the cloud's choice is what the lab shows.
 */
export const IDC_MASTER_PRIORITY = 100;
export const IDC_SLAVE_PRIORITY = 200;

/**
 * The customer gateway's swanctl.conf for one connection, as a network engineer would write
 * it: `tun1` and `tun2`, one per tunnel, to endpoint 1's and 2's public IPs, the cloud's
 * settings mirrored (its LocalId is our remote ID). Both start at once, restart on DPD
 * loss and come up again when the cloud closes them (a renegotiation after a configuration
 * change), so the standby is up when the cloud fails over (F3). With `customerGatewayId`, only
 * the tunnels that end on that customer gateway (several on-premises gateways, F9).
 */
export function customerSideSwanctl(model: Readonly<CloudModel>, vpnConnectionId: string, customerGatewayId?: string): string {
  const c = model.vpnConnections.find((x) => x.VpnConnectionId === vpnConnectionId);
  if (!c) throw new Error(`internal: no VPN connection ${vpnConnectionId}`);
  const ts = trafficSelectors(model, c);
  const ends: End[] = [];
  for (const t of [...c.Tunnels].sort((a, b) => a.TunnelIndex - b.TunnelIndex)) {
    if (customerGatewayId !== undefined && t.CustomerGatewayId !== customerGatewayId) continue;
    const cgw = model.customerGateways.find((x) => x.CustomerGatewayId === t.CustomerGatewayId);
    const remote = tunnelEnd(model, c, t.TunnelIndex).InternetIp;
    if (!cgw || !remote) continue;
    ends.push({
      name: idcTunnelName(model, c, t), version: version(t), aggressive: aggressive(t), localAddr: cgw.IpAddress, remoteAddr: remote,
      localId: t.IkeConfig.RemoteId, remoteId: t.IkeConfig.LocalId, psk: t.IkeConfig.Psk, localTs: ts.idc, remoteTs: ts.cloud, t,
      startAction: 'start', dpdAction: 'restart', closeAction: 'start', priority: t.Role === 'master' ? IDC_MASTER_PRIORITY : IDC_SLAVE_PRIORITY,
    });
  }
  return render(ends);
}

/**
 * The name of a tunnel in the IDC's configuration: `tun1`/`tun2` for a VPN gateway's
 * connection; for a transit router's (one router often holds several, an ECMP group, whose
 * downloaded files are loaded side by side) the connection's name when it is a plain word no
 * other connection to the same customer gateway uses, else its ID.
 */
export function idcTunnelName(model: Readonly<CloudModel>, c: VpnConnection, t: VpnTunnel): string {
  if (!isCenConnection(c)) return `tun${t.TunnelIndex}`;
  const peers = model.vpnConnections.filter((x) => x !== c && x.Tunnels.some((y) => y.CustomerGatewayId === t.CustomerGatewayId));
  return /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(c.Name) && !peers.some((x) => x.Name === c.Name) ? c.Name : c.VpnConnectionId;
}
