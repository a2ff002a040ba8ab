import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZoneError, ZoneIndex, loadZone, normalizeName, parseZone, ptrName, type Zone } from '../../../src/main/services/zone';

const LAB_ZONE: Zone = {
  ttl: 600,
  records: [
    { name: 'aliyun.com', type: 'A', value: '106.11.249.99' },
    { name: 'www.aliyun.com', type: 'CNAME', value: 'www.aliyun.com.w.cdngslb.com' },
    { name: 'www.aliyun.com.w.cdngslb.com', type: 'A', value: '124.238.245.100', ttl: 60 },
    { name: '8.8.8.8.in-addr.arpa', type: 'PTR', value: 'dns.google' },
  ],
};

describe('zone helpers', () => {
  it('ptrName reverses the octets under in-addr.arpa', () => {
    expect(ptrName('8.8.8.8')).toBe('8.8.8.8.in-addr.arpa');
    expect(ptrName('47.83.1.2')).toBe('2.1.83.47.in-addr.arpa');
    expect(() => ptrName('8.8.8')).toThrow(ZoneError);
    expect(() => ptrName('256.1.1.1')).toThrow(ZoneError);
  });

  it('normalizes case and the trailing dot', () => {
    expect(normalizeName('WWW.Aliyun.COM.')).toBe('www.aliyun.com');
    expect(normalizeName('.')).toBe('');
  });
});

describe('parseZone', () => {
  it('accepts the lab zone and defaults the ttl', () => {
    const z = parseZone({ records: [{ name: 'Aliyun.com.', type: 'a', value: '106.11.249.99' }] });
    expect(z).toEqual({ ttl: 600, records: [{ name: 'aliyun.com', type: 'A', value: '106.11.249.99' }] });
    expect(parseZone(LAB_ZONE).records).toHaveLength(4);
  });

  it('names the offending field', () => {
    expect(() => parseZone({ records: [{ name: 'a.com', type: 'A', value: 'x' }] })).toThrow(/records\[0\]\.value/);
    expect(() => parseZone({ records: [{ name: 'a..com', type: 'A', value: '1.2.3.4' }] })).toThrow(/records\[0\]\.name/);
    expect(() => parseZone({ records: [{ name: 'a.com', type: 'MX', value: 'b.com' }] })).toThrow(/records\[0\]\.type/);
    expect(() => parseZone({ records: [{ name: 'a.com', type: 'A', value: '1.2.3.4', ttl: -1 }] })).toThrow(/ttl/);
    expect(() => parseZone({ records: [], extra: 1 })).toThrow(/unknown key/);
    expect(() => parseZone([])).toThrow(/object/);
    expect(() => parseZone({ ttl: 60 })).toThrow(/records/);
  });

  it('refuses a CNAME next to other data, and CNAME loops', () => {
    expect(() =>
      parseZone({ records: [{ name: 'a.com', type: 'CNAME', value: 'b.com' }, { name: 'a.com', type: 'A', value: '1.2.3.4' }] }),
    ).toThrow(/CNAME and other records/);
    expect(() =>
      parseZone({
        records: [
          { name: 'a.com', type: 'CNAME', value: 'b.com' },
          { name: 'b.com', type: 'CNAME', value: 'c.com' },
          { name: 'c.com', type: 'CNAME', value: 'A.com.' },
        ],
      }),
    ).toThrow(/CNAME loop/);
  });

  it('drops repeated records', () => {
    const r = { name: 'a.com', type: 'A', value: '1.2.3.4' };
    expect(parseZone({ records: [r, { ...r, name: 'A.COM' }] }).records).toHaveLength(1);
  });

  it('loadZone reports unreadable and invalid files as ZoneError', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-zone-'));
    try {
      const f = path.join(dir, 'z.json');
      fs.writeFileSync(f, JSON.stringify(LAB_ZONE));
      expect(loadZone(f).records[1].type).toBe('CNAME');
      fs.writeFileSync(f, '{not json');
      expect(() => loadZone(f)).toThrow(ZoneError);
      expect(() => loadZone(path.join(dir, 'missing.json'))).toThrow(/cannot read/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ZoneIndex.resolve', () => {
  const idx = new ZoneIndex(parseZone(LAB_ZONE));

  it('follows a CNAME to the address, like a recursive resolver', () => {
    expect(idx.resolve('WWW.ALIYUN.COM.', 'A')).toEqual({
      rcode: 'NOERROR',
      answers: [
        { name: 'www.aliyun.com', type: 'CNAME', ttl: 600, value: 'www.aliyun.com.w.cdngslb.com' },
        { name: 'www.aliyun.com.w.cdngslb.com', type: 'A', ttl: 60, value: '124.238.245.100' },
      ],
    });
  });

  it('answers a CNAME question with the CNAME alone', () => {
    expect(idx.resolve('www.aliyun.com', 'CNAME').answers.map((a) => a.type)).toEqual(['CNAME']);
  });

  it('NODATA for other types of a known name, NXDOMAIN for unknown names', () => {
    expect(idx.resolve('aliyun.com', 'AAAA')).toEqual({ rcode: 'NOERROR', answers: [] });
    expect(idx.resolve('nope.aliyun.com', 'A')).toEqual({ rcode: 'NXDOMAIN', answers: [] });
    // An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN.
    expect(idx.resolve('w.cdngslb.com', 'A')).toEqual({ rcode: 'NOERROR', answers: [] });
  });

  it('PTR for the reverse name', () => {
    expect(idx.resolve(ptrName('8.8.8.8'), 'PTR').answers).toEqual([
      { name: '8.8.8.8.in-addr.arpa', type: 'PTR', ttl: 600, value: 'dns.google' },
    ]);
  });

  it('CNAME to a name outside the zone: the CNAME and NXDOMAIN (RFC 6604)', () => {
    const z = new ZoneIndex({ ttl: 5, records: [{ name: 'x.lab', type: 'CNAME', value: 'gone.lab' }] });
    expect(idx.resolve('x.lab', 'A').rcode).toBe('NXDOMAIN');
    expect(z.resolve('x.lab', 'A')).toEqual({
      rcode: 'NXDOMAIN',
      answers: [{ name: 'x.lab', type: 'CNAME', ttl: 5, value: 'gone.lab' }],
    });
  });

  it('stays loop-safe on a hand-built zone that skipped validation', () => {
    const z = new ZoneIndex({
      ttl: 1,
      records: [
        { name: 'a.lab', type: 'CNAME', value: 'b.lab' },
        { name: 'b.lab', type: 'CNAME', value: 'a.lab' },
      ],
    });
    const r = z.resolve('a.lab', 'A');
    expect(r.rcode).toBe('SERVFAIL');
    expect(r.answers.length).toBeLessThanOrEqual(16);
  });
});
