import { describe, expect, it } from 'vitest';
import {
  TYPE,
  encodeQuery,
  encodeResponse,
  nameLabels,
  parseQuery,
  parseResponse,
  readName,
  type ParsedResponse,
} from '../../../src/main/services/dns-wire';

function header(id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0): Buffer {
  const b = Buffer.alloc(12);
  [id, flags, qd, an, ns, ar].forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
}

describe('parseQuery', () => {
  it('reads a stub resolver query, keeping the case of the name', () => {
    const r = parseQuery(encodeQuery(0x1234, 'WwW.Aliyun.com', TYPE.A));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.query).toMatchObject({ id: 0x1234, opcode: 0, rd: true, question: { name: 'WwW.Aliyun.com', type: 1, class: 1 } });
    expect(r.query.edns).toBeUndefined();
  });

  it('reads the EDNS payload size from the OPT record', () => {
    const r = parseQuery(encodeQuery(1, 'a.com', TYPE.A, { ednsUdpSize: 4096 }));
    expect(r.ok && r.query.edns).toEqual({ udpSize: 4096, version: 0 });
  });

  it('follows compression pointers', () => {
    // An additional record whose owner points back at the question name.
    const q = encodeQuery(7, 'www.aliyun.com', TYPE.A);
    q.writeUInt16BE(1, 10); // ARCOUNT=1
    const rr = Buffer.alloc(2 + 10 + 4);
    rr.writeUInt16BE(0xc000 | 12, 0);
    rr.writeUInt16BE(TYPE.A, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(4, 10);
    expect(parseQuery(Buffer.concat([q, rr])).ok).toBe(true);

    // A question name "a" + pointer to offset 2, where the flags bytes 0x01 0x78 and the
    // QDCOUNT high byte 0x00 happen to spell the name "x": legal, if odd.
    const m = Buffer.concat([header(1, 0x0178, 1), Buffer.from([1, 0x61, 0xc0, 0x02, 0, 1, 0, 1])]);
    const r = parseQuery(m);
    expect(r.ok && r.query.question.name).toBe('a.x');
    // Pointing at offset 1 instead reads a 120-byte label past the end: refused, not thrown.
    m[15] = 0x01;
    expect(parseQuery(m).ok).toBe(false);
  });

  it('refuses what is not exactly one well-formed question', () => {
    const bad: [Buffer, RegExp][] = [
      [Buffer.alloc(5), /short/],
      [Buffer.concat([header(1, 0x8000, 1), Buffer.from([0, 0, 1, 0, 1])]), /QR=1/],
      [Buffer.concat([header(1, 0, 0)]), /QDCOUNT=0/],
      [Buffer.concat([header(1, 0, 2), Buffer.from([0, 0, 1, 0, 1, 0, 0, 1, 0, 1])]), /QDCOUNT=2/],
      [Buffer.concat([header(1, 0, 1), Buffer.from([3, 0x61])]), /past the end/],
      [Buffer.concat([header(1, 0, 1), Buffer.from([0x40, 0, 0, 1, 0, 1])]), /reserved label/],
      [Buffer.concat([header(1, 0, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])]), /backwards/], // points at itself
      [Buffer.concat([header(1, 0, 1), Buffer.from([0xc0])]), /truncated compression/],
      [Buffer.concat([header(1, 0, 1), Buffer.from([0, 0, 1])]), /question runs past/],
      [Buffer.concat([header(1, 0, 1, 0, 0, 1), Buffer.from([0, 0, 1, 0, 1, 0, 0, 41])]), /record 1/],
    ];
    for (const [msg, reason] of bad) {
      const r = parseQuery(msg);
      expect(r.ok, msg.toString('hex')).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });

  it('refuses names longer than 255 octets', () => {
    const labels = Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)]));
    const r = parseQuery(Buffer.concat([header(1, 0, 1), ...labels, Buffer.from([0, 0, 1, 0, 1])]));
    expect(!r.ok && r.reason).toMatch(/255/);
  });

  it('escapes odd label bytes so they cannot pass for zone names', () => {
    const m = Buffer.concat([header(1, 0, 1), Buffer.from([3, 0x61, 0x2e, 0x62, 3, 0x63, 0x6f, 0x6d, 1, 0x00, 0, 0, 1, 0, 1])]);
    const r = parseQuery(m);
    expect(r.ok && r.query.question.name).toBe('a\\.b.com.\\000');
  });

  it('never throws on random or mutated input', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = encodeQuery(9, 'www.aliyun.com', TYPE.A, { ednsUdpSize: 1232 });
    for (let i = 0; i < 50_000; i++) {
      let b: Buffer;
      if (i % 2) {
        b = Buffer.from(base.subarray(0, Math.floor(rnd() * (base.length + 1))));
        for (let k = 0; k < 3; k++) if (b.length) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      } else {
        b = Buffer.alloc(Math.floor(rnd() * 80));
        for (let k = 0; k < b.length; k++) b[k] = Math.floor(rnd() * 256);
        if (b.length > 5) b[2] &= 0x7f; // mostly queries
      }
      expect(() => parseQuery(b)).not.toThrow();
    }
  });
});

describe('encodeResponse', () => {
  const q = parseQuery(encodeQuery(0xbeef, 'WWW.aliyun.com', TYPE.A));
  if (!q.ok) throw new Error('fixture');
  const base = { id: 0xbeef, opcode: 0, aa: false, rd: true, ra: true, cd: false, rcode: 0, question: q.query.question };

  it('echoes the question, compresses names and round-trips', () => {
    const { buf, truncated } = encodeResponse({
      ...base,
      answers: [
        { name: 'WWW.aliyun.com', type: TYPE.CNAME, ttl: 600, value: 'www.aliyun.com.w.cdngslb.com' },
        { name: 'www.aliyun.com.w.cdngslb.com', type: TYPE.A, ttl: 600, value: '124.238.245.100' },
      ],
    });
    expect(truncated).toBe(false);
    const r = parseResponse(buf) as ParsedResponse;
    expect(typeof r).toBe('object');
    expect(r.id).toBe(0xbeef);
    expect(r.flags).toEqual({ qr: true, aa: false, tc: false, rd: true, ra: true });
    expect(r.questions).toEqual([{ name: 'WWW.aliyun.com', type: 1, class: 1 }]);
    expect(r.answers).toEqual([
      { name: 'WWW.aliyun.com', type: TYPE.CNAME, ttl: 600, value: 'www.aliyun.com.w.cdngslb.com' },
      { name: 'www.aliyun.com.w.cdngslb.com', type: TYPE.A, ttl: 600, value: '124.238.245.100' },
    ]);
    // Header 12 + question 20 + CNAME (owner pointer 2 + 10 + "www.aliyun.com.w.cdngslb" 25 +
    // pointer to "com" 2) + A (owner pointer into the CNAME data 2 + 10 + 4).
    expect(buf.length).toBe(12 + 20 + 39 + 16);
  });

  it('sets TC and drops the answers beyond the size limit', () => {
    const answers = Array.from({ length: 40 }, (_, i) => ({ name: 'www.aliyun.com', type: TYPE.A, ttl: 1, value: `10.0.0.${i}` }));
    const small = encodeResponse({ ...base, answers }, 512);
    expect(small.truncated).toBe(true);
    const r = parseResponse(small.buf) as ParsedResponse;
    expect(r.flags.tc).toBe(true);
    expect(r.answers).toEqual([]);
    expect(r.questions).toHaveLength(1);
    const big = encodeResponse({ ...base, answers });
    expect(big.truncated).toBe(false);
    expect(big.buf.length).toBeGreaterThan(512);
    expect((parseResponse(big.buf) as ParsedResponse).answers).toHaveLength(40);
  });

  it('readName rejects a pointer chain that does not go backwards', () => {
    const m = Buffer.from([0xc0, 2, 0xc0, 0]);
    expect(readName(m, 2)).toBe('compression pointer does not point backwards');
    expect(nameLabels('.')).toEqual([]);
  });
});
