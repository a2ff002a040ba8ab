// DNS messages on the wire (RFC 1035 §4.1), just what an answering server needs: parse a
// query from untrusted bytes (never throws: every bound is checked, the result says why a
// message was refused) and build a response, with name compression (§4.1.4) both ways.

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type RcodeName = keyof typeof RCODE;

export const HEADER_LEN = 12;
/** RFC 1035 §4.2.1: the classic UDP payload limit, used when the query has no EDNS. */
export const UDP_CLASSIC_LIMIT = 512;
/** Our EDNS payload size: the 2020 DNS flag day value, safe under common MTUs. */
export const EDNS_UDP_SIZE = 1232;
const MAX_NAME_WIRE = 255; // §3.1, counting length octets and the root

const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE).map(([k, v]) => [v, k]));

/** `A`, `AAAA`, … or RFC 3597's `TYPE<n>` for the rest. */
export function typeName(t: number): string {
  return TYPE_NAMES.get(t) ?? `TYPE${t}`;
}

export function rcodeName(r: number): string {
  return (Object.keys(RCODE) as RcodeName[]).find((k) => RCODE[k] === r) ?? `RCODE${r}`;
}

export interface Question {
  /** Labels exactly as sent (case kept, so the echoed question matches: 0x20 randomization). */
  labels: Buffer[];
  /** Presentation form without the trailing dot (`''` for the root), as sent. */
  name: string;
  type: number;
  class: number;
}

export interface Edns {
  /** The requester's UDP payload size (RFC 6891 §6.2.5), at least 512. */
  udpSize: number;
  version: number;
}

export interface Query {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
  question: Question;
  edns?: Edns;
}

export type ParseResult = { ok: true; query: Query } | { ok: false; reason: string };

/**
 * Presentation form of a label (RFC 4343 §2.1): printable ASCII as is, `.` and `\` escaped,
 * other octets as `\DDD`, so no crafted label can pass for two labels or for a zone name.
 */
function labelText(l: Buffer): string {
  let s = '';
  for (const b of l) {
    if (b === 0x2e || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else if (b > 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + String(b).padStart(3, '0');
  }
  return s;
}

export function namePresentation(labels: Buffer[]): string {
  return labels.map(labelText).join('.');
}

/** Reads a possibly compressed name at `start`; `next` is the offset just after it in place. */
export function readName(msg: Buffer, start: number): { labels: Buffer[]; next: number } | string {
  const labels: Buffer[] = [];
  let pos = start;
  let next = -1;
  let wire = 1;
  // Each pointer must go strictly before the last place we jumped to (or the name's start):
  // that is how real compression looks, and it makes loops impossible.
  let lowest = start;
  for (;;) {
    if (pos >= msg.length) return 'name runs past the end';
    const len = msg[pos];
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msg.length) return 'truncated compression pointer';
      const target = ((len & 0x3f) << 8) | msg[pos + 1];
      if (target >= lowest) return 'compression pointer does not point backwards';
      if (next < 0) next = pos + 2;
      lowest = target;
      pos = target;
      continue;
    }
    if (len & 0xc0) return 'reserved label type';
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { labels, next };
    }
    if (pos + 1 + len > msg.length) return 'label runs past the end';
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return 'name longer than 255 octets';
    labels.push(msg.subarray(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
}

/** Skips one resource record (§4.1.3); returns its type and where it ends. */
function readRecordHead(
  msg: Buffer,
  off: number,
): { labels: Buffer[]; type: number; class: number; ttl: number; rdStart: number; next: number } | string {
  const n = readName(msg, off);
  if (typeof n === 'string') return n;
  if (n.next + 10 > msg.length) return 'record header runs past the end';
  const rdlen = msg.readUInt16BE(n.next + 8);
  const rdStart = n.next + 10;
  if (rdStart + rdlen > msg.length) return 'record data runs past the end';
  return {
    labels: n.labels,
    type: msg.readUInt16BE(n.next),
    class: msg.readUInt16BE(n.next + 2),
    ttl: msg.readUInt32BE(n.next + 4),
    rdStart,
    next: rdStart + rdlen,
  };
}

/** Parses a query. Refuses responses (QR=1), anything but exactly one question, and bad names. */
export function parseQuery(msg: Buffer): ParseResult {
  if (msg.length < HEADER_LEN) return { ok: false, reason: `short message (${msg.length} bytes)` };
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return { ok: false, reason: 'QR=1 (a response, not a query)' };
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  const ns = msg.readUInt16BE(8);
  const ar = msg.readUInt16BE(10);
  if (qd !== 1) return { ok: false, reason: `QDCOUNT=${qd}` };
  const n = readName(msg, HEADER_LEN);
  if (typeof n === 'string') return { ok: false, reason: `question: ${n}` };
  if (n.next + 4 > msg.length) return { ok: false, reason: 'question runs past the end' };
  const question: Question = {
    labels: n.labels,
    name: namePresentation(n.labels),
    type: msg.readUInt16BE(n.next),
    class: msg.readUInt16BE(n.next + 2),
  };
  const query: Query = {
    id,
    opcode: (flags >> 11) & 0xf,
    rd: (flags & 0x0100) !== 0,
    cd: (flags & 0x0010) !== 0,
    question,
  };
  // Only the additional section matters to us (EDNS, RFC 6891 §6.1.1); walk what comes
  // before it so its offset is right. Trailing bytes beyond the counts are ignored.
  let off = n.next + 4;
  for (let i = 0; i < an + ns + ar; i++) {
    const rr = readRecordHead(msg, off);
    if (typeof rr === 'string') return { ok: false, reason: `record ${i + 1}: ${rr}` };
    off = rr.next;
    if (i >= an + ns && rr.type === TYPE.OPT) {
      // §6.1.1: one OPT, owned by the root.
      if (query.edns || rr.labels.length !== 0) return { ok: false, reason: 'bad OPT record' };
      query.edns = { udpSize: Math.max(UDP_CLASSIC_LIMIT, rr.class), version: (rr.ttl >>> 16) & 0xff };
    }
  }
  return { ok: true, query };
}

/** One record of a response; `value` is a dotted IPv4 for A, a domain name for CNAME/PTR/NS. */
export interface WireRecord {
  name: string;
  type: number;
  ttl: number;
  value: string;
}

export interface Response {
  id: number;
  opcode: number;
  aa: boolean;
  rd: boolean;
  ra: boolean;
  cd: boolean;
  rcode: number;
  question?: Question;
  answers: WireRecord[];
  /** Include an OPT record advertising this UDP size (only when the query had EDNS). */
  ednsUdpSize?: number;
}

/** Grows as needed and remembers where names were written, for compression pointers. */
class Writer {
  private buf = Buffer.alloc(512);
  len = 0;
  private readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }
  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v, this.len);
    this.len += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }
  bytes(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }
  setU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }
  /**
   * §4.1.4: each suffix already written is replaced by a pointer. Matching is exact, case
   * included, so a question in odd case (0x20) does not leak into the zone's names.
   */
  name(labels: Buffer[]): void {
    for (let i = 0; i < labels.length; i++) {
      const key = namePresentation(labels.slice(i));
      const at = this.names.get(key);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.len < 0x4000) this.names.set(key, this.len);
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** Zone names are plain ASCII host names; `''` or `.` is the root. */
export function nameLabels(name: string): Buffer[] {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n === '' ? [] : n.split('.').map((l) => Buffer.from(l, 'latin1'));
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map((p) => Number(p) & 0xff));
}

function encode(r: Response, answers: WireRecord[], tc: boolean): Buffer {
  const w = new Writer();
  w.u16(r.id);
  w.u16(
    0x8000 |
      ((r.opcode & 0xf) << 11) |
      (r.aa ? 0x0400 : 0) |
      (tc ? 0x0200 : 0) |
      (r.rd ? 0x0100 : 0) |
      (r.ra ? 0x0080 : 0) |
      (r.cd ? 0x0010 : 0) |
      (r.rcode & 0xf),
  );
  w.u16(r.question ? 1 : 0);
  w.u16(answers.length);
  w.u16(0);
  w.u16(r.ednsUdpSize !== undefined ? 1 : 0);
  if (r.question) {
    w.name(r.question.labels);
    w.u16(r.question.type);
    w.u16(r.question.class);
  }
  for (const a of answers) {
    w.name(nameLabels(a.name));
    w.u16(a.type);
    w.u16(CLASS_IN);
    w.u32(a.ttl);
    const lenAt = w.len;
    w.u16(0);
    if (a.type === TYPE.A) w.bytes(ipv4Bytes(a.value));
    else w.name(nameLabels(a.value)); // CNAME, PTR, NS: compressible per §4.1.4
    w.setU16(lenAt, w.len - lenAt - 2);
  }
  if (r.ednsUdpSize !== undefined) {
    // RFC 6891 §6.1.2: root owner, CLASS = payload size, TTL = ext-rcode/version/flags.
    w.u8(0);
    w.u16(TYPE.OPT);
    w.u16(r.ednsUdpSize);
    w.u32(0);
    w.u16(0);
  }
  return w.done();
}

/**
 * Encodes a response; when it exceeds `maxSize` (UDP), sends the header and question only
 * with TC set, so the client retries over TCP (RFC 1035 §4.2.1, RFC 7766 §5).
 */
export function encodeResponse(r: Response, maxSize = 0xffff): { buf: Buffer; truncated: boolean } {
  const full = encode(r, r.answers, false);
  if (full.length <= maxSize) return { buf: full, truncated: false };
  return { buf: encode(r, [], true), truncated: true };
}

/** A query as a stub resolver sends it; used by tests and handy for probes. */
export function encodeQuery(id: number, name: string, type: number, opts: { rd?: boolean; ednsUdpSize?: number } = {}): Buffer {
  const w = new Writer();
  w.u16(id);
  w.u16(opts.rd === false ? 0 : 0x0100);
  w.u16(1);
  w.u16(0);
  w.u16(0);
  w.u16(opts.ednsUdpSize !== undefined ? 1 : 0);
  w.name(nameLabels(name));
  w.u16(type);
  w.u16(CLASS_IN);
  if (opts.ednsUdpSize !== undefined) {
    w.u8(0);
    w.u16(TYPE.OPT);
    w.u16(opts.ednsUdpSize);
    w.u32(0);
    w.u16(0);
  }
  return w.done();
}

export interface ParsedRecord {
  name: string;
  type: number;
  ttl: number;
  /** A: dotted IPv4; CNAME/PTR/NS: the name; others: hex of the rdata. */
  value: string;
}

export interface ParsedResponse {
  id: number;
  flags: { qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean };
  rcode: number;
  questions: { name: string; type: number; class: number }[];
  answers: ParsedRecord[];
  additional: ParsedRecord[];
}

/** Parses a response (tests use it as the hand-written client); a string says what is wrong. */
export function parseResponse(msg: Buffer): ParsedResponse | string {
  if (msg.length < HEADER_LEN) return 'short message';
  const flags = msg.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o));
  const out: ParsedResponse = {
    id: msg.readUInt16BE(0),
    flags: {
      qr: (flags & 0x8000) !== 0,
      aa: (flags & 0x0400) !== 0,
      tc: (flags & 0x0200) !== 0,
      rd: (flags & 0x0100) !== 0,
      ra: (flags & 0x0080) !== 0,
    },
    rcode: flags & 0xf,
    questions: [],
    answers: [],
    additional: [],
  };
  let off = HEADER_LEN;
  for (let i = 0; i < counts[0]; i++) {
    const n = readName(msg, off);
    if (typeof n === 'string') return n;
    if (n.next + 4 > msg.length) return 'question runs past the end';
    out.questions.push({ name: namePresentation(n.labels), type: msg.readUInt16BE(n.next), class: msg.readUInt16BE(n.next + 2) });
    off = n.next + 4;
  }
  for (let i = 0; i < counts[1] + counts[2] + counts[3]; i++) {
    const rr = readRecordHead(msg, off);
    if (typeof rr === 'string') return rr;
    let value: string;
    const rd = msg.subarray(rr.rdStart, rr.next);
    if (rr.type === TYPE.A && rd.length === 4) value = [...rd].join('.');
    else if (rr.type === TYPE.CNAME || rr.type === TYPE.PTR || rr.type === TYPE.NS) {
      const n = readName(msg, rr.rdStart);
      if (typeof n === 'string') return n;
      value = namePresentation(n.labels);
    } else value = rd.toString('hex');
    const rec = { name: namePresentation(rr.labels), type: rr.type, ttl: rr.ttl, value };
    if (i < counts[1]) out.answers.push(rec);
    else if (i >= counts[1] + counts[2]) out.additional.push(rec);
    off = rr.next;
  }
  return out;
}
