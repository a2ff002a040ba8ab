// PrivateLink interface endpoints in the data plane: a request to an endpoint's ENI address
// reaches the cloud service from the ENI's address and an engine-chosen port (the service
// never sees the client), the reply is translated back and routed by the ENI vSwitch's table,
// checksums stay right, overlapping VPCs keep their replies apart, sessions expire, and bad
// or unknown packets are counted drops.

import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/main/cloud/compile';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { Engine } from '../../../src/main/engine/dataplane';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { internetChecksum } from '../../../src/main/engine/wire/checksum';
import { emitIpv4, IpProtocol, Ipv4View, ipToString, parseIp } from '../../../src/main/engine/wire/ipv4';
import { emitTcp, tcpChecksum, TcpFlags } from '../../../src/main/engine/wire/tcp';
import { udpChecksum } from '../../../src/main/engine/wire/udp';
import { buildLab, type BuiltLab, type Out } from '../../support/lab-model';
import { icmpEcho, udp } from '../../support/packets';

const OSS_IP = '100.118.28.10';
const ENI = '192.168.1.60';
const OSS_NAME = 'com.aliyuncs.privatelink.cn-hangzhou.oss';

function tcp(src: string, dst: string, sport: number, dport: number, flags: number = TcpFlags.Syn): Buffer {
  const buf = Buffer.alloc(40);
  emitIpv4(buf, 0, { src: parseIp(src), dst: parseIp(dst), protocol: IpProtocol.Tcp, payloadLength: 20 });
  emitTcp(buf, 20, { srcPort: sport, dstPort: dport, seq: 1, flags, src: parseIp(src), dst: parseIp(dst) });
  return buf;
}

interface Pl {
  lab: BuiltLab;
  engine: Engine;
  out: Out[];
  ep: string;
  clock: { t: number };
  send: (host: string, pkt: Buffer) => Out | undefined;
  recompile: () => void;
  traced: (host: string, pkt: Buffer) => TraceRecord;
}

/** buildLab's VPC with the OSS service and an interface endpoint in vSwitch B at 192.168.1.60. */
function setup(extra: (lab: BuiltLab) => void = () => undefined): Pl {
  const lab = buildLab();
  lab.cp.invoke('CreateCloudService', { HostName: 'OSS', IpAddress: OSS_IP, DomainNames: 'oss-cn-hangzhou-internal.aliyuncs.com', Services: 'http-hello' });
  const ep = lab.cp.invoke('CreateVpcEndpoint', {
    EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: lab.ids.vpc, Zone: [{ ZoneId: 'ap-northeast-1b', VSwitchId: lab.ids.vswB, ip: ENI }], EndpointName: 'ep-oss',
  } as never).EndpointId as string;
  extra(lab);
  labHosts(lab.cp.model).forEach((h, i) => lab.ports.set(h.name, i + 1));
  const out: Out[] = [];
  const clock = { t: 1_000 };
  const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }), () => clock.t);
  const recompile = (): void => engine.load(compile(lab.cp.model, (n) => lab.ports.get(n), engine.counters));
  recompile();
  const send = (host: string, pkt: Buffer): Out | undefined => {
    const n = out.length;
    engine.process(lab.ports.get(host)!, pkt, 0, pkt.length);
    return out.length > n ? out[out.length - 1] : undefined;
  };
  const traced = (host: string, pkt: Buffer): TraceRecord => {
    const recs: TraceRecord[] = [];
    engine.tracer.onRecord((r) => recs.push(structuredClone(r)));
    engine.tracer.filter = { host };
    engine.process(lab.ports.get(host)!, pkt, 0, pkt.length);
    engine.tracer.filter = null as never;
    return recs[recs.length - 1];
  };
  return { lab, engine, out, ep, clock, send, recompile, traced };
}

const view = (b: Buffer): Ipv4View => {
  const v = new Ipv4View();
  expect(v.wrap(b, 0, b.length, true)).toBe(0); // header checksum verified too
  return v;
};
const sport = (b: Buffer): number => b.readUInt16BE(20);
const dport = (b: Buffer): number => b.readUInt16BE(22);
const counters = (p: Pl, device: string) => p.engine.counters.snapshot().find((d) => d.device === device)!;

/** The service's answer to a request it received: addresses and ports swapped. */
function answer(req: Buffer, make: (src: string, dst: string, sp: number, dp: number) => Buffer): Buffer {
  const v = view(req);
  return make(ipToString(v.dst), ipToString(v.src), dport(req), sport(req));
}

describe('PrivateLink interface endpoint: request', () => {
  it('DNAT to the service (port kept), SNAT to the ENI with an engine port; the trace says so; checksums right', () => {
    const p = setup();
    const rec = p.traced('ECS-A', tcp('192.168.0.1', ENI, 40000, 80));
    const o = p.out[0];
    expect(o.port).toBe(p.lab.ports.get('OSS'));
    const v = view(o.bytes);
    expect([ipToString(v.src), ipToString(v.dst), dport(o.bytes)]).toEqual([ENI, OSS_IP, 80]);
    const natPort = sport(o.bytes);
    expect(natPort).toBeGreaterThanOrEqual(1025);
    expect(tcpChecksum(o.bytes, 20, 20, v.src, v.dst)).toBe(o.bytes.readUInt16BE(36));
    const hop = rec.hops.find((h) => h.device === p.ep)!;
    expect(hop.decision).toBe(`DNAT ${ENI} → ${OSS_IP} (OSS) via PrivateLink endpoint ${p.ep}; SNAT 192.168.0.1:40000 → ${ENI}:${natPort} (new session)`);
    expect(rec.delivered).toBe(true);
    expect(counters(p, p.ep).rxPackets).toBe(1);
    // The same flow keeps its port.
    expect(sport(p.send('ECS-A', tcp('192.168.0.1', ENI, 40000, 80, TcpFlags.Ack))!.bytes)).toBe(natPort);
  });

  it('H1/H3: the endpoint ENI\'s security group decides what reaches the service, and lets the replies back out (stateful)', () => {
    const p = setup();
    const sg = p.lab.cp.invoke('CreateSecurityGroup', { VpcId: p.lab.ids.vpc, SecurityGroupName: 'sg-ep' }).SecurityGroupId as string;
    p.lab.cp.invoke('AuthorizeSecurityGroup', { SecurityGroupId: sg, IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '192.168.0.1/32' });
    (p.lab.cp.model.interfaceEndpoints[0] as { SecurityGroupIds: string[] }).SecurityGroupIds = [sg];
    p.recompile();
    const req = p.send('ECS-A', tcp('192.168.0.1', ENI, 40000, 80))!;
    expect(req.port).toBe(p.lab.ports.get('OSS'));
    const back = p.send('OSS', answer(req.bytes, (s, d, sp, dp) => tcp(s, d, sp, dp, TcpFlags.Syn | TcpFlags.Ack)));
    expect(back?.port).toBe(p.lab.ports.get('ECS-A'));
    const rec = p.traced('ECS-B', tcp('192.168.1.1', ENI, 40001, 80));
    expect(rec.delivered).toBe(false);
    expect(rec.verdict).toBe(`dropped at ${p.ep}: no inbound rule of its security groups (${sg} (sg-ep)) accepts tcp port 80 from 192.168.1.1`);
  });

  it('fragments, other protocols and ICMP other than echo requests are counted drops at the endpoint', () => {
    const p = setup();
    const frag = udp('192.168.0.1', ENI, 5000, 53);
    frag.writeUInt16BE(0x2000 | 10, 6); // a later fragment: no ports
    frag.writeUInt16BE(0, 10);
    frag.writeUInt16BE(internetChecksum(frag, 0, 20), 10);
    expect(p.send('ECS-A', frag)).toBeUndefined();
    expect(p.send('ECS-A', icmpEcho('192.168.0.1', ENI, { type: 0 }))).toBeUndefined();
    expect(counters(p, p.ep).drops.malformed).toBe(2);
  });
});

describe('PrivateLink interface endpoint: reply', () => {
  it('translated back (source = the ENI, destination = the client) and delivered to the ECS; checksums right', () => {
    const p = setup();
    const req = p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53))!;
    const rec = p.traced('OSS', answer(req.bytes, (s, d, sp, dp) => udp(s, d, sp, dp, 'answer')));
    const o = p.out[p.out.length - 1];
    expect(o.port).toBe(p.lab.ports.get('ECS-A'));
    const v = view(o.bytes);
    expect([ipToString(v.src), sport(o.bytes), ipToString(v.dst), dport(o.bytes)]).toEqual([ENI, 53, '192.168.0.1', 5000]);
    expect(udpChecksum(o.bytes, 20, o.bytes.length - 20, v.src, v.dst)).toBe(o.bytes.readUInt16BE(26));
    expect(rec.hops[0].decision).toContain(`reply via PrivateLink endpoint ${p.ep}: SNAT ${OSS_IP} → ${ENI}; DNAT ${ENI}:${sport(req.bytes)} → 192.168.0.1:5000`);
    expect(counters(p, p.ep).txPackets).toBe(1);
  });

  it('ICMP echo: the identifier is translated both ways, checksums right', () => {
    const p = setup();
    const req = p.send('ECS-A', icmpEcho('192.168.0.1', ENI, { id: 0x4242 }))!;
    const v = view(req.bytes);
    expect(ipToString(v.src)).toBe(ENI);
    const id = req.bytes.readUInt16BE(24);
    expect(internetChecksum(req.bytes, 20, req.bytes.length - 20)).toBe(0);
    const rep = p.send('OSS', icmpEcho(OSS_IP, ENI, { id, type: 0 }))!;
    expect(rep.port).toBe(p.lab.ports.get('ECS-A'));
    expect(ipToString(view(rep.bytes).src)).toBe(ENI);
    expect(rep.bytes.readUInt16BE(24)).toBe(0x4242);
    expect(internetChecksum(rep.bytes, 20, rep.bytes.length - 20)).toBe(0);
  });

  it('routed by the ENI vSwitch\'s table: a client behind an NVA (a custom route) gets its answer through it', () => {
    const p = setup((lab) => lab.cp.invoke('CreateRouteEntry', { RouteTableId: lab.ids.systemRt, DestinationCidrBlock: '172.16.0.0/16', NextHopId: lab.ids.ecsC }));
    // ECS-C forwards for an on-premises client 172.16.0.5 (A8: no source check).
    const req = p.send('ECS-C', udp('172.16.0.5', ENI, 7000, 80))!;
    expect(ipToString(view(req.bytes).src)).toBe(ENI);
    const rep = p.send('OSS', answer(req.bytes, (s, d, sp, dp) => udp(s, d, sp, dp)))!;
    expect(rep.port).toBe(p.lab.ports.get('ECS-C'));
    expect(ipToString(view(rep.bytes).dst)).toBe('172.16.0.5');
  });

  it('overlapping VPCs: the same client address and ENI address in two VPCs get different ports, and each its own reply', () => {
    let ep2 = '';
    const p = setup((lab) => {
      const vpc = lab.cp.invoke('CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'twin' }).VpcId as string;
      const a = lab.cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'ap-northeast-1a', CidrBlock: '192.168.0.0/24' }).VSwitchId as string;
      const b = lab.cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'ap-northeast-1b', CidrBlock: '192.168.1.0/24' }).VSwitchId as string;
      lab.cp.invoke('RunInstances', { InstanceName: 'TWIN-A', VSwitchId: a, PrivateIpAddress: '192.168.0.1' });
      ep2 = lab.cp.invoke('CreateVpcEndpoint', { EndpointType: 'Interface', ServiceName: OSS_NAME, VpcId: vpc, Zone: [{ ZoneId: 'ap-northeast-1b', VSwitchId: b, ip: ENI }] } as never).EndpointId as string;
    });
    const r1 = p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53, 'one'))!;
    const r2 = p.send('TWIN-A', udp('192.168.0.1', ENI, 5000, 53, 'two'))!;
    expect(view(r1.bytes).src).toBe(view(r2.bytes).src);
    expect(sport(r1.bytes)).not.toBe(sport(r2.bytes));
    // Answered in the other order: each still finds its VPC.
    expect(p.send('OSS', answer(r2.bytes, (s, d, sp, dp) => udp(s, d, sp, dp)))!.port).toBe(p.lab.ports.get('TWIN-A'));
    expect(p.send('OSS', answer(r1.bytes, (s, d, sp, dp) => udp(s, d, sp, dp)))!.port).toBe(p.lab.ports.get('ECS-A'));
    expect(counters(p, p.ep).txPackets).toBe(1);
    expect(counters(p, ep2).txPackets).toBe(1);
  });

  it('sessions survive a recompile, expire after the idle timeout, and end with their endpoint', () => {
    const p = setup();
    const req = p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53))!;
    const reply = (): Buffer => answer(req.bytes, (s, d, sp, dp) => udp(s, d, sp, dp));
    p.recompile();
    expect(p.send('OSS', reply())?.port).toBe(p.lab.ports.get('ECS-A'));
    p.clock.t += 60_001; // UDP: 60 s idle (the NAT gateway's D8 timeouts)
    expect(p.send('OSS', reply())).toBeUndefined();
    const again = p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53))!;
    p.lab.cp.invoke('DeleteVpcEndpoint', { EndpointId: p.ep });
    p.recompile();
    expect(p.send('OSS', answer(again.bytes, (s, d, sp, dp) => udp(s, d, sp, dp)))).toBeUndefined();
    // Deleted: the address is an empty one of the vSwitch again.
    expect(p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53))).toBeUndefined();
  });

  it('unknown and malformed replies are counted drops, never a throw', () => {
    const p = setup();
    p.send('ECS-A', udp('192.168.0.1', ENI, 5000, 53));
    const before = counters(p, 'OSS').drops['no-host'] ?? 0;
    expect(p.send('OSS', udp(OSS_IP, ENI, 53, 65000))).toBeUndefined();
    const short = udp(OSS_IP, ENI, 53, 1025).subarray(0, 22); // 2 bytes of UDP header
    short.writeUInt16BE(22, 2);
    short.writeUInt16BE(0, 10);
    short.writeUInt16BE(internetChecksum(short, 0, 20), 10);
    expect(() => p.send('OSS', Buffer.from(short))).not.toThrow();
    expect(counters(p, 'OSS').drops['no-host']).toBe(before + 2);
  });
});
