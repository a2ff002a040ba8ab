// Model → forwarding state for GWLB instances (with their listener's server group) and GWLB
// endpoints (SEMANTICS E1, E2, E7, E8). compile.ts wires the endpoints into route tables.

import type { Counters } from '../engine/counters';
import type { BackendFw, GwlbeFw, GwlbFw } from '../engine/forwarding';
import { parseIp } from '../engine/wire/ipv4';
import type { CloudModel } from './model';

/** Instances that have a listener, by ID; without one a GWLB forwards nothing. */
export function compileGwlbs(model: CloudModel, vpcIndexOf: (id: string) => number, instName: (id: string) => string, counters: Counters): Map<string, GwlbFw> {
  const out = new Map<string, GwlbFw>();
  for (const lb of model.gwlbs) {
    const listener = model.listeners.find((l) => l.LoadBalancerId === lb.LoadBalancerId);
    const group = listener && model.serverGroups.find((g) => g.ServerGroupId === listener.ServerGroupId);
    if (!listener || !group) continue;
    const addrByZone = new Map<string, number>();
    for (const z of lb.ZoneMappings) {
      const a = z.LoadBalancerAddresses[0]?.PrivateIpv4Address;
      if (a) addrByZone.set(z.ZoneId, parseIp(a));
    }
    const first = addrByZone.values().next();
    if (first.done) continue;
    const backends: BackendFw[] = group.Servers.map((s) => ({
      id: s.ServerId,
      name: s.ServerType === 'Ecs' ? instName(s.ServerId) : s.ServerIp,
      ip: parseIp(s.ServerIp),
      draining: s.Status === 'Draining',
      drainEnd: s.DrainEndTime ? Date.parse(s.DrainEndTime) : 0,
    }));
    const h = group.HealthCheckConfig;
    out.set(lb.LoadBalancerId, {
      id: lb.LoadBalancerId,
      device: counters.device(lb.LoadBalancerId),
      vpc: vpcIndexOf(lb.VpcId),
      addrByZone,
      firstAddr: first.value,
      groupId: group.ServerGroupId,
      tuple: group.Scheduler === '2TCH' ? 2 : group.Scheduler === '3TCH' ? 3 : 5,
      rebalance: group.ServerFailoverMode === 'Rebalance',
      idleMs: listener.TcpIdleTimeout * 1000,
      backends,
      health: {
        enabled: h.HealthCheckEnabled,
        port: h.HealthCheckConnectPort,
        timeoutMs: h.HealthCheckConnectTimeout * 1000,
        intervalMs: h.HealthCheckInterval * 1000,
        healthy: h.HealthyThreshold,
        unhealthy: h.UnhealthyThreshold,
      },
    });
  }
  return out;
}

/** Every GWLB endpoint, by ID; `gwlb` is set only while it is connected to a forwarding GWLB. */
export function compileEndpoints(model: CloudModel, vpcIndexOf: (id: string) => number, gwlbs: Map<string, GwlbFw>, counters: Counters): Map<string, GwlbeFw> {
  const out = new Map<string, GwlbeFw>();
  for (const ep of model.endpoints) {
    const svc = model.endpointServices.find((s) => s.ServiceId === ep.ServiceId);
    const res = svc?.Resources.find((r) => r.ResourceType === 'gwlb');
    const gwlb = ep.ConnectionStatus === 'Connected' && res ? gwlbs.get(res.ResourceId) ?? null : null;
    const [endpointHi, endpointLo] = id64(ep.EndpointId);
    const [connectionHi, connectionLo] = id64(`${ep.EndpointId}/${ep.ServiceId}`);
    out.set(ep.EndpointId, {
      id: ep.EndpointId, device: counters.device(ep.EndpointId), vpc: vpcIndexOf(ep.VpcId), zone: ep.Zone.ZoneId,
      eniIp: parseIp(ep.Zone.EniIp), table: null, gwlb, endpointHi, endpointLo, connectionHi, connectionLo,
    });
  }
  return out;
}

/** A stable 64-bit value for an ID, as two 32-bit halves (FNV-1a, twice with different bases). */
function id64(id: string): [number, number] {
  let hi = 0x811c9dc5;
  let lo = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193) >>> 0;
    lo = Math.imul(lo ^ c, 0x811c9dc5 | 1) >>> 0;
  }
  return [hi, lo];
}
