// A scenario's topology as the control-plane calls that build it, and the name → ID
// translation that lets scenario steps say `RouteTableId: rt-a` or `InstanceId: ECS-B`
// where the API wants `vtb-…`/`i-…`. Building through actions means a lab from a file and
// a lab typed in with `vpclab api` go through exactly the same code.

import type { CloudModel } from '../cloud/model';
import type { ParamValue, Params } from '../cloud/params';
import type { Scenario, SourcePos } from '../scenario/types';

export interface PlannedAction {
  action: string;
  params: Params;
  pos: SourcePos;
}

export function topologyActions(s: Scenario): PlannedAction[] {
  const out: PlannedAction[] = [];
  const add = (action: string, params: Params, pos: SourcePos): void => void out.push({ action, params, pos });
  for (const vpc of s.vpcs) {
    add('CreateVpc', { CidrBlock: vpc.cidr, VpcName: vpc.name }, vpc.pos);
    for (const v of vpc.vswitches) add('CreateVSwitch', { VpcId: vpc.name, ZoneId: v.zone ?? 'cn-hangzhou-j', CidrBlock: v.cidr, VSwitchName: v.name }, v.pos);
    for (const t of vpc.routeTables) {
      add('CreateRouteTable', { VpcId: vpc.name, RouteTableName: t.name }, t.pos);
      for (const v of t.vswitches) add('AssociateRouteTable', { RouteTableId: t.name, VSwitchId: v }, t.pos);
    }
  }
  for (const h of s.internet) {
    const svc = JSON.stringify(h.services.map((x) => ({ Kind: x.kind, Port: x.port, Body: x.body })));
    add('CreateInternetHost', { HostName: h.name, IpAddress: h.ip, Services: svc, DnsNames: h.names, PtrName: h.ptr }, h.pos);
  }
  for (const c of s.cnames) add('CreateCnameRecord', { Name: c.name, Target: c.target }, c.pos);
  for (const e of s.ecs) {
    const svc = JSON.stringify(e.services.map((x) => ({ Kind: x.kind, Port: x.port, Body: x.body })));
    add('RunInstances', { InstanceName: e.name, VSwitchId: e.vswitch, PrivateIpAddress: e.ip, IpForward: e.ipForward, Services: svc }, e.pos);
    if (e.eip) {
      add('AllocateEipAddress', { IpAddress: e.eip, Name: `${e.name}-eip` }, e.pos);
      add('AssociateEipAddress', { AllocationId: e.eip, InstanceId: e.name }, e.pos);
    }
  }
  for (const vpc of s.vpcs) {
    const entry = (table: string) => (r: Scenario['vpcs'][number]['systemRoutes'][number]) =>
      add('CreateRouteEntry', { RouteTableId: table, DestinationCidrBlock: r.destination, NextHopType: r.nextHopType ?? 'Instance', NextHopId: r.nextHop }, r.pos);
    vpc.systemRoutes.forEach(entry(`${vpc.name}:system`));
    for (const t of vpc.routeTables) t.entries.forEach(entry(t.name));
  }
  return out;
}

/**
 * Replace names by IDs in `…Id` parameters (and ID lists): a VPC, vSwitch, route table,
 * instance, Internet host, IPv4 or NAT gateway (and a NAT gateway's SNAT/DNAT tables and
 * entries) by its name, an EIP by its name or address, and a VPC's system
 * route table as `<vpc-name>:system` (or `system` when the lab has one VPC). Values that
 * are already IDs, or name nothing, pass through for the action to judge.
 */
export function resolveParams(model: CloudModel, params: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    const value = v as ParamValue;
    if (!/Id$|IdList$|List$/.test(k)) out[k] = value;
    else if (Array.isArray(value)) out[k] = value.map((x) => resolveName(model, String(x), k));
    // A list typed on the command line arrives as `rt-a,rt-b`.
    else if (typeof value === 'string' && /List$/.test(k)) out[k] = value.split(',').map((x) => resolveName(model, x.trim(), k));
    else if (typeof value === 'string') out[k] = resolveName(model, value, k);
    else out[k] = value;
  }
  return out;
}

export function resolveName(model: CloudModel, v: string, key?: string): string {
  // A NAT gateway's name also stands for its SNAT and DNAT tables.
  const ngw = model.natGateways.find((x) => x.Name === v);
  if (ngw && key === 'SnatTableId') return ngw.SnatTableId;
  if (ngw && key === 'ForwardTableId') return ngw.ForwardTableId;
  const sys = /^(?:(.+):)?system$/.exec(v);
  if (sys) {
    const vpc = sys[1] === undefined ? (model.vpcs.length === 1 ? model.vpcs[0] : undefined) : model.vpcs.find((x) => x.VpcName === sys[1]);
    if (vpc) return vpc.RouteTableId;
  }
  const hit =
    model.vpcs.find((x) => x.VpcName === v)?.VpcId ??
    model.vswitches.find((x) => x.VSwitchName === v)?.VSwitchId ??
    model.routeTables.find((x) => x.RouteTableName === v)?.RouteTableId ??
    model.instances.find((x) => x.InstanceName === v)?.InstanceId ??
    model.eips.find((x) => x.Name === v || x.IpAddress === v)?.AllocationId ??
    model.internetHosts.find((x) => x.HostName === v)?.HostId ??
    model.ipv4Gateways.find((x) => x.Ipv4GatewayName === v)?.Ipv4GatewayId ??
    ngw?.NatGatewayId ??
    model.natGateways.flatMap((g) => g.SnatEntries).find((e) => e.SnatEntryName === v)?.SnatEntryId ??
    model.natGateways.flatMap((g) => g.ForwardEntries).find((e) => e.ForwardEntryName === v)?.ForwardEntryId ??
    model.routeTables.flatMap((t) => t.Entries).find((e) => e.RouteEntryName === v)?.RouteEntryId;
  return hit ?? v;
}
