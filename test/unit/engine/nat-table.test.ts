// The Internet NAT gateway's session table (SEMANTICS D6–D8) on its own: port allocation,
// EIP choice, per-destination limits, timeouts with an injected clock, and a long random
// run cross-checked against a plain Map model of the same rules.

import { describe, expect, it } from 'vitest';
import { NatTable, type NatInResult, type NatOutResult, type NatSession } from '../../../src/main/engine/nat-table';
import { IpProtocol, parseIp } from '../../../src/main/engine/wire/ipv4';

const TCP = IpProtocol.Tcp;
const UDP = IpProtocol.Udp;
const ICMP = IpProtocol.Icmp;
const MIN = 1025;
const MAX = 65535;

const EIP1 = parseIp('47.100.1.1');
const EIP2 = parseIp('203.0.113.7'); // ≥ 2^31 as a uint32
const EIP3 = parseIp('139.196.0.3');
const ECS_A = parseIp('192.168.0.10');
const ECS_B = parseIp('192.168.0.11');
const DNS = parseIp('8.8.8.8');
const WEB = parseIp('124.238.1.1');

function lab(opts: { perDestinationLimit?: number; capacity?: number } = {}) {
  const clock = { t: 0 };
  const nat = new NatTable({ now: () => clock.t, ...opts });
  const r: NatOutResult = { eip: 0, port: 0, created: false };
  const ri: NatInResult = { ip: 0, port: 0 };
  return { clock, nat, r, ri };
}

describe('NatTable port allocation (D7)', () => {
  it('keeps the original source port when it is free and in range, and maps replies back', () => {
    const { nat, r, ri } = lab();
    expect(nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r).toEqual({ eip: EIP1, port: 40000, created: true });
    expect(nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r).toEqual({ eip: EIP1, port: 40000, created: false });
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri)).toBe(true);
    expect(ri).toEqual({ ip: ECS_A, port: 40000 });
    expect(nat.size).toBe(1);
    expect(nat.created).toBe(1);
  });

  it('moves a port below the range into it', () => {
    const { nat, r, ri } = lab();
    expect(nat.out(UDP, ECS_A, 53, DNS, 53, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r.port).toBeGreaterThanOrEqual(MIN);
    expect(r.port).toBeLessThanOrEqual(MAX);
    expect(nat.in(UDP, EIP1, r.port, DNS, 53, ri)).toBe(true);
    expect(ri).toEqual({ ip: ECS_A, port: 53 });
  });

  it('gives a colliding flow another port in range; one socket reuses its port towards another destination', () => {
    const { nat, r, ri } = lab();
    nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, MIN, MAX, r);
    expect(nat.out(TCP, ECS_B, 40000, WEB, 443, [EIP1], false, MIN, MAX, r)).toBe(true);
    const other = r.port;
    expect(other).not.toBe(40000);
    expect(other).toBeGreaterThanOrEqual(MIN);
    expect(other).toBeLessThanOrEqual(MAX);
    // Same public (EIP, port) towards another destination: the public key includes the remote.
    expect(nat.out(TCP, ECS_B, 40000, DNS, 443, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r.port).toBe(40000);
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri) && ri.ip).toBe(ECS_A);
    expect(nat.in(TCP, EIP1, other, WEB, 443, ri) && ri.ip).toBe(ECS_B);
    expect(nat.in(TCP, EIP1, 40000, DNS, 443, ri) && ri.ip).toBe(ECS_B);
    expect(nat.size).toBe(3);
  });

  it('exhausts a shrunk range exactly: six flows to one destination on 1025–1030, the seventh fails', () => {
    const { nat, r, ri } = lab();
    const ports: number[] = [];
    for (let k = 0; k < 6; k++) {
      expect(nat.out(TCP, ECS_A, 50000 + k, WEB, 80, [EIP1], false, 1025, 1030, r)).toBe(true);
      ports.push(r.port);
    }
    expect(ports).toEqual([1025, 1026, 1027, 1028, 1029, 1030]);
    expect(nat.errorPortAllocation).toBe(0);
    expect(nat.out(TCP, ECS_A, 50006, WEB, 80, [EIP1], false, 1025, 1030, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(1);
    expect(nat.out(TCP, ECS_B, 1027, WEB, 80, [EIP1], false, 1025, 1030, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(2);
    // The old sessions are intact both ways.
    for (let k = 0; k < 6; k++) {
      expect(nat.out(TCP, ECS_A, 50000 + k, WEB, 80, [EIP1], false, 1025, 1030, r)).toBe(true);
      expect(r).toEqual({ eip: EIP1, port: ports[k], created: false });
      expect(nat.in(TCP, EIP1, ports[k], WEB, 80, ri)).toBe(true);
      expect(ri).toEqual({ ip: ECS_A, port: 50000 + k });
    }
    // Other destinations, and the other protocol, have their own ports.
    expect(nat.out(TCP, ECS_A, 50006, WEB, 443, [EIP1], false, 1025, 1030, r)).toBe(true);
    expect(nat.out(UDP, ECS_A, 50006, WEB, 80, [EIP1], false, 1025, 1030, r)).toBe(true);
    expect(nat.size).toBe(8);
    expect(nat.errorPortAllocation).toBe(2);
  });

  it('with N EIPs admits N × the range towards one destination (affinity off), then fails', () => {
    const { nat, r } = lab();
    const eips = [EIP1, EIP2, EIP3];
    for (let k = 0; k < 18; k++) expect(nat.out(UDP, ECS_A + (k % 4), 50000 + k, DNS, 53, eips, false, 1025, 1030, r)).toBe(true);
    for (const e of eips) {
      expect(nat.sessionsTowards(e, UDP, DNS, 53)).toBe(6);
      expect(nat.sessionsOnEip(e)).toBe(6);
    }
    expect(nat.out(UDP, ECS_B, 60000, DNS, 53, eips, false, 1025, 1030, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(1);
  });

  it('caps each EIP at perDestinationLimit towards one destination, so N EIPs at N × the limit', () => {
    const { nat, r } = lab({ perDestinationLimit: 4 });
    const eips = [EIP1, EIP2];
    for (let k = 0; k < 8; k++) expect(nat.out(TCP, ECS_A, 40000 + k, WEB, 443, eips, false, MIN, MAX, r)).toBe(true);
    expect(nat.sessionsTowards(EIP1, TCP, WEB, 443)).toBe(4);
    expect(nat.sessionsTowards(EIP2, TCP, WEB, 443)).toBe(4);
    expect(nat.out(TCP, ECS_A, 40008, WEB, 443, eips, false, MIN, MAX, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(1);
    // Another remote port is another destination.
    expect(nat.out(TCP, ECS_A, 40008, WEB, 80, eips, false, MIN, MAX, r)).toBe(true);
  });

  it('counts a flow with no EIP or an empty range as a failed allocation; other protocols are not tracked', () => {
    const { nat, r, ri } = lab();
    expect(nat.out(TCP, ECS_A, 40000, WEB, 443, [], false, MIN, MAX, r)).toBe(false);
    expect(nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, 2000, 1999, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(2);
    expect(nat.out(47, ECS_A, 0, WEB, 0, [EIP1], false, MIN, MAX, r)).toBe(false);
    expect(nat.in(47, EIP1, 0, WEB, 0, ri)).toBe(false);
    expect(nat.errorPortAllocation).toBe(2);
    expect(nat.size).toBe(0);
  });
});

describe('NatTable EIP choice (D6)', () => {
  it('affinity on: one source uses one EIP towards every destination', () => {
    const { nat, r } = lab();
    const eips = [EIP1, EIP2, EIP3];
    for (const src of [ECS_A, ECS_B, ECS_A + 7]) {
      const used = new Set<number>();
      for (let d = 0; d < 60; d++) {
        expect(nat.out(TCP, src, 40000 + d, WEB + d, 443, eips, true, MIN, MAX, r)).toBe(true);
        used.add(r.eip);
      }
      expect(used.size).toBe(1);
    }
  });

  it('affinity on: a source whose EIP is exhausted fails although other EIPs have ports', () => {
    const { nat, r } = lab();
    const eips = [EIP1, EIP2, EIP3];
    for (let k = 0; k < 6; k++) expect(nat.out(UDP, ECS_A, 50000 + k, DNS, 53, eips, true, 1025, 1030, r)).toBe(true);
    const mine = r.eip;
    expect(nat.out(UDP, ECS_A, 50006, DNS, 53, eips, true, 1025, 1030, r)).toBe(false);
    expect(nat.errorPortAllocation).toBe(1);
    expect(nat.sessionsOnEip(mine)).toBe(6);
    // Without affinity the same flow moves to another EIP.
    expect(nat.out(UDP, ECS_A, 50006, DNS, 53, eips, false, 1025, 1030, r)).toBe(true);
    expect(r.eip).not.toBe(mine);
  });

  it('affinity off: flows spread about evenly over the EIPs, one source over several', () => {
    const { nat, r } = lab();
    const eips = [EIP1, EIP2, EIP3];
    const fromA = new Set<number>();
    for (let k = 0; k < 30_000; k++) {
      const src = ECS_A + (k % 200);
      expect(nat.out(TCP, src, 20000 + (k % 5000), WEB + (k % 7), 443, eips, false, MIN, MAX, r)).toBe(true);
      if (src === ECS_A) fromA.add(r.eip);
    }
    expect(fromA.size).toBe(3);
    for (const e of eips) {
      expect(nat.sessionsOnEip(e)).toBeGreaterThan(9_000);
      expect(nat.sessionsOnEip(e)).toBeLessThan(11_000);
    }
    expect(nat.sessionsOnEip(EIP1) + nat.sessionsOnEip(EIP2) + nat.sessionsOnEip(EIP3)).toBe(30_000);
  });
});

describe('NatTable inbound (D8)', () => {
  it('drops what no session expects', () => {
    const { nat, r, ri } = lab();
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri)).toBe(false);
    nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, MIN, MAX, r);
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri)).toBe(true);
    expect(nat.in(TCP, EIP1, 40000, WEB, 444, ri)).toBe(false); // another remote port
    expect(nat.in(TCP, EIP1, 40000, WEB + 1, 443, ri)).toBe(false); // another remote
    expect(nat.in(UDP, EIP1, 40000, WEB, 443, ri)).toBe(false); // another protocol
    expect(nat.in(TCP, EIP2, 40000, WEB, 443, ri)).toBe(false); // another EIP
    expect(nat.in(TCP, EIP1, 40001, WEB, 443, ri)).toBe(false); // another port
  });

  it('uses the ICMP echo identifier as the port, the remote port 0', () => {
    const { nat, r, ri } = lab();
    expect(nat.out(ICMP, ECS_A, 0x1234, DNS, 0, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r).toEqual({ eip: EIP1, port: 0x1234, created: true });
    expect(nat.in(ICMP, EIP1, 0x1234, DNS, 0, ri)).toBe(true);
    expect(ri).toEqual({ ip: ECS_A, port: 0x1234 });
    // Another host pinging with the same identifier gets another one.
    expect(nat.out(ICMP, ECS_B, 0x1234, DNS, 0, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r.port).not.toBe(0x1234);
    expect(nat.in(ICMP, EIP1, r.port, DNS, 0, ri)).toBe(true);
    expect(ri).toEqual({ ip: ECS_B, port: 0x1234 });
  });
});

describe('NatTable timeouts (D8)', () => {
  it('expires idle UDP and ICMP after 60 s and TCP after 900 s', () => {
    const { clock, nat, r, ri } = lab();
    nat.out(UDP, ECS_A, 40000, DNS, 53, [EIP1], false, MIN, MAX, r);
    nat.out(ICMP, ECS_A, 7, DNS, 0, [EIP1], false, 0, MAX, r);
    nat.out(TCP, ECS_A, 40000, WEB, 443, [EIP1], false, MIN, MAX, r);
    clock.t = 59_999;
    expect(nat.sweep()).toBe(0);
    expect(nat.size).toBe(3);
    clock.t = 60_000;
    expect(nat.in(UDP, EIP1, 40000, DNS, 53, ri)).toBe(false);
    expect(nat.sweep()).toBe(1); // the ICMP one; the UDP one went on the lookup
    expect(nat.expired).toBe(2);
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri)).toBe(true);
    clock.t = 60_000 + 899_999;
    expect(nat.sweep()).toBe(0);
    clock.t = 60_000 + 900_000;
    expect(nat.sweep()).toBe(1);
    expect(nat.size).toBe(0);
    expect(nat.in(TCP, EIP1, 40000, WEB, 443, ri)).toBe(false);
  });

  it('refreshes a session on both directions', () => {
    const { clock, nat, r, ri } = lab();
    nat.out(UDP, ECS_A, 40000, DNS, 53, [EIP1], false, MIN, MAX, r);
    clock.t = 50_000;
    expect(nat.in(UDP, EIP1, 40000, DNS, 53, ri)).toBe(true);
    clock.t = 100_000;
    expect(nat.sweep()).toBe(0);
    expect(nat.out(UDP, ECS_A, 40000, DNS, 53, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r.created).toBe(false);
    clock.t = 159_999;
    expect(nat.sweep()).toBe(0);
    clock.t = 160_000;
    expect(nat.sweep()).toBe(1);
  });

  it('a flow seen again after its timeout is a new session', () => {
    const { clock, nat, r } = lab();
    nat.out(UDP, ECS_A, 40000, DNS, 53, [EIP1], false, MIN, MAX, r);
    clock.t = 61_000;
    expect(nat.out(UDP, ECS_A, 40000, DNS, 53, [EIP1], false, MIN, MAX, r)).toBe(true);
    expect(r).toEqual({ eip: EIP1, port: 40000, created: true });
    expect(nat.size).toBe(1);
    expect(nat.created).toBe(2);
  });

  it('sweep frees the ports of an exhausted range for new flows', () => {
    const { clock, nat, r, ri } = lab();
    for (let k = 0; k < 6; k++) nat.out(UDP, ECS_A, 50000 + k, DNS, 53, [EIP1], false, 1025, 1030, r);
    clock.t = 30_000;
    nat.in(UDP, EIP1, 1025, DNS, 53, ri); // keeps 1025 alive until 90 s
    expect(nat.out(UDP, ECS_B, 50000, DNS, 53, [EIP1], false, 1025, 1030, r)).toBe(false);
    clock.t = 60_000;
    expect(nat.sweep()).toBe(5);
    expect(nat.size).toBe(1);
    expect(nat.sessionsTowards(EIP1, UDP, DNS, 53)).toBe(1);
    const got: number[] = [];
    for (let k = 0; k < 5; k++) {
      expect(nat.out(UDP, ECS_B, 50000 + k, DNS, 53, [EIP1], false, 1025, 1030, r)).toBe(true);
      got.push(r.port);
    }
    expect(got).toEqual([1026, 1027, 1028, 1029, 1030]);
    expect(nat.out(UDP, ECS_B, 50005, DNS, 53, [EIP1], false, 1025, 1030, r)).toBe(false);
  });

  it('reclaims an expired holder of a port at allocation time, without a sweep', () => {
    const { clock, nat, r } = lab();
    for (let k = 0; k < 6; k++) nat.out(UDP, ECS_A, 50000 + k, DNS, 53, [EIP1], false, 1025, 1030, r);
    clock.t = 60_000;
    expect(nat.out(UDP, ECS_B, 50000, DNS, 53, [EIP1], false, 1025, 1030, r)).toBe(true);
    expect(nat.errorPortAllocation).toBe(0);
  });

  it('sweeps incrementally within a budget, and after a long idle spell', () => {
    const { clock, nat, r } = lab();
    for (let k = 0; k < 1000; k++) nat.out(UDP, ECS_A + k, 40000, DNS, 53, [EIP1], false, MIN, MAX, r);
    clock.t = 61_000;
    expect(nat.sweep(300)).toBe(300);
    expect(nat.sweep(300)).toBe(300);
    expect(nat.sweep()).toBe(400);
    expect(nat.size).toBe(0);
    for (let k = 0; k < 10; k++) nat.out(TCP, ECS_A + k, 40000, WEB, 443, [EIP1], false, MIN, MAX, r);
    clock.t += 10 * 86_400_000;
    expect(nat.sweep()).toBe(10);
    expect(nat.size).toBe(0);
  });

  it('stays bounded under churn: slots are reused, not added', () => {
    const { clock, nat, r } = lab({ capacity: 64 });
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 1000; k++) nat.out(UDP, ECS_A + k, 10000 + round, DNS, 53, [EIP1], false, MIN, MAX, r);
      clock.t += 61_000; // no sweep() called: growth sweeps first
    }
    expect(nat.created).toBe(50_000);
    expect(nat.size).toBeLessThanOrEqual(1000);
    expect(nat.capacity).toBeLessThanOrEqual(2048);
  });

  it('drops every session of an EIP that left', () => {
    const { nat, r, ri } = lab();
    const eips = [EIP1, EIP2];
    for (let k = 0; k < 100; k++) nat.out(TCP, ECS_A, 40000 + k, WEB, 443, eips, false, MIN, MAX, r);
    const on1 = nat.sessionsOnEip(EIP1);
    expect(nat.dropEip(EIP1)).toBe(on1);
    expect(nat.sessionsOnEip(EIP1)).toBe(0);
    expect(nat.size).toBe(100 - on1);
    for (const s of nat.sessions()) {
      expect(s.eip).toBe(EIP2);
      expect(nat.in(TCP, EIP2, s.publicPort, WEB, 443, ri)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Property test: random operations against a Map model of the same rules. The model does
// not know the hash choices (which EIP, which random port); it checks that every choice
// the table makes is allowed, and every failure is forced.

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RefSession {
  proto: number;
  sIp: number;
  sPort: number;
  dIp: number;
  dPort: number;
  eip: number;
  port: number;
  exp: number;
}

const TIMEOUT: Record<number, number> = { [TCP]: 900_000, [UDP]: 60_000, [ICMP]: 60_000 };

// With `wholeSeconds` the clock moves in whole seconds, so every expiry falls on a wheel
// slot's boundary and sweep() is exact: afterwards the table holds exactly the live
// sessions. With milliseconds a session may linger up to a second after its expiry (dead
// to lookups, but held and counted towards its destination's limit), so the limit is
// only checked in whole-second runs.
function runModel(cfg: { ops: number; seed: number; portMin: number; portMax: number; limit: number; wholeSeconds: boolean }): { created: number; errors: number } {
  const rnd = mulberry32(cfg.seed);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const clock = { t: 1_000_000 };
  const nat = new NatTable({ now: () => clock.t, capacity: 16, perDestinationLimit: cfg.limit });
  const r: NatOutResult = { eip: 0, port: 0, created: false };
  const ri: NatInResult = { ip: 0, port: 0 };
  const eips = [EIP1, EIP2, EIP3];
  const srcIps = [ECS_A, ECS_B, parseIp('10.0.0.1'), parseIp('172.16.0.9')];
  const srcPorts = [1024, cfg.portMin, cfg.portMin + 2, cfg.portMin + 5, 40000, 65535];
  const dsts = [DNS, WEB];
  const dPorts = [53, 443];
  const protos = [TCP, UDP, ICMP];

  const byOut = new Map<string, RefSession>();
  const byIn = new Map<string, RefSession>();
  const affinityEip = new Map<number, number>();
  const kOut = (p: number, sIp: number, sPort: number, dIp: number, dPort: number) => `${p}/${sIp}/${sPort}/${dIp}/${dPort}`;
  const kIn = (p: number, eip: number, port: number, dIp: number, dPort: number) => `${p}/${eip}/${port}/${dIp}/${dPort}`;
  const drop = (s: RefSession) => {
    byOut.delete(kOut(s.proto, s.sIp, s.sPort, s.dIp, s.dPort));
    byIn.delete(kIn(s.proto, s.eip, s.port, s.dIp, s.dPort));
  };
  const liveIn = (p: number, eip: number, port: number, dIp: number, dPort: number): boolean => {
    const s = byIn.get(kIn(p, eip, port, dIp, dPort));
    return s !== undefined && s.exp > clock.t;
  };
  const towards = (p: number, eip: number, dIp: number, dPort: number): number => {
    let n = 0;
    for (const s of byIn.values()) if (s.exp > clock.t && s.proto === p && s.eip === eip && s.dIp === dIp && s.dPort === dPort) n++;
    return n;
  };
  const exhausted = (p: number, eip: number, dIp: number, dPort: number): boolean => {
    if (towards(p, eip, dIp, dPort) >= cfg.limit) return true;
    for (let port = cfg.portMin; port <= cfg.portMax; port++) if (!liveIn(p, eip, port, dIp, dPort)) return false;
    return true;
  };
  let errors = 0;

  for (let op = 0; op < cfg.ops; op++) {
    const x = rnd();
    if (x < 0.3) clock.t += cfg.wholeSeconds ? 1000 * Math.floor(rnd() * 3) : Math.floor(rnd() * 3000);
    else if (x < 0.301) clock.t += 900_000;
    const kind = rnd();
    if (kind < 0.6) {
      const p = pick(protos);
      const sIp = pick(srcIps);
      const sPort = pick(srcPorts);
      const dIp = pick(dsts);
      const dPort = p === ICMP ? 0 : pick(dPorts);
      const affinity = rnd() < 0.3;
      const ok = nat.out(p, sIp, sPort, dIp, dPort, eips, affinity, cfg.portMin, cfg.portMax, r);
      const ref = byOut.get(kOut(p, sIp, sPort, dIp, dPort));
      if (ref !== undefined && ref.exp > clock.t) {
        expect(ok).toBe(true);
        expect(r).toEqual({ eip: ref.eip, port: ref.port, created: false });
        ref.exp = clock.t + TIMEOUT[p];
        continue;
      }
      if (ref !== undefined) drop(ref);
      if (!ok) {
        errors++;
        expect(nat.errorPortAllocation).toBe(errors);
        const known = affinity ? affinityEip.get(sIp) : undefined;
        if (known !== undefined) expect(exhausted(p, known, dIp, dPort)).toBe(true);
        else if (affinity) expect(eips.some((e) => exhausted(p, e, dIp, dPort))).toBe(true);
        else for (const e of eips) expect(exhausted(p, e, dIp, dPort)).toBe(true);
        continue;
      }
      expect(r.created).toBe(true);
      expect(eips).toContain(r.eip);
      if (affinity) {
        const known = affinityEip.get(sIp);
        if (known === undefined) affinityEip.set(sIp, r.eip);
        else expect(r.eip).toBe(known);
      }
      expect(r.port).toBeGreaterThanOrEqual(cfg.portMin);
      expect(r.port).toBeLessThanOrEqual(cfg.portMax);
      expect(liveIn(p, r.eip, r.port, dIp, dPort)).toBe(false);
      expect(towards(p, r.eip, dIp, dPort)).toBeLessThan(cfg.limit);
      if (sPort >= cfg.portMin && sPort <= cfg.portMax && !liveIn(p, r.eip, sPort, dIp, dPort)) expect(r.port).toBe(sPort);
      const stale = byIn.get(kIn(p, r.eip, r.port, dIp, dPort));
      if (stale !== undefined) drop(stale);
      const s: RefSession = { proto: p, sIp, sPort, dIp, dPort, eip: r.eip, port: r.port, exp: clock.t + TIMEOUT[p] };
      byOut.set(kOut(p, sIp, sPort, dIp, dPort), s);
      byIn.set(kIn(p, s.eip, s.port, dIp, dPort), s);
    } else if (kind < 0.95) {
      let p: number, eip: number, port: number, dIp: number, dPort: number;
      if (byIn.size > 0 && rnd() < 0.7) {
        const all = [...byIn.values()];
        const s = all[Math.floor(rnd() * all.length)];
        ({ proto: p, eip, port, dIp, dPort } = s);
      } else {
        p = pick(protos);
        eip = pick(eips);
        port = rnd() < 0.5 ? pick(srcPorts) : cfg.portMin + Math.floor(rnd() * 8);
        dIp = pick(dsts);
        dPort = p === ICMP ? 0 : pick(dPorts);
      }
      const ok = nat.in(p, eip, port, dIp, dPort, ri);
      const ref = byIn.get(kIn(p, eip, port, dIp, dPort));
      if (ref !== undefined && ref.exp > clock.t) {
        expect(ok).toBe(true);
        expect(ri).toEqual({ ip: ref.sIp, port: ref.sPort });
        ref.exp = clock.t + TIMEOUT[p];
      } else {
        expect(ok).toBe(false);
        if (ref !== undefined) drop(ref);
      }
    } else {
      nat.sweep();
      const dead = cfg.wholeSeconds ? clock.t : 1000 * Math.floor(clock.t / 1000);
      for (const s of [...byOut.values()]) if (s.exp <= dead) drop(s);
      if (cfg.wholeSeconds) expect(nat.size).toBe(byOut.size);
      else expect(nat.size).toBeLessThanOrEqual(byOut.size);
      expect(nat.created - nat.expired).toBe(nat.size);
      if (op % 50 === 0) {
        const show = (s: NatSession) => `${kOut(s.protocol, s.privateIp, s.privatePort, s.remoteIp, s.remotePort)}>${s.eip}:${s.publicPort}@${s.expiresAt}`;
        const held = [...nat.sessions()].map(show);
        const refHeld = new Set([...byOut.values()].map((s) => show({ protocol: s.proto, privateIp: s.sIp, privatePort: s.sPort, remoteIp: s.dIp, remotePort: s.dPort, eip: s.eip, publicPort: s.port, expiresAt: s.exp })));
        for (const h of held) expect(refHeld.has(h)).toBe(true);
        const liveHeld = [...nat.sessions()].filter((s) => s.expiresAt > clock.t).map(show).sort();
        const liveRef = [...refHeld].filter((h) => Number(h.slice(h.indexOf('@') + 1)) > clock.t).sort();
        expect(liveHeld).toEqual(liveRef);
      }
    }
  }
  return { created: nat.created, errors };
}

describe('NatTable against a Map model', () => {
  it('100k random operations on a shrunk range (1025–1030): exhaustion, reuse, timeouts', () => {
    const { created, errors } = runModel({ ops: 100_000, seed: 1, portMin: 1025, portMax: 1030, limit: 55_000, wholeSeconds: false });
    expect(created).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(100);
  });

  it('100k random operations on the full range with a per-destination limit of 3', () => {
    const { created, errors } = runModel({ ops: 100_000, seed: 2, portMin: 1025, portMax: 65535, limit: 3, wholeSeconds: true });
    expect(created).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(100);
  });
});
