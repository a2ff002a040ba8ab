// The VPN gateways at run time: the lab writes each endpoint appliance's swanctl.conf from
// the model and loads it into its charon (F9: configuration takes effect at once), asks the
// charons every second how their SAs stand, tells the engine (which tunnel may carry
// traffic, F3), and keeps what the cloud's monitoring shows (F8): each tunnel's negotiation
// status, its rates, the alert levels and the events.

import type { Charon, SaState } from '../host/charon';
import type { CloudModel, VpnConnection, VpnGateway } from '../cloud/model';
import type { Engine } from '../engine/dataplane';
import { vpnAppliances, type VpnAppliance } from '../cloud/vpn-appliances';
import { lastFailure } from './charon-log';
import { trafficSelectors } from '../cloud/vpn-swanctl';

/** The cloud's words for a tunnel's (and a connection's) negotiation. */
export type NegotiationStatus = 'ike_sa_not_established' | 'ike_sa_established' | 'ipsec_sa_not_established' | 'ipsec_sa_established';

export interface TunnelLive {
  Status: NegotiationStatus;
  /** F8's metric: 1 = Up, 0 = Down. */
  NegotiationStatus: 0 | 1;
  SpiIn: string;
  SpiOut: string;
  /** Why it is down, in charon's words, when its log says. */
  Reason?: string;
}

export interface VpnEvent {
  EventName: 'IPsec Tunnel Negotiation Failed' | 'All IPsec Tunnels Failed to Negotiate' | 'Health Check Failed' | 'VPN Connection Health Check Failed';
  EventType: 'Abnormal';
  Time: string;
  ResourceId: string;
  Content: string;
}

interface Rate {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  at: number;
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
}

const MAX_EVENTS = 200;

/** What the runtime gives this class: the model, the engine, the hosts' charons. */
export interface VpnHostAccess {
  model(): Readonly<CloudModel>;
  charon(host: string): Charon | undefined;
  /** The swanctl.conf of a cloud-side appliance (cloud/vpn-swanctl.ts applianceSwanctl). */
  config(model: Readonly<CloudModel>, appliance: VpnAppliance): string;
  log(message: string): void;
}

export class VpnRuntime {
  private readonly loaded = new Map<string, string>();
  private readonly anchored = new Map<string, string>();
  /** Endpoints stopped (StopVpnTunnelEndpoint): when started again, their SAs are made afresh. */
  private readonly stopped = new Set<string>();
  /** Connections whose every tunnel fails its health check: the connection's event is raised once. */
  private readonly connsUnhealthy = new Set<string>();
  /** Per endpoint host, per connection: what its IKE SA was negotiated with. */
  private readonly negotiated = new Map<string, Map<string, string>>();
  private readonly live = new Map<string, TunnelLive>();
  private readonly rates = new Map<string, Rate>();
  readonly events: VpnEvent[] = [];
  private syncing: Promise<void> = Promise.resolve();
  private polling = false;

  constructor(private readonly engine: Engine, private readonly access: VpnHostAccess) {}

  /** Write and load every endpoint's configuration that changed; one sync after another. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow()).catch((e: Error) => this.access.log(`VPN configuration: ${e.message}`));
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const m = this.access.model();
    const hosts = new Set<string>();
    for (const a of vpnAppliances(m)) {
      const host = a.host;
      hosts.add(host);
      const charon = this.access.charon(host);
      if (!charon) continue;
      if (a.stopped) this.stopped.add(host);
      else if (this.stopped.delete(host)) await this.restart(charon, a);
      // The selectors the children are narrowed to (the VPC, the advertised routes, the
      // transit router's routes) may change while the configuration text does not (its
      // local selector is 0.0.0.0/0).
      const selectors = [...new Set(a.conns.flatMap((c) => trafficSelectors(m, c).cloud))];
      if (this.anchored.get(host) !== selectors.join()) {
        await charon.anchorSelectors(selectors);
        this.anchored.set(host, selectors.join());
      }
      const text = this.access.config(m, a);
      if (this.loaded.get(host) === text) continue;
      await charon.load(text);
      // swanctl --load-all leaves SAs of connections it removed; close them, as the cloud does.
      await this.closeRemoved(charon, a);
      await this.renegotiateChanged(host, charon, m, a);
      this.loaded.set(host, text);
    }
    for (const h of [...this.loaded.keys()]) if (!hosts.has(h)) this.loaded.delete(h);
    for (const h of [...this.negotiated.keys()]) if (!hosts.has(h)) this.negotiated.delete(h);
    for (const h of [...this.anchored.keys()]) if (!hosts.has(h)) this.anchored.delete(h);
  }

  /**
   * An IKE SA keeps the configuration it was negotiated with: a connection whose settings
   * changed (its subnets, an advertised route, a key) is renegotiated, as the cloud applies a
   * change at once (F9) — closed, and started again when it starts by itself.
   */
  private async renegotiateChanged(host: string, charon: Charon, m: Readonly<CloudModel>, a: VpnAppliance): Promise<void> {
    const before = this.negotiated.get(host) ?? new Map<string, string>();
    const now = new Map<string, string>();
    for (const c of a.conns) {
      const t = c.Tunnels.find((x) => x.TunnelIndex === a.index);
      const peer = m.customerGateways.find((x) => x.CustomerGatewayId === t?.CustomerGatewayId)?.IpAddress;
      now.set(c.VpnConnectionId, JSON.stringify([t, peer, c.EffectImmediately, trafficSelectors(m, c)]));
    }
    for (const [id, print] of now) {
      const was = before.get(id);
      if (was === undefined || was === print) continue;
      await charon.swanctl(['--terminate', '--ike', id, '--force', '--timeout', '2']);
      if (m.vpnConnections.find((c) => c.VpnConnectionId === id)?.EffectImmediately) {
        await charon.swanctl(['--initiate', '--child', id, '--timeout', '-1']);
      }
    }
    this.negotiated.set(host, now);
  }

  /** An endpoint back from a failure: its stale SAs closed, the ones that start by themselves started. */
  private async restart(charon: Charon, a: VpnAppliance): Promise<void> {
    for (const c of a.conns) {
      await charon.swanctl(['--terminate', '--ike', c.VpnConnectionId, '--force', '--timeout', '2']);
      if (c.EffectImmediately) await charon.swanctl(['--initiate', '--child', c.VpnConnectionId, '--timeout', '-1']);
    }
  }

  private async closeRemoved(charon: Charon, a: VpnAppliance): Promise<void> {
    const ids = new Set(a.conns.map((c) => c.VpnConnectionId));
    for (const sa of await charon.sas()) if (!ids.has(sa.name)) await charon.swanctl(['--terminate', '--ike', sa.name, '--force', '--timeout', '2']);
  }

  /** Once a second: the charons' SAs into the engine, rates sampled, events raised. */
  async poll(now = Date.now()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.pollNow(now);
    } finally {
      this.polling = false;
    }
  }

  private async pollNow(now: number): Promise<void> {
    const m = this.access.model();
    const seen = new Set<string>();
    for (const a of vpnAppliances(m)) {
      // A stopped endpoint (its zone failed) carries nothing, whatever its charon believes.
      const charon = a.stopped ? undefined : this.access.charon(a.host);
      const sas = charon ? await charon.sas() : [];
      for (const c of a.conns) {
        const t = c.Tunnels.find((x) => x.TunnelIndex === a.index);
        if (!t) continue;
        seen.add(t.TunnelId);
        const peer = m.customerGateways.find((x) => x.CustomerGatewayId === t.CustomerGatewayId)?.IpAddress ?? '';
        this.update(c, t.TunnelId, sas.filter((s) => s.name === c.VpnConnectionId), charon, peer, now, a.stopped ? `its endpoint in ${a.ZoneId} is stopped` : undefined);
      }
    }
    for (const id of [...this.live.keys()]) if (!seen.has(id)) this.live.delete(id);
    for (const id of [...this.rates.keys()]) if (!seen.has(id)) this.rates.delete(id);
    this.healthEvents(m);
    this.sampleRates(m, now);
  }

  private update(c: VpnConnection, tunnelId: string, sas: SaState[], charon: Charon | undefined, peer: string, now: number, why?: string): void {
    // Both ends may initiate at once (the cloud when EffectImmediately): of two IKE SAs of a
    // tunnel, the one with an installed child counts.
    const established = sas.filter((s) => s.state === 'ESTABLISHED');
    const ike = established.find((s) => s.children.some((ch) => ch.state === 'INSTALLED')) ?? established[0];
    const child = ike?.children.find((ch) => ch.state === 'INSTALLED');
    const Status: NegotiationStatus = child ? 'ipsec_sa_established' : ike ? 'ipsec_sa_not_established' : 'ike_sa_not_established';
    const up = child !== undefined;
    const before = this.live.get(tunnelId);
    const next: TunnelLive = { Status, NegotiationStatus: up ? 1 : 0, SpiIn: child?.spiIn ?? '', SpiOut: child?.spiOut ?? '' };
    if (!up) next.Reason = why ?? (charon && lastFailure(charon.ikeLog, c.VpnConnectionId, peer));
    this.live.set(tunnelId, next);
    this.engine.vpn.tunnels.setSa(tunnelId, { up, spiIn: next.SpiIn, spiOut: next.SpiOut });
    if (before?.NegotiationStatus === 1 && !up) {
      this.event('IPsec Tunnel Negotiation Failed', tunnelId, `tunnel ${tunnelId} of ${c.VpnConnectionId} is down${next.Reason ? `: ${next.Reason}` : ''}`, now);
      const others = c.Tunnels.filter((t) => t.TunnelId !== tunnelId).map((t) => this.live.get(t.TunnelId));
      if (others.every((o) => o === undefined || o.NegotiationStatus === 0)) this.event('All IPsec Tunnels Failed to Negotiate', c.VpnConnectionId, `no tunnel of ${c.VpnConnectionId} is negotiated`, now);
    }
  }

  /** F4's verdicts, made by the engine's probes. */
  private healthEvents(m: Readonly<CloudModel>): void {
    const ev = this.engine.vpn.events.splice(0);
    for (const h of ev) {
      if (h.healthy) {
        this.connsUnhealthy.delete(h.connId);
        continue;
      }
      this.event('Health Check Failed', h.tunnelId, `the health check of tunnel ${h.tunnelId} of ${h.connId} failed`, h.at);
      const c = m.vpnConnections.find((x) => x.VpnConnectionId === h.connId);
      const all = c?.Tunnels.every((t) => !this.engine.vpn.tunnels.get(t.TunnelId).healthy || this.live.get(t.TunnelId)?.NegotiationStatus !== 1);
      if (all && !this.connsUnhealthy.has(h.connId)) {
        this.connsUnhealthy.add(h.connId);
        this.event('VPN Connection Health Check Failed', h.connId, `the health check of ${h.connId} failed on every tunnel`, h.at);
      }
    }
  }

  private event(EventName: VpnEvent['EventName'], ResourceId: string, Content: string, at: number): void {
    this.events.push({ EventName, EventType: 'Abnormal', Time: new Date(at).toISOString(), ResourceId, Content });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Per tunnel: bytes and packets the engine carried to it (out) and from it (in) per second. */
  private sampleRates(m: Readonly<CloudModel>, now: number): void {
    const snap = new Map(this.engine.counters.snapshot().map((d) => [d.device, d]));
    for (const c of m.vpnConnections) {
      for (const t of c.Tunnels) {
        const d = snap.get(t.TunnelId);
        if (!d) continue;
        const r = this.rates.get(t.TunnelId);
        const cur = { bytesIn: d.rxBytes, bytesOut: d.txBytes, packetsIn: d.rxPackets, packetsOut: d.txPackets, at: now };
        if (!r) {
          this.rates.set(t.TunnelId, { ...cur, inBps: 0, outBps: 0, inPps: 0, outPps: 0 });
          continue;
        }
        const dt = (now - r.at) / 1000;
        if (dt <= 0) continue;
        this.rates.set(t.TunnelId, {
          ...cur,
          inBps: ((cur.bytesIn - r.bytesIn) * 8) / dt, outBps: ((cur.bytesOut - r.bytesOut) * 8) / dt,
          inPps: (cur.packetsIn - r.packetsIn) / dt, outPps: (cur.packetsOut - r.packetsOut) / dt,
        });
      }
    }
  }

  /** F8's alerts of a transit router connection's tunnel, with the TR thresholds. */
  trAlerts(tunnelId: string): VpnAlert[] {
    return trTunnelAlerts(this.rates.get(tunnelId) ?? { inBps: 0, outBps: 0, inPps: 0, outPps: 0 }, this.live.get(tunnelId)?.NegotiationStatus ?? 0);
  }

  /** A tunnel's negotiation as the Describe actions show it; undefined before the first poll. */
  tunnel(tunnelId: string): TunnelLive | undefined {
    return this.live.get(tunnelId);
  }

  /**
   * F8 for IPsec connections on a transit router: per tunnel the status metric, its rates and
   * its own alerts (the TR thresholds), whether it carries traffic, and the events.
   */
  monitorAttachments(m: Readonly<CloudModel>, conns: readonly VpnConnection[]): Record<string, unknown> {
    const tunnels: Record<string, unknown>[] = [];
    for (const c of conns) {
      const att = m.trAttachments.find((a) => a.ResourceId === c.VpnConnectionId);
      const active = this.engine.vpn.activeTunnel(c.VpnConnectionId);
      for (const t of c.Tunnels) {
        const l = this.live.get(t.TunnelId);
        const r = this.rates.get(t.TunnelId) ?? { inBps: 0, outBps: 0, inPps: 0, outPps: 0 };
        const status = l?.NegotiationStatus ?? 0;
        tunnels.push({
          VpnConnectionId: c.VpnConnectionId, Name: c.Name, TransitRouterAttachmentId: att?.TransitRouterAttachmentId ?? '', TransitRouterId: att?.TransitRouterId ?? '',
          TunnelId: t.TunnelId, TunnelIndex: t.TunnelIndex, InternetIp: t.InternetIp ?? '', TunnelStatus: status, Status: l?.Status ?? 'ike_sa_not_established',
          CarriesTraffic: active?.id === t.TunnelId, SpiIn: l?.SpiIn ?? '', SpiOut: l?.SpiOut ?? '',
          InBps: Math.round(r.inBps), OutBps: Math.round(r.outBps), InPps: Math.round(r.inPps), OutPps: Math.round(r.outPps),
          Alerts: trTunnelAlerts(r, status), ...(l?.Reason ? { Reason: l.Reason } : {}),
        });
      }
    }
    return {
      Thresholds: { BandwidthMbps: { Info: 300, Warn: 500, Critical: 850 }, PacketsPerSecond: { ...TR_PPS } },
      Tunnels: tunnels,
      Events: this.events.filter((e) => tunnels.some((t) => t.TunnelId === e.ResourceId || t.VpnConnectionId === e.ResourceId)),
    };
  }

  /** F8 for one gateway: per tunnel the status metric and rates, the alert levels, the events. */
  monitor(m: Readonly<CloudModel>, g: VpnGateway): Record<string, unknown> {
    const tunnels: Record<string, unknown>[] = [];
    let inBps = 0;
    let outBps = 0;
    let down = 0;
    for (const c of m.vpnConnections) {
      if (c.VpnGatewayId !== g.VpnGatewayId) continue;
      const active = this.engine.vpn.activeTunnel(c.VpnConnectionId);
      for (const t of c.Tunnels) {
        const l = this.live.get(t.TunnelId);
        const r = this.rates.get(t.TunnelId);
        const status = l?.NegotiationStatus ?? 0;
        if (status === 0) down++;
        inBps += r?.inBps ?? 0;
        outBps += r?.outBps ?? 0;
        tunnels.push({
          VpnConnectionId: c.VpnConnectionId, TunnelId: t.TunnelId, TunnelIndex: t.TunnelIndex, Role: t.Role,
          TunnelStatus: status, Status: l?.Status ?? 'ike_sa_not_established', CarriesTraffic: active?.id === t.TunnelId,
          HealthCheck: c.HealthCheck.Enable ? (this.engine.vpn.tunnels.get(t.TunnelId).healthy ? 'success' : 'failed') : 'disabled',
          SpiIn: l?.SpiIn ?? '', SpiOut: l?.SpiOut ?? '',
          InBps: Math.round(r?.inBps ?? 0), OutBps: Math.round(r?.outBps ?? 0), InPps: Math.round(r?.inPps ?? 0), OutPps: Math.round(r?.outPps ?? 0),
          ...(l?.Reason ? { Reason: l.Reason } : {}),
        });
      }
    }
    const limit = g.Bandwidth * 1e6;
    const use = { in: inBps / limit, out: outBps / limit };
    return {
      VpnGatewayId: g.VpnGatewayId, Bandwidth: g.Bandwidth,
      InBps: Math.round(inBps), OutBps: Math.round(outBps),
      InUtilization: Math.round(use.in * 1000) / 10, OutUtilization: Math.round(use.out * 1000) / 10,
      Alerts: alerts(use, down),
      Tunnels: tunnels,
      Events: this.events.filter((e) => e.ResourceId === g.VpnGatewayId || tunnels.some((t) => t.TunnelId === e.ResourceId || t.VpnConnectionId === e.ResourceId)),
    };
  }
}

/** F8, per tunnel of a transit router attachment: bandwidth in or out, packets in + out. */
export const TR_BPS = { Info: 300e6, Warn: 500e6, Critical: 850e6 } as const;
export const TR_PPS = { Info: 36_000, Warn: 60_000, Critical: 102_000 } as const;
const LEVELS = ['Critical', 'Warn', 'Info'] as const;

/** F8, a TR attachment's tunnel: over 300/500/850 Mbit/s either way, over 36k/60k/102k pps in + out, or its status 0. */
export function trTunnelAlerts(r: { inBps: number; outBps: number; inPps: number; outPps: number }, status: 0 | 1): VpnAlert[] {
  const out: VpnAlert[] = [];
  const mbps = (b: number): string => `${Math.round(b / 1e5) / 10} Mbps`;
  for (const [dir, b] of [['inbound', r.inBps], ['outbound', r.outBps]] as const) {
    const level = LEVELS.find((l) => b > TR_BPS[l]);
    if (level) out.push({ Level: level, Rule: `${dir} bandwidth ${mbps(b)} > ${TR_BPS[level] / 1e6} Mbps` });
  }
  const pps = r.inPps + r.outPps;
  const level = LEVELS.find((l) => pps > TR_PPS[l]);
  if (level) out.push({ Level: level, Rule: `${Math.round(pps)} packets/s in + out > ${TR_PPS[level]}` });
  if (status === 0) out.push({ Level: 'Critical', Rule: 'tunnel negotiation status 0' });
  return out;
}

export interface VpnAlert {
  Level: 'Info' | 'Warn' | 'Critical';
  Rule: string;
}

/** F8, a VPN-gateway attachment: bandwidth utilisation over 30/50/85 %, or any tunnel down. */
export function alerts(use: { in: number; out: number }, tunnelsDown: number): VpnAlert[] {
  const out: VpnAlert[] = [];
  for (const [dir, u] of [['inbound', use.in], ['outbound', use.out]] as const) {
    const pct = `${Math.round(u * 1000) / 10}%`;
    if (u > 0.85) out.push({ Level: 'Critical', Rule: `${dir} bandwidth utilization ${pct} > 85%` });
    else if (u > 0.5) out.push({ Level: 'Warn', Rule: `${dir} bandwidth utilization ${pct} > 50%` });
    else if (u > 0.3) out.push({ Level: 'Info', Rule: `${dir} bandwidth utilization ${pct} > 30%` });
  }
  if (tunnelsDown > 0) out.push({ Level: 'Critical', Rule: `${tunnelsDown} tunnel${tunnelsDown > 1 ? 's' : ''} with negotiation status 0` });
  return out;
}
