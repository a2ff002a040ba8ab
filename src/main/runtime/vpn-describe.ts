// DescribeVpnConnection(s) with what only the runtime knows: each tunnel's negotiation as
// charon reports it, the connection's status (its best tunnel's), and the health check's
// verdict from the engine's probes (F4). The control plane answers with placeholders.

import type { Engine } from '../engine/dataplane';
import type { CloudModel, VpnConnection } from '../cloud/model';
import { notFound } from '../cloud/errors';
import type { TunnelLive } from './vpn';

export const NEGOTIATION_ADDED_TO: ReadonlySet<string> = new Set(['DescribeVpnConnection', 'DescribeVpnConnections']);

const ORDER = ['ike_sa_not_established', 'ike_sa_established', 'ipsec_sa_not_established', 'ipsec_sa_established'];

type Tunnel = { TunnelId?: unknown; Status?: unknown };
type Connection = {
  Status?: unknown;
  VcoHealthCheck?: { Enable?: unknown; Status?: unknown };
  TunnelOptionsSpecification?: { TunnelOptions?: Tunnel[] };
};

export function withNegotiation(result: Record<string, unknown>, engine: Engine, live: (tunnelId: string) => TunnelLive | undefined): void {
  const list = (result.VpnConnections as { VpnConnection?: Connection[] } | undefined)?.VpnConnection ?? [result as Connection];
  for (const c of list) {
    const tunnels = c.TunnelOptionsSpecification?.TunnelOptions;
    if (!Array.isArray(tunnels)) continue;
    let best = 0;
    let healthy = false;
    for (const t of tunnels) {
      if (typeof t.TunnelId !== 'string') continue;
      const l = live(t.TunnelId);
      if (l) t.Status = l.Status;
      best = Math.max(best, ORDER.indexOf(String(t.Status)));
      const s = engine.vpn.tunnels.get(t.TunnelId);
      if (s.up && s.healthy) healthy = true;
    }
    c.Status = ORDER[best];
    if (c.VcoHealthCheck && c.VcoHealthCheck.Enable === 'true') c.VcoHealthCheck.Status = healthy ? 'success' : 'failed';
  }
}

/**
 * DescribeVpnAttachmentMonitor's connections: those on TransitRouterId, or the one
 * VpnConnectionId names (a CEN connection), or every CEN connection.
 */
export function attachmentConns(m: Readonly<CloudModel>, params: Record<string, unknown>): VpnConnection[] {
  const tr = params.TransitRouterId;
  const id = params.VpnConnectionId;
  if (tr !== undefined && !m.transitRouters.some((t) => t.TransitRouterId === tr)) throw notFound('InvalidTransitRouterId.NotFound', 'TransitRouterId', String(tr));
  if (id !== undefined) {
    const c = m.vpnConnections.find((x) => x.VpnConnectionId === id && x.AttachType === 'CEN');
    if (!c) throw notFound('InvalidVpnConnectionInstanceId.NotFound', 'VpnConnectionId', String(id));
    return [c];
  }
  const on = new Set(m.trAttachments.filter((a) => tr === undefined || a.TransitRouterId === tr).map((a) => a.ResourceId));
  return m.vpnConnections.filter((c) => c.AttachType === 'CEN' && (tr === undefined || on.has(c.VpnConnectionId)));
}
