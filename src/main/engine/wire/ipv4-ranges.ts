// Which IPv4 addresses are public, that is, may face the lab's Internet: an EIP, an
// Internet host, what the IPv4 gateway or an EIP translates to. One table, so the data
// plane (isPublic, per packet) and the messages that explain a refusal (whyNotPublic)
// cannot disagree.
//
// Excluded: private space (RFC 1918), shared CGN space 100.64/10 (RFC 6598; Alibaba Cloud
// also uses it for internal services such as 100.100.2.136 DNS), "this network" 0/8,
// loopback, link-local, multicast and the reserved 240/4 with broadcast (RFC 6890). The
// documentation and benchmark blocks (192.0.2/24, 198.18/15, …) count as public on
// purpose: labs may use them as Internet addresses.

import { parseCidr, type Cidr } from './ipv4-addr';

export interface NamedRange {
  cidr: Cidr;
  /** For messages: `10.1.2.3 is in <what>`. */
  what: string;
}

const range = (text: string, what: string): NamedRange => ({ cidr: parseCidr(text), what });

export const CLOUD_SERVICE_RANGE = range('100.64.0.0/10', 'the cloud-service range 100.64.0.0/10');

export const NON_PUBLIC_RANGES: readonly NamedRange[] = [
  range('10.0.0.0/8', 'the private range 10.0.0.0/8 (RFC 1918)'),
  range('172.16.0.0/12', 'the private range 172.16.0.0/12 (RFC 1918)'),
  range('192.168.0.0/16', 'the private range 192.168.0.0/16 (RFC 1918)'),
  CLOUD_SERVICE_RANGE,
  range('0.0.0.0/8', 'the reserved range 0.0.0.0/8'),
  range('127.0.0.0/8', 'the loopback range 127.0.0.0/8'),
  range('169.254.0.0/16', 'the link-local range 169.254.0.0/16'),
  range('224.0.0.0/4', 'the multicast range 224.0.0.0/4'),
  range('240.0.0.0/4', 'the reserved range 240.0.0.0/4'),
];

// The same table as numbers, so the per-packet check touches no objects, and summarised by
// first octet: most addresses are decided by one array read (as fast as hand-written bit
// tests), only 100, 169, 172 and 192 need the table.
const NETS = Uint32Array.from(NON_PUBLIC_RANGES, (r) => r.cidr.addr);
const MASKS = Uint32Array.from(NON_PUBLIC_RANGES, (r) => r.cidr.mask);
const PUBLIC = 0;
const NOT_PUBLIC = 1;
const LOOK_CLOSER = 2;
const BY_OCTET = new Uint8Array(256);
for (const { cidr } of NON_PUBLIC_RANGES) {
  const first = cidr.addr >>> 24;
  if (cidr.len <= 8) BY_OCTET.fill(NOT_PUBLIC, first, first + 2 ** (8 - cidr.len));
  else if (BY_OCTET[first] === PUBLIC) BY_OCTET[first] = LOOK_CLOSER;
}

/** Whether an address is routable on the lab's "Internet" (see above). */
export function isPublic(addr: number): boolean {
  const k = BY_OCTET[addr >>> 24];
  if (k !== LOOK_CLOSER) return k === PUBLIC;
  for (let i = 0; i < NETS.length; i++) if (((addr & MASKS[i]) >>> 0) === NETS[i]) return false;
  return true;
}

/** The range that makes `addr` not public, or undefined when it is public. */
export function whyNotPublic(addr: number): string | undefined {
  for (let i = 0; i < NETS.length; i++) if (((addr & MASKS[i]) >>> 0) === NETS[i]) return NON_PUBLIC_RANGES[i].what;
  return undefined;
}
