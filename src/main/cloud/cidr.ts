// CIDR arithmetic the control plane needs for its checks (containment, overlap, the
// addresses a vSwitch reserves). Numbers are unsigned 32-bit, as in the data plane.

import { parseCidr, prefixMask, type Cidr } from '../engine/wire/ipv4-addr';

export type { Cidr };

/** A block as the model stores it; a bare address is its /32 (SEMANTICS A5). */
export const cidrOf = (text: string): Cidr => parseCidr(text, { bareAddressIsHost: true });

/** Does `outer` contain `inner` (equal counts as contained)? */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.len <= inner.len && ((inner.addr & outer.mask) >>> 0) === outer.addr;
}

export const containsIp = (c: Cidr, ip: number): boolean => ((ip & c.mask) >>> 0) === c.addr;

export const overlaps = (a: Cidr, b: Cidr): boolean => contains(a, b) || contains(b, a);

/** SEMANTICS A1: the first address and the last three of every vSwitch are reserved. */
export function isReserved(vsw: Cidr, ip: number): boolean {
  const size = 2 ** (32 - vsw.len);
  const off = (ip - vsw.addr) >>> 0;
  return off === 0 || off >= size - 3;
}

/** The vSwitch gateway ECS use as their default route: .253 of a /24 (A1, DESIGN "Lab hosts"). */
export function gatewayOf(vsw: Cidr): number {
  return (vsw.addr + 2 ** (32 - vsw.len) - 3) >>> 0;
}

export const CLOUD_SERVICE_CIDR = '100.64.0.0/10';

/**
 * Blocks indexed by prefix, to ask which earlier block contains or overlaps a new one in
 * 33 map lookups instead of a comparison with every block: a scenario file may declare
 * thousands (30,000 vSwitches took tens of seconds pairwise). Answers are the first block
 * added, as a scan in insertion order would give.
 */
export class CidrIndex<T> {
  private added = 0;
  /** exact[len]: network → the first block with that prefix. */
  private readonly exact: Map<number, Entry<T>>[] = [];
  /** under[len]: a block's network cut to len bits → the first block at or under that prefix. */
  private readonly under: Map<number, Entry<T>>[] = [];

  add(c: Cidr, value: T): void {
    const e = { value, order: this.added++ };
    const net = (c.addr & prefixMask(c.len)) >>> 0;
    const exact = (this.exact[c.len] ??= new Map());
    if (!exact.has(net)) exact.set(net, e);
    for (let k = 0; k <= c.len; k++) {
      const under = (this.under[k] ??= new Map());
      const key = (net & prefixMask(k)) >>> 0;
      if (!under.has(key)) under.set(key, e);
    }
  }

  /** The first block added that contains `c` (or equals it). */
  containing(c: Cidr): T | undefined {
    return this.firstContaining(c)?.value;
  }

  /** The first block added that overlaps `c`: contains it, equals it or lies inside it. */
  overlapping(c: Cidr): T | undefined {
    const outer = this.firstContaining(c);
    const inner = this.under[c.len]?.get((c.addr & prefixMask(c.len)) >>> 0);
    if (!inner) return outer?.value;
    return !outer || inner.order < outer.order ? inner.value : outer.value;
  }

  private firstContaining(c: Cidr): Entry<T> | undefined {
    let first: Entry<T> | undefined;
    for (let k = 0; k <= c.len; k++) {
      const e = this.exact[k]?.get((c.addr & prefixMask(k)) >>> 0);
      if (e && (!first || e.order < first.order)) first = e;
    }
    return first;
  }
}

interface Entry<T> {
  value: T;
  order: number;
}
