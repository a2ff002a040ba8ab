// The hosts a cloud model implies: one namespace per ECS instance, per Internet host, and
// per VPC for its cloud-service address (the VPC DNS at 100.100.2.136, SEMANTICS F6). The
// runtime reconciles namespaces with this list; compile.ts wires their ports.

import { DEFAULT_PORTS } from '../services/kinds';
import { gatewayOf, cidrOf } from './cidr';
import type { CloudModel, LabService } from './model';
import { ipToString } from '../engine/wire/ipv4';

export const VPC_DNS = '100.100.2.136';
/** The lab's public resolver, as in the tutorials' `nameserver 8.8.8.8`. */
export const PUBLIC_DNS = '8.8.8.8';

export interface LabHostSpec {
  name: string;
  kind: 'ecs' | 'internet' | 'service';
  ip: string;
  prefixLen: number;
  gateway?: string;
  ipForward: boolean;
  resolvers: string[];
  services: LabService[];
  vpcId?: string;
  /** The TUN's MTU: 1500, or 8500 for an ECS run with `Mtu=8500` (an NVA behind a GWLB, SEMANTICS E6). */
  mtu: number;
}

export function serviceHostName(model: CloudModel, vpcId: string): string {
  return `vpcdns-${model.vpcs.findIndex((v) => v.VpcId === vpcId) + 1}`;
}

/** Names serviceHostName hands out; lab hosts may not take them (host names key namespaces). */
export const isServiceHostName = (name: string): boolean => /^vpcdns-[0-9]+$/.test(name);

export function labHosts(model: CloudModel): LabHostSpec[] {
  const hosts: LabHostSpec[] = [];
  for (const i of model.instances) {
    const vsw = model.vswitches.find((v) => v.VSwitchId === i.VSwitchId)!;
    const c = cidrOf(vsw.CidrBlock);
    hosts.push({
      name: i.InstanceName, kind: 'ecs', ip: i.PrivateIpAddress, prefixLen: c.len, gateway: ipToString(gatewayOf(c)),
      ipForward: i.IpForward, resolvers: [VPC_DNS], services: i.Services, vpcId: i.VpcId, mtu: i.Mtu ?? 1500,
    });
  }
  for (const h of model.internetHosts) {
    hosts.push({ name: h.HostName, kind: 'internet', ip: h.IpAddress, prefixLen: 32, ipForward: false, resolvers: [PUBLIC_DNS], services: h.Services, mtu: 1500 });
  }
  for (const v of model.vpcs) {
    hosts.push({ name: serviceHostName(model, v.VpcId), kind: 'service', ip: VPC_DNS, prefixLen: 32, ipForward: false, resolvers: [VPC_DNS], services: [{ Kind: 'dns', Port: DEFAULT_PORTS.dns }], vpcId: v.VpcId, mtu: 1500 });
  }
  return hosts;
}
