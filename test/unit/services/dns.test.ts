// The dns service in-process on 127.0.0.1 (ephemeral port): a hand-written client over UDP
// and TCP, real `dig` when installed, and a fuzz of 10,000 datagrams.

import { execFile, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { udpRoundTrip } from '../../support/udp';
import { handleMessage, startDns, type DnsService } from '../../../src/main/services/dns';
import { RCODE, TYPE, encodeQuery, parseResponse, type ParsedResponse } from '../../../src/main/services/dns-wire';
import { ZoneIndex, parseZone, type Zone } from '../../../src/main/services/zone';
import { cannotRun } from '../../support/skip';

const run = promisify(execFile);
const noDig = cannotRun(__filename, !!spawnSync('dig', ['-v'], { stdio: 'ignore' }).error && 'dig is not installed (Debian package dnsutils; scripts/install.sh installs it)');

const ZONE: Zone = parseZone({
  ttl: 600,
  records: [
    { name: 'aliyun.com', type: 'A', value: '106.11.249.99' },
    { name: 'www.aliyun.com', type: 'CNAME', value: 'www.aliyun.com.w.cdngslb.com' },
    { name: 'www.aliyun.com.w.cdngslb.com', type: 'A', value: '124.238.245.100' },
    { name: 'ifconfig.me', type: 'A', value: '34.160.111.145' },
    { name: '8.8.8.8.in-addr.arpa', type: 'PTR', value: 'dns.google' },
    // 40 addresses: 12 + 20 + 40 × 16 > 512, so UDP without EDNS must truncate.
    ...Array.from({ length: 40 }, (_, i) => ({ name: 'big.lab', type: 'A', value: `10.9.0.${i + 1}` })),
  ],
});

let server: DnsService;
const logs: string[] = [];

beforeAll(async () => {
  server = await startDns({ port: 0, host: '127.0.0.1', zone: ZONE, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await server?.close();
});

let nextId = 1;

/** One query over UDP; resolves with the parsed response (times out after 2 s). */
async function udpQuery(msg: Buffer, port = server.port): Promise<ParsedResponse> {
  const r = parseResponse((await udpRoundTrip(port, msg)).msg);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

function q(name: string, type: number, opts: { ednsUdpSize?: number } = {}): Buffer {
  return encodeQuery(nextId++ & 0xffff, name, type, opts);
}

/** Several length-prefixed queries on one TCP connection, written in awkward pieces. */
function tcpQueries(msgs: Buffer[]): Promise<ParsedResponse[]> {
  return new Promise((resolve, reject) => {
    const out: ParsedResponse[] = [];
    let buf = Buffer.alloc(0);
    const sock = net.connect(server.port, '127.0.0.1');
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('no TCP answer within 2 s'));
    }, 2000);
    sock.on('error', reject);
    sock.on('connect', () => {
      const framed = Buffer.concat(
        msgs.map((m) => {
          const l = Buffer.alloc(2);
          l.writeUInt16BE(m.length);
          return Buffer.concat([l, m]);
        }),
      );
      // Byte by byte for the first few, to prove reassembly of the length prefix.
      for (let i = 0; i < 5; i++) sock.write(framed.subarray(i, i + 1));
      sock.write(framed.subarray(5));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const r = parseResponse(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (typeof r === 'string') return reject(new Error(r));
        out.push(r);
      }
      if (out.length === msgs.length) {
        clearTimeout(timer);
        sock.end();
        resolve(out);
      }
    });
  });
}

describe('dns over UDP (hand-written client)', () => {
  it('A query on a CNAME answers the CNAME and the target address, resolver-style flags', async () => {
    const msg = q('WWW.Aliyun.Com.', TYPE.A);
    const r = await udpQuery(msg);
    expect(r.id).toBe(msg.readUInt16BE(0));
    expect(r.flags).toEqual({ qr: true, aa: false, tc: false, rd: true, ra: true });
    expect(r.rcode).toBe(RCODE.NOERROR);
    expect(r.questions).toEqual([{ name: 'WWW.Aliyun.Com', type: TYPE.A, class: 1 }]);
    expect(r.answers.map((a) => [a.type, a.value])).toEqual([
      [TYPE.CNAME, 'www.aliyun.com.w.cdngslb.com'],
      [TYPE.A, '124.238.245.100'],
    ]);
    expect(r.answers[0].ttl).toBe(600);
  });

  it('PTR for 8.8.8.8 is dns.google', async () => {
    const r = await udpQuery(q('8.8.8.8.in-addr.arpa', TYPE.PTR));
    expect(r.answers).toEqual([{ name: '8.8.8.8.in-addr.arpa', type: TYPE.PTR, ttl: 600, value: 'dns.google' }]);
  });

  it('NXDOMAIN for an unknown name, NODATA for AAAA of a known one', async () => {
    const nx = await udpQuery(q('no-such-host.example', TYPE.A));
    expect(nx.rcode).toBe(RCODE.NXDOMAIN);
    expect(nx.answers).toEqual([]);
    const nodata = await udpQuery(q('aliyun.com', TYPE.AAAA));
    expect(nodata.rcode).toBe(RCODE.NOERROR);
    expect(nodata.answers).toEqual([]);
  });

  it('over 512 bytes without EDNS: TC set, no answers; with EDNS it fits', async () => {
    const tc = await udpQuery(q('big.lab', TYPE.A));
    expect(tc.flags.tc).toBe(true);
    expect(tc.answers).toEqual([]);
    expect(tc.questions).toHaveLength(1);
    const edns = await udpQuery(q('big.lab', TYPE.A, { ednsUdpSize: 1232 }));
    expect(edns.flags.tc).toBe(false);
    expect(edns.answers).toHaveLength(40);
    expect(edns.additional.map((a) => a.type)).toEqual([TYPE.OPT]);
  });

  it('logs one line per query with the client address', async () => {
    const before = logs.length;
    await udpQuery(q('ifconfig.me', TYPE.A));
    expect(logs.length).toBe(before + 1);
    expect(logs[before]).toMatch(/^\S+Z 127\.0\.0\.1:\d+ udp "ifconfig\.me A" NOERROR 1 answer \[A 34\.160\.111\.145\]$/);
  });
});

describe('dns over TCP', () => {
  it('answers pipelined, length-prefixed queries, untruncated', async () => {
    const [a, big, ptr] = await tcpQueries([q('www.aliyun.com', TYPE.A), q('big.lab', TYPE.A), q('8.8.8.8.in-addr.arpa', TYPE.PTR)]);
    expect(a.answers.map((x) => x.value)).toEqual(['www.aliyun.com.w.cdngslb.com', '124.238.245.100']);
    expect(big.flags.tc).toBe(false);
    expect(big.answers).toHaveLength(40);
    expect(ptr.answers[0].value).toBe('dns.google');
  });
});

describe.skipIf(noDig)('dns with real dig', () => {
  const dig = async (...args: string[]) =>
    (await run('dig', ['@127.0.0.1', '-p', String(server.port), '+time=2', '+tries=1', ...args], { timeout: 10_000 })).stdout;

  it('dig www.aliyun.com shows the CNAME and the A record', async () => {
    const out = await dig('www.aliyun.com');
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/flags: qr rd ra;/);
    expect(out).toMatch(/^www\.aliyun\.com\.\s+600\s+IN\s+CNAME\s+www\.aliyun\.com\.w\.cdngslb\.com\.$/m);
    expect(out).toMatch(/^www\.aliyun\.com\.w\.cdngslb\.com\.\s+600\s+IN\s+A\s+124\.238\.245\.100$/m);
  });

  it('dig -x 8.8.8.8 answers dns.google', async () => {
    expect((await dig('+short', '-x', '8.8.8.8')).trim()).toBe('dns.google.');
  });

  it('dig: NXDOMAIN for unknown, NODATA for AAAA', async () => {
    expect(await dig('nothing.here.example')).toMatch(/status: NXDOMAIN/);
    const aaaa = await dig('aliyun.com', 'AAAA');
    expect(aaaa).toMatch(/status: NOERROR/);
    expect(aaaa).toMatch(/ANSWER: 0,/);
  });

  it('dig +tcp works, and dig +noedns falls back to TCP on TC', async () => {
    const tcp = await dig('+tcp', 'www.aliyun.com');
    expect(tcp).toMatch(/\(TCP\)/);
    expect(tcp).toMatch(/IN\s+A\s+124\.238\.245\.100/);
    const big = await dig('+noedns', 'big.lab');
    expect(big).toMatch(/Truncated, retrying in TCP mode/);
    expect(big).toMatch(/ANSWER: 40,/);
  });
});

describe('malformed input', () => {
  it('handleMessage never throws on 100,000 random messages', () => {
    const zone = new ZoneIndex(ZONE);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = encodeQuery(1, 'www.aliyun.com', TYPE.A, { ednsUdpSize: 600 });
    let responses = 0;
    for (let i = 0; i < 100_000; i++) {
      const b = i % 2 ? Buffer.from(base) : Buffer.alloc(Math.floor(rnd() * 64));
      const flips = i % 2 ? 1 + Math.floor(rnd() * 3) : b.length;
      for (let k = 0; k < flips && b.length; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const h = handleMessage(b, zone, i % 3 ? 'udp' : 'tcp');
      if (h.kind === 'response') responses++;
    }
    expect(responses).toBeGreaterThan(0); // mutations that stay valid still get answers
  });

  it('10,000 random datagrams: counted, dropped, and the server still answers', async () => {
    const before = server.stats();
    const s = dgram.createSocket('udp4');
    s.on('message', () => undefined); // answers to still-valid mutations: ignored
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    let seed = 1234;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = encodeQuery(1, 'www.aliyun.com', TYPE.A);
    const loop = Buffer.concat([base.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])]); // self-pointer
    const kinds = [
      () => Buffer.alloc(Math.floor(rnd() * 600)).map(() => Math.floor(rnd() * 256)),
      () => {
        const b = Buffer.from(base.subarray(0, Math.floor(rnd() * base.length)));
        if (b.length) b[Math.floor(rnd() * b.length)] ^= 1 + Math.floor(rnd() * 255);
        return b;
      },
      () => loop,
      () => Buffer.alloc(0),
    ];
    for (let i = 0; i < 10_000; i++) {
      await new Promise<void>((r) => s.send(kinds[i % kinds.length](), server.port, '127.0.0.1', () => r()));
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 2)); // let the server keep up
    }
    await new Promise((r) => setTimeout(r, 200));
    s.close();
    const after = server.stats();
    expect(after.malformed - before.malformed).toBeGreaterThan(5000);
    // Rate-limited: a flood of garbage is not a flood of log lines.
    expect(logs.filter((l) => l.includes('malformed')).length).toBeLessThan(20);
    const r = await udpQuery(q('www.aliyun.com', TYPE.A));
    expect(r.answers).toHaveLength(2);
  });

  it('malformed TCP messages are dropped without closing the connection', async () => {
    // A 3-byte garbage message and an empty one, then a good query, on one connection.
    const results = await new Promise<ParsedResponse[]>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1');
      const good = q('aliyun.com', TYPE.A);
      const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
      sock.on('connect', () => sock.write(Buffer.concat([frame(Buffer.from([0xff, 0xff, 0x80])), frame(Buffer.alloc(0)), frame(good)])));
      sock.on('data', (d) => {
        sock.end();
        const p = parseResponse(d.subarray(2));
        if (typeof p === 'string') reject(new Error(p));
        else resolve([p]);
      });
      sock.on('error', reject);
      setTimeout(() => reject(new Error('timeout')), 2000).unref();
    });
    expect(results[0].answers[0].value).toBe('106.11.249.99');
  });

  it('answers NOTIMP to other opcodes and REFUSED to other classes', async () => {
    const notify = q('aliyun.com', TYPE.SOA);
    notify[2] |= 4 << 3; // opcode 4 NOTIFY
    expect((await udpQuery(notify)).rcode).toBe(RCODE.NOTIMP);
    const chaos = q('version.bind', TYPE.TXT);
    chaos.writeUInt16BE(3, chaos.length - 2); // class CH
    expect((await udpQuery(chaos)).rcode).toBe(RCODE.REFUSED);
  });
});

describe('zone reload', () => {
  it('setZone swaps the answers', async () => {
    const s = await startDns({ port: 0, host: '127.0.0.1', zone: ZONE, log: () => undefined });
    try {
      s.setZone({ ttl: 5, records: [{ name: 'aliyun.com', type: 'A', value: '1.2.3.4' }] });
      const r = await udpQuery(q('aliyun.com', TYPE.A), s.port);
      expect(r.answers).toEqual([{ name: 'aliyun.com', type: TYPE.A, ttl: 5, value: '1.2.3.4' }]);
    } finally {
      await s.close();
    }
  });
});
