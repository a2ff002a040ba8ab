// The VPC data plane of the foundation issue, rule by rule (SEMANTICS A4–A11, G3).

import { describe, expect, it } from 'vitest';
import { buildLab, engineFor } from '../../support/lab-model';
import { icmpEcho, udp } from '../../support/packets';
import { Ipv4View, ipToString, parseIp } from '../../../src/main/engine/wire/ipv4';
import { internetChecksum } from '../../../src/main/engine/wire/checksum';
import { udpChecksum } from '../../../src/main/engine/wire/udp';
import type { TraceRecord } from '../../../src/main/engine/trace';

const view = (b: Buffer): Ipv4View => {
  const v = new Ipv4View();
  expect(v.wrap(b, 0, b.length, true)).toBe(0);
  return v;
};

function send(name: string, pkt: Buffer): { lab: ReturnType<typeof buildLab>; res: ReturnType<typeof engineFor> } {
  const lab = buildLab();
  const res = engineFor(lab);
  res.engine.process(lab.ports.get(name)!, pkt, 0, pkt.length);
  return { lab, res };
}

function traced(lab: ReturnType<typeof buildLab>, res: ReturnType<typeof engineFor>, from: string, pkt: Buffer): TraceRecord {
  const recs: TraceRecord[] = [];
  res.engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
  res.engine.tracer.filter = { host: from };
  res.engine.process(lab.ports.get(from)!, pkt, 0, pkt.length);
  expect(recs).toHaveLength(1);
  return recs[0];
}

describe('vSwitch routing (A4, A7)', () => {
  it('A4: ECS to ECS across vSwitches is delivered by the system entry, unchanged, TTL kept (G3)', () => {
    const pkt = icmpEcho('192.168.0.1', '192.168.1.1', { ttl: 64 });
    const copy = Buffer.from(pkt);
    const { lab, res } = send('ECS-A', pkt);
    expect(res.out).toHaveLength(1);
    expect(res.out[0].port).toBe(lab.ports.get('ECS-B'));
    expect(res.out[0].bytes.equals(copy)).toBe(true);
    expect(view(res.out[0].bytes).ttl).toBe(64);
  });

  it('A7: a private destination with no matching entry is dropped silently and counted at the table', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const rec = traced(lab, res, 'ECS-A', icmpEcho('192.168.0.1', '10.1.2.3'));
    expect(res.out).toHaveLength(0);
    expect(rec.delivered).toBe(false);
    expect(rec.verdict).toBe(`dropped at ${lab.ids.rtA} (rt-a): no entry matches 10.1.2.3`);
    const c = res.engine.counters.snapshot().find((d) => d.device === lab.ids.rtA)!;
    expect(c.drops['no-route']).toBe(1);
  });

  it('A7: an address inside a vSwitch CIDR that no ECS holds is dropped as no-host', () => {
    const { lab, res } = send('ECS-A', icmpEcho('192.168.0.1', '192.168.1.77'));
    expect(res.out).toHaveLength(0);
    expect(res.engine.counters.snapshot().find((d) => d.device === lab.ids.rtA)!.drops['no-host']).toBe(1);
  });

  it('A7: longest prefix wins between custom entries', () => {
    const lab = buildLab();
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '10.0.0.0/8', NextHopId: lab.ids.ecsA });
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '10.1.0.0/16', NextHopId: lab.ids.ecsB });
    const res = engineFor(lab);
    res.engine.process(lab.ports.get('ECS-C')!, ...buf(icmpEcho('192.168.1.2', '10.1.9.9')));
    res.engine.process(lab.ports.get('ECS-C')!, ...buf(icmpEcho('192.168.1.2', '10.2.9.9')));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-B'), lab.ports.get('ECS-A')]);
  });
});

describe('ECS next hop (A8)', () => {
  it('A8: a custom route to an ECS delivers the packet with source and destination unchanged', () => {
    const lab = buildLab();
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: lab.ids.ecsB });
    const res = engineFor(lab);
    const pkt = icmpEcho('192.168.1.2', '8.8.8.8'); // ECS-C has no EIP: it follows its table
    const copy = Buffer.from(pkt);
    const rec = traced(lab, res, 'ECS-C', pkt);
    expect(res.out).toHaveLength(1);
    expect(res.out[0].port).toBe(lab.ports.get('ECS-B'));
    expect(res.out[0].bytes.equals(copy)).toBe(true);
    expect(rec.hops[0]).toEqual({ device: `${lab.ids.systemRt} (system)`, decision: '8.8.8.8/32 → ECS-B (custom)' });
  });
});

describe('default Internet mode (A9–A11)', () => {
  it('A9: ECS with EIP to a public host leaves with its EIP as source; checksums stay valid', () => {
    const pkt = udp('192.168.0.1', '8.8.4.4', 40000, 53);
    const { lab, res } = send('ECS-A', pkt);
    expect(res.out).toHaveLength(1);
    expect(res.out[0].port).toBe(lab.ports.get('google-dns2'));
    const v = view(res.out[0].bytes);
    expect(ipToString(v.src)).toBe('47.91.0.10');
    expect(ipToString(v.dst)).toBe('8.8.4.4');
    const b = res.out[0].bytes;
    expect(udpChecksum(b, 20, b.length - 20, v.src, v.dst)).toBe(b.readUInt16BE(26));
  });

  it('A9 (seed 004 step 2-3): a custom route 8.8.8.8/32 → ECS-B does not divert ECS-A, whose EIP path bypasses the table', () => {
    const lab = buildLab();
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopId: lab.ids.ecsB });
    const res = engineFor(lab);
    const rec = traced(lab, res, 'ECS-A', icmpEcho('192.168.0.1', '8.8.8.8'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('google-dns')]);
    expect(rec.hops[0].device).toBe(lab.ids.eipA);
    expect(rec.hops[0].decision).toContain('route table not consulted');
    expect(rec.verdict).toBe('delivered to google-dns');
  });

  it('A9: destinations inside the VPC still follow the local route', () => {
    const { lab, res } = send('ECS-A', icmpEcho('192.168.0.1', '192.168.1.2'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-C')]);
    expect(ipToString(view(res.out[0].bytes).src)).toBe('192.168.0.1');
  });

  it('A9: an ECS without a public IP follows its route table, and with no route it cannot reach the Internet', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const rec = traced(lab, res, 'ECS-C', icmpEcho('192.168.1.2', '8.8.4.4'));
    expect(res.out).toHaveLength(0);
    expect(rec.verdict).toBe(`dropped at ${lab.ids.systemRt} (system): no entry matches 8.8.4.4`);
  });

  it('A10: a non-RFC1918 destination counts as Internet even when a route covers it', () => {
    const lab = buildLab();
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '30.0.0.0/16', NextHopId: lab.ids.ecsB });
    const res = engineFor(lab);
    const rec = traced(lab, res, 'ECS-A', icmpEcho('192.168.0.1', '30.0.0.5'));
    expect(rec.hops[0].device).toBe(lab.ids.eipA);
    expect(rec.verdict).toBe("dropped at Internet: nothing on the lab's Internet answers to 30.0.0.5");
  });

  it('A11: unsolicited inbound to an EIP is translated 1:1 and delivered; the reply leaves with the EIP', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    res.engine.process(lab.ports.get('client')!, ...buf(icmpEcho('47.83.1.59', '47.91.0.10')));
    expect(res.out).toHaveLength(1);
    expect(res.out[0].port).toBe(lab.ports.get('ECS-A'));
    const inbound = view(res.out[0].bytes);
    expect(ipToString(inbound.dst)).toBe('192.168.0.1');
    expect(ipToString(inbound.src)).toBe('47.83.1.59');
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '47.83.1.59', { type: 0 })));
    expect(res.out[1].port).toBe(lab.ports.get('client'));
    expect(ipToString(view(res.out[1].bytes).src)).toBe('47.91.0.10');
    // ICMP checksum covers no addresses: still valid after NAT
    const b = res.out[1].bytes;
    expect(internetChecksum(b, 20, b.length - 20)).toBe(0);
  });

  it('C1: ECS to another ECS by its EIP goes out and back in through both EIPs', () => {
    const { lab, res } = send('ECS-A', icmpEcho('192.168.0.1', '47.91.0.11'));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('ECS-B')]);
    const v = view(res.out[0].bytes);
    expect([ipToString(v.src), ipToString(v.dst)]).toEqual(['47.91.0.10', '192.168.1.1']);
  });

  it('UnassociateEipAddress takes the ECS off the Internet after recompiling', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    lab.cp.invoke('UnassociateEipAddress', { AllocationId: lab.ids.eipA });
    res.recompile();
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '8.8.4.4')));
    res.engine.process(lab.ports.get('client')!, ...buf(icmpEcho('47.83.1.59', '47.91.0.10')));
    expect(res.out).toHaveLength(0);
  });
});

describe('cloud services (A4, F6)', () => {
  it('A4: 100.64.0.0/10 reaches the VPC DNS and its reply comes back', () => {
    const { lab, res } = send('ECS-C', udp('192.168.1.2', '100.100.2.136', 5353, 53));
    expect(res.out.map((o) => o.port)).toEqual([lab.ports.get('vpcdns-1')]);
    res.engine.process(lab.ports.get('vpcdns-1')!, ...buf(udp('100.100.2.136', '192.168.1.2', 53, 5353)));
    expect(res.out[1].port).toBe(lab.ports.get('ECS-C'));
  });
});

describe('robustness and trace', () => {
  it('malformed packets and IPv6 are counted and dropped, never thrown', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const port = lab.ports.get('ECS-A')!;
    const ipv6 = Buffer.alloc(48);
    ipv6[0] = 0x60;
    res.engine.process(port, ipv6, 0, ipv6.length);
    res.engine.process(port, Buffer.alloc(3), 0, 3);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 10_000; i++) {
      const b = Buffer.alloc(rnd() % 80);
      for (let k = 0; k < b.length; k++) b[k] = rnd() & 255;
      if (b.length > 0 && rnd() % 2 === 0) b[0] = 0x45;
      expect(() => res.engine.process(port, b, 0, b.length)).not.toThrow();
    }
    const c = res.engine.counters.snapshot().find((d) => d.device === 'ECS-A')!;
    expect(c.drops['not-ipv4']).toBeGreaterThanOrEqual(1);
    expect(c.drops.malformed).toBeGreaterThanOrEqual(1);
  });

  it('a header with a bad checksum is dropped and counted as bad-checksum, not forwarded (RFC 1812 §5.2.2)', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const good = icmpEcho('192.168.0.1', '192.168.1.1');
    const bad = Buffer.from(good);
    bad[10] ^= 0xff; // the header checksum field
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(bad));
    expect(res.out).toHaveLength(0);
    const a = res.engine.counters.snapshot().find((d) => d.device === 'ECS-A')!;
    expect(a.drops).toEqual({ 'bad-checksum': 1 });
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(good));
    expect(res.out).toHaveLength(1); // the same packet with its checksum intact goes through
  });

  it('route tables, the Internet and the engine count packets and bytes, not only drops', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const p1 = icmpEcho('192.168.0.1', '192.168.1.1'); // ECS-A → ECS-B through rt-a
    const p2 = icmpEcho('192.168.0.1', '10.9.9.9'); // no entry in rt-a: looked up, dropped
    const p3 = icmpEcho('192.168.0.1', '8.8.8.8'); // EIP path onto the Internet
    const p4 = icmpEcho('47.83.1.59', '47.91.0.10'); // the Internet client to ECS-A's EIP
    const p5 = icmpEcho('47.83.1.59', '47.91.9.9'); // nothing answers there
    for (const [host, p] of [['ECS-A', p1], ['ECS-A', p2], ['ECS-A', p3], ['client', p4], ['client', p5]] as const) res.engine.process(lab.ports.get(host)!, ...buf(p));
    const c = (name: string) => res.engine.counters.snapshot().find((d) => d.device === name)!;
    expect(c(lab.ids.rtA)).toMatchObject({ rxPackets: 2, rxBytes: p1.length + p2.length, txPackets: 1, txBytes: p1.length, drops: { 'no-route': 1 } });
    expect(c('Internet')).toMatchObject({ rxPackets: 3, txPackets: 2, drops: { 'internet-unreachable': 1 } });
    const all = [p1, p2, p3, p4, p5].reduce((n, p) => n + p.length, 0);
    expect(c('engine')).toMatchObject({ rxPackets: 5, rxBytes: all, txPackets: 3 });
  });

  it('a packet on an unknown port is counted, not thrown', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    res.engine.process(999, ...buf(icmpEcho('1.2.3.4', '8.8.8.8')));
    expect(res.engine.counters.snapshot().find((d) => d.device === 'engine')!.drops['unknown-port']).toBe(1);
  });

  it('tracing is off by default and a filter selects by host, address and protocol', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    const recs: TraceRecord[] = [];
    res.engine.tracer.onRecord((r) => recs.push(r));
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '8.8.4.4')));
    expect(recs).toHaveLength(0);
    res.engine.tracer.filter = { addr: parseIp('8.8.4.4'), protocol: 17 };
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '8.8.4.4')));
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(udp('192.168.0.1', '8.8.4.4', 1000, 53)));
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(udp('192.168.0.1', '8.8.8.8', 1000, 53)));
    expect(recs.map((r) => r.summary)).toEqual(['UDP 192.168.0.1.1000 > 8.8.4.4.53: length 5']);
  });

  it('counters survive a recompile (device indices are stable)', () => {
    const lab = buildLab();
    const res = engineFor(lab);
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '192.168.1.1')));
    lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.rtA, DestinationCidrBlock: '10.0.0.0/8', NextHopId: lab.ids.ecsB });
    res.recompile();
    res.engine.process(lab.ports.get('ECS-A')!, ...buf(icmpEcho('192.168.0.1', '192.168.1.1')));
    expect(res.engine.counters.snapshot().find((d) => d.device === 'ECS-B')!.txPackets).toBe(2);
  });
});

function buf(b: Buffer): [Buffer, number, number] {
  return [b, 0, b.length];
}
