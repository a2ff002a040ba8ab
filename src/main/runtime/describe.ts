// What the lab tells about its resources beyond the model alone: the status listing with
// console words (Active/Inactive, private VPC) and the NAT gateways' metrics, which come
// from the engine's session tables and counters rather than from the control plane.

import type { ResourceInfo } from '../api/lab-service';
import { ApiError } from '../cloud/errors';
import { currentServers, endpointStatus, listenerStatus, loadBalancerStatus, serverGroupStatus, serviceStatus } from '../cloud/actions/gwlb-status';
import type { CloudModel } from '../cloud/model';
import type { Engine } from '../engine/dataplane';
import { serverHealth } from './gwlb-health';
import type { TunnelLive, VpnAlert } from './vpn';
import { trRoutes } from '../cloud/tr-routes';

/** `now`: for the statuses the API shows as asynchronous (Provisioning → Active), derived from creation times. */
export function resourcesOf(m: Readonly<CloudModel>, engine: Engine, now = Date.now(), vpn?: VpnView): ResourceInfo[] {
  return [
    ...m.vpcs.map((v) => ({ type: 'VPC', id: v.VpcId, name: v.VpcName, detail: `${v.CidrBlock}${v.InternetMode === 'private' ? ' (private: no Internet)' : ''}` })),
    ...m.vswitches.map((v) => ({ type: 'vSwitch', id: v.VSwitchId, name: v.VSwitchName, detail: `${v.CidrBlock} ${v.ZoneId} → ${v.RouteTableId}` })),
    ...m.routeTables.map((t) => ({ type: 'RouteTable', id: t.RouteTableId, name: t.RouteTableName, detail: `${t.AssociateType === 'Gateway' ? 'Gateway' : t.RouteTableType} ${t.Entries.length} custom entries` })),
    ...m.instances.map((i) => ({ type: 'ECS', id: i.InstanceId, name: i.InstanceName, detail: `${i.PrivateIpAddress} in ${i.VSwitchId}${i.Status === 'Stopped' ? ' (Stopped)' : ''}` })),
    ...m.natGateways.map((g) => {
      const x = engine.natGateways.metrics(g.NatGatewayId);
      const eips = m.eips.filter((e) => e.InstanceId === g.NatGatewayId).map((e) => e.IpAddress).join(',');
      return { type: 'NATGW', id: g.NatGatewayId, name: g.Name, detail: `${g.PrivateIpAddress} EIPs ${eips || '-'}; ${g.SnatEntries.length} SNAT, ${g.ForwardEntries.length} DNAT; sessions ${x.sessions}, ErrorPortAllocationCount ${x.errorPortAllocation}` };
    }),
    ...m.ipv4Gateways.map((g) => ({ type: 'IPv4GW', id: g.Ipv4GatewayId, name: g.Ipv4GatewayName, detail: `${g.Enabled ? 'Active' : 'Inactive'}${g.Ipv4GatewayRouteTableId ? ` gateway table ${g.Ipv4GatewayRouteTableId}` : ''}` })),
    ...m.eips.map((e) => ({ type: 'EIP', id: e.AllocationId, name: e.Name, detail: `${e.IpAddress} ${e.Status}${e.InstanceId ? ` → ${e.InstanceId}` : ''}` })),
    ...gwlbRows(m, engine, now),
    ...vpnRows(m, engine, vpn),
    ...trRows(m),
  ];
}

/** CEN instances, transit routers with their route table's selected routes, attachments. */
function trRows(m: Readonly<CloudModel>): ResourceInfo[] {
  return [
    ...m.cens.map((c) => ({ type: 'CEN', id: c.CenId, name: c.Name, detail: `transit routers ${m.transitRouters.filter((t) => t.CenId === c.CenId).map((t) => t.TransitRouterId).join(', ') || '-'}` })),
    ...m.transitRouters.map((t) => ({ type: 'TR', id: t.TransitRouterId, name: t.TransitRouterName, detail: `${t.RegionId}, route table ${t.RouteTableId}` })),
    ...m.trAttachments.map((a) => ({
      type: 'TRAttach', id: a.TransitRouterAttachmentId, name: a.TransitRouterAttachmentName,
      detail: `${a.ResourceType} ${a.ResourceId}${a.ZoneMappings.length ? ` ENI ${a.ZoneMappings.map((z) => `${z.NetworkInterfaceIp} (${z.VSwitchId})`).join(', ')}` : ''}` +
        `; associated ${a.AssociatedRouteTableId ?? '-'}, propagates to ${a.PropagatedRouteTableIds.join(', ') || '-'}`,
    })),
    ...m.transitRouters.flatMap((t) => {
      const byDest = new Map<string, string[]>();
      for (const r of trRoutes(m, t.RouteTableId)) {
        if (r.TransitRouterRouteEntryStatus !== 'Active') continue;
        const list = byDest.get(r.TransitRouterRouteEntryDestinationCidrBlock) ?? [];
        list.push(r.TransitRouterRouteEntryNextHopId || 'blackhole');
        byDest.set(r.TransitRouterRouteEntryDestinationCidrBlock, list);
      }
      return [...byDest].map(([dest, to]) => ({ type: 'TRRoute', id: t.RouteTableId, name: dest, detail: `→ ${to.join(', ')}${to.length > 1 ? ` (ECMP over ${to.length})` : ''}` }));
    }),
  ];
}

/** What the VPN runtime knows that the model does not: each tunnel's negotiation, the ESP backend. */
export interface VpnView {
  tunnel(tunnelId: string): TunnelLive | undefined;
  esp(): string | undefined;
  /** A transit router connection's tunnel alerts (F8, TR thresholds). */
  trAlerts?(tunnelId: string): VpnAlert[];
}

/** VPN gateways (with the ESP backend their endpoints use), customer gateways, IPsec connections and their tunnels. */
function vpnRows(m: Readonly<CloudModel>, engine: Engine, vpn: VpnView | undefined): ResourceInfo[] {
  const esp = vpn?.esp();
  return [
    ...m.vpnGateways.map((g) => ({
      type: 'VPNGW', id: g.VpnGatewayId, name: g.Name,
      detail: `${g.Endpoints.map((e) => `tunnel ${e.TunnelIndex} ${e.InternetIp} (${e.ZoneId}, ${e.PrivateIpAddress})`).join('; ')}; ${g.Bandwidth} Mbps${esp ? `; ESP ${esp}` : ''}`,
    })),
    ...m.customerGateways.map((c) => ({ type: 'CustomerGW', id: c.CustomerGatewayId, name: c.Name, detail: c.IpAddress })),
    ...m.vpnConnections.map((c) => {
      const active = engine.vpn.activeTunnel(c.VpnConnectionId);
      const tunnels = c.Tunnels.map((t) => {
        const l = vpn?.tunnel(t.TunnelId);
        const carries = active?.id === t.TunnelId ? ', carries traffic' : '';
        const alerts = c.AttachType === 'CEN' ? (vpn?.trAlerts?.(t.TunnelId) ?? []).map((a) => `${a.Level}: ${a.Rule}`) : [];
        return `tunnel ${t.TunnelIndex}${t.InternetIp ? ` ${t.InternetIp}` : ` ${t.Role}`} ${l?.Status ?? 'ike_sa_not_established'}${carries}${l?.Reason ? ` (${l.Reason})` : ''}${alerts.length ? `; alerts ${alerts.join(', ')}` : ''}`;
      });
      return { type: 'IPsec', id: c.VpnConnectionId, name: c.Name, detail: `${c.LocalSubnet.join(',')} ↔ ${c.RemoteSubnet.join(',')}; ${tunnels.join('; ')}` };
    }),
  ];
}

/** GWLB instances, server groups (with their servers), listeners, endpoint services and GWLB endpoints. */
function gwlbRows(m: Readonly<CloudModel>, engine: Engine, now: number): ResourceInfo[] {
  const ecsName = (id: string): string => m.instances.find((i) => i.InstanceId === id)?.InstanceName ?? id;
  return [
    ...m.gwlbs.map((lb) => ({
      type: 'GWLB', id: lb.LoadBalancerId, name: lb.LoadBalancerName,
      detail: `${loadBalancerStatus(lb, now)} ${lb.ZoneMappings.map((z) => `${z.ZoneId} ${z.LoadBalancerAddresses.map((a) => a.PrivateIpv4Address).join(',')}`).join('; ')}`,
    })),
    ...m.listeners.map((l) => ({
      type: 'Listener', id: l.ListenerId, name: l.ListenerDescription,
      detail: `${listenerStatus(l, now)} ${l.LoadBalancerId} → ${l.ServerGroupId}, idle timeout ${l.TcpIdleTimeout}s`,
    })),
    ...m.serverGroups.map((g) => {
      // Health is the engine's: as the GWLB whose listener uses the group checks it.
      const lb = m.listeners.find((l) => l.ServerGroupId === g.ServerGroupId)?.LoadBalancerId;
      const health = new Map(lb ? serverHealth(m, engine, lb, g.ServerGroupId).map((h) => [h.ServerIp, h.Status]) : []);
      const servers = currentServers(g, now).map((s) => `${s.ServerType === 'Ecs' ? ecsName(s.ServerId) : s.ServerId} ${s.ServerIp} ${health.get(s.ServerIp) ?? 'Unused'}${s.Status === 'Draining' ? ' (Draining)' : ''}`);
      const hc = g.HealthCheckConfig;
      return {
        type: 'ServerGroup', id: g.ServerGroupId, name: g.ServerGroupName,
        detail: `${serverGroupStatus(g, now)} ${g.Scheduler} ${g.ServerFailoverMode}; servers ${servers.join(', ') || '-'}; health check ${hc.HealthCheckEnabled ? `${hc.HealthCheckProtocol}:${hc.HealthCheckConnectPort} every ${hc.HealthCheckInterval}s` : 'off'}`,
      };
    }),
    ...m.endpointServices.map((s) => ({
      type: 'EndpointService', id: s.ServiceId, name: s.ServiceDescription,
      detail: `${serviceStatus(s, now)} ${s.Resources.map((r) => `${r.ResourceId} ${r.ZoneId}`).join(', ') || 'no resources'}; auto-accept ${s.AutoAcceptEnabled ? 'on' : 'off'}`,
    })),
    ...m.endpoints.map((e) => ({
      type: 'GWLBe', id: e.EndpointId, name: e.EndpointName,
      detail: `${endpointStatus(e, now)} ${e.ConnectionStatus} ${e.Zone.EniIp} in ${e.Zone.VSwitchId} (${e.Zone.ZoneId}) → ${e.ServiceId}`,
    })),
  ];
}

/**
 * Lab-only action DescribeNatGatewayMetrics: a NAT gateway's sessions, new sessions per
 * second, bytes and packets in/out, and ErrorPortAllocationCount (D7, D14).
 */
export function natGatewayMetrics(m: Readonly<CloudModel>, engine: Engine, params: Record<string, unknown>): Record<string, unknown> {
  const id = params.NatGatewayId;
  const gws = m.natGateways.filter((g) => id === undefined || g.NatGatewayId === id);
  if (id !== undefined && gws.length === 0) throw new ApiError('InvalidNatGatewayId.NotFound', `The specified NatGatewayId "${String(id)}" does not exist.`, 404, 'NatGatewayId');
  const counters = engine.counters.snapshot();
  return {
    Metrics: gws.map((g) => {
      const c = counters.find((d) => d.device === g.NatGatewayId);
      const x = engine.natGateways.metrics(g.NatGatewayId);
      return {
        NatGatewayId: g.NatGatewayId, SessionCount: x.sessions, NewSessionsPerSecond: Math.round(x.newSessionsPerSecond),
        SessionsCreated: x.sessionsCreated, ErrorPortAllocationCount: x.errorPortAllocation,
        BytesIn: c?.rxBytes ?? 0, PacketsIn: c?.rxPackets ?? 0, BytesOut: c?.txBytes ?? 0, PacketsOut: c?.txPackets ?? 0,
        Drops: c?.drops ?? {},
      };
    }),
  };
}
