// IPv4 addresses and CIDR blocks as people write them (`192.168.0.1`, `10.0.0.0/8`): the one
// parser every layer uses — the control plane's parameters, scenario files, the DNS zone,
// the host runtime — so an address the CLI refuses is refused by a scenario too, for the
// same reason. Addresses become unsigned 32-bit numbers, as the data plane holds them.
//
// The rules (RFC 791 §3.2 "dotted decimal", as inet_pton(3) reads it):
// - exactly four decimal numbers 0–255 separated by dots, nothing before or after;
// - no leading zeros (`010`): inet_aton reads them as octal while a reader sees decimal,
//   and a lab must not disagree with its user;
// - a prefix length is a decimal number 0–32, without leading zeros;
// - a block's host bits must be zero unless the caller says it is an interface address.
//
// `check…` says why text is not an address (for messages at a file position); `parse…`
// throws an AddressError carrying the same reason and a code callers map to API errors.
// Neither is for the packet path: they allocate.

import { quote } from '../../util/quote';

export interface Cidr {
  /** The address part (the network address unless host bits were allowed). */
  addr: number;
  len: number;
  mask: number;
}

export type IpCheck = { ok: true; addr: number } | { ok: false; why: string };

export type AddressErrorCode = 'BadAddress' | 'BadCidr' | 'BadPrefixLength' | 'HostBitsSet';

export type CidrCheck =
  | { ok: true; cidr: Cidr }
  /** `network`: for HostBitsSet, the block the writer probably meant. */
  | { ok: false; code: Exclude<AddressErrorCode, 'BadAddress'>; why: string; network?: Cidr };

export interface CidrOptions {
  /** An interface address with its prefix (`172.16.1.7/24`): host bits are the point. */
  allowHostBits?: boolean;
  /** A bare address stands for its /32, as route destinations do (SEMANTICS A5). */
  bareAddressIsHost?: boolean;
}

const FOUR_NUMBERS = 'expected four numbers 0-255 separated by dots, like 192.168.0.1';

/** Why `text` is not a dotted-quad IPv4 address, or its value. */
export function checkIp(text: string): IpCheck {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return { ok: false, why: text === '' ? `empty; ${FOUR_NUMBERS}` : `${FOUR_NUMBERS}, found ${parts.length === 1 ? 'no dots' : `${parts.length} parts`}` };
  }
  let addr = 0;
  for (const part of parts) {
    if (part === '') return { ok: false, why: `a number is missing between dots; ${FOUR_NUMBERS}` };
    if (!/^[0-9]+$/.test(part)) return { ok: false, why: `${quote(part)} is not a decimal number` };
    if (part.length > 1 && part[0] === '0') return { ok: false, why: `leading zero in ${digits(part)} (some tools would read it as octal)` };
    if (part.length > 3 || Number(part) > 255) return { ok: false, why: `${digits(part)} is larger than 255` };
    addr = addr * 256 + Number(part);
  }
  return { ok: true, addr };
}

/** A run of digits for a message; a pasted megabyte of them is shortened. */
function digits(d: string): string {
  return d.length <= 12 ? d : `${d.slice(0, 12)}… (${d.length} digits)`;
}

/** Why `text` is not a CIDR block (`a.b.c.d/n`), or the block. */
export function checkCidr(text: string, opts: CidrOptions = {}): CidrCheck {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!opts.bareAddressIsHost) return { ok: false, code: 'BadCidr', why: 'expected an address and a prefix length, like 192.168.0.0/16' };
    const ip = checkIp(text);
    return ip.ok ? { ok: true, cidr: { addr: ip.addr, len: 32, mask: 0xffffffff } } : { ok: false, code: 'BadCidr', why: ip.why };
  }
  const ip = checkIp(text.slice(0, slash));
  if (!ip.ok) return { ok: false, code: 'BadCidr', why: ip.why };
  const lenText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(lenText) || Number(lenText) > 32) {
    const found = lenText === '' ? 'nothing' : quote(lenText, 12);
    return { ok: false, code: 'BadPrefixLength', why: `the prefix length must be a number 0 to 32, found ${found}` };
  }
  const len = Number(lenText);
  const mask = prefixMask(len);
  if (!opts.allowHostBits && (ip.addr & ~mask) !== 0) {
    const network = { addr: (ip.addr & mask) >>> 0, len, mask };
    return { ok: false, code: 'HostBitsSet', why: `host bits are set; the network is ${formatCidr(network)}`, network };
  }
  return { ok: true, cidr: { addr: ip.addr, len, mask } };
}

/** A malformed address or CIDR typed by a user; `code` lets callers map it to an API error. */
export class AddressError extends Error {
  constructor(
    readonly code: AddressErrorCode,
    /** What is wrong, without the input (for callers that quote the input themselves). */
    readonly why: string,
    readonly input: string,
  ) {
    super(`${quote(input)}: ${why}`);
    this.name = 'AddressError';
  }
}

/** checkIp that throws (code BadAddress). */
export function parseIp(text: string): number {
  const r = checkIp(text);
  if (!r.ok) throw new AddressError('BadAddress', r.why, text);
  return r.addr;
}

/**
 * checkCidr that throws. A block with host bits set (`192.168.1.5/24`) is refused with code
 * HostBitsSet and a message naming the intended network, unless `allowHostBits`.
 */
export function parseCidr(text: string, opts?: CidrOptions): Cidr {
  const r = checkCidr(text, opts);
  if (!r.ok) throw new AddressError(r.code, r.why, text);
  return r.cidr;
}

/** Dotted quad of an address held as a number. */
export function ipToString(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

export function formatCidr(c: { addr: number; len: number }): string {
  return `${ipToString(c.addr)}/${c.len}`;
}

/** Netmask for a prefix length 0..32 (length 0 is the all-zero mask, not 1 << 32). */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Whether `addr` lies in the block `net`/`mask` (host bits in `net` are ignored). */
export function inCidr(addr: number, net: number, mask: number): boolean {
  return ((addr ^ net) & mask) === 0;
}
