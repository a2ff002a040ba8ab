// Reading request parameters the way the API does: everything may arrive as a string (the
// CLI passes `--Param value`), lists as arrays or comma-separated strings, and each failure
// names the parameter and the Alibaba error code.

import { invalid, missing, quoted } from './errors';
import { checkCidr, checkIp } from '../engine/wire/ipv4-addr';

export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue | undefined>;

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) throw invalid('InvalidParameter', name, 'expected a single value, got a list');
  return text(String(v), name);
}

/**
 * No parameter of the lab carries a control character (a NUL in a name would reach
 * namespaces, logs and process arguments); tabs and line breaks pass, for JSON values.
 */
function text(v: string, name: string): string {
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(v);
  if (bad) throw invalid('InvalidParameter', name, `${quoted(v)} holds a control character (U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`);
  return v;
}

export function reqStr(p: Params, name: string): string {
  const v = str(p, name);
  if (v === undefined) throw missing(name);
  return v;
}

export function list(p: Params, name: string): string[] {
  const v = p[name];
  if (v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.map((x) => text(String(x), name));
  return text(String(v), name)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function bool(p: Params, name: string, dflt: boolean): boolean {
  const v = p[name];
  if (v === undefined || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw invalid('InvalidParameter', name, `expected true or false, got ${quoted(String(v))}`);
}

export function oneOf<T extends string>(p: Params, name: string, values: readonly T[], dflt?: T): T {
  const v = str(p, name) ?? dflt;
  if (v === undefined) throw missing(name);
  if (!(values as readonly string[]).includes(v)) {
    throw invalid(`InvalidParameter`, name, `${quoted(v)} is not one of ${values.join(', ')}`);
  }
  return v as T;
}

/** A CIDR block; a bare address is read as /32 (SEMANTICS A5). */
export function cidr(p: Params, name: string, code = 'InvalidCidrBlock.Malformed'): { text: string; addr: number; len: number; mask: number } {
  const raw = reqStr(p, name);
  const c = checkCidr(raw, { bareAddressIsHost: true });
  if (!c.ok) throw invalid(code, name, `${quoted(raw)} is not a valid CIDR block (${c.why})`);
  return { text: raw.includes('/') ? raw : `${raw}/32`, ...c.cidr };
}

export function ip(p: Params, name: string, code = 'InvalidIpAddress.Malformed'): { text: string; addr: number } {
  const raw = reqStr(p, name);
  const a = checkIp(raw);
  if (!a.ok) throw invalid(code, name, `${quoted(raw)} is not a valid IPv4 address (${a.why})`);
  return { text: raw, addr: a.addr };
}

/** Lengths and the "not starting with http(s)://" rule shared by names and descriptions (B1). */
export function name(p: Params, param: string, code: string, min = 1, max = 128): string | undefined {
  const v = str(p, param);
  if (v === undefined) return undefined;
  if (v.length < min || v.length > max || /^https?:\/\//.test(v)) {
    throw invalid(code, param, `must be ${min}-${max} characters and must not start with http:// or https://`);
  }
  return v;
}
