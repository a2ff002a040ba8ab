// The transit router (SEMANTICS F1 model 2, F6, F7): CEN and TR, VPC and VPN attachments,
// the TR route table (learned, static, cloud-service routes, selection and the 16-member
// ECMP limit), cloud service access and its statuses, the Attachment next hop in VPC route
// tables, the refusals with their codes (a failed action changes nothing), and what the
// engine does with it: ECMP to the connections' appliances, into the other VPC, loops and
// blackholes dropped, the appliance's own ICMP back through the TR.

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { compile } from '../../../src/main/cloud/compile';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { trRoutes } from '../../../src/main/cloud/tr-routes';
import { Engine } from '../../../src/main/engine/dataplane';
import type { Params } from '../../../src/main/cloud/params';
import { expectFailure, instanceIdOf, type Res } from './helpers';
import { icmpEcho, udp } from '../../support/packets';
import { emitIpv4, IpProtocol, parseIp } from '../../../src/main/engine/wire/ipv4';

function lab(now = { t: Date.parse('2026-12-04T10:00:00Z') }) {
  const cp = new ControlPlane('t-tr-unit', undefined, { now: () => now.t });
  const call = (a: string, p: Params = {}): Res => cp.invoke(a, p);
  const vpc = (cidr: string, name: string, vsws: [string, string][]) => {
    const v = call('CreateVpc', { CidrBlock: cidr, VpcName: name });
    const ids = vsws.map(([c, z]) => call('CreateVSwitch', { VpcId: v.VpcId as string, ZoneId: z, CidrBlock: c }).VSwitchId as string);
    return { id: v.VpcId as string, rt: v.RouteTableId as string, vsws: ids };
  };
  const a = vpc('192.168.0.0/16', 'vpc-a', [['192.168.1.0/24', 'cn-hangzhou-h'], ['192.168.2.0/24', 'cn-hangzhou-i']]);
  const b = vpc('10.1.0.0/16', 'vpc-b', [['10.1.1.0/24', 'cn-hangzhou-h']]);
  instanceIdOf(call('RunInstances', { InstanceName: 'ECS-A', VSwitchId: a.vsws[0], PrivateIpAddress: '192.168.1.10' }));
  instanceIdOf(call('RunInstances', { InstanceName: 'ECS-B', VSwitchId: b.vsws[0], PrivateIpAddress: '10.1.1.10' }));
  call('CreateIdcSite', { SiteName: 'idc', CidrBlock: '172.16.0.0/16', GatewayName: 'idc-gw', GatewayPublicIp: '203.0.113.10' });
  call('CreateCloudService', { HostName: 'OSS', IpAddress: '100.118.28.10' });
  const cen = call('CreateCenInstance', { Name: 'cen' }).CenId as string;
  const tr = call('CreateTransitRouter', { CenId: cen, TransitRouterName: 'tr' }).TransitRouterId as string;
  const table = cp.model.transitRouters[0].RouteTableId;
  const attVpc = (v: { id: string; vsws: string[] }, zones: string[]) =>
    call('CreateTransitRouterVpcAttachment', { TransitRouterId: tr, VpcId: v.id, ZoneMappings: v.vsws.map((s, i) => ({ ZoneId: zones[i], VSwitchId: s })) as never }).TransitRouterAttachmentId as string;
  const attA = attVpc(a, ['cn-hangzhou-h', 'cn-hangzhou-i']);
  const attB = attVpc(b, ['cn-hangzhou-h']);
  const cgw = call('CreateCustomerGateway', { IpAddress: '203.0.113.10' }).CustomerGatewayId as string;
  const vpn = (n: number, extra: Params = {}) => {
    const id = call('CreateVpnAttachment', { CustomerGatewayId: cgw, Name: `ecmp-${n}`, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0', InternetIp: `47.97.20.${n}`, ...extra }).VpnConnectionId as string;
    const att = call('CreateTransitRouterVpnAttachment', { TransitRouterId: tr, VpnId: id }).TransitRouterAttachmentId as string;
    return { id, att };
  };
  const route = (dest: string, att?: string) =>
    call('CreateTransitRouterRouteEntry', { TransitRouterRouteTableId: table, TransitRouterRouteEntryDestinationCidrBlock: dest, TransitRouterRouteEntryNextHopType: att ? 'Attachment' : 'BlackHole', ...(att ? { TransitRouterRouteEntryNextHopId: att } : {}) });
  return { cp, call, now, a, b, cen, tr, table, attA, attB, cgw, vpn, route };
}

const routeRows = (f: ReturnType<typeof lab>) => trRoutes(f.cp.model, f.table).map((r) => `${r.TransitRouterRouteEntryDestinationCidrBlock} ${r.TransitRouterRouteEntryType} ${r.TransitRouterRouteEntryOrigin} ${r.TransitRouterRouteEntryStatus}`);

describe('transit router: control plane', () => {
  it('F6: VPC attachments propagate their vSwitch CIDR blocks, never the 100.64.0.0/10 system route; the TR ENIs take vSwitch addresses', () => {
    const f = lab();
    expect(routeRows(f).sort()).toEqual(['10.1.1.0/24 Propagated VPC Active', '192.168.1.0/24 Propagated VPC Active', '192.168.2.0/24 Propagated VPC Active']);
    const eni = f.cp.model.trAttachments[0].ZoneMappings.map((z) => z.NetworkInterfaceIp);
    expect(eni).toEqual(['192.168.1.1', '192.168.2.1']);
    // The ENI's address is taken: an ECS cannot have it.
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'X', VSwitchId: f.a.vsws[0], PrivateIpAddress: '192.168.1.1' }, 'InvalidPrivateIpAddress.Duplicated');
  });

  it('F7: static routes to attachments of one destination are equal-cost; a 17th is refused and nothing changes', () => {
    const f = lab();
    const m = Array.from({ length: 17 }, (_, i) => f.vpn(i + 1));
    for (const x of m.slice(0, 16)) f.route('172.16.0.0/16', x.att);
    const e = expectFailure(f.cp, 'CreateTransitRouterRouteEntry', {
      TransitRouterRouteTableId: f.table, TransitRouterRouteEntryDestinationCidrBlock: '172.16.0.0/16', TransitRouterRouteEntryNextHopType: 'Attachment', TransitRouterRouteEntryNextHopId: m[16].att,
    }, 'QuotaExceeded.EcmpRoute', { param: 'TransitRouterRouteEntryNextHopId' });
    expect(e.message).toContain('at most 16');
    expect(routeRows(f).filter((r) => r.startsWith('172.16.0.0/16'))).toEqual(Array(16).fill('172.16.0.0/16 Static Static Active'));
    // The same destination and next hop twice is a duplicate.
    expectFailure(f.cp, 'CreateTransitRouterRouteEntry', {
      TransitRouterRouteTableId: f.table, TransitRouterRouteEntryDestinationCidrBlock: '172.16.0.0/16', TransitRouterRouteEntryNextHopType: 'Attachment', TransitRouterRouteEntryNextHopId: m[0].att,
    }, 'InvalidRouteEntry.Duplicated');
  });

  it('F7: learned routes of protected-data-flows connections: the first 16 Active, a 17th Standby; a static route wins over them', () => {
    const f = lab();
    for (let i = 1; i <= 17; i++) f.vpn(i, { LocalSubnet: '192.168.0.0/16', RemoteSubnet: '172.16.0.0/16' });
    const rows = routeRows(f).filter((r) => r.startsWith('172.16.0.0/16'));
    expect(rows.filter((r) => r.endsWith('Active'))).toHaveLength(16);
    expect(rows.filter((r) => r.endsWith('Standby'))).toEqual(['172.16.0.0/16 Propagated VPN Standby']);
    f.route('172.16.0.0/16');
    const after = routeRows(f).filter((r) => r.startsWith('172.16.0.0/16'));
    expect(after.filter((r) => r.endsWith('Active'))).toEqual(['172.16.0.0/16 Static Static Active']);
  });

  it('cloud service access: Creating for a second, then Active with its route through the host VPC; Failed without the attachment; only for 100.64.0.0/10', () => {
    const f = lab();
    const status = () => (f.call('DescribeRouteServicesInCen', { CenId: f.cen }).RouteServiceEntries as { RouteServiceEntry: { Status: string }[] }).RouteServiceEntry.map((s) => s.Status);
    f.call('ResolveAndRouteServiceInCen', { CenId: f.cen, Host: '100.118.28.0/24', HostRegionId: 'cn-hangzhou', HostVpcId: f.a.id, AccessRegionIds: ['cn-hangzhou'] as never });
    expect(status()).toEqual(['Creating']);
    f.now.t += 1500;
    expect(status()).toEqual(['Active']);
    expect(routeRows(f)).toContain('100.118.28.0/24 Static CloudService Active');
    expectFailure(f.cp, 'ResolveAndRouteServiceInCen', { CenId: f.cen, Host: '100.118.28.0/24', HostRegionId: 'cn-hangzhou', HostVpcId: f.a.id, AccessRegionIds: ['cn-hangzhou'] as never }, 'Forbidden.RouteServiceExists');
    expectFailure(f.cp, 'ResolveAndRouteServiceInCen', { CenId: f.cen, Host: '8.8.8.0/24', HostRegionId: 'cn-hangzhou', HostVpcId: f.a.id, AccessRegionIds: ['cn-hangzhou'] as never }, 'InvalidHost.NotCloudService', { param: 'Host' });
    // Through a VPC that is not attached: Failed, and no route.
    const c = f.call('CreateVpc', { CidrBlock: '10.9.0.0/16', VpcName: 'lone' }).VpcId as string;
    f.call('ResolveAndRouteServiceInCen', { CenId: f.cen, Host: '100.118.30.0/24', HostRegionId: 'cn-hangzhou', HostVpcId: c, AccessRegionIds: ['cn-hangzhou'] as never });
    expect(status()).toEqual(['Active', 'Failed']);
    expect(routeRows(f).some((r) => r.startsWith('100.118.30.0/24'))).toBe(false);
  });

  it('refusals with their codes, each changing nothing', () => {
    const f = lab();
    expectFailure(f.cp, 'CreateTransitRouterVpcAttachment', { TransitRouterId: f.tr, VpcId: f.a.id, ZoneMappings: [{ ZoneId: 'cn-hangzhou-h', VSwitchId: f.a.vsws[0] }] as never }, 'OperationDenied.AlreadyAttached', { param: 'VpcId' });
    expectFailure(f.cp, 'CreateTransitRouterVpcAttachment', { TransitRouterId: f.tr, VpcId: f.b.id, ZoneMappings: [{ ZoneId: 'cn-hangzhou-i', VSwitchId: f.b.vsws[0] }] as never }, 'OperationDenied.AlreadyAttached');
    expectFailure(f.cp, 'CreateTransitRouter', { CenId: f.cen }, 'QuotaExceeded.TransitRouter', { param: 'CenId' });
    expectFailure(f.cp, 'CreateTransitRouter', { CenId: 'cen-nope' }, 'InvalidCenInstanceId.NotFound', { param: 'CenId' });
    const x = f.vpn(1);
    // A VPC route to another VPC's attachment; then the right one, which pins the attachment.
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.a.rt, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'Attachment', NextHopId: f.attB }, 'OperationDenied.VpcNotMatch', { param: 'NextHopId' });
    f.call('CreateRouteEntry', { RouteTableId: f.a.rt, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'Attachment', NextHopId: f.attA });
    expectFailure(f.cp, 'DeleteTransitRouterVpcAttachment', { TransitRouterAttachmentId: f.attA }, 'DependencyViolation.RouteEntry');
    f.route('172.16.0.0/16', x.att);
    expectFailure(f.cp, 'DeleteTransitRouterVpnAttachment', { TransitRouterAttachmentId: x.att }, 'DependencyViolation.RouteEntry');
    expectFailure(f.cp, 'DeleteVpnConnection', { VpnConnectionId: x.id }, 'DependencyViolation.Attachment');
    expectFailure(f.cp, 'CreateTransitRouterRouteEntry', { TransitRouterRouteTableId: f.table, TransitRouterRouteEntryDestinationCidrBlock: '172.16.0.0/33', TransitRouterRouteEntryNextHopType: 'BlackHole' }, 'InvalidCidrBlock.Malformed');
    expectFailure(f.cp, 'CreateTransitRouterVpnAttachment', { TransitRouterId: f.tr, VpnId: x.id }, 'OperationDenied.AlreadyAttached');
    expectFailure(f.cp, 'DeleteTransitRouter', { TransitRouterId: f.tr }, 'DependencyViolation.Attachment');
  });

  it('a connection for a transit router has its own appliance host and downloads a configuration named after it', () => {
    const f = lab();
    const x = f.vpn(1);
    f.route('172.16.0.0/16', x.att);
    const h = labHosts(f.cp.model).find((s) => s.name === `${x.id}-t1`)!;
    expect([h.kind, h.ip, h.more, h.ipForward]).toEqual(['vpn-endpoint', '47.97.20.1', undefined, true]);
    const conf = (f.call('DownloadVpnConnectionConfig', { VpnConnectionId: x.id }).VpnConnectionConfig as { SwanctlConf: string }).SwanctlConf;
    expect(conf).toMatch(/^ {2}ecmp-1 \{$/m);
    expect(conf).toContain('remote_addrs = 47.97.20.1');
    // Destination routing: the IDC protects its LAN towards the VPCs the TR reaches.
    expect(conf).toMatch(/local_ts = 172\.16\.0\.0\/16$/m);
    expect(conf).toMatch(/remote_ts = 192\.168\.1\.0\/24,192\.168\.2\.0\/24,10\.1\.1\.0\/24$/m);
  });
});

describe('transit router: the data plane', () => {
  function built() {
    const f = lab();
    const m = [1, 2, 3, 4].map((i) => f.vpn(i));
    for (const x of m) f.route('172.16.0.0/16', x.att);
    f.route('172.17.0.0/16');
    f.call('CreateRouteEntry', { RouteTableId: f.a.rt, DestinationCidrBlock: '172.16.0.0/15', NextHopType: 'Attachment', NextHopId: f.attA });
    f.call('CreateRouteEntry', { RouteTableId: f.a.rt, DestinationCidrBlock: '10.0.0.0/8', NextHopType: 'Attachment', NextHopId: f.attA });
    f.call('CreateRouteEntry', { RouteTableId: f.b.rt, DestinationCidrBlock: '172.16.0.0/16', NextHopType: 'Attachment', NextHopId: f.attB });
    // A route in vpc-b back to the TR for vpc-a's range: what the TR sends into vpc-b for it would loop.
    f.call('CreateRouteEntry', { RouteTableId: f.b.rt, DestinationCidrBlock: '192.168.0.0/16', NextHopType: 'Attachment', NextHopId: f.attB });
    const ports = new Map(labHosts(f.cp.model).map((h, i) => [h.name, i + 1]));
    const out: { port: number; bytes: Buffer }[] = [];
    const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }));
    engine.load(compile(f.cp.model, (n) => ports.get(n), engine.counters));
    const up = (x: { id: string }) => engine.vpn.tunnels.setSa(f.cp.model.vpnConnections.find((c) => c.VpnConnectionId === x.id)!.Tunnels[0].TunnelId, { up: true, spiIn: 'c1', spiOut: 'c2' });
    const send = (from: string, pkt: Buffer) => {
      out.length = 0;
      engine.process(ports.get(from)!, pkt, 0, pkt.length);
      return out[0]?.port;
    };
    const appliance = (x: { id: string }) => ports.get(`${x.id}-t1`)!;
    return { f, m, engine, ports, up, send, appliance, out };
  }

  it('F7: no member up → dropped as tunnel down; then each flow to one member, all four used, the same flow always the same', () => {
    const b = built();
    expect(b.send('ECS-A', udp('192.168.1.10', '172.16.0.10', 5000, 53))).toBeUndefined();
    expect(b.engine.counters.snapshot().find((d) => d.device === b.f.cp.model.transitRouters[0].RouteTableId)?.drops['tunnel-down']).toBe(1);
    b.m.forEach(b.up);
    const used = new Set<number>();
    for (let p = 40000; p < 40064; p++) {
      const to = b.send('ECS-A', udp('192.168.1.10', '172.16.0.10', p, 53));
      expect(b.m.map(b.appliance)).toContain(to);
      expect(b.send('ECS-A', udp('192.168.1.10', '172.16.0.10', p, 53))).toBe(to);
      used.add(to!);
    }
    expect(used.size).toBe(4);
  });

  it('F7: a member whose tunnel goes down is left out at once, only its flows move', () => {
    const b = built();
    b.m.forEach(b.up);
    const before = new Map<number, number>();
    for (let p = 40000; p < 40100; p++) before.set(p, b.send('ECS-A', udp('192.168.1.10', '172.16.0.10', p, 53))!);
    const downId = b.f.cp.model.vpnConnections.find((c) => c.VpnConnectionId === b.m[1].id)!.Tunnels[0].TunnelId;
    b.engine.vpn.tunnels.setSa(downId, { up: false, spiIn: '', spiOut: '' });
    for (const [p, was] of before) {
      const now = b.send('ECS-A', udp('192.168.1.10', '172.16.0.10', p, 53));
      if (was === b.appliance(b.m[1])) expect(now).not.toBe(was);
      else expect(now).toBe(was);
    }
  });

  it('from the IDC over a connection: into the TR and on to either VPC; a blackhole and a loop back to the TR are dropped', () => {
    const b = built();
    b.m.forEach(b.up);
    expect(b.send(`${b.m[0].id}-t1`, udp('172.16.0.10', '10.1.1.10', 5000, 53))).toBe(b.ports.get('ECS-B'));
    expect(b.send(`${b.m[0].id}-t1`, udp('172.16.0.10', '192.168.1.10', 5000, 53))).toBe(b.ports.get('ECS-A'));
    expect(b.send('ECS-A', udp('192.168.1.10', '172.17.0.1', 5000, 53))).toBeUndefined();
    // vpc-a → TR → vpc-b for 10.1.9.9, whom no ECS holds there: dropped in vpc-b, not sent back.
    expect(b.send('ECS-A', udp('192.168.1.10', '10.1.9.9', 5000, 53))).toBeUndefined();
    // ECS-B's own route 192.168.0.0/16 → TR is fine from ECS-B itself.
    expect(b.send('ECS-B', icmpEcho('10.1.1.10', '192.168.1.10'))).toBe(b.ports.get('ECS-A'));
  });

  it('the appliance\'s own ICMP about the tunnel (frag needed) goes back through the TR to the VPC sender, its IKE to the Internet', () => {
    const b = built();
    b.m.forEach(b.up);
    const icmp = Buffer.alloc(20 + 8 + 28);
    icmp[20] = 3;
    icmp[21] = 4;
    emitIpv4(icmp, 0, { src: parseIp('47.97.20.1'), dst: parseIp('192.168.1.10'), protocol: IpProtocol.Icmp, payloadLength: 36, id: 1 });
    expect(b.send(`${b.m[0].id}-t1`, icmp)).toBe(b.ports.get('ECS-A'));
    expect(b.send(`${b.m[0].id}-t1`, udp('47.97.20.1', '203.0.113.10', 4500, 4500))).toBe(b.ports.get('idc-gw'));
  });

  it('F6: an IDC in 100.64.0.0/10 behind the TR reaches a PrivateLink endpoint; the reply goes back into the TR by the attachment the request came in by', () => {
    const f = lab();
    const cgw = f.call('CreateCustomerGateway', { IpAddress: '198.51.100.20' }).CustomerGatewayId as string;
    const id = f.call('CreateVpnAttachment', { CustomerGatewayId: cgw, LocalSubnet: '192.168.1.0/24', RemoteSubnet: '100.118.0.0/16', InternetIp: '47.97.21.1' }).VpnConnectionId as string;
    f.call('CreateTransitRouterVpnAttachment', { TransitRouterId: f.tr, VpnId: id });
    f.call('CreateVpcEndpoint', { EndpointType: 'Interface', ServiceName: 'com.aliyuncs.privatelink.cn-hangzhou.oss', VpcId: f.a.id, Zone: [{ ZoneId: 'cn-hangzhou-h', VSwitchId: f.a.vsws[0], ip: '192.168.1.60' }] as never });
    const ports = new Map(labHosts(f.cp.model).map((h, i) => [h.name, i + 1]));
    const out: { port: number; bytes: Buffer }[] = [];
    const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }));
    engine.load(compile(f.cp.model, (n) => ports.get(n), engine.counters));
    engine.vpn.tunnels.setSa(f.cp.model.vpnConnections.find((c) => c.VpnConnectionId === id)!.Tunnels[0].TunnelId, { up: true, spiIn: 'a', spiOut: 'b' });
    const req = udp('100.118.0.10', '192.168.1.60', 5000, 7);
    engine.process(ports.get(`${id}-t1`)!, req, 0, req.length);
    expect(out.map((o) => o.port)).toEqual([ports.get('OSS')]);
    const seen = out[0].bytes;
    const natPort = seen.readUInt16BE(20);
    expect([seen.readUInt32BE(12), seen.readUInt32BE(16)]).toEqual([parseIp('192.168.1.60'), parseIp('100.118.28.10')]);
    out.length = 0;
    const reply = udp('100.118.28.10', '192.168.1.60', 7, natPort);
    engine.process(ports.get('OSS')!, reply, 0, reply.length);
    expect(out.map((o) => o.port)).toEqual([ports.get(`${id}-t1`)]);
    expect([out[0].bytes.readUInt32BE(12), out[0].bytes.readUInt32BE(16), out[0].bytes.readUInt16BE(22)]).toEqual([parseIp('192.168.1.60'), parseIp('100.118.0.10'), 5000]);
  });
});
