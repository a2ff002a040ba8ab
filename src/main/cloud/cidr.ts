// CIDR arithmetic the control plane needs for its checks (containment, overlap, the
// addresses a vSwitch reserves). Numbers are unsigned 32-bit, as in the data plane.

import { parseCidr, type Cidr } from '../engine/wire/ipv4-addr';

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
