// The translation sessions of one cloud service reached through PrivateLink interface
// endpoints: which client (endpoint ENI, client address and port, service port) a source port
// of the service's traffic stands for.
//
// Why not the NAT gateway's NatTable: its public key is (EIP, port, remote address, remote
// port), and here the "EIP" (an ENI address) is not unique — two VPCs with overlapping CIDRs
// may have endpoints at the same address, and the service host is shared by all VPCs. So the
// port is allocated per service host and protocol, and (protocol, port) alone finds the
// session; the ENI address in a reply only confirms it.
//
// Layout: the port space is the table. A session lives at its port's slot (typed arrays,
// one slot per protocol and port, allocated once per service host: about 4 MB). A new flow
// hashes to a start port and takes the first free slot of the next WINDOW ports; a lookup
// scans the same window and stops at a never-used slot (slots are never cleared, so a flow
// is never stored past one). Bounded: at most WINDOW reads per packet, one per reply, and no
// allocation. A full window refuses the flow (counted by the caller): with 64,511 ports and
// the few flows of a lab, that takes tens of thousands of live flows.
//
// Idle timeouts are the NAT gateway's (nat-table.ts NAT_TIMEOUT_MS, TCP 900 s, UDP and ICMP
// 60 s), refreshed both ways; a slot whose expiry passed is free. Nothing needs a sweep.

import { hash4 } from '../nat/hash';
import { NAT_PORT_MAX, NAT_PORT_MIN, natTimeoutOf } from '../nat-table';
import { IpProtocol } from '../wire/ipv4';

const SLOTS = 65536;
export const SESSION_WINDOW = 64;
const RANGE = NAT_PORT_MAX - NAT_PORT_MIN + 1;

/** 0 TCP, 1 UDP, 2 ICMP echo; -1 for protocols that are not translated. */
export function protoIndex(protocol: number): number {
  return protocol === IpProtocol.Tcp ? 0 : protocol === IpProtocol.Udp ? 1 : protocol === IpProtocol.Icmp ? 2 : -1;
}

export class PlSessions {
  private readonly clientIp = new Uint32Array(3 * SLOTS);
  /** Client port << 16 | service port (0 for ICMP echo). */
  private readonly ports = new Uint32Array(3 * SLOTS);
  /** ENI key + 1; 0 = never used. */
  private readonly owner = new Int32Array(3 * SLOTS);
  private readonly expiry = new Float64Array(3 * SLOTS);
  /** The transit router attachment a session's request came in by (its ID), for the return path; sparse. */
  private readonly via: (string | undefined)[] = [];
  /** Whether the last out() made a new session (for the trace). */
  created = false;
  nCreated = 0;

  constructor(private readonly now: () => number) {}

  /**
   * The service-side source port of a client's flow through ENI `eni`, made if new; -1 when
   * the protocol is not translated or the flow's window is full.
   */
  out(protocol: number, eni: number, clientIp: number, clientPort: number, servicePort: number, via?: string): number {
    const pi = protoIndex(protocol);
    if (pi < 0) return -1;
    const now = this.now();
    const timeout = natTimeoutOf(protocol);
    const ports = ((clientPort << 16) | servicePort) >>> 0;
    clientIp >>>= 0;
    const start = (hash4(eni, clientIp, ports, protocol) >>> 0) % RANGE;
    const base = pi * SLOTS;
    let free = -1;
    for (let i = 0; i < SESSION_WINDOW; i++) {
      const port = NAT_PORT_MIN + ((start + i) % RANGE);
      const s = base + port;
      const o = this.owner[s];
      if (o === 0) {
        if (free < 0) free = s;
        break;
      }
      const live = this.expiry[s] > now;
      if (live && o === eni + 1 && this.clientIp[s] === clientIp && this.ports[s] === ports) {
        this.expiry[s] = now + timeout;
        this.created = false;
        this.via[s] = via;
        return port;
      }
      if (!live && free < 0) free = s;
    }
    if (free < 0) return -1;
    this.owner[free] = eni + 1;
    this.clientIp[free] = clientIp;
    this.ports[free] = ports;
    this.expiry[free] = now + timeout;
    this.via[free] = via;
    this.created = true;
    this.nCreated++;
    return free - base;
  }

  /** The live session at (protocol, port), refreshed; -1 when there is none. */
  find(protocol: number, port: number): number {
    const pi = protoIndex(protocol);
    if (pi < 0 || port < NAT_PORT_MIN || port > NAT_PORT_MAX) return -1;
    const s = pi * SLOTS + port;
    const now = this.now();
    if (this.owner[s] === 0 || this.expiry[s] <= now) return -1;
    this.expiry[s] = now + natTimeoutOf(protocol);
    return s;
  }

  viaOf(s: number): string | undefined {
    return this.via[s];
  }
  eniOf(s: number): number {
    return this.owner[s] - 1;
  }
  clientIpOf(s: number): number {
    return this.clientIp[s];
  }
  clientPortOf(s: number): number {
    return this.ports[s] >>> 16;
  }
  servicePortOf(s: number): number {
    return this.ports[s] & 0xffff;
  }

  /** Live sessions (scans the table: for tests and metrics, not the packet path). */
  live(): number {
    const now = this.now();
    let n = 0;
    for (let s = 0; s < this.owner.length; s++) if (this.owner[s] !== 0 && this.expiry[s] > now) n++;
    return n;
  }
}
