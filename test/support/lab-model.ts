// A small lab built through the control plane, as a scenario would: the seed 004 layout
// (SEMANTICS B5.4) plus an ECS without EIP and a few Internet hosts.

import { ControlPlane } from '../../src/main/cloud/control-plane';
import { compile } from '../../src/main/cloud/compile';
import { labHosts } from '../../src/main/cloud/lab-hosts';
import { Engine } from '../../src/main/engine/dataplane';

export interface BuiltLab {
  cp: ControlPlane;
  ids: Record<string, string>;
  ports: Map<string, number>;
}

export function buildLab(): BuiltLab {
  const cp = new ControlPlane('t-unit');
  const ids: Record<string, string> = {};
  const call = (a: string, p: Record<string, string>): Record<string, unknown> => cp.invoke(a, p);
  const vpc = call('CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'vpc-lab' });
  ids.vpc = vpc.VpcId as string;
  ids.systemRt = vpc.RouteTableId as string;
  ids.vswA = call('CreateVSwitch', { VpcId: ids.vpc, ZoneId: 'ap-northeast-1a', CidrBlock: '192.168.0.0/24' }).VSwitchId as string;
  ids.vswB = call('CreateVSwitch', { VpcId: ids.vpc, ZoneId: 'ap-northeast-1b', CidrBlock: '192.168.1.0/24' }).VSwitchId as string;
  ids.rtA = call('CreateRouteTable', { VpcId: ids.vpc, RouteTableName: 'rt-a' }).RouteTableId as string;
  call('AssociateRouteTable', { RouteTableId: ids.rtA, VSwitchId: ids.vswA });
  const run = (name: string, vsw: string, ip: string): string =>
    (call('RunInstances', { InstanceName: name, VSwitchId: vsw, PrivateIpAddress: ip }).InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0];
  ids.ecsA = run('ECS-A', ids.vswA, '192.168.0.1');
  ids.ecsB = run('ECS-B', ids.vswB, '192.168.1.1');
  ids.ecsC = run('ECS-C', ids.vswB, '192.168.1.2');
  for (const [name, addr, inst] of [['eipA', '47.91.0.10', ids.ecsA], ['eipB', '47.91.0.11', ids.ecsB]] as const) {
    ids[name] = call('AllocateEipAddress', { IpAddress: addr }).AllocationId as string;
    call('AssociateEipAddress', { AllocationId: ids[name], InstanceId: inst });
  }
  call('CreateInternetHost', { HostName: 'google-dns', IpAddress: '8.8.8.8', Services: 'dns', PtrName: 'dns.google' });
  call('CreateInternetHost', { HostName: 'google-dns2', IpAddress: '8.8.4.4', Services: 'dns' });
  call('CreateInternetHost', { HostName: 'client', IpAddress: '47.83.1.59' });
  const ports = new Map<string, number>();
  labHosts(cp.model).forEach((h, i) => ports.set(h.name, i + 1));
  return { cp, ids, ports };
}

export interface Out {
  port: number;
  bytes: Buffer;
}

/** An engine on the lab's current model whose sink records copies of what it emits. */
export function engineFor(lab: BuiltLab): { engine: Engine; out: Out[]; recompile: () => void } {
  const out: Out[] = [];
  const engine = new Engine((port, buf, off, len) => out.push({ port, bytes: Buffer.from(buf.subarray(off, off + len)) }), () => 1_000);
  const recompile = (): void => engine.load(compile(lab.cp.model, (n) => lab.ports.get(n), engine.counters));
  recompile();
  return { engine, out, recompile };
}
