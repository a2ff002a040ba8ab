// The Internet NAT gateway's SNAT session table (SEMANTICS D6–D8): which EIP and public
// port a private flow goes out with, and which private flow an inbound packet belongs to.
// Pure and numeric like the rest of the engine: no I/O, an injected clock, and no
// allocation per packet — results are written into the caller's reusable objects.
//
// A session is (protocol, private IP, private port, remote IP, remote port) ↔ (EIP, public
// port). For ICMP echo the identifier is the port and the remote port is 0 (D8).
//
// Public side. The uniqueness key is (protocol, EIP, public port, remote IP, remote port),
// as in Linux's NAT and AWS's NAT gateway: one private socket talking to two destinations
// may get the same (EIP, port), and each EIP has the whole port range towards every
// destination. Each EIP carries at most `perDestinationLimit` (55,000) concurrent sessions
// towards one destination (remote IP, remote port, protocol) — AWS's granularity, and AWS's
// "per IP" — so N EIPs carry at most N × 55,000 (D7).
//
// Choosing the EIP (D6): a hash of the 5-tuple with affinity off, of the private IP with
// affinity on. With affinity off, a new flow whose hashed EIP has no port left towards its
// destination moves on to the next EIPs in turn, so N × (ports or limit) is reached exactly;
// with affinity on it is pinned to its one EIP and fails instead ("affinity makes this
// more likely", D7). Either failure drops the packet and counts ErrorPortAllocationCount.
//
// Choosing the port (D7): the original source port when it is in [portMin, portMax] and
// free, else up to 64 pseudo-random ports of the range (seeded by the flow's hash, so runs
// are reproducible), else a scan of the whole range — exact, so a lab-shrunk range such as
// 1025–1030 admits exactly six concurrent flows per EIP and destination. A small range
// (≤ 64 ports) is scanned in order from portMin, which reads well in a lab trace. ICMP uses
// the same range for its identifiers. The range is the caller's per call; a session made
// under another range keeps its port, and a large range is taken as full when the count
// towards the destination reaches its size (a shortcut that counts such sessions too).
//
// Timeouts (D8): idle TCP 900 s, UDP 60 s, ICMP 60 s, refreshed by every out() and in().
// TCP FIN/RST do not shorten them (the cloud documents no such rule). A session is dead
// from the moment its expiry passes: lookups ignore it, and reclaim it on the spot, as
// does a port probe that meets it. sweep() reclaims the rest through a timing wheel of
// 1-second slots: a session is filed under the first whole second at or after its expiry
// and goes with the first call from that second on (under a second late); until
// then such a session still counts towards its destination's limit (the table sweeps
// before refusing a flow for the limit, so only the last second's expiries can linger).
//
// Layout. Sessions live in a slab of 32-byte records (struct-of-arrays would cost a cache
// miss per field on a lookup; here one line holds the key and the expiry), reused through
// a free list. Two open-addressing tables (linear probing at load ≤ ½, backward-shift
// deletion, no tombstones) index it by the private and by the public 5-tuple; each bucket
// holds the slot and the 32-bit hash, so a miss rarely touches the slab. Sessions per
// (EIP, destination) and per EIP are counted in typed-array hash tables too. Nothing
// shrinks, but the slab only grows after a sweep found nothing to reclaim, so memory
// follows the peak number of live sessions: 73 MB for 1M (bench/nat-scale.ts).

import { IpProtocol } from './wire/ipv4';
import { CounterTable } from './nat/counter-table';
import { hash4, mix32 } from './nat/hash';

/** Idle timeouts in ms (SEMANTICS D8). */
export const NAT_TIMEOUT_MS = { tcp: 900_000, udp: 60_000, icmp: 60_000 } as const;
/** SNAT source ports (D7). */
export const NAT_PORT_MIN = 1025;
export const NAT_PORT_MAX = 65535;
/** Concurrent sessions per EIP towards one (remote IP, remote port, protocol) (D7). */
export const NAT_PER_DESTINATION_LIMIT = 55_000;

export interface NatTableOptions {
  now: () => number;
  /** Initial number of session slots (grows by doubling). */
  capacity?: number;
  /** Per EIP and destination; default 55,000. */
  perDestinationLimit?: number;
}

export interface NatOutResult {
  eip: number;
  port: number;
  created: boolean;
}

export interface NatInResult {
  ip: number;
  port: number;
}

/** One session, for display and tests (allocates; not for the packet path). */
export interface NatSession {
  protocol: number;
  privateIp: number;
  privatePort: number;
  remoteIp: number;
  remotePort: number;
  eip: number;
  publicPort: number;
  expiresAt: number;
}

/** Idle timeout of a protocol in ms; 0 for protocols the NAT gateway does not track. */
export function natTimeoutOf(protocol: number): number {
  return protocol === IpProtocol.Tcp ? NAT_TIMEOUT_MS.tcp : protocol === IpProtocol.Udp ? NAT_TIMEOUT_MS.udp : protocol === IpProtocol.Icmp ? NAT_TIMEOUT_MS.icmp : 0;
}

// Slab record: 8 uint32 words; the expiry is the float64 over words 6–7.
const W = 8;
const SRC_IP = 0;
const DST_IP = 1;
const EIP = 2;
const PORTS = 3; // private port << 16 | remote port
const PUB = 4; // protocol << 16 | public port; 0 = free slot
const WSLOT = 5; // timing-wheel slot the session is linked in
const EXP = 3; // float64 index within the record (words 6–7)

const PROBES = 64;
const WHEEL = 1024; // 1-second slots; more than the longest timeout (900 s)
const WMASK = WHEEL - 1;

export class NatTable {
  private readonly now: () => number;
  private readonly limit: number;

  private cap: number;
  private u32: Uint32Array;
  private f64: Float64Array;
  private link: Int32Array; // prev, next per slot (wheel lists; next also chains free slots)
  private top = 0;
  private freeHead = -1;

  private outTab: Int32Array; // per bucket: slot + 1 (0 = empty), hash
  private inTab: Int32Array;
  private mask: number;

  private readonly perDest = new CounterTable(1024);
  private readonly perEip = new CounterTable(16);

  private readonly wheelHead = new Int32Array(WHEEL).fill(-1);
  private readonly wheelTail = new Int32Array(WHEEL).fill(-1);
  private readonly wheelCount = new Int32Array(WHEEL);
  private cursor: number; // second whose slot sweep() examines next (slot = ceil(expiry in s))
  private slotLeft = -1; // records still to examine in the cursor's slot, -1 = not started

  private live = 0;
  private nCreated = 0;
  private nExpired = 0;
  private nErrors = 0;
  private inHash = 0; // hash of the public key last found free by portFree()

  constructor(opts: NatTableOptions) {
    this.now = opts.now;
    this.limit = opts.perDestinationLimit ?? NAT_PER_DESTINATION_LIMIT;
    let cap = 64;
    while (cap < (opts.capacity ?? 1024)) cap *= 2;
    this.cap = cap;
    const buf = new ArrayBuffer(cap * W * 4);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
    this.link = new Int32Array(cap * 2);
    this.outTab = new Int32Array(cap * 4);
    this.inTab = new Int32Array(cap * 4);
    this.mask = cap * 2 - 1;
    this.cursor = Math.floor(this.now() / 1000);
  }

  /** Sessions held, including expired ones not yet reclaimed by a lookup or sweep(). */
  get size(): number {
    return this.live;
  }

  /** Sessions created since start (for "new sessions/s"). */
  get created(): number {
    return this.nCreated;
  }

  /** Sessions reclaimed after their idle timeout since start. */
  get expired(): number {
    return this.nExpired;
  }

  /** New flows dropped because no EIP had a port for them (ErrorPortAllocationCount, D7). */
  get errorPortAllocation(): number {
    return this.nErrors;
  }

  /** Session slots allocated (memory follows this; it grows only when full after a sweep). */
  get capacity(): number {
    return this.cap;
  }

  /** Sessions held on one EIP (metrics). */
  sessionsOnEip(eip: number): number {
    return this.perEip.get(eip, 0, 0);
  }

  /** Sessions held on one EIP towards one destination (the D7 limit's count). */
  sessionsTowards(eip: number, protocol: number, remoteIp: number, remotePort: number): number {
    return this.perDest.get(eip, remoteIp, remotePort * 256 + protocol);
  }

  /**
   * Outbound packet of a flow: finds its session (refreshing it) or creates one. Returns
   * false when the flow is new and no port could be allocated (counted), when `eips` is
   * empty or the range is empty (counted too), or for a protocol other than TCP, UDP and
   * ICMP (not counted); the caller drops the packet.
   */
  out(
    proto: number,
    srcIp: number,
    srcPort: number,
    dstIp: number,
    dstPort: number,
    eips: ArrayLike<number>,
    affinity: boolean,
    portMin: number,
    portMax: number,
    result: NatOutResult,
  ): boolean {
    const timeout = natTimeoutOf(proto);
    if (timeout === 0) return false;
    srcIp >>>= 0;
    dstIp >>>= 0;
    srcPort &= 0xffff;
    dstPort &= 0xffff;
    const sd = srcPort * 65536 + dstPort;
    const h = hash4(srcIp, dstIp, sd, proto);
    const now = this.now();
    const u = this.u32;

    let i = this.findOut(h, proto, srcIp, dstIp, sd);
    if (i >= 0) {
      const e = i * 4 + EXP;
      if (this.f64[e] > now) {
        this.f64[e] = now + timeout;
        result.eip = u[i * W + EIP];
        result.port = u[i * W + PUB] & 0xffff;
        result.created = false;
        return true;
      }
      this.remove(i);
      this.nExpired++;
    }

    // A new session: an EIP, then a port on it.
    const n = eips.length;
    if (portMin < 0) portMin = 0;
    if (portMax > 65535) portMax = 65535;
    if (n === 0 || portMin > portMax) {
      this.nErrors++;
      return false;
    }
    const start = affinity ? (mix32(srcIp ^ 0x3c6ef372) >>> 0) % n : (h >>> 0) % n;
    const tries = affinity ? 1 : n;
    let eip = 0;
    let port = -1;
    for (let t = 0; t < tries && port < 0; t++) {
      let k = start + t;
      if (k >= n) k -= n;
      eip = eips[k] >>> 0;
      port = this.allocPort(proto, eip, srcPort, dstIp, dstPort, portMin, portMax, h ^ Math.imul(t + 1, 0x9e3779b9), now);
    }
    if (port < 0) {
      this.nErrors++;
      return false;
    }
    const hIn = this.inHash;

    i = this.allocSlot();
    if ((this.live + 1) * 2 > this.mask + 1) this.growTables();
    const o = i * W;
    const uu = this.u32; // allocSlot may have replaced the slab
    uu[o + SRC_IP] = srcIp;
    uu[o + DST_IP] = dstIp;
    uu[o + EIP] = eip;
    uu[o + PORTS] = sd;
    uu[o + PUB] = proto * 65536 + port;
    const exp = now + timeout;
    this.f64[i * 4 + EXP] = exp;
    put(this.outTab, this.mask, h, i);
    put(this.inTab, this.mask, hIn, i);
    this.perDest.add(eip, dstIp, dstPort * 256 + proto, 1);
    this.perEip.add(eip, 0, 0, 1);
    this.wheelLink(i, slotOf(exp));
    this.live++;
    this.nCreated++;
    result.eip = eip;
    result.port = port;
    result.created = true;
    return true;
  }

  /**
   * Inbound packet from (remoteIp, remotePort) to (eip, port): the private side of its
   * session, refreshed. False when there is no live session (the caller drops: D8).
   */
  in(proto: number, eip: number, port: number, remoteIp: number, remotePort: number, result: NatInResult): boolean {
    const timeout = natTimeoutOf(proto);
    if (timeout === 0) return false;
    eip >>>= 0;
    remoteIp >>>= 0;
    port &= 0xffff;
    remotePort &= 0xffff;
    const h = hash4(eip, remoteIp, port * 65536 + remotePort, proto);
    const i = this.findIn(h, proto, eip, port, remoteIp, remotePort);
    if (i < 0) return false;
    const now = this.now();
    const e = i * 4 + EXP;
    if (this.f64[e] <= now) {
      this.remove(i);
      this.nExpired++;
      return false;
    }
    this.f64[e] = now + timeout;
    const o = i * W;
    result.ip = this.u32[o + SRC_IP];
    result.port = this.u32[o + PORTS] >>> 16;
    return true;
  }

  /**
   * Reclaims expired sessions and returns how many. Walks the timing wheel from where the
   * last call stopped up to the current second; a session sits in the slot of the first
   * whole second at or after its expiry, so it is reclaimed by the first call from then
   * on, and a call costs the sessions that expired since the last one (plus those refreshed
   * since they were filed, which move on to their new slot), not the table's size.
   * `budget` bounds the records examined in this call; the next call carries on.
   * Meant to be called about once a second; the table also calls it before growing and
   * before refusing a flow for the per-destination limit.
   */
  sweep(budget = Infinity): number {
    const now = this.now();
    const target = Math.floor(now / 1000);
    if (target - this.cursor >= WHEEL) {
      // Idle for a whole turn or more: one pass over every slot suffices.
      this.cursor = target - WHEEL + 1;
      this.slotLeft = -1;
    }
    const f = this.f64;
    let expired = 0;
    for (; this.cursor <= target; this.cursor++) {
      const s = this.cursor & WMASK;
      if (this.slotLeft < 0) this.slotLeft = this.wheelCount[s];
      while (this.slotLeft > 0) {
        const i = this.wheelHead[s];
        if (i < 0) break;
        if (budget-- <= 0) {
          this.nExpired += expired;
          return expired;
        }
        this.slotLeft--;
        const exp = f[i * 4 + EXP];
        if (exp <= now) {
          this.remove(i);
          expired++;
        } else {
          // Refreshed since it was filed (or filed a turn ahead): on to its own slot.
          this.wheelUnlink(i);
          this.wheelLink(i, slotOf(exp));
        }
      }
      this.slotLeft = -1;
    }
    this.nExpired += expired;
    return expired;
  }

  /** Removes every session on an EIP (it left the SNAT entry); returns how many. */
  dropEip(eip: number): number {
    eip >>>= 0;
    let n = 0;
    for (let i = 0; i < this.top; i++) {
      const o = i * W;
      if (this.u32[o + PUB] !== 0 && this.u32[o + EIP] === eip) {
        this.remove(i);
        n++;
      }
    }
    return n;
  }

  /** Every session held (expired ones too, until reclaimed). Allocates: for display and tests. */
  *sessions(): IterableIterator<NatSession> {
    for (let i = 0; i < this.top; i++) {
      const o = i * W;
      const u = this.u32;
      if (u[o + PUB] === 0) continue;
      yield {
        protocol: u[o + PUB] >>> 16,
        privateIp: u[o + SRC_IP],
        privatePort: u[o + PORTS] >>> 16,
        remoteIp: u[o + DST_IP],
        remotePort: u[o + PORTS] & 0xffff,
        eip: u[o + EIP],
        publicPort: u[o + PUB] & 0xffff,
        expiresAt: this.f64[i * 4 + EXP],
      };
    }
  }

  private findOut(h: number, proto: number, srcIp: number, dstIp: number, sd: number): number {
    const tab = this.outTab;
    const mask = this.mask;
    const u = this.u32;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = tab[b * 2];
      if (s === 0) return -1;
      if (tab[b * 2 + 1] === h) {
        const o = (s - 1) * W;
        if (u[o + SRC_IP] === srcIp && u[o + DST_IP] === dstIp && u[o + PORTS] === sd && u[o + PUB] >>> 16 === proto) return s - 1;
      }
    }
  }

  private findIn(h: number, proto: number, eip: number, port: number, remoteIp: number, remotePort: number): number {
    const tab = this.inTab;
    const mask = this.mask;
    const u = this.u32;
    const pub = proto * 65536 + port;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const s = tab[b * 2];
      if (s === 0) return -1;
      if (tab[b * 2 + 1] === h) {
        const o = (s - 1) * W;
        if (u[o + PUB] === pub && u[o + EIP] === eip && u[o + DST_IP] === remoteIp && (u[o + PORTS] & 0xffff) === remotePort) return s - 1;
      }
    }
  }

  /** A free public port on `eip` towards the destination, or -1. See the header for the order. */
  private allocPort(proto: number, eip: number, srcPort: number, dstIp: number, dstPort: number, portMin: number, portMax: number, seed: number, now: number): number {
    const range = portMax - portMin + 1;
    const key = dstPort * 256 + proto;
    let c = this.perDest.get(eip, dstIp, key);
    // The count includes sessions expired but not yet reclaimed: sweep before refusing.
    // (A small range is scanned anyway, and a scan reclaims what it meets.)
    if ((c >= this.limit || (c >= range && range > PROBES)) && this.sweep() > 0) c = this.perDest.get(eip, dstIp, key);
    if (c >= this.limit || (c >= range && range > PROBES)) return -1;
    if (srcPort >= portMin && srcPort <= portMax && this.portFree(proto, eip, srcPort, dstIp, dstPort, now)) return srcPort;
    let from = 0;
    if (range > PROBES) {
      let x = seed | 0 || 1;
      for (let k = 0; k < PROBES; k++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const p = portMin + ((x >>> 0) % range);
        if (this.portFree(proto, eip, p, dstIp, dstPort, now)) return p;
      }
      from = (x >>> 0) % range;
    }
    for (let k = 0; k < range; k++) {
      let off = from + k;
      if (off >= range) off -= range;
      if (this.portFree(proto, eip, portMin + off, dstIp, dstPort, now)) return portMin + off;
    }
    return -1;
  }

  /** Is the public key free? An expired holder is reclaimed. Leaves the key's hash in inHash. */
  private portFree(proto: number, eip: number, port: number, dstIp: number, dstPort: number, now: number): boolean {
    const h = hash4(eip, dstIp, port * 65536 + dstPort, proto);
    this.inHash = h;
    const i = this.findIn(h, proto, eip, port, dstIp, dstPort);
    if (i < 0) return true;
    if (this.f64[i * 4 + EXP] > now) return false;
    this.remove(i);
    this.nExpired++;
    return true;
  }

  private remove(i: number): void {
    const u = this.u32;
    const o = i * W;
    const dstIp = u[o + DST_IP];
    const eip = u[o + EIP];
    const sd = u[o + PORTS];
    const pub = u[o + PUB];
    const proto = pub >>> 16;
    const dstPort = sd & 0xffff;
    del(this.outTab, this.mask, hash4(u[o + SRC_IP], dstIp, sd, proto), i);
    del(this.inTab, this.mask, hash4(eip, dstIp, (pub & 0xffff) * 65536 + dstPort, proto), i);
    this.perDest.add(eip, dstIp, dstPort * 256 + proto, -1);
    this.perEip.add(eip, 0, 0, -1);
    this.wheelUnlink(i);
    u[o + PUB] = 0;
    this.link[i * 2 + 1] = this.freeHead;
    this.freeHead = i;
    this.live--;
  }

  private allocSlot(): number {
    if (this.freeHead < 0 && this.top === this.cap) {
      this.sweep();
      if (this.freeHead < 0) this.growSlab();
    }
    if (this.freeHead >= 0) {
      const i = this.freeHead;
      this.freeHead = this.link[i * 2 + 1];
      return i;
    }
    return this.top++;
  }

  private growSlab(): void {
    const cap = this.cap * 2;
    const buf = new ArrayBuffer(cap * W * 4);
    const u32 = new Uint32Array(buf);
    u32.set(this.u32);
    const link = new Int32Array(cap * 2);
    link.set(this.link);
    this.u32 = u32;
    this.f64 = new Float64Array(buf);
    this.link = link;
    this.cap = cap;
  }

  private growTables(): void {
    const mask = this.mask * 2 + 1;
    this.outTab = rehash(this.outTab, mask);
    this.inTab = rehash(this.inTab, mask);
    this.mask = mask;
  }

  private wheelLink(i: number, s: number): void {
    const link = this.link;
    const prev = this.wheelTail[s];
    link[i * 2] = prev;
    link[i * 2 + 1] = -1;
    if (prev >= 0) link[prev * 2 + 1] = i;
    else this.wheelHead[s] = i;
    this.wheelTail[s] = i;
    this.wheelCount[s]++;
    this.u32[i * W + WSLOT] = s;
  }

  private wheelUnlink(i: number): void {
    const link = this.link;
    const s = this.u32[i * W + WSLOT];
    const prev = link[i * 2];
    const next = link[i * 2 + 1];
    if (prev >= 0) link[prev * 2 + 1] = next;
    else this.wheelHead[s] = next;
    if (next >= 0) link[next * 2] = prev;
    else this.wheelTail[s] = prev;
    this.wheelCount[s]--;
  }
}

function slotOf(expiry: number): number {
  return Math.ceil(expiry / 1000) & WMASK;
}

function put(tab: Int32Array, mask: number, h: number, slot: number): void {
  let b = h & mask;
  while (tab[b * 2] !== 0) b = (b + 1) & mask;
  tab[b * 2] = slot + 1;
  tab[b * 2 + 1] = h;
}

// Knuth's algorithm R (backward-shift deletion), homes taken from the stored hashes.
function del(tab: Int32Array, mask: number, h: number, slot: number): void {
  let gap = h & mask;
  while (tab[gap * 2] !== slot + 1) gap = (gap + 1) & mask;
  tab[gap * 2] = 0;
  for (let j = (gap + 1) & mask; ; j = (j + 1) & mask) {
    const s = tab[j * 2];
    if (s === 0) return;
    const home = tab[j * 2 + 1] & mask;
    const stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
    if (stays) continue;
    tab[gap * 2] = s;
    tab[gap * 2 + 1] = tab[j * 2 + 1];
    tab[j * 2] = 0;
    gap = j;
  }
}

function rehash(old: Int32Array, mask: number): Int32Array {
  const tab = new Int32Array((mask + 1) * 2);
  for (let b = 0; b < old.length; b += 2) {
    const s = old[b];
    if (s === 0) continue;
    const h = old[b + 1];
    let n = h & mask;
    while (tab[n * 2] !== 0) n = (n + 1) & mask;
    tab[n * 2] = s;
    tab[n * 2 + 1] = h;
  }
  return tab;
}
