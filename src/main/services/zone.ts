// The lab's DNS zone as the `dns` service reads it (`--zone FILE`, JSON), and what the zone
// says about a (name, type) question once CNAMEs are followed, as a recursive resolver would.
//
//   {"ttl": 600, "records": [
//     {"name": "aliyun.com", "type": "A", "value": "106.11.249.99"},
//     {"name": "www.aliyun.com", "type": "CNAME", "value": "www.aliyun.com.w.cdngslb.com"},
//     {"name": "8.8.8.8.in-addr.arpa", "type": "PTR", "value": "dns.google"}]}
//
// Names are case-insensitive and the trailing dot is optional (RFC 1035 §2.3.3, §5.1).

import * as fs from 'node:fs';
import { checkIp } from '../engine/wire/ipv4-addr';

export type ZoneRecordType = 'A' | 'CNAME' | 'PTR';

export interface ZoneRecord {
  /** Owner name, e.g. `www.aliyun.com` (any case, trailing dot optional). */
  name: string;
  type: ZoneRecordType;
  /** A: dotted IPv4 address; CNAME and PTR: a domain name. */
  value: string;
  /** Seconds; the zone's `ttl` when absent. */
  ttl?: number;
}

export interface Zone {
  /** Default TTL in seconds (600 when the file leaves it out). */
  ttl: number;
  records: ZoneRecord[];
}

export const DEFAULT_TTL = 600;
const RECORD_TYPES: readonly ZoneRecordType[] = ['A', 'CNAME', 'PTR'];
const MAX_TTL = 0x7fffffff; // RFC 2181 §8
/** Longest CNAME chain followed; real resolvers stop around here too. */
export const MAX_CNAME_CHAIN = 16;

export class ZoneError extends Error {}

/** Lower-case, without the trailing dot; `''` is the root. */
export function normalizeName(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** The reverse-lookup name of an IPv4 address (RFC 1035 §3.5): 8.8.4.4 → `4.4.8.8.in-addr.arpa`. */
export function ptrName(ip: string): string {
  const r = checkIp(ip);
  if (!r.ok) throw new ZoneError(`not an IPv4 address: ${JSON.stringify(ip)} (${r.why})`);
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/**
 * Host-name syntax loosened the way real zones are (RFC 2181 §11: `_` appears in SRV-style
 * names): labels of 1–63 letters, digits, `-` or `_`, 253 characters in all.
 */
export function isDomainName(name: string): boolean {
  const n = normalizeName(name);
  if (n === '' || n.length > 253) return false;
  return n.split('.').every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l));
}

function fail(where: string, msg: string): never {
  throw new ZoneError(`${where}: ${msg}`);
}

function checkTtl(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_TTL) {
    fail(where, `ttl must be an integer from 0 to ${MAX_TTL}`);
  }
  return v;
}

/** Validates a parsed JSON zone; errors name the offending field (`records[2].value: …`). */
export function parseZone(json: unknown, source = 'zone'): Zone {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(source, 'must be a JSON object');
  const top = json as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (k !== 'ttl' && k !== 'records') fail(source, `unknown key ${JSON.stringify(k)} (expected ttl, records)`);
  }
  const ttl = top.ttl === undefined ? DEFAULT_TTL : checkTtl(top.ttl, `${source}.ttl`);
  if (!Array.isArray(top.records)) fail(`${source}.records`, 'must be an array');

  const records: ZoneRecord[] = [];
  const seen = new Set<string>();
  top.records.forEach((raw: unknown, i: number) => {
    const where = `${source}.records[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(where, 'must be an object');
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (!['name', 'type', 'value', 'ttl'].includes(k)) fail(where, `unknown key ${JSON.stringify(k)}`);
    }
    if (typeof r.name !== 'string' || !isDomainName(r.name)) fail(`${where}.name`, `not a domain name: ${JSON.stringify(r.name)}`);
    if (typeof r.type !== 'string' || !RECORD_TYPES.includes(r.type.toUpperCase() as ZoneRecordType)) {
      fail(`${where}.type`, `must be one of ${RECORD_TYPES.join(', ')}`);
    }
    const type = r.type.toUpperCase() as ZoneRecordType;
    if (typeof r.value !== 'string') fail(`${where}.value`, 'must be a string');
    if (type === 'A') {
      const ip = checkIp(r.value);
      if (!ip.ok) fail(`${where}.value`, `not an IPv4 address: ${JSON.stringify(r.value)} (${ip.why})`);
    }
    if (type !== 'A' && !isDomainName(r.value)) fail(`${where}.value`, `not a domain name: ${JSON.stringify(r.value)}`);
    const rec: ZoneRecord = {
      name: normalizeName(r.name),
      type,
      value: type === 'A' ? r.value : normalizeName(r.value),
    };
    if (r.ttl !== undefined) rec.ttl = checkTtl(r.ttl, `${where}.ttl`);
    // A zone is a set of RRs (RFC 2181 §5): a repeated record is the same record.
    const key = `${rec.name} ${rec.type} ${rec.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    records.push(rec);
  });

  // RFC 1034 §3.6.2: a CNAME owner has no other data, and only one CNAME.
  const byName = groupByName(records);
  for (const [name, rrs] of byName) {
    if (rrs.some((r) => r.type === 'CNAME') && rrs.length > 1) {
      fail(source, `${name} has a CNAME and other records (RFC 1034 §3.6.2)`);
    }
  }
  // A loop would make every lookup of these names fail; refuse the zone instead.
  for (const [name, rrs] of byName) {
    if (rrs[0].type !== 'CNAME') continue;
    const chain = [name];
    let cur = rrs[0].value;
    while (byName.get(cur)?.[0].type === 'CNAME') {
      if (chain.includes(cur)) fail(source, `CNAME loop: ${[...chain, cur].join(' → ')}`);
      chain.push(cur);
      cur = byName.get(cur)![0].value;
    }
  }
  return { ttl, records };
}

export function loadZone(file: string): Zone {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ZoneError(`cannot read zone file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ZoneError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return parseZone(json, file);
}

function groupByName(records: ZoneRecord[]): Map<string, ZoneRecord[]> {
  const m = new Map<string, ZoneRecord[]>();
  for (const r of records) {
    const list = m.get(r.name);
    if (list) list.push(r);
    else m.set(r.name, [r]);
  }
  return m;
}

/** One answer record, owner name normalized, TTL resolved. */
export interface AnswerRecord {
  name: string;
  type: ZoneRecordType;
  ttl: number;
  value: string;
}

export interface ZoneAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: AnswerRecord[];
}

/** A zone ready for lookups. `qtype` is a mnemonic: `A`, `AAAA`, `PTR`, `CNAME`, `ANY`, `TYPE65`… */
export class ZoneIndex {
  private readonly byName: Map<string, ZoneRecord[]>;
  /** Owner names and all their ancestors: `w.cdngslb.com` exists (empty non-terminal, RFC 8020). */
  private readonly names = new Set<string>();

  constructor(readonly zone: Zone) {
    this.byName = groupByName(
      zone.records.map((r) => ({
        ...r,
        name: normalizeName(r.name),
        value: r.type === 'A' ? r.value : normalizeName(r.value),
      })),
    );
    for (const name of this.byName.keys()) {
      const labels = name.split('.');
      for (let i = 0; i <= labels.length; i++) this.names.add(labels.slice(i).join('.'));
    }
  }

  /** Whether the name exists: NODATA rather than NXDOMAIN for its other types. */
  exists(name: string): boolean {
    return this.names.has(normalizeName(name));
  }

  resolve(qname: string, qtype: string): ZoneAnswer {
    const answers: AnswerRecord[] = [];
    const visited = new Set<string>();
    let name = normalizeName(qname);
    for (;;) {
      const rrs = this.byName.get(name);
      if (!rrs) return { rcode: this.names.has(name) ? 'NOERROR' : 'NXDOMAIN', answers };
      const cname = rrs[0].type === 'CNAME' ? rrs[0] : undefined;
      // RFC 1034 §4.3.2 step 3a: a CNAME answers any other type by restarting at its target;
      // the rcode is that of the last name in the chain (RFC 6604).
      if (cname && qtype !== 'CNAME' && qtype !== 'ANY') {
        visited.add(name);
        answers.push(this.answer(cname));
        name = cname.value;
        if (visited.has(name) || visited.size >= MAX_CNAME_CHAIN) return { rcode: 'SERVFAIL', answers };
        continue;
      }
      for (const r of rrs) if (qtype === 'ANY' || r.type === qtype) answers.push(this.answer(r));
      return { rcode: 'NOERROR', answers };
    }
  }

  private answer(r: ZoneRecord): AnswerRecord {
    return { name: r.name, type: r.type, ttl: r.ttl ?? this.zone.ttl, value: r.value };
  }
}
