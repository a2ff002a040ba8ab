// Reading request parameters the way the API does: everything may arrive as a string (the
// CLI passes `--Param value`), lists as arrays or comma-separated strings, and each failure
// names the parameter and the Alibaba error code. Lists of objects (`ZoneMappings`,
// `Servers`) and objects (`HealthCheckConfig`) arrive as JSON values (scenarios, the
// console), as JSON text (the CLI) or in the API's flat RPC form (`ZoneMappings.1.ZoneId`);
// see `objects`, `object` and `idList` below.

import { ApiError, invalid, missing, quoted } from './errors';
import { checkCidr, checkIp } from '../engine/wire/ipv4-addr';
import { suggest } from '../util/did-you-mean';

export type ParamScalar = string | number | boolean;
/** One object of a structured parameter, as JSON carries it (`{"ZoneId": "…", "VSwitchId": "…"}`). */
export type ParamObject = { [field: string]: ParamScalar | string[] | null | undefined };
/** A list of values (`string[]`), of objects, or (refused when read) a mix of both. */
export type ParamValue = ParamScalar | ParamObject | (string | ParamObject)[];
export type Params = Record<string, ParamValue | undefined>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) throw invalid('InvalidParameter', name, 'expected a single value, got a list');
  if (isObject(v)) throw invalid('InvalidParameter', name, 'expected a single value, got an object');
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
  if (isObject(v)) throw invalid('InvalidParameter', name, 'expected a list of values, got an object');
  if (Array.isArray(v)) {
    return (v as unknown[]).map((x) => {
      if (typeof x === 'object' && x !== null) throw invalid('InvalidParameter', name, 'expected a list of values, got a list of objects');
      return text(String(x), name);
    });
  }
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

/**
 * An integer in [min, max], or `dflt` when absent. Decimal digits only: Number() would also
 * take "0x50", "1e3" or " 80".
 */
export function int(p: Params, name: string, min: number, max: number, dflt?: number): number {
  const v = p[name];
  if (v === undefined || v === '') {
    if (dflt === undefined) throw missing(name);
    return dflt;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9]{1,10}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    const shown = typeof v === 'object' ? JSON.stringify(v) : String(v);
    throw invalid('InvalidParameter', name, `${quoted(shown)} is not an integer from ${min} to ${max}`);
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Structured parameters

/**
 * A parameter name in the API's flat RPC form: `Name.N` (item N of a list, from 1),
 * `Name.N.Field` (a field of item N of a list of objects) or `Name.Field` (a field of an
 * object). Undefined for anything else, including plain names.
 */
export function flatName(key: string): { base: string; index?: number; field?: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]*)\.(?:([1-9][0-9]{0,5})(?:\.([A-Za-z][A-Za-z0-9]*))?|([A-Za-z][A-Za-z0-9]*))$/.exec(key);
  if (!m) return undefined;
  return m[2] !== undefined ? { base: m[1], index: Number(m[2]), field: m[3] } : { base: m[1], field: m[4] };
}

/** One object of a structured parameter: its fields keyed by their flat names, so every reader above names them as the API would. */
export interface ParamItem {
  /** `ZoneMappings.1` (a list item) or `HealthCheckConfig` (an object). */
  readonly path: string;
  readonly p: Params;
  /** `ZoneMappings.1.ZoneId`: the key of `field` in `p`, and the name errors give. */
  key(field: string): string;
}

const item = (path: string, p: Params): ParamItem => ({ path, p, key: (field) => `${path}.${field}` });

/** The JSON form of `name`: the value itself (scenarios, console) or JSON text (the CLI). */
function jsonValue(p: Params, name: string, shape: 'list' | 'object'): unknown {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') return v;
  const t = v.trim();
  const example = shape === 'list' ? `[{"Field": …}] or ${name}.1.Field` : `{"Field": …} or ${name}.Field`;
  if (!t.startsWith(shape === 'list' ? '[' : '{')) throw invalid('InvalidParameter', name, `expected ${shape === 'list' ? 'a JSON list of objects' : 'a JSON object'} such as ${example}`);
  try {
    return JSON.parse(t);
  } catch (e) {
    throw invalid('InvalidParameter', name, `not valid JSON: ${(e as Error).message}`);
  }
}

function unknownField(path: string, field: string, fields: readonly string[]): ApiError {
  const hint = suggest(field, fields);
  return new ApiError('UnsupportedParameter', `The parameter ${quoted(`${path}.${field}`)} is not supported${hint ? ` (did you mean ${path}.${hint}?)` : ''}. ${path} takes ${fields.join(', ')}.`, 400, `${path}.${field}`);
}

/** The fields of one JSON object, checked against `fields`, keyed by their flat names. */
function fromJson(path: string, o: unknown, fields: readonly string[]): ParamItem {
  if (!isObject(o)) throw invalid('InvalidParameter', path, 'expected an object such as {"Field": "value"}');
  const out: Params = {};
  for (const [f, v] of Object.entries(o)) {
    if (!fields.includes(f)) throw unknownField(path, f, fields);
    if (v === null || v === undefined) continue;
    if (isObject(v) || (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null))) {
      throw invalid('InvalidParameter', `${path}.${f}`, 'expected a value or a list of values');
    }
    out[`${path}.${f}`] = Array.isArray(v) ? v.map(String) : (v as ParamScalar);
  }
  return item(path, out);
}

/** The flat keys of `name` present in `p`, parsed. */
function flatKeys(p: Params, name: string): { key: string; index?: number; field?: string }[] {
  return Object.keys(p).flatMap((key) => {
    const f = flatName(key);
    return f && f.base === name && p[key] !== undefined ? [{ key, index: f.index, field: f.field }] : [];
  });
}

const bothForms = (name: string): ApiError =>
  invalid('InvalidParameter', name, `give ${name} either as one value or in the flat form (${name}.1…), not both`);

/**
 * A list-of-objects parameter (`ZoneMappings`, `Servers`, `Zone`): each item with the given
 * fields only (a misspelt field is UnsupportedParameter, as a misspelt parameter is). Items
 * keep the order of the list, or of N in the flat form; none given is an empty list.
 */
export function objects(p: Params, name: string, fields: readonly string[]): ParamItem[] {
  const flat = flatKeys(p, name);
  const json = jsonValue(p, name, 'list');
  if (json !== undefined && flat.length > 0) throw bothForms(name);
  if (json !== undefined) {
    if (!Array.isArray(json)) throw invalid('InvalidParameter', name, 'expected a list of objects');
    return json.map((o, i) => fromJson(`${name}.${i + 1}`, o, fields));
  }
  const byIndex = new Map<number, Params>();
  for (const k of flat) {
    if (k.index === undefined || k.field === undefined) throw invalid('InvalidParameter', k.key, `${name} is a list of objects: name a field, as in ${name}.1.${fields[0]}`);
    if (!fields.includes(k.field)) throw unknownField(`${name}.${k.index}`, k.field, fields);
    const one = byIndex.get(k.index) ?? {};
    one[k.key] = p[k.key];
    byIndex.set(k.index, one);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([i, one]) => item(`${name}.${i}`, one));
}

/** An object parameter (`HealthCheckConfig`), or undefined when not given. */
export function object(p: Params, name: string, fields: readonly string[]): ParamItem | undefined {
  const flat = flatKeys(p, name);
  const json = jsonValue(p, name, 'object');
  if (json !== undefined && flat.length > 0) throw bothForms(name);
  if (json !== undefined) return fromJson(name, json, fields);
  if (flat.length === 0) return undefined;
  const one: Params = {};
  for (const k of flat) {
    if (k.field === undefined || k.index !== undefined) throw invalid('InvalidParameter', k.key, `${name} is an object: name a field, as in ${name}.${fields[0]}`);
    if (!fields.includes(k.field)) throw unknownField(name, k.field, fields);
    one[k.key] = p[k.key];
  }
  return item(name, one);
}

/**
 * A list of IDs as the ECS API takes it (`InstanceId.1`, `InstanceId.2`…), or as the lab's
 * other lists: an array, a comma-separated string or a JSON list (`["i-…","i-…"]`).
 */
export function idList(p: Params, name: string): string[] {
  const flat = flatKeys(p, name);
  const v = p[name];
  const given = v !== undefined && v !== '';
  if (given && flat.length > 0) throw bothForms(name);
  if (given) {
    if (typeof v === 'string' && v.trim().startsWith('[')) {
      const parsed = jsonValue(p, name, 'list');
      if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string')) throw invalid('InvalidParameter', name, 'expected a JSON list of strings');
      return (parsed as string[]).map((x) => text(x, name));
    }
    return list(p, name);
  }
  const items = flat.map((k) => {
    if (k.index === undefined || k.field !== undefined) throw invalid('InvalidParameter', k.key, `expected ${name}.1, ${name}.2 …`);
    return { index: k.index, value: str(p, k.key) ?? '' };
  });
  return items.sort((a, b) => a.index - b.index).map((x) => x.value).filter((x) => x !== '');
}

/**
 * A GWLB resource name (LoadBalancerName, ServerGroupName): 2-128 characters, starting with
 * a letter, then letters, digits, ".", "_" or "-" (the API allows Chinese letters too).
 */
export function gwlbName(p: Params, param: string): string | undefined {
  const v = str(p, param);
  if (v === undefined) return undefined;
  if (!/^\p{L}[\p{L}0-9._-]{1,127}$/u.test(v)) {
    throw invalid('InvalidParameter', param, `${quoted(v)} must be 2-128 characters, start with a letter and hold only letters, digits, ".", "_" or "-"`);
  }
  return v;
}

/**
 * List calls' paging (`MaxResults`, `NextToken`), as the GWLB and PrivateLink APIs answer it:
 * the page, the token of the next one (empty on the last page) and the total.
 */
export function page<T>(p: Params, items: readonly T[], dfltMax: number): { items: T[]; NextToken: string; MaxResults: number; TotalCount: number } {
  const MaxResults = int(p, 'MaxResults', 1, 1000, dfltMax);
  const token = str(p, 'NextToken');
  const start = token === undefined ? 0 : /^[0-9]{1,9}$/.test(token) ? Number(token) : NaN;
  if (!(start >= 0 && start <= items.length)) throw invalid('InvalidParameter', 'NextToken', `${quoted(token ?? '')} is not a token this list handed out`);
  const end = start + MaxResults;
  return { items: items.slice(start, end), NextToken: end < items.length ? String(end) : '', MaxResults, TotalCount: items.length };
}
