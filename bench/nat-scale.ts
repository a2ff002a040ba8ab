// Scale benchmark of the NAT gateway's session table (not a test; not part of `npm run
// bench`'s table): one million concurrent sessions from 65,536 private sources to 4,096
// destinations over 4 EIPs, as the engine's NatTable holds them. Measures the table's
// memory, new sessions/s (growth included), established-flow lookups/s both ways in random
// flow order, the per-second sweep when nothing expires, and the sweeps that reclaim
// everything after the UDP (60 s) and TCP (900 s) timeouts. Targets: ≤ 256 MB for 1M
// sessions, ≥ 200,000 new sessions/s on one core. Last, port pressure: one EIP filled up to
// the per-destination limit towards a single destination.
//
//   npx tsc -p tsconfig.node.json && node --expose-gc dist/bench/nat-scale.js
//
// Results go to bench/results/nat-scale.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { NatTable, type NatInResult, type NatOutResult } from '../src/main/engine/nat-table';
import { IpProtocol } from '../src/main/engine/wire/ipv4';
import { packageRoot } from '../src/main/paths';

const SESSIONS: number = 1_000_000;
const SOURCES = 65_536;
const DESTINATIONS = 4_096;
const EIPS = new Uint32Array([0x2f640101, 0x2f640102, 0x2f640103, 0x2f640104]); // 47.100.1.1–4
const LOOKUP_ROUNDS = 3;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): number {
  if (gc !== undefined) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// The flows, built before the baseline so only the table is measured. Source i is
// 10.x.y.z with 16 sockets each (ports 20000–20015); destinations are 4,096 addresses in
// 124.238.0.0/16 on 443, 80 or 53; four flows in five are TCP, the rest UDP. Many sockets
// share a source port towards one destination, so a fair share of flows take the
// random-probe path rather than keeping their port.
// One record per flow (one cache line or less), so the harness adds little to the misses
// it measures: protocol, source, destination, source port << 16 | destination port.
const FLOW = 4;
const flows = new Uint32Array(SESSIONS * FLOW);
const pub = new Uint32Array(SESSIONS * 2); // EIP, public port, as created
const order = new Uint32Array(SESSIONS);

function buildFlows(): void {
  let x = 0x12345678;
  const rnd = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const dports = [443, 80, 53];
  for (let i = 0; i < SESSIONS; i++) {
    const d = rnd() % DESTINATIONS;
    const udp = rnd() % 5 === 0;
    const o = i * FLOW;
    flows[o] = udp ? IpProtocol.Udp : IpProtocol.Tcp;
    flows[o + 1] = 0x0a000000 + (i % SOURCES);
    flows[o + 2] = 0x7cee0000 + d;
    flows[o + 3] = (20000 + Math.floor(i / SOURCES)) * 65536 + (udp ? 53 : dports[d % 2]);
    order[i] = i;
  }
  for (let i = SESSIONS - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

interface Figures {
  sessions: number;
  eips: number;
  table_mb: number;
  bytes_per_session: number;
  new_sessions_per_s: number;
  new_sessions_per_s_warm: number;
  table_mb_after_refill: number;
  out_lookups_per_s: number;
  in_lookups_per_s: number;
  lookup_heap_growth_kb: number;
  sweep_idle_us: number;
  sweep_udp_expired: number;
  sweep_udp_ms: number;
  sweep_tcp_expired: number;
  sweep_tcp_ms: number;
  error_port_allocation: number;
  kept_original_port_pct: number;
  one_destination_sessions: number;
  one_destination_new_per_s: number;
  one_destination_refused: number;
}

// Port pressure: one EIP, one destination, up to the D7 limit (55,000 of 64,511 ports, 85 %
// taken at the end, so late flows need several random probes), then 1,000 more that must
// all be refused and counted.
function oneDestination(): { sessions: number; rate: number; refused: number } {
  const nat = new NatTable({ now: () => 0 });
  const r: NatOutResult = { eip: 0, port: 0, created: false };
  const eip = EIPS.subarray(0, 1);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 55_000; i++) {
    if (!nat.out(IpProtocol.Tcp, 0x0a000000 + (i % 256), 30000 + (i >>> 8), 0x7cee0001, 443, eip, false, 1025, 65535, r)) throw new Error(`flow ${i} refused`);
  }
  const rate = 55_000 / seconds(t0);
  for (let i = 0; i < 1000; i++) nat.out(IpProtocol.Tcp, 0x0b000000 + i, 40000, 0x7cee0001, 443, eip, false, 1025, 65535, r);
  return { sessions: nat.size, rate, refused: nat.errorPortAllocation };
}

function fill(nat: NatTable, r: NatOutResult): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SESSIONS; i++) {
    const o = i * FLOW;
    const ports = flows[o + 3];
    if (!nat.out(flows[o], flows[o + 1], ports >>> 16, flows[o + 2], ports & 0xffff, EIPS, false, 1025, 65535, r) || !r.created) {
      throw new Error(`flow ${i} not created`);
    }
    pub[i * 2] = r.eip;
    pub[i * 2 + 1] = r.port;
  }
  return SESSIONS / seconds(t0);
}

function main(): void {
  if (gc === undefined) console.warn('run with node --expose-gc for exact memory figures');
  buildFlows();
  const clock = { t: 0 };
  const r: NatOutResult = { eip: 0, port: 0, created: false };
  const ri: NatInResult = { ip: 0, port: 0 };

  const base = memory();
  const nat = new NatTable({ now: () => clock.t });
  const newRate = fill(nat, r);
  const tableBytes = memory() - base;
  if (nat.size !== SESSIONS) throw new Error(`size ${nat.size}`);
  let kept = 0;
  for (let i = 0; i < SESSIONS; i++) if (pub[i * 2 + 1] === flows[i * FLOW + 3] >>> 16) kept++;

  // Established flows, in random order (packets of many flows interleave).
  clock.t = 1000;
  const heapBefore = process.memoryUsage().heapUsed;
  let t0 = process.hrtime.bigint();
  for (let round = 0; round < LOOKUP_ROUNDS; round++) {
    for (let k = 0; k < SESSIONS; k++) {
      const i = order[k];
      const o = i * FLOW;
      const ports = flows[o + 3];
      if (!nat.out(flows[o], flows[o + 1], ports >>> 16, flows[o + 2], ports & 0xffff, EIPS, false, 1025, 65535, r) || r.created || r.port !== pub[i * 2 + 1]) {
        throw new Error(`flow ${i} lost`);
      }
    }
  }
  const outRate = (LOOKUP_ROUNDS * SESSIONS) / seconds(t0);
  t0 = process.hrtime.bigint();
  for (let round = 0; round < LOOKUP_ROUNDS; round++) {
    for (let k = 0; k < SESSIONS; k++) {
      const i = order[k];
      const o = i * FLOW;
      const ports = flows[o + 3];
      if (!nat.in(flows[o], pub[i * 2], pub[i * 2 + 1], flows[o + 2], ports & 0xffff, ri) || ri.port !== ports >>> 16) throw new Error(`reply ${i} lost`);
    }
  }
  const inRate = (LOOKUP_ROUNDS * SESSIONS) / seconds(t0);
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  // A sweep a second, as the data plane does, while nothing expires.
  let idle = 0;
  const idleCalls = 30;
  for (let s = 0; s < idleCalls; s++) {
    clock.t += 1000;
    t0 = process.hrtime.bigint();
    if (nat.sweep() !== 0) throw new Error('nothing should expire yet');
    idle += seconds(t0);
  }

  // UDP sessions were last refreshed at 1 s: gone at 61 s. TCP ones at 901 s.
  clock.t = 61_000;
  t0 = process.hrtime.bigint();
  const udpExpired = nat.sweep();
  const udpMs = seconds(t0) * 1000;
  clock.t = 901_000;
  t0 = process.hrtime.bigint();
  const tcpExpired = nat.sweep();
  const tcpMs = seconds(t0) * 1000;
  if (nat.size !== 0 || udpExpired + tcpExpired !== SESSIONS) throw new Error(`left ${nat.size}`);

  // The same million again into the reclaimed slots: no growth, and the memory stays put.
  const warmRate = fill(nat, r);
  const refillBytes = memory() - base;

  const one = oneDestination();

  const f: Figures = {
    sessions: SESSIONS,
    eips: EIPS.length,
    table_mb: +(tableBytes / MB).toFixed(1),
    bytes_per_session: Math.round(tableBytes / SESSIONS),
    new_sessions_per_s: Math.round(newRate),
    new_sessions_per_s_warm: Math.round(warmRate),
    table_mb_after_refill: +(refillBytes / MB).toFixed(1),
    out_lookups_per_s: Math.round(outRate),
    in_lookups_per_s: Math.round(inRate),
    lookup_heap_growth_kb: Math.round(heapGrowth / 1024),
    sweep_idle_us: +((idle / idleCalls) * 1e6).toFixed(1),
    sweep_udp_expired: udpExpired,
    sweep_udp_ms: +udpMs.toFixed(1),
    sweep_tcp_expired: tcpExpired,
    sweep_tcp_ms: +tcpMs.toFixed(1),
    error_port_allocation: nat.errorPortAllocation,
    kept_original_port_pct: +((kept / SESSIONS) * 100).toFixed(1),
    one_destination_sessions: one.sessions,
    one_destination_new_per_s: Math.round(one.rate),
    one_destination_refused: one.refused,
  };

  const rows: [string, string, string][] = [
    ['table memory, 1M sessions', `${f.table_mb} MB (${f.bytes_per_session} B/session)`, '≤ 256 MB'],
    ['new sessions/s (growth included)', f.new_sessions_per_s.toLocaleString('en-US'), '≥ 200,000'],
    ['new sessions/s (reused slots)', f.new_sessions_per_s_warm.toLocaleString('en-US'), ''],
    ['table memory after sweep + refill', `${f.table_mb_after_refill} MB`, 'no growth'],
    ['established out() lookups/s', f.out_lookups_per_s.toLocaleString('en-US'), ''],
    ['established in() lookups/s', f.in_lookups_per_s.toLocaleString('en-US'), ''],
    ['heap growth over 6M lookups', `${f.lookup_heap_growth_kb} KB`, '≈ 0 (no allocation)'],
    ['sweep() per second, nothing due', `${f.sweep_idle_us} µs`, ''],
    ['sweep() at 61 s (UDP expired)', `${f.sweep_udp_expired.toLocaleString('en-US')} in ${f.sweep_udp_ms} ms`, ''],
    ['sweep() at 901 s (TCP expired)', `${f.sweep_tcp_expired.toLocaleString('en-US')} in ${f.sweep_tcp_ms} ms`, ''],
    ['kept their source port', `${f.kept_original_port_pct} %`, ''],
    ['ErrorPortAllocationCount', String(f.error_port_allocation), '0'],
    ['1 EIP → 1 destination: sessions', f.one_destination_sessions.toLocaleString('en-US'), '55,000 (D7 limit)'],
    ['  new sessions/s up to the limit', f.one_destination_new_per_s.toLocaleString('en-US'), ''],
    ['  1,000 more: refused and counted', String(f.one_destination_refused), '1000'],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  console.log(`NAT session table: ${SESSIONS.toLocaleString('en-US')} sessions, ${SOURCES.toLocaleString('en-US')} sources, ${DESTINATIONS.toLocaleString('en-US')} destinations, ${EIPS.length} EIPs, node ${process.version}`);
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);

  const file = path.join(packageRoot(), 'bench', 'results', 'nat-scale.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ node: process.version, sources: SOURCES, destinations: DESTINATIONS, ...f }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main();
