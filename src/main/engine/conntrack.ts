// Connection tracking for the IPv4 gateway's stateful inbound rule (SEMANTICS B5.3): with
// no gateway route table bound, only replies to flows that started inside the VPC come in.
// A flow is (protocol, private address, private port, remote address, remote port); for
// ICMP echo the identifier stands in for the private port and the remote port is 0.
//
// Keys are numbers, not strings: the outer key packs protocol, private address and port
// (50 bits), the inner one remote address and port (48 bits), both exact in a double.
// Entries live in the data plane and survive recompiles of the forwarding state.

import { IpProtocol } from './wire/ipv4';

/** Idle timeouts in ms: the NAT gateway's published ones (SEMANTICS D8), ICMP 60 s. */
export const TIMEOUT_MS = { tcp: 900_000, udp: 60_000, icmp: 60_000 } as const;

const protoIndex = (p: number): number => (p === IpProtocol.Tcp ? 1 : p === IpProtocol.Udp ? 2 : p === IpProtocol.Icmp ? 3 : 0);
const timeoutOf = (p: number): number => (p === IpProtocol.Tcp ? TIMEOUT_MS.tcp : p === IpProtocol.Udp ? TIMEOUT_MS.udp : TIMEOUT_MS.icmp);

export class ConnTrack {
  private readonly flows = new Map<number, Map<number, number>>();
  private inserts = 0;
  private count = 0;

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.count;
  }

  /** A packet of the flow left the VPC: (re)start its idle timer. */
  note(protocol: number, privIp: number, privPort: number, remoteIp: number, remotePort: number): void {
    const pi = protoIndex(protocol);
    if (pi === 0) return;
    const outer = (privIp * 65536 + privPort) * 4 + pi;
    let m = this.flows.get(outer);
    if (m === undefined) {
      m = new Map();
      this.flows.set(outer, m);
    }
    const inner = remoteIp * 65536 + remotePort;
    if (!m.has(inner)) this.count++;
    m.set(inner, this.now() + timeoutOf(protocol));
    if (++this.inserts >= 65_536) this.sweep();
  }

  /** Is an inbound packet from remote to priv part of a flow started inside? */
  isReply(protocol: number, privIp: number, privPort: number, remoteIp: number, remotePort: number): boolean {
    const pi = protoIndex(protocol);
    if (pi === 0) return false;
    const m = this.flows.get((privIp * 65536 + privPort) * 4 + pi);
    if (m === undefined) return false;
    const expiry = m.get(remoteIp * 65536 + remotePort);
    return expiry !== undefined && expiry > this.now();
  }

  /** Drop expired flows; called every 65,536 inserts so the table stays bounded by live flows. */
  sweep(): void {
    this.inserts = 0;
    const t = this.now();
    for (const [k, m] of this.flows) {
      for (const [ik, exp] of m) {
        if (exp <= t) {
          m.delete(ik);
          this.count--;
        }
      }
      if (m.size === 0) this.flows.delete(k);
    }
  }
}
