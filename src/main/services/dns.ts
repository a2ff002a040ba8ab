// `dns`: the lab's resolver (VPC DNS 100.100.2.136 and the public resolvers 8.8.8.8…), over
// UDP and TCP on the same port (RFC 1035 §4.2, RFC 7766). It answers from the lab zone only,
// but the way a recursive resolver does: RA=1, AA=0, CNAMEs followed to the address, NODATA
// for a known name's other types (so `ping` falls back to A at once), NXDOMAIN otherwise.

import * as net from 'node:net';
import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import {
  CLASS_ANY,
  CLASS_IN,
  EDNS_UDP_SIZE,
  RCODE,
  Response,
  TYPE,
  UDP_CLASSIC_LIMIT,
  encodeResponse,
  parseQuery,
  rcodeName,
  typeName,
} from './dns-wire';
import { DEFAULT_HOST, ListenOptions, RunningService, logPrefix } from './service';
import { bindUdp } from './udp-bind';
import { Zone, ZoneIndex } from './zone';

export type Transport = 'udp' | 'tcp';

export type Handled =
  | { kind: 'malformed'; reason: string }
  | { kind: 'response'; buf: Buffer; summary: string };

const WIRE_TYPE: Record<string, number> = { A: TYPE.A, CNAME: TYPE.CNAME, PTR: TYPE.PTR };

/**
 * One message in, one response (or a reason to drop it) out. Pure: the servers below only
 * move bytes. `transport` decides the size limit: UDP 512 or the client's EDNS size.
 */
export function handleMessage(msg: Buffer, zone: ZoneIndex, transport: Transport): Handled {
  const parsed = parseQuery(msg);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
  const q = parsed.query;
  const res: Response = {
    id: q.id,
    opcode: q.opcode,
    aa: false,
    rd: q.rd,
    ra: true,
    cd: q.cd,
    rcode: RCODE.NOERROR,
    question: q.question,
    answers: [],
    ednsUdpSize: q.edns ? EDNS_UDP_SIZE : undefined,
  };
  const qtype = typeName(q.question.type);
  if (q.opcode !== 0) {
    res.rcode = RCODE.NOTIMP; // only QUERY (RFC 1035 §4.1.1)
  } else if (q.question.class !== CLASS_IN && q.question.class !== CLASS_ANY) {
    res.rcode = RCODE.REFUSED; // CHAOS `version.bind` and the like
  } else if (q.question.type === TYPE.OPT || q.question.type === 251 || q.question.type === 252) {
    res.rcode = q.question.type === TYPE.OPT ? RCODE.FORMERR : RCODE.NOTIMP; // OPT is no question; no IXFR/AXFR
  } else {
    const a = zone.resolve(q.question.name, qtype);
    res.rcode = RCODE[a.rcode];
    // Owner names that are the question's name are written as asked (case kept), as
    // resolvers do; they then compress to a pointer to the question.
    const asked = q.question.name.toLowerCase();
    res.answers = a.answers.map((r) => ({
      name: r.name === asked ? q.question.name : r.name,
      type: WIRE_TYPE[r.type],
      ttl: r.ttl,
      value: r.value,
    }));
  }
  const limit = transport === 'tcp' ? 0xffff : q.edns ? Math.min(q.edns.udpSize, EDNS_UDP_SIZE) : UDP_CLASSIC_LIMIT;
  const { buf, truncated } = encodeResponse(res, limit);
  const shown = truncated ? 0 : res.answers.length;
  const summary =
    `"${q.question.name || '.'} ${qtype}" ${rcodeName(res.rcode)} ${shown} answer${shown === 1 ? '' : 's'}` +
    (truncated ? ' TC' : '') +
    (shown ? ` [${res.answers.map((r) => `${typeName(r.type)} ${r.value}`).join(', ')}]` : '');
  return { kind: 'response', buf, summary };
}

export interface DnsStats {
  queries: number;
  malformed: number;
  udp: number;
  tcp: number;
}

export interface DnsService extends RunningService {
  stats(): DnsStats;
  /** Swap the zone (SIGHUP reload); queries in flight finish with the old one. */
  setZone(zone: Zone): void;
}

export interface DnsOptions extends ListenOptions {
  zone: Zone;
  /** Idle TCP connections are closed after this long (RFC 7766 §6.2.3 suggests seconds). */
  tcpIdleMs?: number;
}

/** At most one "malformed" log line per second: a flood must not become a log flood. */
const MALFORMED_LOG_INTERVAL_MS = 1000;
const MAX_TCP_CONNECTIONS = 256;

export async function startDns(opts: DnsOptions): Promise<DnsService> {
  const host = opts.host ?? DEFAULT_HOST;
  let zone = new ZoneIndex(opts.zone);
  const stats: DnsStats = { queries: 0, malformed: 0, udp: 0, tcp: 0 };
  let lastMalformedLog = -Infinity;
  let suppressed = 0;

  const onMessage = (msg: Buffer, transport: Transport, addr: string | undefined, port: number | undefined): Buffer | undefined => {
    let h: Handled;
    try {
      h = handleMessage(msg, zone, transport);
    } catch (err) {
      // A bug of ours must cost one query, not the lab's resolver.
      h = { kind: 'malformed', reason: `internal error: ${String(err)}` };
    }
    if (h.kind === 'malformed') {
      stats.malformed++;
      const now = Date.now();
      if (now - lastMalformedLog >= MALFORMED_LOG_INTERVAL_MS) {
        const more = suppressed ? ` (+${suppressed} more since last)` : '';
        opts.log(`${logPrefix(addr, port)} ${transport} malformed query dropped: ${h.reason}${more}; ${stats.malformed} in all`);
        lastMalformedLog = now;
        suppressed = 0;
      } else suppressed++;
      return undefined;
    }
    stats.queries++;
    stats[transport]++;
    opts.log(`${logPrefix(addr, port)} ${transport} ${h.summary}`);
    return h.buf;
  };

  const onDatagram = (sock: UdpSocket, msg: Buffer, rinfo: RemoteInfo) => {
    const out = onMessage(msg, 'udp', rinfo.address, rinfo.port);
    if (out) sock.send(out, rinfo.port, rinfo.address, () => undefined);
  };
  const onUdpError = (err: Error) => process.stderr.write(`dns: udp: ${String(err)}\n`);

  const conns = new Set<net.Socket>();
  const tcp = net.createServer((sock) => {
    conns.add(sock);
    sock.on('close', () => conns.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.setTimeout(opts.tcpIdleMs ?? 10_000, () => sock.destroy());
    const addr = sock.remoteAddress;
    const port = sock.remotePort;
    let pending: Buffer = Buffer.alloc(0);
    // RFC 1035 §4.2.2: each message is preceded by its 2-byte length; several may be in
    // flight on one connection (RFC 7766 §6.2.1.1) and a segment may hold any part of them.
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        const out = onMessage(msg, 'tcp', addr, port);
        if (out && sock.writable) {
          const framed = Buffer.alloc(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          out.copy(framed, 2);
          sock.write(framed);
        }
      }
    });
  });
  tcp.maxConnections = MAX_TCP_CONNECTIONS;

  // One port for both transports. With port 0 (tests), UDP picks it and TCP follows; if
  // that TCP port happens to be taken, try another pair.
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(host, opts.port, onDatagram, onUdpError);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ port: udp.port, host, exclusive: true }, () => {
          tcp.off('error', reject);
          tcp.on('error', (e) => process.stderr.write(`dns: tcp: ${String(e)}\n`));
          resolve();
        });
      });
    } catch (err) {
      await udp.close();
      if (opts.port === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 20) continue;
      throw err;
    }
    let closed: Promise<void> | undefined;
    return {
      kind: 'dns',
      port: udp.port,
      stats: () => ({ ...stats }),
      setZone(z: Zone) {
        zone = new ZoneIndex(z);
      },
      close() {
        closed ??= Promise.all([
          udp.close(),
          new Promise<void>((done) => {
            tcp.close(() => done());
            for (const c of conns) c.destroy();
          }),
        ]).then(() => undefined);
        return closed;
      },
    };
  }
}
