// The VPN gateway in the data plane (engine/vpn/device.ts), on a hand-built forwarding state:
// F3 active/standby tunnels with failover and failback, F4 health checks (probe, `retry`
// misses, recovery), F5 route selection (policy routes by priority before destination routes
// by LPM; the standby route while the active one's connection is down), and what comes back
// from an endpoint (IKE/ESP to the Internet, decrypted traffic into the VPC).

import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/main/engine/dataplane';
import { emptyState, HopKind, PortKind, VpcMode, type ForwardingState, type PortFw, type RouteHop, type RouteTableFw, type VpcFw, type VpnConnFw, type VpnGatewayFw, type VpnRouteFw } from '../../../src/main/engine/forwarding';
import { Lpm } from '../../../src/main/engine/lpm';
import { IcmpType } from '../../../src/main/engine/wire/icmp';
import { parseIp } from '../../../src/main/engine/wire/ipv4';
import { icmpEcho } from '../../support/packets';

const P = { ecs: 1, ep1: 10, ep2: 11, cgw: 20, other: 2 };

function cidr(text: string): { addr: number; len: number; mask: number } {
  const [a, l] = text.split('/');
  const len = Number(l);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { addr: (parseIp(a) & mask) >>> 0, len, mask };
}

interface Built {
  engine: Engine;
  out: { port: number; bytes: Buffer }[];
  clock: { t: number };
  gw: VpnGatewayFw;
  conn: VpnConnFw;
  conn2: VpnConnFw;
}

function build(opts: { health?: boolean; pbr?: { src: string; dst: string; priority: number; conn: 1 | 2 }[]; standby?: boolean } = {}): Built {
  const clock = { t: 0 };
  const out: Built['out'] = [];
  const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }), () => clock.t);
  const c = engine.counters;
  const st: ForwardingState = emptyState(c.device('Internet'));
  const lpm = new Lpm<RouteHop>();
  const table: RouteTableFw = { id: 'vtb-sys', label: 'vtb-sys (system)', device: c.device('vtb-sys'), lpm };
  const vpc: VpcFw = { id: 'vpc-1', cidrAddr: parseIp('192.168.0.0'), cidrMask: 0xffff0000, hosts: new Map([[parseIp('192.168.1.10'), P.ecs], [parseIp('192.168.1.11'), P.other]]), services: new Map(), mode: VpcMode.Default, eipByPrivate: new Map(), igw: null, gwlbAddrs: new Map(), system: null };
  st.vpcs.push(vpc);
  const mkConn = (id: string): VpnConnFw => {
    const conn: VpnConnFw = { id, device: c.device(id), tunnels: [], master: 0, remote: new Lpm<true>(), ports: [P.ep1, P.ep2],
      health: opts.health ? { sip: parseIp('192.168.1.200'), dip: parseIp('172.16.0.10'), intervalMs: 3000, retry: 3, revoke: true } : null };
    conn.tunnels.push({ id: `${id}-t1`, index: 0, device: c.device(`${id}-t1`), conn }, { id: `${id}-t2`, index: 1, device: c.device(`${id}-t2`), conn });
    return conn;
  };
  const conn = mkConn('vco-1');
  const conn2 = mkConn('vco-2');
  conn.remote.insert(parseIp('172.16.0.0'), 16, true);
  conn2.remote.insert(parseIp('172.20.0.0'), 16, true);
  const route = (cn: VpnConnFw, active: boolean, dest: string): VpnRouteFw => ({ conn: cn, active, rule: `${dest} → ${cn.id} (${active ? 'active' : 'standby'})` });
  const gw: VpnGatewayFw = {
    id: 'vpn-1', device: c.device('vpn-1'), vpc: 0, pbr: [], dbr: new Lpm(), endpointPorts: [P.ep1, P.ep2],
    endpointIps: [parseIp('47.1.1.1'), parseIp('47.1.1.2')], tables: [table, table], conns: [conn, conn2],
  };
  gw.dbr.insert(parseIp('172.16.0.0'), 16, opts.standby ? [route(conn, true, '172.16.0.0/16'), route(conn2, false, '172.16.0.0/16')] : [route(conn, true, '172.16.0.0/16')]);
  gw.dbr.insert(parseIp('172.16.5.0'), 24, [route(conn, true, '172.16.5.0/24')]);
  for (const p of opts.pbr ?? []) {
    const s = cidr(p.src);
    const d = cidr(p.dst);
    gw.pbr.push({ srcAddr: s.addr, srcMask: s.mask, dstAddr: d.addr, dstMask: d.mask, priority: p.priority, routes: [route(p.conn === 1 ? conn : conn2, true, `${p.src} ${p.dst} prio ${p.priority}`)] });
  }
  gw.pbr.sort((a, b) => a.priority - b.priority);
  st.vpnGateways.push(gw);
  st.vpnConns.push(conn, conn2);
  lpm.insert(parseIp('192.168.0.0'), 16, { kind: HopKind.Local, port: -1, rule: '192.168.0.0/16 → local (system)' });
  lpm.insert(parseIp('172.16.0.0'), 12, { kind: HopKind.VpnGateway, port: -1, vpn: gw, rule: '172.16.0.0/12 → vpn-1 (custom)' });
  const port = (kind: number, name: string, ip: string, extra: Partial<PortFw> = {}): PortFw => ({
    kind, name, device: c.device(name), ip: parseIp(ip), vpc: 0, site: -1, table, eip: 0, eipDevice: -1, eipId: '', stopped: false, vpn: null, tunnelIndex: -1, vpnConn: null, trAtt: null, filter: null, ...extra,
  });
  st.ports[P.ecs] = port(PortKind.Ecs, 'ECS-1', '192.168.1.10');
  st.ports[P.other] = port(PortKind.Ecs, 'ECS-2', '192.168.1.11');
  st.ports[P.ep1] = port(PortKind.VpnEndpoint, 'vpn-1-t1', '47.1.1.1', { vpn: gw, tunnelIndex: 0 });
  st.ports[P.ep2] = port(PortKind.VpnEndpoint, 'vpn-1-t2', '47.1.1.2', { vpn: gw, tunnelIndex: 1 });
  st.ports[P.cgw] = port(PortKind.Internet, 'idc-gw', '198.51.100.1', { vpc: -1, table: null });
  st.internetHosts.set(parseIp('198.51.100.1'), P.cgw);
  engine.load(st);
  return { engine, out, clock, gw, conn, conn2 };
}

const up = (b: Built, id: string, isUp = true): void => b.engine.vpn.tunnels.setSa(id, { up: isUp, spiIn: isUp ? 'c0ffee01' : '', spiOut: isUp ? 'c0ffee02' : '' });

/** One packet from ECS-1 to `dst`; the port it left on, or undefined. */
function send(b: Built, dst: string, src = '192.168.1.10', from = P.ecs): number | undefined {
  const n = b.out.length;
  const pkt = icmpEcho(src, dst);
  b.engine.process(from, pkt, 0, pkt.length);
  return b.out.length > n ? b.out[b.out.length - 1].port : undefined;
}

const drops = (b: Built, device: string): Record<string, number> => b.engine.counters.snapshot().find((d) => d.device === device)?.drops ?? {};

describe('F3: dual tunnel, tunnel 1 active', () => {
  it('F3: no tunnel up → dropped and counted; tunnel 1 up → its endpoint; tunnel 1 down → tunnel 2; back up → tunnel 1 again', () => {
    const b = build();
    expect(send(b, '172.16.0.10')).toBeUndefined();
    expect(drops(b, 'vco-1')['tunnel-down']).toBe(1);
    up(b, 'vco-1-t1');
    up(b, 'vco-1-t2');
    expect(send(b, '172.16.0.10')).toBe(P.ep1);
    up(b, 'vco-1-t1', false);
    expect(send(b, '172.16.0.10')).toBe(P.ep2);
    up(b, 'vco-1-t1');
    expect(send(b, '172.16.0.10')).toBe(P.ep1);
  });

  it('F3: the trace names the gateway route, the tunnel and its outbound SPI', () => {
    const b = build();
    up(b, 'vco-1-t1');
    const records: string[] = [];
    b.engine.tracer.tap({ host: 'ECS-1' }, (r) => records.push(r.hops.map((h) => `${h.device}: ${h.decision}`).join('\n')));
    send(b, '172.16.0.10');
    expect(records[0]).toContain('vpn-1: 172.16.0.0/16 → vco-1 (active); tunnel 1 (vco-1-t1), the active tunnel, ESP SA out c0ffee02');
  });
});

describe('F5: VPN gateway route selection', () => {
  it('F5.2: destination routes by longest prefix', () => {
    const b = build();
    up(b, 'vco-1-t1');
    const records: string[] = [];
    b.engine.tracer.tap({ host: 'ECS-1' }, (r) => records.push(r.hops.map((h) => h.decision).join(' | ')));
    send(b, '172.16.5.9');
    expect(records[0]).toContain('172.16.5.0/24 → vco-1');
  });

  it('F5.1: policy-based routes come first, by priority ascending, whatever their prefix length', () => {
    const b = build({ pbr: [{ src: '192.168.1.10/32', dst: '172.16.0.0/12', priority: 20, conn: 1 }, { src: '192.168.0.0/16', dst: '172.16.0.0/16', priority: 5, conn: 2 }] });
    up(b, 'vco-1-t1');
    up(b, 'vco-2-t1');
    const records: string[] = [];
    b.engine.tracer.tap({ host: 'ECS-1' }, (r) => records.push(r.hops.map((h) => h.decision).join(' | ')));
    send(b, '172.16.5.9');
    expect(records[0]).toContain('prio 5 → vco-2');
    // Not matching the priority-5 route's destination: the priority-20 one, not the /24 destination route.
    send(b, '172.17.0.1');
    expect(records[1]).toContain('prio 20 → vco-1');
    // A source no policy route has: destination routes, by LPM.
    b.engine.tracer.tap({ host: 'ECS-2' }, (r) => records.push(r.hops.map((h) => h.decision).join(' | ')));
    send(b, '172.16.5.9', '10.9.9.9', P.other);
    expect(records[2]).toContain('172.16.5.0/24 → vco-1 (active)');
  });

  it('F5: the standby route takes over while the active one\'s connection has no tunnel up', () => {
    const b = build({ standby: true });
    up(b, 'vco-2-t1');
    const records: string[] = [];
    b.engine.tracer.tap({ host: 'ECS-1' }, (r) => records.push(r.hops.map((h) => h.decision).join(' | ')));
    expect(send(b, '172.16.0.10')).toBe(P.ep1);
    expect(records[0]).toContain('→ vco-2 (standby)');
    up(b, 'vco-1-t2');
    send(b, '172.16.0.10');
    expect(records[1]).toContain('→ vco-1 (active); tunnel 2 (vco-1-t2), the standby tunnel');
  });
});

describe('F4: health checks', () => {
  function probes(b: Built): { port: number; seq: number }[] {
    return b.out.filter((o) => o.bytes[9] === 1 && o.bytes[20] === IcmpType.EchoRequest && o.bytes.readUInt16BE(24) === 0x5650).map((o) => ({ port: o.port, seq: o.bytes.readUInt16BE(26) }));
  }
  function answer(b: Built, seq: number, via: number): void {
    const pkt = icmpEcho('172.16.0.10', '192.168.1.200', { type: 0, id: 0x5650, seq });
    b.engine.process(via, pkt, 0, pkt.length);
  }

  it('F4: ICMP echo from sip to dip through each tunnel that is up, every interval (3 s)', () => {
    const b = build({ health: true });
    up(b, 'vco-1-t1');
    up(b, 'vco-1-t2');
    b.engine.tick();
    const first = probes(b);
    expect(first.map((p) => p.port).sort()).toEqual([P.ep1, P.ep2]);
    const pkt = b.out.find((o) => o.port === P.ep1)!.bytes;
    expect([pkt.readUInt32BE(12), pkt.readUInt32BE(16)]).toEqual([parseIp('192.168.1.200'), parseIp('172.16.0.10')]);
    b.clock.t = 2900;
    b.engine.tick();
    expect(probes(b)).toHaveLength(2);
    b.clock.t = 3000;
    b.engine.tick();
    expect(probes(b)).toHaveLength(4);
  });

  it('F4: after retry (3) unanswered probes tunnel 1 is unusable and traffic moves to tunnel 2; an answer brings it back', () => {
    const b = build({ health: true });
    up(b, 'vco-1-t1');
    up(b, 'vco-1-t2');
    // Tunnel 2 answers every probe; tunnel 1 none.
    const answerT2 = (): void => {
      for (const p of probes(b)) if (p.port === P.ep2) answer(b, p.seq, P.ep2);
      b.out.length = 0;
    };
    for (let i = 0; i <= 3; i++) {
      b.clock.t = i * 3000;
      b.engine.tick();
      answerT2();
      if (i < 3) expect(send(b, '172.16.0.10')).toBe(P.ep1);
    }
    // 0 s, 3 s, 6 s unanswered: declared failed at 9 s (F4 [INF]: about 9 s).
    expect(b.engine.vpn.events).toEqual([{ connId: 'vco-1', tunnelId: 'vco-1-t1', healthy: false, at: 9000 }]);
    expect(send(b, '172.16.0.10')).toBe(P.ep2);
    b.out.length = 0;
    b.clock.t = 12000;
    b.engine.tick();
    const p1 = probes(b).find((p) => p.port === P.ep1)!;
    answer(b, p1.seq, P.ep2); // the answer may come back over the other tunnel: it is the probe's tunnel that passed
    expect(b.engine.vpn.events[1]).toEqual({ connId: 'vco-1', tunnelId: 'vco-1-t1', healthy: true, at: 12000 });
    expect(send(b, '172.16.0.10')).toBe(P.ep1);
  });

  it('F4 revoke_route: with no healthy tunnel the drop says the routes are withdrawn', () => {
    const b = build({ health: true });
    up(b, 'vco-1-t1');
    for (let i = 0; i <= 3; i++) {
      b.clock.t = i * 3000;
      b.engine.tick();
    }
    const records: string[] = [];
    b.engine.tracer.tap({ host: 'ECS-1' }, (r) => records.push(r.verdict));
    expect(send(b, '172.16.0.10')).toBeUndefined();
    expect(records[0]).toContain('the health check of vco-1 fails: its routes are withdrawn');
  });

  it('F4: answers to probes are the gateway\'s, not delivered; an IDC host\'s own pings pass', () => {
    const b = build({ health: true });
    up(b, 'vco-1-t1');
    b.engine.tick();
    const p = probes(b)[0];
    b.out.length = 0;
    answer(b, p.seq, P.ep1);
    expect(b.out).toHaveLength(0);
    const own = icmpEcho('172.16.0.10', '192.168.1.10');
    b.engine.process(P.ep1, own, 0, own.length);
    expect(b.out.map((o) => o.port)).toEqual([P.ecs]);
  });
});

describe('from an endpoint', () => {
  it('its public address → the Internet (IKE, ESP); decrypted traffic → into the VPC, counted to its tunnel', () => {
    const b = build();
    const ike = icmpEcho('47.1.1.1', '198.51.100.1');
    b.engine.process(P.ep1, ike, 0, ike.length);
    expect(b.out.map((o) => o.port)).toEqual([P.cgw]);
    const inner = icmpEcho('172.16.0.10', '192.168.1.10');
    b.engine.process(P.ep2, inner, 0, inner.length);
    expect(b.out.map((o) => o.port)).toEqual([P.cgw, P.ecs]);
    const t2 = b.engine.counters.snapshot().find((d) => d.device === 'vco-1-t2')!;
    expect(t2.rxPackets).toBe(1);
  });
});
