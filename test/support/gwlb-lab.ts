// Seed 001's topology as a model for engine tests (SEMANTICS E10): a business VPC whose
// application subnets reach the Internet through an IPv4 gateway and GWLB endpoints, a
// security VPC with a GWLB (10.0.1.41) and two NVAs, an Internet client. The base is built
// with control-plane actions; the GWLB pieces are written into the model directly, so these
// tests exercise the data plane alone.

import { ControlPlane } from '../../src/main/cloud/control-plane';
import { compile } from '../../src/main/cloud/compile';
import { labHosts } from '../../src/main/cloud/lab-hosts';
import type { CloudModel, GwlbServerGroup, RouteEntry } from '../../src/main/cloud/model';
import { Engine } from '../../src/main/engine/dataplane';
import type { TraceRecord } from '../../src/main/engine/trace';
import type { Out } from './lab-model';

export const GWLB_IP = '10.0.1.41';
export const NVA = { ECS_01: '10.0.2.11', ECS_02: '10.0.2.12' } as const;
export const APP = { ECS_B_01: '192.168.1.153', ECS_C_01: '192.168.2.10' } as const;
export const EIP = { ECS_B_01: '47.96.10.1', ECS_C_01: '47.96.10.2' } as const;
export const CLIENT = '47.83.1.59';
export const INTERNET_HOST = '124.238.1.10';

export interface GwlbLab {
  model: CloudModel;
  ports: Map<string, number>;
  engine: Engine;
  out: Out[];
  /** The engine's clock, ms; tests move it. */
  clock: { now: number };
  ids: Record<string, string>;
  recompile(change?: (m: CloudModel) => void): void;
  send(host: string, pkt: Buffer): void;
  traces: TraceRecord[];
}

export function buildGwlbLab(opts: { rebalance?: boolean; scheduler?: GwlbServerGroup['Scheduler']; healthEnabled?: boolean } = {}): GwlbLab {
  const cp = new ControlPlane('t-gwlb-unit');
  const ids: Record<string, string> = {};
  const call = (a: string, p: Record<string, string | string[] | boolean>): Record<string, unknown> => cp.invoke(a, p);
  const vsw = (vpc: string, zone: string, cidr: string, name: string): string =>
    (ids[name] = call('CreateVSwitch', { VpcId: vpc, ZoneId: zone, CidrBlock: cidr, VSwitchName: name }).VSwitchId as string);
  const run = (name: string, vswId: string, ip: string): string =>
    (ids[name] = (call('RunInstances', { InstanceName: name, VSwitchId: vswId, PrivateIpAddress: ip }).InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]);

  const biz = call('CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'vpc-biz' });
  ids.biz = biz.VpcId as string;
  vsw(ids.biz, 'cn-wulanchabu-b', '192.168.1.0/24', 'vsw-app-b');
  vsw(ids.biz, 'cn-wulanchabu-c', '192.168.2.0/24', 'vsw-app-c');
  vsw(ids.biz, 'cn-wulanchabu-b', '192.168.10.0/24', 'vsw-gwlbe-b');
  vsw(ids.biz, 'cn-wulanchabu-c', '192.168.20.0/24', 'vsw-gwlbe-c');
  const sec = call('CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'vpc-sec' });
  ids.sec = sec.VpcId as string;
  vsw(ids.sec, 'cn-wulanchabu-b', '10.0.1.0/24', 'vsw-gwlb');
  vsw(ids.sec, 'cn-wulanchabu-b', '10.0.2.0/24', 'vsw-nva');
  run('ECS_B_01', ids['vsw-app-b'], APP.ECS_B_01);
  run('ECS_C_01', ids['vsw-app-c'], APP.ECS_C_01);
  run('ECS_01', ids['vsw-nva'], NVA.ECS_01);
  run('ECS_02', ids['vsw-nva'], NVA.ECS_02);
  for (const n of ['ECS_B_01', 'ECS_C_01'] as const) {
    const a = call('AllocateEipAddress', { IpAddress: EIP[n] }).AllocationId as string;
    call('AssociateEipAddress', { AllocationId: a, InstanceId: ids[n] });
  }
  call('CreateInternetHost', { HostName: 'client', IpAddress: CLIENT });
  call('CreateInternetHost', { HostName: 'aliyun-web', IpAddress: INTERNET_HOST });
  const table = (name: string, vswName: string): string => {
    const id = call('CreateRouteTable', { VpcId: ids.biz, RouteTableName: name }).RouteTableId as string;
    call('AssociateRouteTable', { RouteTableId: id, VSwitchId: ids[vswName] });
    return (ids[name] = id);
  };
  table('rt-app-b', 'vsw-app-b');
  table('rt-app-c', 'vsw-app-c');
  table('rt-gwlbe', 'vsw-gwlbe-b');
  call('AssociateRouteTable', { RouteTableId: ids['rt-gwlbe'], VSwitchId: ids['vsw-gwlbe-c'] });
  ids.igw = call('CreateIpv4Gateway', { VpcId: ids.biz, Ipv4GatewayName: 'igw' }).Ipv4GatewayId as string;
  call('EnableVpcIpv4Gateway', { Ipv4GatewayId: ids.igw, RouteTableList: [ids['rt-gwlbe']] });
  ids.gwrt = call('CreateRouteTable', { VpcId: ids.biz, AssociateType: 'Gateway', RouteTableName: 'rt-igw' }).RouteTableId as string;
  call('AssociateRouteTableWithGateway', { RouteTableId: ids.gwrt, GatewayId: ids.igw });

  // The GWLB pieces, as the control plane will make them (E1, E2, E10).
  const m = structuredClone(cp.model) as CloudModel;
  const t0 = new Date(0).toISOString();
  m.gwlbs.push({
    LoadBalancerId: 'gwlb-unit', LoadBalancerName: 'gwlb', VpcId: ids.sec, AddressIpVersion: 'Ipv4', TrafficMode: 'LoadBalance', CreateTime: t0,
    ZoneMappings: [{ ZoneId: 'cn-wulanchabu-b', VSwitchId: ids['vsw-gwlb'], LoadBalancerAddresses: [{ EniId: 'eni-gwlb', PrivateIpv4Address: GWLB_IP }] }],
  });
  m.serverGroups.push({
    ServerGroupId: 'sgp-unit', ServerGroupName: 'nvas', ServerGroupType: 'Instance', Protocol: 'GENEVE', Scheduler: opts.scheduler ?? '5TCH',
    ServerFailoverMode: opts.rebalance ? 'Rebalance' : 'NoRebalance', VpcId: ids.sec, CreateTime: t0,
    HealthCheckConfig: { HealthCheckEnabled: opts.healthEnabled ?? true, HealthCheckProtocol: 'TCP', HealthCheckConnectPort: 80, HealthCheckConnectTimeout: 1, HealthCheckInterval: 2, HealthyThreshold: 2, UnhealthyThreshold: 2 },
    ConnectionDrainConfig: { ConnectionDrainEnabled: false, ConnectionDrainTimeout: 300 },
    Servers: (['ECS_01', 'ECS_02'] as const).map((n) => ({ ServerId: ids[n], ServerIp: NVA[n], ServerType: 'Ecs' as const, Port: 6081 as const, Status: 'Available' as const })),
  });
  m.listeners.push({ ListenerId: 'lsn-unit', LoadBalancerId: 'gwlb-unit', ServerGroupId: 'sgp-unit', ListenerDescription: '', TcpIdleTimeout: 350, CreateTime: t0 });
  m.endpointServices.push({
    ServiceId: 'epsrv-unit', ServiceName: 'fw', ServiceDescription: '', ServiceResourceType: 'gwlb', ServiceType: 'GatewayLoadBalancer', AutoAcceptEnabled: true, CreateTime: t0,
    Resources: [{ ResourceId: 'gwlb-unit', ResourceType: 'gwlb', ZoneId: 'cn-wulanchabu-b' }],
  });
  const ep = (id: string, zone: string, vswName: string, ip: string): void =>
    void m.endpoints.push({ EndpointId: id, EndpointName: id, EndpointDescription: '', EndpointType: 'GatewayLoadBalancer', ServiceId: 'epsrv-unit', VpcId: ids.biz, ConnectionStatus: 'Connected', CreateTime: t0, Zone: { ZoneId: zone, VSwitchId: ids[vswName], EniId: `eni-${id}`, EniIp: ip } });
  ep('ep-gwlbe01', 'cn-wulanchabu-b', 'vsw-gwlbe-b', '192.168.10.5');
  ep('ep-gwlbe02', 'cn-wulanchabu-c', 'vsw-gwlbe-c', '192.168.20.5');
  const entry = (rt: string, dst: string, hop: string): RouteEntry => ({
    RouteEntryId: `rte-${rt}-${dst}`, RouteTableId: rt, DestinationCidrBlock: dst, NextHopType: 'GatewayLoadBalancerEndpoint', NextHopId: hop, RouteEntryName: '', Type: 'Custom', Status: 'Available',
  });
  const rt = (id: string) => m.routeTables.find((t) => t.RouteTableId === id)!;
  rt(ids['rt-app-b']).Entries.push(entry(ids['rt-app-b'], '0.0.0.0/0', 'ep-gwlbe01'));
  rt(ids['rt-app-c']).Entries.push(entry(ids['rt-app-c'], '0.0.0.0/0', 'ep-gwlbe02'));
  rt(ids.gwrt).Entries.push(entry(ids.gwrt, '192.168.1.0/24', 'ep-gwlbe01'), entry(ids.gwrt, '192.168.2.0/24', 'ep-gwlbe02'));

  const ports = new Map<string, number>();
  labHosts(m).forEach((h, i) => ports.set(h.name, i + 1));
  const out: Out[] = [];
  const clock = { now: 1_000_000 };
  const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }), () => clock.now);
  const traces: TraceRecord[] = [];
  engine.tracer.onRecord((r) => traces.push(structuredClone(r)));
  const lab: GwlbLab = {
    model: m, ports, engine, out, clock, ids, traces,
    recompile(change) {
      change?.(lab.model);
      engine.load(compile(lab.model, (n) => ports.get(n), engine.counters));
    },
    send(host, pkt) {
      engine.process(ports.get(host)!, pkt, 0, pkt.length);
    },
  };
  lab.recompile();
  return lab;
}

/** The name of the host a port belongs to. */
export function hostOf(lab: GwlbLab, port: number): string {
  for (const [n, p] of lab.ports) if (p === port) return n;
  return `port ${port}`;
}
