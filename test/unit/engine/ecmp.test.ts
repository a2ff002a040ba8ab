// F7 (SEMANTICS [INF]): the transit router's ECMP — a 5-tuple flow hash, one flow always on
// one member, an even spread, and a member that goes down moving only its own flows.

import { describe, expect, it } from 'vitest';
import { ecmpPick, MAX_MEMBERS } from '../../../src/main/engine/tr/ecmp';
import { flowHash, type FlowKey } from '../../../src/main/engine/gwlb/flow-key';
import { mix32 } from '../../../src/main/engine/nat/hash';
import { parseIp } from '../../../src/main/engine/wire/ipv4';

interface M { key: number; name: string }
const members = (n: number): M[] => Array.from({ length: n }, (_, i) => ({ key: mix32(parseIp(`47.97.20.${i + 1}`)) >>> 0, name: `m${i + 1}` }));
const scratch: M[] = new Array(MAX_MEMBERS);
const count = { n: 0 };

/** Flow i: a distinct TCP 5-tuple from the IDC's LAN to a VPC address. */
function flow(i: number): number {
  const k: FlowKey = { a: parseIp('10.1.1.10') + (i % 7), b: parseIp('172.16.0.10') + (i >>> 3), pa: 80 + (i % 3), pb: 20000 + i, protocol: 6 };
  return flowHash(k);
}

const pick = (h: number, ms: M[], down: Set<string> = new Set()): M | null => ecmpPick(h, ms, (m) => !down.has(m.name), scratch, count);

describe('F7: ECMP over the equal-cost members by the 5-tuple hash', () => {
  it('F7: one flow always takes the same member (stability, also across a rebuilt member list)', () => {
    const a = members(4);
    const b = members(4).reverse();
    for (let i = 0; i < 1000; i++) {
      const h = flow(i);
      expect(pick(h, a)!.name).toBe(pick(h, a)!.name);
      expect(pick(h, b)!.name).toBe(pick(h, a)!.name);
    }
  });

  it('F7: 10,000 flows spread within 10% of even over 4 members, and over 16', () => {
    for (const n of [4, 16]) {
      const ms = members(n);
      const per = new Map<string, number>();
      for (let i = 0; i < 10_000; i++) {
        const m = pick(flow(i), ms)!;
        per.set(m.name, (per.get(m.name) ?? 0) + 1);
      }
      const even = 10_000 / n;
      expect(per.size).toBe(n);
      for (const c of per.values()) expect(Math.abs(c - even) / even).toBeLessThanOrEqual(0.1);
    }
  });

  it('F7: a member going down moves only its own flows, evenly over the rest; coming back it takes exactly those again', () => {
    const ms = members(4);
    const before = Array.from({ length: 10_000 }, (_, i) => pick(flow(i), ms)!.name);
    const down = new Set(['m2']);
    const during = Array.from({ length: 10_000 }, (_, i) => pick(flow(i), ms, down)!.name);
    const moved = new Map<string, number>();
    for (let i = 0; i < before.length; i++) {
      if (before[i] !== 'm2') expect(during[i]).toBe(before[i]);
      else {
        expect(during[i]).not.toBe('m2');
        moved.set(during[i], (moved.get(during[i]) ?? 0) + 1);
      }
    }
    expect([...moved.keys()].sort()).toEqual(['m1', 'm3', 'm4']);
    const after = Array.from({ length: 10_000 }, (_, i) => pick(flow(i), ms)!.name);
    expect(after).toEqual(before);
  });

  it('F7: no usable member → null; one → it, without hashing; the usable count is reported', () => {
    const ms = members(3);
    expect(pick(123, ms, new Set(['m1', 'm2', 'm3']))).toBeNull();
    expect(count.n).toBe(0);
    expect(pick(123, ms, new Set(['m1', 'm3']))!.name).toBe('m2');
    expect(count.n).toBe(1);
    pick(123, ms, new Set(['m1']));
    expect(count.n).toBe(2);
  });
});
