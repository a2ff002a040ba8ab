// Per-device packet counters and drop reasons. Devices are registered by name once and
// keep their index for the life of the lab, so counters survive every recompile of the
// forwarding state. Storage is flat typed arrays: the hot path only adds to numbers.

export const Drop = {
  Malformed: 0,
  NoRoute: 1,
  NoHost: 2,
  UnknownPort: 3,
  InternetUnreachable: 4,
  TxFailed: 5,
  NotIpv4: 6,
  GatewayInactive: 7,
  NoPublicIp: 8,
  Unsolicited: 9,
  PortAllocation: 10,
  /** The IPv4 header checksum does not verify (RFC 791 §3.1): a router drops it. */
  BadChecksum: 11,
  /** A NAT gateway has no SNAT entry for the source (D5): not a routing failure. */
  NoSnatEntry: 12,
  /** Larger than a device carries: a GWLB's 1500-byte inner limit (E6). */
  TooBig: 13,
  /** A GWLB with no healthy backend, or an endpoint with no GWLB behind it (E12). */
  NoBackend: 14,
  /** A Geneve return the GWLB did not send, or altered on the way (E3.7). */
  UnknownFlow: 15,
  /** To or from a stopped ECS (StopInstances). */
  InstanceStopped: 16,
  /** A private source address leaving for the lab's Internet: no ISP carries it. */
  PrivateSource: 17,
  /** To a VPN connection none of whose tunnels can carry it (F3, F4). */
  TunnelDown: 18,
  /** Denied by the ENI's security groups (H1–H3). */
  SecurityGroup: 19,
  /** Denied by its vSwitch's network ACL (H4). */
  NetworkAcl: 20,
} as const;
export type DropReason = (typeof Drop)[keyof typeof Drop];

export const DROP_NAMES = [
  'malformed', 'no-route', 'no-host', 'unknown-port', 'internet-unreachable', 'tx-failed', 'not-ipv4',
  'gateway-inactive', 'no-public-ip', 'unsolicited', 'port-allocation', 'bad-checksum', 'no-snat-entry',
  'too-big', 'no-backend', 'unknown-flow', 'instance-stopped', 'private-source', 'tunnel-down',
  'security-group', 'network-acl',
] as const;
const N_REASONS = DROP_NAMES.length;

export interface DeviceCounters {
  device: string;
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  drops: Partial<Record<(typeof DROP_NAMES)[number], number>>;
}

export class Counters {
  private names: string[] = [];
  private readonly index = new Map<string, number>();
  private rx: Float64Array = new Float64Array(64);
  private rxB: Float64Array = new Float64Array(64);
  private tx: Float64Array = new Float64Array(64);
  private txB: Float64Array = new Float64Array(64);
  private drops: Float64Array = new Float64Array(64 * N_REASONS);

  /** The index of a device, registering it on first use. */
  device(name: string): number {
    let i = this.index.get(name);
    if (i !== undefined) return i;
    i = this.names.length;
    this.names.push(name);
    this.index.set(name, i);
    if (i >= this.rx.length) this.grow();
    return i;
  }

  rxPacket(dev: number, bytes: number): void {
    this.rx[dev]++;
    this.rxB[dev] += bytes;
  }

  txPacket(dev: number, bytes: number): void {
    this.tx[dev]++;
    this.txB[dev] += bytes;
  }

  drop(dev: number, reason: DropReason): void {
    this.drops[dev * N_REASONS + reason]++;
  }

  snapshot(): DeviceCounters[] {
    return this.names.map((device, i) => {
      const drops: DeviceCounters['drops'] = {};
      for (let r = 0; r < N_REASONS; r++) {
        const n = this.drops[i * N_REASONS + r];
        if (n > 0) drops[DROP_NAMES[r]] = n;
      }
      return { device, rxPackets: this.rx[i], rxBytes: this.rxB[i], txPackets: this.tx[i], txBytes: this.txB[i], drops };
    });
  }

  private grow(): void {
    const n = this.rx.length * 2;
    const g = (a: Float64Array, size: number): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.rx = g(this.rx, n);
    this.rxB = g(this.rxB, n);
    this.tx = g(this.tx, n);
    this.txB = g(this.txB, n);
    this.drops = g(this.drops, n * N_REASONS);
  }
}
