// What the engine knows of each IPsec tunnel at run time: whether charon has its SAs up (told
// by the runtime, which asks charon over vici) and whether its health check answers (F4,
// probed by the engine itself). Kept by tunnel ID apart from the compiled state, so a
// recompile keeps it. The failover of F3 and the effective route of F5 are read from here.

import type { VpnConnFw, VpnHealthFw, VpnTunnelFw } from '../forwarding';

/** What charon says of one tunnel: its IKE and CHILD SAs, and the SPIs of the child. */
export interface TunnelSa {
  /** IKE SA ESTABLISHED and a CHILD SA INSTALLED: traffic can cross. */
  up: boolean;
  /** The CHILD SA's SPIs as charon prints them (hex), '' when there is none. */
  spiIn: string;
  spiOut: string;
}

export interface TunnelState extends TunnelSa {
  /** F4: false after `retry` probes in a row went unanswered; true again on the next answer. */
  healthy: boolean;
  misses: number;
  /** The probe in flight (its ICMP sequence number), or -1. */
  probeSeq: number;
  nextProbeAt: number;
}

export interface HealthEvent {
  connId: string;
  tunnelId: string;
  healthy: boolean;
  at: number;
}

export class TunnelTable {
  private readonly states = new Map<string, TunnelState>();

  get(id: string): TunnelState {
    let s = this.states.get(id);
    if (s === undefined) {
      s = { up: false, spiIn: '', spiOut: '', healthy: true, misses: 0, probeSeq: -1, nextProbeAt: 0 };
      this.states.set(id, s);
    }
    return s;
  }

  /** The runtime's reading of charon. A tunnel that comes up starts healthy, probed afresh. */
  setSa(id: string, sa: TunnelSa): void {
    const s = this.get(id);
    if (sa.up && !s.up) {
      s.healthy = true;
      s.misses = 0;
      s.probeSeq = -1;
      s.nextProbeAt = 0;
    }
    s.up = sa.up;
    s.spiIn = sa.spiIn;
    s.spiOut = sa.spiOut;
  }

  /** Tunnels no longer configured are forgotten. */
  retain(ids: Set<string>): void {
    for (const id of this.states.keys()) if (!ids.has(id)) this.states.delete(id);
  }

  /** Traffic may use it: SAs up and, when checked, answering. */
  usable(t: VpnTunnelFw, health: VpnHealthFw | null): boolean {
    const s = this.states.get(t.id);
    return s !== undefined && s.up && (health === null || s.healthy);
  }

  /** F3: the master tunnel while usable, else the other one while usable, else none. */
  effective(c: VpnConnFw): VpnTunnelFw | null {
    const m = c.tunnels[c.master];
    if (m !== undefined && this.usable(m, c.health)) return m;
    for (const t of c.tunnels) if (t !== m && this.usable(t, c.health)) return t;
    return null;
  }
}
