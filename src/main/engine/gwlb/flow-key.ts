// The connection a packet belongs to, as the GWLB sees it: the inner IPv4 5-tuple with its
// two ends in a fixed order, so a request and its reply give the same key (SEMANTICS E4:
// both directions of a connection reach the same NVA with the same outer source port).

import { mix32, hash4 } from '../nat/hash';
import { IpProtocol, type Ipv4View } from '../wire/ipv4';

/** Filled in place (no allocation per packet). `a`/`pa` is the lower end of the pair. */
export interface FlowKey {
  a: number;
  b: number;
  pa: number;
  pb: number;
  protocol: number;
}

export const newFlowKey = (): FlowKey => ({ a: 0, b: 0, pa: 0, pb: 0, protocol: 0 });

/**
 * Reads the key of the packet in `ip`: ports for TCP and UDP (first fragment only), the
 * identifier for ICMP echo (request and reply share it), else 0. Returns `out`.
 */
export function flowKeyOf(ip: Ipv4View, buf: Buffer, out: FlowKey): FlowKey {
  const proto = ip.protocol;
  let sp = 0;
  let dp = 0;
  if (ip.hasTransportHeader) {
    const o = ip.payloadOffset;
    const n = ip.payloadLength;
    if ((proto === IpProtocol.Tcp || proto === IpProtocol.Udp) && n >= 4) {
      sp = (buf[o] << 8) | buf[o + 1];
      dp = (buf[o + 2] << 8) | buf[o + 3];
    } else if (proto === IpProtocol.Icmp && n >= 8 && (buf[o] === 8 || buf[o] === 0)) {
      sp = dp = (buf[o + 4] << 8) | buf[o + 5];
    }
  }
  const src = ip.src;
  const dst = ip.dst;
  // Order the two ends so that both directions make the same key.
  if (src < dst || (src === dst && sp <= dp)) {
    out.a = src;
    out.pa = sp;
    out.b = dst;
    out.pb = dp;
  } else {
    out.a = dst;
    out.pa = dp;
    out.b = src;
    out.pb = sp;
  }
  out.protocol = proto;
  return out;
}

export function sameFlow(x: FlowKey, y: FlowKey): boolean {
  return x.a === y.a && x.b === y.b && x.pa === y.pa && x.pb === y.pb && x.protocol === y.protocol;
}

/** Hash of the whole 5-tuple: the flow table's key and the outer source port's seed. */
export function flowHash(k: FlowKey): number {
  return hash4(k.a, k.b, (k.pa << 16) | k.pb, k.protocol);
}

/**
 * The hash the scheduler picks a backend by (E1): 5TCH the 5-tuple, 3TCH the addresses and
 * the protocol, 2TCH the addresses only. Identical keys always give the same value.
 */
export function schedulerHash(k: FlowKey, tuple: 5 | 3 | 2): number {
  if (tuple === 5) return flowHash(k);
  return hash4(k.a, k.b, tuple === 3 ? k.protocol : 0, tuple);
}

/**
 * Rendezvous (highest random weight) choice among `n` candidates: the one whose mix of the
 * flow's hash and its own address is largest. A candidate coming or going moves only the
 * flows that hash to it, which is what "consistent hash" promises (E1).
 */
export function rendezvous(hash: number, n: number, addrOf: (i: number) => number): number {
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < n; i++) {
    const score = mix32(hash ^ mix32(addrOf(i))) >>> 0;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
