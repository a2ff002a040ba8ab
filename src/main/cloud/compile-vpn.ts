// Model → forwarding state for VPN gateways (SEMANTICS F3–F5): each gateway's connections
// with their two tunnels and health checks, its destination routes (LPM) and policy routes
// (by priority), and the two endpoint appliances its tunnels terminate on. compile.ts wires
// the gateway into the VPC's route tables and the endpoints' ports.

import type { Counters } from '../engine/counters';
import type { VpnConnFw, VpnGatewayFw, VpnPbrFw, VpnRouteFw } from '../engine/forwarding';
import { Lpm } from '../engine/lpm';
import { parseIp } from '../engine/wire/ipv4';
import { cidrOf } from './cidr';
import type { CloudModel, VpnConnection, VpnGateway } from './model';
import { vpnEndpointHostName } from './actions/vpn-gateway';


const ANY = '0.0.0.0/0';

export function compileVpnGateways(model: CloudModel, vpcIndexOf: (id: string) => number, portOf: (host: string) => number | undefined, counters: Counters): Map<string, VpnGatewayFw> {
  const out = new Map<string, VpnGatewayFw>();
  for (const g of model.vpnGateways) {
    const conns = new Map<string, VpnConnFw>();
    const endpointPorts = g.Endpoints.map((e) => portOf(vpnEndpointHostName(g.VpnGatewayId, e.TunnelIndex)) ?? -1);
    for (const c of model.vpnConnections) if (c.VpnGatewayId === g.VpnGatewayId) conns.set(c.VpnConnectionId, compileConnection(model, c, counters, endpointPorts));
    const fw: VpnGatewayFw = {
      id: g.VpnGatewayId,
      device: counters.device(g.VpnGatewayId),
      vpc: vpcIndexOf(g.VpcId),
      pbr: [],
      dbr: new Lpm(),
      endpointPorts,
      endpointIps: g.Endpoints.map((e) => parseIp(e.InternetIp)),
      tables: g.Endpoints.map(() => null),
      conns: [...conns.values()],
    };
    routes(model, g, conns, fw);
    out.set(g.VpnGatewayId, fw);
  }
  return out;
}

/** A connection with its tunnels; `ports`: per tunnel index, the appliance it ends on. */
export function compileConnection(model: CloudModel, c: VpnConnection, counters: Counters, ports: number[]): VpnConnFw {
  const h = c.HealthCheck;
  const fw: VpnConnFw = {
    ports,
    id: c.VpnConnectionId,
    device: counters.device(c.VpnConnectionId),
    tunnels: [],
    master: Math.max(0, c.Tunnels.findIndex((t) => t.Role === 'master')),
    health: h.Enable ? { sip: parseIp(h.Sip), dip: parseIp(h.Dip), intervalMs: h.Interval * 1000, retry: h.Retry, revoke: h.Policy === 'revoke_route' } : null,
    remote: new Lpm(),
  };
  for (const t of c.Tunnels) fw.tunnels.push({ id: t.TunnelId, index: t.TunnelIndex - 1, device: counters.device(t.TunnelId), conn: fw });
  // What the IDC side holds: its protected subnets, or (destination routing, 0.0.0.0/0 both
  // sides) the destinations the gateway routes to this connection.
  const remote = c.RemoteSubnet.filter((s) => s !== ANY);
  for (const r of model.vpnRouteEntries) if (r.NextHop === c.VpnConnectionId) remote.push(r.RouteDest);
  for (const s of remote) {
    const x = cidrOf(s);
    fw.remote.insert(x.addr, x.len, true);
  }
  return fw;
}

/** F5: policy routes by priority (then in the order made), destination routes by LPM. */
function routes(model: CloudModel, g: VpnGateway, conns: Map<string, VpnConnFw>, fw: VpnGatewayFw): void {
  const dbr = new Map<string, VpnRouteFw[]>();
  const pbr = new Map<string, VpnPbrFw>();
  for (const r of model.vpnRouteEntries) {
    if (r.VpnGatewayId !== g.VpnGatewayId) continue;
    const conn = conns.get(r.NextHop);
    if (!conn) continue;
    const active = r.Weight === 100;
    const role = active ? 'active' : 'standby';
    if (r.RouteType === 'dbr') {
      const list = dbr.get(r.RouteDest) ?? [];
      list.push({ conn, active, rule: `${r.RouteDest} → ${r.NextHop} (destination route, ${role})` });
      dbr.set(r.RouteDest, list);
      continue;
    }
    const key = `${r.RouteSource}>${r.RouteDest}`;
    let p = pbr.get(key);
    if (!p) {
      const s = cidrOf(r.RouteSource ?? ANY);
      const d = cidrOf(r.RouteDest);
      p = { srcAddr: s.addr, srcMask: s.mask, dstAddr: d.addr, dstMask: d.mask, priority: r.Priority ?? 10, routes: [] };
      pbr.set(key, p);
    }
    p.priority = Math.min(p.priority, r.Priority ?? 10);
    p.routes.push({ conn, active, rule: `${r.RouteSource} to ${r.RouteDest} → ${r.NextHop} (policy route, priority ${r.Priority ?? 10}, ${role})` });
  }
  for (const [dest, list] of dbr) {
    const c = cidrOf(dest);
    fw.dbr.insert(c.addr, c.len, list);
  }
  fw.pbr = [...pbr.values()].sort((a, b) => a.priority - b.priority);
}
