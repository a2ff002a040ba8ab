// GetListenerHealthStatus: the health of a GWLB listener's backends as the engine's checks
// found it (SEMANTICS E7), in the API's shape — served by the runtime, because health is
// data-plane state the control plane never sees.

import { ApiError, quoted } from '../cloud/errors';
import type { CloudModel } from '../cloud/model';
import type { Engine } from '../engine/dataplane';
import type { GwlbFw } from '../engine/forwarding';
import { parseIp } from '../engine/wire/ipv4';

export interface ServerHealth {
  ServerId: string;
  ServerIp: string;
  Port: number;
  /** Initial, Healthy, Unhealthy, Unavailable (checks off) or Unused (no forwarding GWLB uses it). */
  Status: string;
  Reason?: { ReasonCode: string };
}

/** Each backend of `groupId`, as the GWLB `lbId` sees it. */
export function serverHealth(m: Readonly<CloudModel>, engine: Engine, lbId: string, groupId: string): ServerHealth[] {
  const group = m.serverGroups.find((g) => g.ServerGroupId === groupId);
  if (!group) return [];
  const fw: GwlbFw | undefined = engine.forwarding.gwlbs.find((g) => g.id === lbId && g.groupId === groupId);
  return group.Servers.map((s) => {
    const b = fw?.backends.find((x) => x.ip === parseIp(s.ServerIp));
    if (!fw || !b) return { ServerId: s.ServerId, ServerIp: s.ServerIp, Port: s.Port, Status: 'Unused' };
    const status = engine.gwlb.health.status(fw, b);
    const reason = status === 'Unhealthy' ? engine.gwlb.health.reason(fw, b) : undefined;
    return { ServerId: s.ServerId, ServerIp: s.ServerIp, Port: s.Port, Status: status, ...(reason ? { Reason: { ReasonCode: reason } } : {}) };
  });
}

/** The API's GetListenerHealthStatus (`ListenerId`; `Filter` by Status or ServerId is not modelled). */
export function listenerHealthStatus(m: Readonly<CloudModel>, engine: Engine, params: Record<string, unknown>): Record<string, unknown> {
  const id = params.ListenerId;
  if (id === undefined || id === '') {
    throw new ApiError('MissingParameter', 'The input parameter "ListenerId" that is mandatory for processing this request is not supplied.', 400, 'ListenerId');
  }
  const l = m.listeners.find((x) => x.ListenerId === id);
  if (!l) throw new ApiError('ResourceNotFound.Listener', `The specified ListenerId ${quoted(String(id))} does not exist.`, 404, 'ListenerId');
  const group = m.serverGroups.find((g) => g.ServerGroupId === l.ServerGroupId);
  const servers = serverHealth(m, engine, l.LoadBalancerId, l.ServerGroupId);
  return {
    TotalCount: servers.length,
    ListenerHealthStatus: [
      {
        ListenerId: l.ListenerId,
        ServerGroupInfos: [{ ServerGroupId: l.ServerGroupId, HealthCheckEnabled: group?.HealthCheckConfig.HealthCheckEnabled ?? false, Servers: servers }],
      },
    ],
  };
}

/**
 * ListServerGroupServers answers membership (Available, Draining); the lab adds each
 * server's `HealthStatus` (as GetListenerHealthStatus would give it), so one call shows
 * both. The API itself has health only in GetListenerHealthStatus.
 */
export function withHealth(m: Readonly<CloudModel>, engine: Engine, result: Record<string, unknown>): void {
  const servers = result.Servers as { ServerGroupId: string; ServerIp: string; HealthStatus?: string }[] | undefined;
  for (const s of servers ?? []) {
    const lb = m.listeners.find((l) => l.ServerGroupId === s.ServerGroupId)?.LoadBalancerId;
    s.HealthStatus = (lb && serverHealth(m, engine, lb, s.ServerGroupId).find((h) => h.ServerIp === s.ServerIp)?.Status) || 'Unused';
  }
}
