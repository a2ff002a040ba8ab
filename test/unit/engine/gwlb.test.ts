// The GWLB endpoint and the Gateway Load Balancer in the data plane (SEMANTICS E3–E12, G1):
// Geneve out to the NVA and back, symmetric flows, returns checked, health checks and what
// they do to new and existing flows, the 1500-byte limit, stopped instances, one trace for
// the whole round trip.

import { describe, expect, it } from 'vitest';
import { buildGwlbLab, APP, CLIENT, EIP, GWLB_IP, hostOf, INTERNET_HOST, NVA, type GwlbLab } from '../../support/gwlb-lab';
import { icmpEcho, tcp } from '../../support/packets';
import { GENEVE_PORT, GeneveView, type GwlbOptions } from '../../../src/main/engine/wire/geneve';
import { emitIpv4, IpProtocol, Ipv4View, ipToString, parseIp } from '../../../src/main/engine/wire/ipv4';
import { TcpFlags } from '../../../src/main/engine/wire/tcp';
import { emitUdp } from '../../../src/main/engine/wire/udp';

const view = (b: Buffer, off = 0): Ipv4View => {
  const v = new Ipv4View();
  expect(v.wrap(b, off, b.length - off)).toBe(0);
  return v;
};

/** What went to a host since `from`. */
const sentTo = (lab: GwlbLab, host: string, from = 0) => lab.out.slice(from).filter((o) => hostOf(lab, o.port) === host).map((o) => o.bytes);

/** Answer every due probe with a SYN-ACK from the NVAs in `up` (others stay silent), `rounds` times. */
function probeRounds(lab: GwlbLab, up: string[], rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    const mark = lab.out.length;
    lab.engine.tick();
    for (const o of lab.out.slice(mark)) {
      const v = view(o.bytes);
      if (v.protocol !== IpProtocol.Tcp || o.bytes[v.payloadOffset + 13] !== TcpFlags.Syn) continue;
      const nva = hostOf(lab, o.port);
      if (!up.includes(nva)) continue;
      const sport = o.bytes.readUInt16BE(v.payloadOffset);
      const seq = o.bytes.readUInt32BE(v.payloadOffset + 4);
      lab.send(nva, tcp(NVA[nva as keyof typeof NVA], GWLB_IP, 80, sport, TcpFlags.Syn | TcpFlags.Ack, 777, seq + 1));
    }
    lab.clock.now += 2000; // the group's interval
  }
  lab.engine.tick(); // the timeouts of the last round
}

/** The NVA's iptables hairpin (E11): the same datagram back to the GWLB, source port as given. */
function hairpin(dg: Buffer, nvaIp: number, sport?: number): Buffer {
  const back = Buffer.from(dg);
  const v = view(back);
  const udpLen = v.payloadLength;
  const payload = back.subarray(28, 28 + udpLen - 8);
  const out = Buffer.alloc(dg.length);
  payload.copy(out, 28);
  emitIpv4(out, 0, { src: nvaIp, dst: v.src, protocol: IpProtocol.Udp, payloadLength: udpLen });
  emitUdp(out, 20, { srcPort: sport ?? back.readUInt16BE(20), dstPort: GENEVE_PORT, payloadLength: payload.length, src: nvaIp, dst: v.src });
  return out;
}

function options(dg: Buffer): GwlbOptions & { outerSrcPort: number; inner: Buffer } {
  const g = new GeneveView();
  expect(g.wrap(dg, 28, dg.length - 28)).toBe(0);
  const o = { endpointHi: 0, endpointLo: 0, connectionHi: 0, connectionLo: 0, cookie: 0 };
  expect(g.readGwlbOptions(o)).toBe(0);
  return { ...o, outerSrcPort: dg.readUInt16BE(20), inner: dg.subarray(g.payloadOffset) };
}

const healthyLab = (opts?: Parameters<typeof buildGwlbLab>[0]): GwlbLab => {
  const lab = buildGwlbLab(opts);
  probeRounds(lab, ['ECS_01', 'ECS_02'], 2);
  lab.out.length = 0;
  return lab;
};

describe('E3/E4/E5: inbound through the GWLB and back', () => {
  it('E12: before any backend is Healthy, traffic is dropped at the GWLB', () => {
    const lab = buildGwlbLab();
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    expect(lab.out).toHaveLength(0);
    expect(lab.engine.counters.snapshot().find((d) => d.device === 'gwlb-unit')!.drops).toEqual({ 'no-backend': 1 });
  });

  it('E3.2/E5/G1: the GWLB sends the DNAT-ed packet unchanged in Geneve from 10.0.1.41 to NVA:6081, and the return reaches the ECS', () => {
    const lab = healthyLab();
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01, { id: 9, seq: 8 }));
    expect(lab.out).toHaveLength(1);
    const dg = lab.out[0].bytes;
    const nva = hostOf(lab, lab.out[0].port);
    expect(['ECS_01', 'ECS_02']).toContain(nva);
    const outer = view(dg);
    expect([ipToString(outer.src), ipToString(outer.dst), outer.protocol]).toEqual([GWLB_IP, NVA[nva as 'ECS_01'], IpProtocol.Udp]);
    expect(dg.readUInt16BE(22)).toBe(6081);
    expect(dg.length).toBe(84 + 68); // E5: exactly 68 bytes of overhead
    const o = options(dg);
    // the inner packet is the client's, after the gateway's 1:1 translation of the destination only
    const inner = view(o.inner);
    expect([ipToString(inner.src), ipToString(inner.dst)]).toEqual([CLIENT, APP.ECS_B_01]);
    // E11: the NVA's hairpin may change the source port; the return is still matched
    lab.out.length = 0;
    lab.send(nva, hairpin(dg, parseIp(NVA[nva as 'ECS_01']), 40123));
    expect(lab.out).toHaveLength(1);
    expect(hostOf(lab, lab.out[0].port)).toBe('ECS_B_01');
    expect(lab.out[0].bytes.equals(o.inner)).toBe(true);
  });

  it('E5: every datagram of a flow has the outer header a fresh build gives: lengths, a new IPv4 ID, a valid checksum', () => {
    const lab = healthyLab();
    const sizes = [0, 1, 17, 255, 256, 1000, 1432];
    const ids = new Set<number>();
    for (let round = 0; round < 300; round++) {
      const payload = sizes[round % sizes.length];
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 40000, 80, TcpFlags.Ack, round, 0, payload));
      expect(lab.out).toHaveLength(1);
      const dg = lab.out[0].bytes;
      const v = new Ipv4View();
      expect(v.wrap(dg, 0, dg.length, true)).toBe(0); // the header checksum verifies
      ids.add(v.id);
      const o = options(dg);
      const fresh = Buffer.alloc(68);
      emitIpv4(fresh, 0, { src: v.src, dst: v.dst, protocol: IpProtocol.Udp, payloadLength: 48 + o.inner.length, id: v.id });
      emitUdp(fresh, 20, { srcPort: o.outerSrcPort, dstPort: GENEVE_PORT, payloadLength: 40 + o.inner.length });
      expect(dg.subarray(0, 28).equals(fresh.subarray(0, 28))).toBe(true);
      expect(dg.length).toBe(68 + 40 + payload);
    }
    expect(ids.size).toBe(300);
  });

  it('E5: encapsulated in place before the packet (free headroom) or in scratch, the datagram is the same bytes', () => {
    const a = healthyLab();
    const b = healthyLab();
    const freed: number[] = [];
    b.engine.gwlb.spareBefore = (_buf, off, n) => {
      freed.push(off);
      return off >= 128 && n <= 128;
    };
    for (const payload of [0, 200, 1432]) {
      a.out.length = 0;
      b.out.length = 0;
      const pkt = tcp(CLIENT, EIP.ECS_B_01, 40001, 80, TcpFlags.Ack, payload, 0, payload);
      // The packet at 128 in a slot, the bytes before it garbage (the engine rewrites packets in place).
      const slab = Buffer.alloc(2048, 0xee);
      pkt.copy(slab, 128);
      a.send('client', pkt);
      b.engine.process(b.ports.get('client')!, slab, 128, pkt.length);
      expect(b.out).toHaveLength(1);
      expect(b.out[0].bytes.equals(a.out[0].bytes)).toBe(true);
    }
    expect(freed).toEqual([128, 128, 128]);
  });

  it('E4: the reply goes to the same NVA with the same outer source port, and comes out with the EIP', () => {
    const lab = healthyLab();
    lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 59927, 80, TcpFlags.Syn));
    const syn = lab.out[0];
    const nva = hostOf(lab, syn.port);
    lab.send(nva, hairpin(syn.bytes, parseIp(NVA[nva as 'ECS_01'])));
    lab.out.length = 0;
    lab.send('ECS_B_01', tcp(APP.ECS_B_01, CLIENT, 80, 59927, TcpFlags.Syn | TcpFlags.Ack, 5, 2));
    expect(lab.out).toHaveLength(1);
    expect(hostOf(lab, lab.out[0].port)).toBe(nva);
    expect(options(lab.out[0].bytes).outerSrcPort).toBe(options(syn.bytes).outerSrcPort);
    expect(options(lab.out[0].bytes).cookie).toBe(options(syn.bytes).cookie);
    const back = lab.out[0].bytes;
    lab.out.length = 0;
    lab.send(nva, hairpin(back, parseIp(NVA[nva as 'ECS_01'])));
    // back at GWLBe_01, its vSwitch's table sends it to the IPv4 gateway, which translates to the EIP
    expect(hostOf(lab, lab.out[0].port)).toBe('client');
    const v = view(lab.out[0].bytes);
    expect([ipToString(v.src), ipToString(v.dst)]).toEqual([EIP.ECS_B_01, CLIENT]);
  });

  it('E3.7: a return with an unknown cookie, altered options, from another NVA or with another inner packet is dropped and counted', () => {
    const lab = healthyLab();
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    const dg = lab.out[0].bytes;
    const nva = hostOf(lab, lab.out[0].port) as 'ECS_01' | 'ECS_02';
    const other = nva === 'ECS_01' ? 'ECS_02' : 'ECS_01';
    lab.out.length = 0;
    const cookie = hairpin(dg, parseIp(NVA[nva]));
    cookie[28 + 8 + 28] ^= 1; // the flow cookie
    const endpoint = hairpin(dg, parseIp(NVA[nva]));
    endpoint[28 + 8 + 4] ^= 1; // the endpoint ID
    const inner = hairpin(dg, parseIp(NVA[nva]));
    inner[28 + 40 + 16] ^= 1; // the inner destination
    lab.send(nva, cookie);
    lab.send(nva, endpoint);
    lab.send(nva, inner);
    lab.send(other, hairpin(dg, parseIp(NVA[other])));
    expect(lab.out).toHaveLength(0);
    expect(lab.engine.counters.snapshot().find((d) => d.device === 'gwlb-unit')!.drops).toEqual({ 'unknown-flow': 4 });
  });

  it('E4: 5TCH keeps both directions of each flow on one NVA and spreads flows over both', () => {
    const lab = healthyLab();
    const seen = new Set<string>();
    for (let p = 0; p < 40; p++) {
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 40000 + p, 80, TcpFlags.Syn));
      seen.add(hostOf(lab, lab.out[0].port));
    }
    expect(seen).toEqual(new Set(['ECS_01', 'ECS_02']));
  });

  it('E4: each flow\'s outer source port is in the ephemeral range (RFC 8926 3.3), so tools read port 6081 as Geneve', () => {
    const lab = healthyLab();
    const ports = new Set<number>();
    for (let p = 0; p < 200; p++) {
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 20000 + p, 80, TcpFlags.Syn));
      ports.add(options(lab.out[0].bytes).outerSrcPort);
    }
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(49152);
    expect(ports.size).toBeGreaterThan(190); // one per flow, from its hash
  });

  it('E1: 2TCH sends every flow of one pair of addresses to the same NVA', () => {
    const lab = healthyLab({ scheduler: '2TCH' });
    const seen = new Set<string>();
    for (let p = 0; p < 20; p++) {
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 40000 + p, 80, TcpFlags.Syn));
      seen.add(hostOf(lab, lab.out[0].port));
    }
    expect(seen.size).toBe(1);
  });
});

describe('E3/E10: outbound', () => {
  it('an application server reaches the Internet: app table → GWLBe → NVA → back → GWLBe table → IPv4 gateway (SNAT to its EIP)', () => {
    const lab = healthyLab();
    lab.send('ECS_C_01', icmpEcho(APP.ECS_C_01, INTERNET_HOST));
    const dg = lab.out[0].bytes;
    const nva = hostOf(lab, lab.out[0].port) as 'ECS_01';
    expect(ipToString(view(options(dg).inner).src)).toBe(APP.ECS_C_01); // G1: the inner source is the ECS private IP
    lab.out.length = 0;
    lab.send(nva, hairpin(dg, parseIp(NVA[nva])));
    expect(hostOf(lab, lab.out[0].port)).toBe('aliyun-web');
    expect(ipToString(view(lab.out[0].bytes).src)).toBe(EIP.ECS_C_01);
  });
});

describe('E6: the 1500-byte limit', () => {
  it('a 1500-byte inner packet passes, 1501 bytes is dropped at the GWLBe and the trace says why', () => {
    const lab = healthyLab();
    const big = (n: number): Buffer => {
      const b = Buffer.alloc(n);
      emitIpv4(b, 0, { src: parseIp(APP.ECS_B_01), dst: parseIp(INTERNET_HOST), protocol: IpProtocol.Udp, payloadLength: n - 20 });
      emitUdp(b, 20, { srcPort: 1000, dstPort: 2000, payloadLength: n - 28 });
      return b;
    };
    lab.send('ECS_B_01', big(1500));
    expect(lab.out).toHaveLength(1);
    expect(lab.out[0].bytes.length).toBe(1568);
    lab.engine.tracer.filter = { host: 'ECS_B_01' };
    lab.send('ECS_B_01', big(1501));
    expect(lab.out).toHaveLength(1);
    expect(lab.engine.counters.snapshot().find((d) => d.device === 'ep-gwlbe01')!.drops).toEqual({ 'too-big': 1 });
    expect(lab.traces.at(-1)!.verdict).toBe('dropped at ep-gwlbe01: 1501-byte packet: a GWLB carries at most 1500 bytes');
  });
});

describe('E7/E8: health checks and what they do to flows', () => {
  it('E7: real TCP probes from the GWLB address to port 80; two SYN-ACKs make a backend Healthy, each answered with an RST', () => {
    const lab = buildGwlbLab();
    lab.engine.tick();
    const probes = lab.out.map((o) => ({ to: hostOf(lab, o.port), v: view(o.bytes), b: o.bytes }));
    expect(probes.map((p) => p.to).sort()).toEqual(['ECS_01', 'ECS_02']);
    for (const p of probes) {
      expect(ipToString(p.v.src)).toBe(GWLB_IP);
      expect(p.b.readUInt16BE(22)).toBe(80);
      expect(p.b[33]).toBe(TcpFlags.Syn);
    }
    const g = lab.engine.forwarding.gwlbs[0];
    const status = () => g.backends.map((b) => lab.engine.gwlb.health.status(g, b));
    expect(status()).toEqual(['Initial', 'Initial']);
    const mark = lab.out.length;
    const p0 = probes.find((p) => p.to === 'ECS_01')!;
    lab.send('ECS_01', tcp(NVA.ECS_01, GWLB_IP, 80, p0.b.readUInt16BE(20), TcpFlags.Syn | TcpFlags.Ack, 99, p0.b.readUInt32BE(24) + 1));
    const rst = lab.out.slice(mark);
    expect(rst).toHaveLength(1);
    expect(rst[0].bytes[33]).toBe(TcpFlags.Rst);
    expect(rst[0].bytes.readUInt32BE(24)).toBe(p0.b.readUInt32BE(24) + 1);
    probeRounds(lab, ['ECS_01'], 2);
    expect(status()).toEqual(['Healthy', 'Unhealthy']); // ECS_02 never answered: timeouts
    expect(lab.engine.gwlb.health.reason(g, g.backends[1])).toBe('CONNECT_TIMEOUT');
  });

  it('E7/E8: an Unhealthy backend gets no new flows; without rebalance its existing flow stays, with rebalance it moves', () => {
    for (const rebalance of [false, true]) {
      const lab = healthyLab({ rebalance });
      // one flow per NVA, found by trying source ports
      const flows = new Map<string, number>();
      for (let p = 0; flows.size < 2; p++) {
        lab.out.length = 0;
        lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 50000 + p, 80, TcpFlags.Syn));
        flows.set(hostOf(lab, lab.out[0].port), 50000 + p);
      }
      // ECS_02 is stopped (StopInstances: a recompile, as every action) and goes silent.
      lab.recompile((m) => (m.instances.find((i) => i.InstanceName === 'ECS_02')!.Status = 'Stopped'));
      probeRounds(lab, ['ECS_01'], 2);
      const g = lab.engine.forwarding.gwlbs[0];
      expect(lab.engine.gwlb.health.status(g, g.backends[1])).toBe('Unhealthy');
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, flows.get('ECS_02')!, 80, TcpFlags.Ack, 2, 1));
      if (rebalance) expect(hostOf(lab, lab.out[0].port)).toBe('ECS_01');
      // without rebalancing the flow stays on ECS_02, which is stopped: the packet is lost there
      else expect(lab.out).toHaveLength(0);
      for (let p = 0; p < 10; p++) {
        lab.out.length = 0;
        lab.send('client', tcp(CLIENT, EIP.ECS_B_01, 60000 + p, 80, TcpFlags.Syn));
        expect(hostOf(lab, lab.out[0].port)).toBe('ECS_01');
      }
    }
  });

  it('E7: with health checks off, every backend takes traffic at once (status Unavailable)', () => {
    const lab = buildGwlbLab({ healthEnabled: false });
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    expect(lab.out).toHaveLength(1);
    const g = lab.engine.forwarding.gwlbs[0];
    expect(lab.engine.gwlb.health.status(g, g.backends[0])).toBe('Unavailable');
  });

  it('E8: a backend removed with draining takes no new flows; its flows go on until the drain timeout, then are cut', () => {
    const lab = healthyLab();
    let port = 50000;
    let onEcs02 = 0;
    for (; ; port++) {
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, port, 80, TcpFlags.Syn));
      if (hostOf(lab, lab.out[0].port) === 'ECS_02') {
        onEcs02 = port;
        break;
      }
    }
    // RemoveServersFromServerGroup with draining on: the server stays, Draining, for 5 s.
    lab.recompile((m) => {
      const s = m.serverGroups[0].Servers.find((x) => x.ServerIp === NVA.ECS_02)!;
      s.Status = 'Draining';
      s.DrainEndTime = new Date(lab.clock.now + 5000).toISOString();
    });
    const to = (p: number, flags: number): string => {
      lab.out.length = 0;
      lab.send('client', tcp(CLIENT, EIP.ECS_B_01, p, 80, flags, 2, 1));
      return hostOf(lab, lab.out[0].port);
    };
    expect(to(onEcs02, TcpFlags.Ack)).toBe('ECS_02'); // the existing flow stays
    for (let p = 60000; p < 60010; p++) expect(to(p, TcpFlags.Syn)).toBe('ECS_01'); // no new flow goes there
    lab.clock.now += 6000;
    lab.engine.tick();
    expect(to(onEcs02, TcpFlags.Ack)).toBe('ECS_01'); // cut at the drain timeout: the flow starts anew elsewhere
  });

  it('E8: flows idle past the listener timeout are forgotten', () => {
    const lab = healthyLab();
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    expect(lab.engine.gwlb.flows.size).toBe(1);
    lab.clock.now += 351_000;
    lab.engine.tick();
    expect(lab.engine.gwlb.flows.size).toBe(0);
  });
});

describe('StopInstances in the data plane', () => {
  it('a stopped ECS neither sends nor receives; its probes time out and it turns Unhealthy', () => {
    const lab = healthyLab();
    lab.recompile((m) => (m.instances.find((i) => i.InstanceName === 'ECS_02')!.Status = 'Stopped'));
    lab.send('ECS_02', icmpEcho(NVA.ECS_02, NVA.ECS_01));
    lab.send('ECS_01', icmpEcho(NVA.ECS_01, NVA.ECS_02));
    expect(lab.out).toHaveLength(0);
    const c = lab.engine.counters.snapshot().find((d) => d.device === 'ECS_02')!;
    expect(c.drops['instance-stopped']).toBe(2);
    probeRounds(lab, ['ECS_01', 'ECS_02'], 2);
    const g = lab.engine.forwarding.gwlbs[0];
    expect(lab.engine.gwlb.health.status(g, g.backends[1])).toBe('Unhealthy');
  });
});

describe('the trace of a round trip', () => {
  it('one record: gateway table → GWLBe → GWLB (backend, hash, health) → NVA → GWLB → GWLBe → its table → ECS', () => {
    const lab = healthyLab();
    lab.engine.tracer.filter = { host: 'client' };
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    expect(lab.traces).toHaveLength(0); // still at the NVA
    const nva = hostOf(lab, lab.out[0].port) as 'ECS_01';
    lab.send(nva, hairpin(lab.out[0].bytes, parseIp(NVA[nva])));
    expect(lab.traces).toHaveLength(1);
    const r = lab.traces[0];
    expect(r.hops.map((h) => h.device)).toEqual([lab.ids.igw, `${lab.ids.gwrt} (rt-igw)`, 'ep-gwlbe01', 'gwlb-unit', nva, 'gwlb-unit', `${lab.ids['rt-gwlbe']} (rt-gwlbe)`]);
    expect(r.hops[3].decision).toMatch(new RegExp(`^5-tuple hash → ${nva} ${NVA[nva].replace(/\./g, '\\.')} \\(Healthy\\), new flow; Geneve 10\\.0\\.1\\.41:\\d+ → ${NVA[nva].replace(/\./g, '\\.')}:6081`));
    expect(r.verdict).toBe('delivered to ECS_B_01');
  });

  it('a packet the NVA never sends back is reported so after two seconds', () => {
    const lab = healthyLab();
    lab.engine.tracer.filter = { host: 'client' };
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01));
    const nva = hostOf(lab, lab.out[0].port);
    lab.clock.now += 2500;
    lab.engine.tick();
    expect(lab.traces).toHaveLength(1);
    expect(lab.traces[0].delivered).toBe(false);
    expect(lab.traces[0].verdict).toBe(`not sent back by ${nva} within 2 s (its firewall may have dropped it)`);
  });
});
