// The tracer's two kinds of watcher: the user's filter and taps (a check tracing its host).
// A tap adds records for itself only and leaves the user's trace as it was. The user's
// host= follows both directions of the host's flows (sent by it, or delivered to it); a
// tap follows what its host sends.

import { describe, expect, it } from 'vitest';
import { deliveredTo, parseTraceFilter, Tracer, type TraceRecord } from '../../../src/main/engine/trace';
import { parseIp } from '../../../src/main/engine/wire/ipv4';
import { buildLab, engineFor } from '../../support/lab-model';
import { icmpEcho } from '../../support/packets';

const ICMP = 1;
const UDP = 17;

function packet(t: Tracer, from: string, proto = ICMP, to = 'X', delivered = true): TraceRecord | null {
  const r = t.begin(from, 1, 2, proto, () => `${from} packet`);
  if (r) t.end(r, delivered, delivered ? deliveredTo(to) : `dropped at ${to}: no route`);
  return r;
}

describe('Tracer', () => {
  it('is inactive, and records nothing, until a filter or a tap is set', () => {
    const t = new Tracer(() => 0);
    expect(t.active).toBe(false);
    expect(packet(t, 'ECS-A')).toBeNull();
    t.filter = {};
    expect(t.active).toBe(true);
    t.filter = null;
    const off = t.tap({ host: 'ECS-A' }, () => undefined);
    expect(t.active).toBe(true);
    off();
    expect(t.active).toBe(false);
  });

  it('a tap sees its host; the user sees their filter only, during and after the tap', () => {
    const t = new Tracer(() => 0);
    const user: string[] = [];
    const tapped: string[] = [];
    t.onRecord((r) => user.push(r.from));
    t.filter = { host: 'ECS-B' };
    const off = t.tap({ host: 'ECS-A' }, (r) => tapped.push(r.from));
    packet(t, 'ECS-A');
    packet(t, 'ECS-B');
    packet(t, 'ECS-C');
    off();
    packet(t, 'ECS-A');
    packet(t, 'ECS-B');
    expect(tapped).toEqual(['ECS-A']);
    expect(user).toEqual(['ECS-B', 'ECS-B']);
    expect(t.filter).toEqual({ host: 'ECS-B' });
  });

  it('one packet matched by both goes to both; protocol filters apply', () => {
    const t = new Tracer(() => 0);
    const user: number[] = [];
    const tapped: number[] = [];
    t.onRecord((r) => user.push(r.id));
    t.filter = { protocol: UDP };
    const off = t.tap({ host: 'ECS-A' }, (r) => tapped.push(r.id));
    const both = packet(t, 'ECS-A', UDP)!;
    const tapOnly = packet(t, 'ECS-A', ICMP)!;
    off();
    expect(user).toEqual([both.id]);
    expect(tapped).toEqual([both.id, tapOnly.id]);
  });

  it("the user's host= also takes what is delivered to that host, from anywhere, and nothing else", () => {
    const t = new Tracer(() => 0);
    const user: string[] = [];
    t.onRecord((r) => user.push(`${r.from}>${r.verdict}`));
    t.filter = { host: 'ECS-A' };
    packet(t, 'ECS-A', ICMP, 'google-dns');
    packet(t, 'google-dns', ICMP, 'ECS-A');
    packet(t, 'google-dns', ICMP, 'ECS-B');
    packet(t, 'ECS-B', ICMP, 'ECS-A-2');
    // Dropped on its way: it was not delivered to ECS-A, whatever it was meant for.
    packet(t, 'client', ICMP, 'ECS-A', false);
    expect(user).toEqual(['ECS-A>delivered to google-dns', 'google-dns>delivered to ECS-A']);
  });

  it('the other keys still apply to what is delivered to the host', () => {
    const t = new Tracer(() => 0);
    const user: number[] = [];
    t.onRecord((r) => user.push(r.id));
    t.filter = { host: 'ECS-A', protocol: UDP };
    expect(packet(t, 'google-dns', ICMP, 'ECS-A')).toBeNull();
    const u = packet(t, 'google-dns', UDP, 'ECS-A')!;
    t.filter = { host: 'ECS-A', addr: 9 };
    expect(packet(t, 'google-dns', ICMP, 'ECS-A')).toBeNull();
    expect(user).toEqual([u.id]);
  });

  it('a tap follows only what its host sends, so a check explains its own packets', () => {
    const t = new Tracer(() => 0);
    const tapped: string[] = [];
    const user: string[] = [];
    t.onRecord((r) => user.push(r.from));
    t.filter = { host: 'ECS-B' };
    const off = t.tap({ host: 'ECS-A' }, (r) => tapped.push(r.from));
    packet(t, 'ECS-A', ICMP, 'google-dns');
    packet(t, 'google-dns', ICMP, 'ECS-A');
    off();
    expect(tapped).toEqual(['ECS-A']);
    expect(user).toEqual([]);
  });

  it('switching the filter to another host follows the new host only', () => {
    const t = new Tracer(() => 0);
    const user: string[] = [];
    t.onRecord((r) => user.push(r.verdict));
    t.filter = { host: 'ECS-A' };
    t.filter = { host: 'ECS-B' };
    packet(t, 'client', ICMP, 'ECS-A');
    packet(t, 'client', ICMP, 'ECS-B');
    t.filter = {};
    packet(t, 'client', ICMP, 'ECS-C');
    expect(user).toEqual(['delivered to ECS-B', 'delivered to ECS-C']);
  });
});

describe('host= through the data plane: both directions of a flow', () => {
  it("host=ECS-A shows ECS-A's ping to 8.8.8.8 and the reply translated back to it (the data plane's verdict words)", () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const recs: TraceRecord[] = [];
    res.engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
    res.engine.tracer.filter = parseTraceFilter('host=ECS-A proto=icmp', parseIp);
    const send = (host: string, pkt: Buffer): void => res.engine.process(lab.ports.get(host)!, pkt, 0, pkt.length);
    send('ECS-A', icmpEcho('192.168.0.1', '8.8.8.8'));
    // The reply to ECS-A's EIP comes in from the Internet host and is delivered to ECS-A.
    send('google-dns', icmpEcho('8.8.8.8', '47.91.0.10', { type: 0 }));
    // Traffic that neither comes from ECS-A nor reaches it stays out.
    send('ECS-B', icmpEcho('192.168.1.1', '8.8.8.8'));
    send('google-dns', icmpEcho('8.8.8.8', '47.91.0.11', { type: 0 }));
    expect(recs.map((r) => [r.from, r.verdict])).toEqual([
      ['ECS-A', 'delivered to google-dns'],
      ['google-dns', 'delivered to ECS-A'],
    ]);
    expect(recs[1].hops.map((h) => h.decision).join('\n')).toMatch(/DNAT 47\.91\.0\.10 → 192\.168\.0\.1/);
  });

  it('host=ECS-B shows a packet a route sends to ECS-B as its next hop, addressed elsewhere', () => {
    const lab = buildLab();
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: lab.ids.ecsB });
    const res = engineFor(lab);
    const recs: TraceRecord[] = [];
    res.engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
    res.engine.tracer.filter = { host: 'ECS-B' };
    const pkt = icmpEcho('192.168.1.2', '8.8.8.8');
    res.engine.process(lab.ports.get('ECS-C')!, pkt, 0, pkt.length);
    expect(recs.map((r) => [r.from, r.verdict])).toEqual([['ECS-C', 'delivered to ECS-B']]);
  });
});
