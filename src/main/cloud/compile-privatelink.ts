// Model → the PrivateLink part of ForwardingState: every zone of every interface endpoint as
// an ENI the engine translates at (engine/privatelink/), with the cloud service behind it and
// the route table its replies are routed by.

import type { Counters } from '../engine/counters';
import type { RouteTableFw } from '../engine/forwarding';
import { emptyPrivateLink, type PlEniFw, type PlServiceFw, type PrivateLinkFw } from '../engine/privatelink/fw';
import { parseIp } from '../engine/wire/ipv4';
import { managedService } from './actions/privatelink-services';
import type { FilterCompiler } from './compile-filter';
import type { CloudModel } from './model';

export function compilePrivateLink(
  model: CloudModel, vpcIndexOf: (id: string) => number, tables: Map<string, RouteTableFw>, portOf: (hostName: string) => number | undefined, counters: Counters,
  filters: FilterCompiler,
): PrivateLinkFw {
  const out = emptyPrivateLink();
  for (const ep of model.interfaceEndpoints) {
    const cs = managedService(model, ep.ServiceId)?.cloud;
    const port = cs === undefined ? undefined : portOf(cs.HostName);
    const service: PlServiceFw | null = cs !== undefined && port !== undefined ? { name: cs.HostName, ip: parseIp(cs.IpAddress), port } : null;
    for (const z of ep.Zones) {
      const vsw = model.vswitches.find((v) => v.VSwitchId === z.VSwitchId);
      const eni: PlEniFw = {
        endpointId: ep.EndpointId, eniId: z.EniId, device: counters.device(ep.EndpointId), vpc: vpcIndexOf(ep.VpcId), ip: parseIp(z.EniIp),
        table: (vsw && tables.get(vsw.RouteTableId)) ?? null, service, key: -1, sameAddr: null,
        // An interface endpoint's ENI has its security groups and its vSwitch's ACL too (ACL1).
        filter: filters.forEni(ep.SecurityGroupIds, z.VSwitchId),
      };
      eni.sameAddr = out.byAddr.get(eni.ip) ?? null;
      out.byAddr.set(eni.ip, eni);
      out.enis.push(eni);
    }
  }
  return out;
}
