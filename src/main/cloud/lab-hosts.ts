// The hosts a cloud model implies: one namespace per ECS instance, per Internet host, per
// IDC host and router, one per cloud-side IPsec tunnel appliance (vpn-appliances.ts), and per VPC for its cloud-service address (the VPC DNS at
// 100.100.2.136, SEMANTICS F6). The runtime reconciles namespaces with this list; compile.ts wires their ports.

import { DEFAULT_PORTS } from '../services/kinds';
import { gatewayOf, cidrOf } from './cidr';
import type { CloudModel, LabService } from './model';
import { ipToString } from '../engine/wire/ipv4';
import type { HostAddress, HostKind } from '../host/host';
import { vpnAppliances } from './vpn-appliances';

export const VPC_DNS = '100.100.2.136';
/** The lab's public resolver, as in the tutorials' `nameserver 8.8.8.8`. */
export const PUBLIC_DNS = '8.8.8.8';

export interface LabHostSpec {
  name: string;
  kind: HostKind;
  ip: string;
  prefixLen: number;
  /** More addresses on the same TUN: an IDC router's LAN address beside its public one. */
  more?: HostAddress[];
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
  for (const site of model.idcSites) {
    const len = cidrOf(site.CidrBlock).len;
    const g = site.Gateway;
    // The router routes (ip_forward): LAN ↔ its tunnels; its default route is the Internet.
    hosts.push({ name: g.HostName, kind: 'idc-gateway', ip: g.PublicIp, prefixLen: 32, more: [{ ip: g.LanIp, prefixLen: len }], ipForward: true, resolvers: [PUBLIC_DNS], services: g.Services, mtu: 1500 });
    for (const h of site.Hosts) {
      hosts.push({ name: h.HostName, kind: 'idc', ip: h.IpAddress, prefixLen: len, gateway: g.LanIp, ipForward: false, resolvers: [PUBLIC_DNS], services: h.Services, mtu: 1500 });
    }
  }
  for (const a of vpnAppliances(model)) {
    // A tunnel endpoint appliance: charon on its public address; what it decrypts it forwards
    // (ip_forward) to its default route: the VPC for a VPN gateway's (its vSwitch leg), the
    // transit router for a TR connection's (its one address).
    const vsw = model.vswitches.find((v) => v.VSwitchId === a.VSwitchId);
    hosts.push({
      name: a.host, kind: 'vpn-endpoint', ip: a.InternetIp, prefixLen: 32,
      ...(a.PrivateIpAddress ? { more: [{ ip: a.PrivateIpAddress, prefixLen: vsw ? cidrOf(vsw.CidrBlock).len : 32 }] } : {}),
      ipForward: true, resolvers: [VPC_DNS], services: [{ Kind: 'strongswan', Port: DEFAULT_PORTS.strongswan }], ...(a.vpcId ? { vpcId: a.vpcId } : {}), mtu: 1500,
    });
  }
  for (const s of model.cloudServices) {
    hosts.push({ name: s.HostName, kind: 'service', ip: s.IpAddress, prefixLen: 32, ipForward: false, resolvers: [VPC_DNS], services: s.Services, mtu: 1500 });
  }
  for (const v of model.vpcs) {
    hosts.push({ name: serviceHostName(model, v.VpcId), kind: 'service', ip: VPC_DNS, prefixLen: 32, ipForward: false, resolvers: [VPC_DNS], services: [{ Kind: 'dns', Port: DEFAULT_PORTS.dns }], vpcId: v.VpcId, mtu: 1500 });
  }
  return hosts;
}
