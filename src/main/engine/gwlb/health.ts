// Health checks of a GWLB's backends (SEMANTICS E7): a real TCP probe from the GWLB's own
// address to each backend's check port, not encapsulated — a SYN; a SYN-ACK within the
// timeout is a success (the prober then resets the half-open connection), an RST or no
// answer a failure. `HealthyThreshold` successes in a row make a backend Healthy,
// `UnhealthyThreshold` failures Unhealthy. Probe timing and state are data-plane state:
// they outlive recompiles. This file decides; the device (device.ts) sends and receives.

import type { BackendFw, GwlbFw } from '../forwarding';

/** The API's words (GetListenerHealthStatus): Initial until the first verdict, Unavailable when checks are off. */
export type HealthStatus = 'Initial' | 'Healthy' | 'Unhealthy' | 'Unavailable';
export type HealthReason = 'CONNECT_TIMEOUT' | 'CONNECT_FAILED';

interface Probe {
  srcPort: number;
  seq: number;
  deadline: number;
}

interface BackendHealth {
  status: HealthStatus;
  reason?: HealthReason;
  okRun: number;
  failRun: number;
  nextAt: number;
  probe: Probe | null;
  /** When the status last changed, for the trace and the Console. */
  since: number;
}

/** A probe to send: from the instance's address and `srcPort` to the backend's check port. */
export interface ProbeOut {
  gwlb: GwlbFw;
  backend: BackendFw;
  srcPort: number;
  seq: number;
}

/** A status change, for the trace and `vpclab status`. */
export interface HealthChange {
  gwlb: string;
  backend: string;
  from: HealthStatus;
  to: HealthStatus;
  reason?: HealthReason;
}

const key = (gwlb: string, ip: number): string => `${gwlb} ${ip}`;
const PROBE_PORT_MIN = 33000;
const PROBE_PORT_SPAN = 28000;

export class GwlbHealth {
  private readonly backends = new Map<string, BackendHealth>();
  /** Probe source port → the probe's backend key: answers find their probe by it. */
  private readonly byPort = new Map<number, string>();
  private nextPort = 0;
  /**
   * Bumped whenever a backend's status changes or a backend's state is made or forgotten:
   * the device's caches (a group's usable backends, a flow's "keeps its backend") hold while
   * it stays the same, so the per-packet path builds no key and looks nothing up here.
   */
  version = 0;

  constructor(private readonly now: () => number) {}

  status(g: GwlbFw, b: BackendFw): HealthStatus {
    if (!g.health.enabled) return 'Unavailable';
    return this.backends.get(key(g.id, b.ip))?.status ?? 'Initial';
  }

  reason(g: GwlbFw, b: BackendFw): HealthReason | undefined {
    return this.backends.get(key(g.id, b.ip))?.reason;
  }

  /** May new flows go to `b`? Healthy, or any backend when checks are off (E7). */
  usable(g: GwlbFw, b: BackendFw): boolean {
    if (b.draining) return false;
    const s = this.status(g, b);
    return s === 'Healthy' || s === 'Unavailable';
  }

  /**
   * Due probes and timeouts, for every backend of every instance. Backends no longer
   * configured are forgotten. Returns the probes to send and the status changes.
   */
  tick(gwlbs: readonly GwlbFw[], probes: ProbeOut[], changes: HealthChange[]): void {
    const t = this.now();
    const live = new Set<string>();
    for (const g of gwlbs) {
      if (!g.health.enabled) continue;
      for (const b of g.backends) {
        const k = key(g.id, b.ip);
        live.add(k);
        let h = this.backends.get(k);
        if (h === undefined) {
          h = { status: 'Initial', okRun: 0, failRun: 0, nextAt: t, probe: null, since: t };
          this.backends.set(k, h);
          this.version++;
        }
        if (h.probe !== null && t >= h.probe.deadline) this.verdict(g, b, h, false, 'CONNECT_TIMEOUT', changes);
        if (h.probe === null && t >= h.nextAt) {
          const srcPort = this.freePort();
          h.probe = { srcPort, seq: (Math.random() * 0x100000000) >>> 0, deadline: t + g.health.timeoutMs };
          h.nextAt = t + g.health.intervalMs;
          this.byPort.set(srcPort, k);
          probes.push({ gwlb: g, backend: b, srcPort, seq: h.probe.seq });
        }
      }
    }
    for (const [k, h] of this.backends) {
      if (live.has(k)) continue;
      if (h.probe) this.byPort.delete(h.probe.srcPort);
      this.backends.delete(k);
      this.version++;
    }
  }

  /**
   * An answer from `from` to the probe port `dstPort`: a SYN-ACK acknowledging the probe's
   * SYN is a success, an RST a failure; anything else is not ours. Returns the probe's seq+1
   * when the prober must reset the half-open connection (after a SYN-ACK), 0 when handled
   * otherwise, -1 when no probe matches.
   */
  answer(gwlbs: readonly GwlbFw[], from: number, dstPort: number, syn: boolean, ack: boolean, rst: boolean, ackNo: number, changes: HealthChange[]): number {
    const k = this.byPort.get(dstPort);
    if (k === undefined) return -1;
    const h = this.backends.get(k);
    if (h === undefined || h.probe === null) return -1;
    const g = gwlbs.find((x) => k === key(x.id, from));
    const b = g?.backends.find((x) => x.ip === from);
    if (!g || !b) return -1;
    const expected = (h.probe.seq + 1) >>> 0;
    if (syn && ack && ackNo >>> 0 === expected) {
      this.verdict(g, b, h, true, undefined, changes);
      return expected;
    }
    if (rst) {
      this.verdict(g, b, h, false, 'CONNECT_FAILED', changes);
      return 0;
    }
    return -1;
  }

  private verdict(g: GwlbFw, b: BackendFw, h: BackendHealth, ok: boolean, reason: HealthReason | undefined, changes: HealthChange[]): void {
    if (h.probe) this.byPort.delete(h.probe.srcPort);
    h.probe = null;
    const before = h.status;
    if (ok) {
      h.okRun++;
      h.failRun = 0;
      if (h.status !== 'Healthy' && h.okRun >= g.health.healthy) {
        h.status = 'Healthy';
        h.reason = undefined;
      }
    } else {
      h.failRun++;
      h.okRun = 0;
      h.reason = reason;
      if (h.status !== 'Unhealthy' && h.failRun >= g.health.unhealthy) h.status = 'Unhealthy';
    }
    if (h.status !== before) {
      this.version++;
      h.since = this.now();
      changes.push({ gwlb: g.id, backend: b.name, from: before, to: h.status, reason: h.status === 'Unhealthy' ? h.reason : undefined });
    }
  }

  private freePort(): number {
    for (let i = 0; i < PROBE_PORT_SPAN; i++) {
      const p = PROBE_PORT_MIN + ((this.nextPort + i) % PROBE_PORT_SPAN);
      if (!this.byPort.has(p)) {
        this.nextPort = (this.nextPort + i + 1) % PROBE_PORT_SPAN;
        return p;
      }
    }
    return PROBE_PORT_MIN; // 28,000 probes in flight: cannot happen with ≤ 200 backends per group
  }
}
