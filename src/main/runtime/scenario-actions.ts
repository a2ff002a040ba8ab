// A scenario's topology as the control-plane calls that build it, and the name → ID
// translation that lets scenario steps say `RouteTableId: rt-a` or `InstanceId: ECS-B`
// where the API wants `vtb-…`/`i-…`. Building through actions means a lab from a file and
// a lab typed in with `vpclab api` go through exactly the same code.

import { managedServices } from '../cloud/actions/privatelink-services';
import { ApiError, quoted } from '../cloud/errors';
import type { CloudModel } from '../cloud/model';
import type { ParamObject, ParamValue, Params } from '../cloud/params';
import type { Scenario, ServiceSpec, SourcePos } from '../scenario/types';

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
    add('CreateInternetHost', { HostName: h.name, IpAddress: h.ip, Services: services(h.services), DnsNames: h.names, PtrName: h.ptr }, h.pos);
  }
  for (const site of s.idcs) {
    const g = site.gateway;
    add('CreateIdcSite', { SiteName: site.name, CidrBlock: site.cidr, GatewayName: g.name, GatewayPublicIp: g.publicIp, GatewayLanIp: g.lanIp }, site.pos);
    for (const h of site.hosts) add('CreateIdcHost', { SiteId: site.name, HostName: h.name, IpAddress: h.ip, Services: services(h.services) }, h.pos);
  }
  for (const c of s.cloudServices) add('CreateCloudService', { HostName: c.name, IpAddress: c.ip, DomainNames: c.names, Services: services(c.services) }, c.pos);
  for (const c of s.cnames) add('CreateCnameRecord', { Name: c.name, Target: c.target }, c.pos);
  securityActions(s, add);
  for (const e of s.ecs) {
    const groups = (e.securityGroups ?? []).length > 0 ? { SecurityGroupIds: e.securityGroups } : {};
    add('RunInstances', { InstanceName: e.name, VSwitchId: e.vswitch, PrivateIpAddress: e.ip, IpForward: e.ipForward, Services: services(e.services), Mtu: e.mtu, ...groups }, e.pos);
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
 * Security groups and network ACLs, before the instances that join them: every group first,
 * then each group's internal access and rules (a rule may name any group as its peer), then
 * the ACLs with their entries and vSwitches.
 */
function securityActions(s: Scenario, add: (action: string, params: Params, pos: SourcePos) => void): void {
  const groups = s.securityGroups ?? [];
  for (const g of groups) add('CreateSecurityGroup', { VpcId: g.vpc, SecurityGroupName: g.name, SecurityGroupType: g.type }, g.pos);
  for (const g of groups) {
    if (g.innerAccess !== undefined && g.type === 'normal' && g.innerAccess === 'drop') {
      add('ModifySecurityGroupPolicy', { SecurityGroupId: g.name, InnerAccessPolicy: 'Drop' }, g.pos);
    }
    for (const r of g.rules) {
      const ingress = r.direction === 'ingress';
      add(ingress ? 'AuthorizeSecurityGroup' : 'AuthorizeSecurityGroupEgress', {
        SecurityGroupId: g.name, IpProtocol: r.protocol, PortRange: r.ports ?? '-1/-1', Policy: r.policy, Priority: r.priority, Description: r.description,
        ...(ingress ? { SourceCidrIp: r.source, SourceGroupId: r.sourceGroup } : { DestCidrIp: r.dest, DestGroupId: r.destGroup }),
      }, r.pos);
    }
  }
  for (const a of s.networkAcls ?? []) {
    add('CreateNetworkAcl', { VpcId: a.vpc, NetworkAclName: a.name }, a.pos);
    const entry = (e: Scenario['networkAcls'][number]['ingress'][number], peer: 'SourceCidrIp' | 'DestinationCidrIp'): ParamObject => ({
      Policy: e.policy, Protocol: e.protocol, [peer]: peer === 'SourceCidrIp' ? e.source : e.dest, Port: e.ports ?? '-1/-1', NetworkAclEntryName: e.name,
    });
    if (a.ingress.length > 0 || a.egress.length > 0) {
      add('UpdateNetworkAclEntries', {
        NetworkAclId: a.name,
        ...(a.ingress.length > 0 ? { UpdateIngressAclEntries: true, IngressAclEntries: a.ingress.map((e) => entry(e, 'SourceCidrIp')) } : {}),
        ...(a.egress.length > 0 ? { UpdateEgressAclEntries: true, EgressAclEntries: a.egress.map((e) => entry(e, 'DestinationCidrIp')) } : {}),
      }, a.pos);
    }
    if (a.vswitches.length > 0) add('AssociateNetworkAcl', { NetworkAclId: a.name, Resource: a.vswitches.map((v) => ({ ResourceId: v, ResourceType: 'VSwitch' })) }, a.pos);
  }
}

/** The lab-only Services parameter, as JSON (bodies may hold commas). */
const services = (list: ServiceSpec[]): string => JSON.stringify(list.map((x) => ({ Kind: x.kind, Port: x.port, Body: x.body })));

/**
 * Replace names by IDs in `…Id` parameters (and ID lists): a VPC, vSwitch, route table,
 * instance, Internet host, IPv4 or NAT gateway (and a NAT gateway's SNAT/DNAT tables and
 * entries), GWLB, server group, listener, endpoint service or endpoint by its name, an EIP by
 * its name or address, a VPN gateway, customer gateway or IPsec connection by its name (also
 * as a VPN route's `NextHop`), and a VPC's system route table as `<vpc-name>:system` (or `system`
 * when the lab has one VPC). The `…Id` fields of list-of-objects and object parameters
 * (`Servers[].ServerId`, `ZoneMappings[].VSwitchId`), in any of their forms (a JSON value,
 * JSON text, `Servers.1.ServerId`), are resolved too. Values that are already IDs, or name
 * nothing, pass through for the action to judge.
 */
export function resolveParams(model: CloudModel, params: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out[k] = resolveValue(model, k, v as ParamValue);
  }
  return out;
}

/** The parameter or field whose kinds a key takes: `Servers.1.ServerId` → ServerId, `InstanceId.2` → InstanceId. */
const idKey = (k: string): string => k.split('.').filter((s) => !/^[0-9]+$/.test(s)).pop() ?? k;

const isPlainObject = (v: unknown): v is ParamObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveValue(model: CloudModel, k: string, value: ParamValue): ParamValue {
  if (Array.isArray(value) && value.some(isPlainObject)) return (value as ParamObject[]).map((o) => resolveObject(model, o));
  if (isPlainObject(value)) return resolveObject(model, value);
  // JSON text from the command line (`--Servers '[{"ServerId":"NVA-1",…}]'`) stays text.
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    const parsed = parseJson(value);
    if (parsed !== undefined && (isPlainObject(parsed) || (Array.isArray(parsed) && parsed.some(isPlainObject)))) {
      const r = resolveValue(model, k, parsed as ParamValue);
      return JSON.stringify(r) === JSON.stringify(parsed) ? value : JSON.stringify(r);
    }
  }
  const key = idKey(k);
  // NextHop: a VPN gateway route's connection (CreateVpnRouteEntry), the one ID without the suffix.
  if (!/Id$|IdList$|List$|Ids$/.test(key) && key !== 'NextHop') return value;
  if (Array.isArray(value)) return value.map((x) => resolveName(model, String(x), key));
  // A list typed on the command line arrives as `rt-a,rt-b`.
  if (typeof value === 'string' && /List$|Ids$/.test(key)) return value.split(',').map((x) => resolveName(model, x.trim(), key));
  if (typeof value === 'string') return resolveName(model, value, key);
  return value;
}

function resolveObject(model: CloudModel, o: ParamObject): ParamObject {
  if (!isPlainObject(o)) return o;
  return Object.fromEntries(Object.entries(o).map(([f, x]) => [f, typeof x === 'string' && /Id$/.test(f) ? resolveName(model, x, f) : x]));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // the action reports it, naming the parameter
  }
}

/** The ID prefixes a parameter takes, so a name shared by two kinds of resource picks the right one. */
const KINDS_OF: Record<string, readonly string[]> = {
  VpcId: ['vpc'], VpcIds: ['vpc'], VSwitchId: ['vsw'], SourceVSwitchId: ['vsw'],
  RouteTableId: ['vtb'], GatewayRouteTableId: ['vtb'], IPv4GatewayRouteTableId: ['vtb'], RouteTableList: ['vtb'],
  InstanceId: ['i', 'ngw'], SourceInstanceId: ['i'], AllocationId: ['eip'], HostId: ['ih'],
  Ipv4GatewayId: ['ipv4gw'], GatewayId: ['ipv4gw'], NatGatewayId: ['ngw'],
  SnatTableId: ['stb'], ForwardTableId: ['ftb'], SnatEntryId: ['snat'], ForwardEntryId: ['fwd'], RouteEntryId: ['rte'],
  LoadBalancerId: ['gwlb'], LoadBalancerIds: ['gwlb'], ResourceId: ['gwlb', 'vsw'], ServerGroupId: ['sgp'], ServerGroupIds: ['sgp'],
  ListenerId: ['lsn'], ListenerIds: ['lsn'], ServerId: ['i'], ServerIds: ['i'], ServiceId: ['epsrv'], EndpointId: ['ep'],
  SiteId: ['idc'], ZoneId: [], ZoneIds: [],
  VpnGatewayId: ['vpn'], CustomerGatewayId: ['cgw'], VpnConnectionId: ['vco'], NextHop: ['vco'],
  CenId: ['cen'], TransitRouterId: ['tr'], TransitRouterAttachmentId: ['tr-attach'], TransitRouterRouteTableId: ['vtb'],
  TransitRouterRouteEntryNextHopId: ['tr-attach'], TransitRouterRouteEntryId: ['rte'], VpnId: ['vco'], HostVpcId: ['vpc'],
  SecurityGroupId: ['sg'], SecurityGroupIds: ['sg'], SourceGroupId: ['sg'], DestGroupId: ['sg'], SecurityGroupRuleId: ['sgr'],
  NetworkAclId: ['nacl'], NetworkAclEntryId: ['nae'],
};

/** Every resource that `v` names: [ID, what it is]. */
function named(model: CloudModel, v: string, key?: string): [string, string][] {
  const out: [string, string][] = [];
  const add = (id: string | undefined, what: string): void => void (id !== undefined && out.push([id, what]));
  // A NAT gateway's name also stands for its SNAT and DNAT tables.
  for (const g of model.natGateways.filter((x) => x.Name === v)) {
    if (key === 'SnatTableId') add(g.SnatTableId, `SNAT table of NAT gateway ${v}`);
    else if (key === 'ForwardTableId') add(g.ForwardTableId, `DNAT table of NAT gateway ${v}`);
    else add(g.NatGatewayId, `NAT gateway ${v}`);
  }
  // A GWLB's name also stands for its one listener, and for the endpoint services it serves.
  for (const lb of model.gwlbs.filter((x) => x.LoadBalancerName === v)) {
    if (key === 'ListenerId') {
      for (const l of model.listeners.filter((x) => x.LoadBalancerId === lb.LoadBalancerId)) add(l.ListenerId, `listener of GWLB ${v}`);
    } else if (key === 'ServiceId') {
      for (const es of model.endpointServices.filter((x) => x.Resources.some((r) => r.ResourceId === lb.LoadBalancerId))) add(es.ServiceId, `endpoint service of GWLB ${v}`);
    } else {
      add(lb.LoadBalancerId, `GWLB ${v}`);
    }
  }
  const sys = /^(?:(.+):)?system$/.exec(v);
  if (sys) {
    const vpc = sys[1] === undefined ? (model.vpcs.length === 1 ? model.vpcs[0] : undefined) : model.vpcs.find((x) => x.VpcName === sys[1]);
    add(vpc?.RouteTableId, `system route table of ${vpc?.VpcName}`);
  }
  for (const x of model.vpcs) if (x.VpcName === v) add(x.VpcId, `VPC ${v}`);
  for (const x of model.vswitches) if (x.VSwitchName === v) add(x.VSwitchId, `vSwitch ${v}`);
  for (const x of model.routeTables) if (x.RouteTableName === v) add(x.RouteTableId, `route table ${v}`);
  for (const x of model.instances) if (x.InstanceName === v) add(x.InstanceId, `ECS ${v}`);
  for (const x of model.eips) if (x.Name === v || x.IpAddress === v) add(x.AllocationId, `EIP ${x.IpAddress}`);
  for (const x of model.internetHosts) if (x.HostName === v) add(x.HostId, `Internet host ${v}`);
  for (const x of model.idcSites) if (x.SiteName === v) add(x.SiteId, `IDC ${v}`);
  for (const x of model.ipv4Gateways) if (x.Ipv4GatewayName === v) add(x.Ipv4GatewayId, `IPv4 gateway ${v}`);
  for (const g of model.natGateways) {
    for (const e of g.SnatEntries) if (e.SnatEntryName === v) add(e.SnatEntryId, `SNAT entry ${v}`);
    for (const e of g.ForwardEntries) if (e.ForwardEntryName === v) add(e.ForwardEntryId, `DNAT entry ${v}`);
  }
  for (const t of model.routeTables) for (const e of t.Entries) if (e.RouteEntryName === v) add(e.RouteEntryId, `route entry ${v} of ${t.RouteTableId}`);
  for (const x of model.serverGroups) if (x.ServerGroupName === v) add(x.ServerGroupId, `server group ${v}`);
  // Listeners and endpoint services have no name in the API: their descriptions stand in.
  for (const x of model.listeners) if (x.ListenerDescription === v) add(x.ListenerId, `listener ${v}`);
  for (const x of model.endpointServices) if (x.ServiceDescription === v || x.ServiceName === v) add(x.ServiceId, `endpoint service ${v}`);
  for (const x of model.endpoints) if (x.EndpointName === v) add(x.EndpointId, `GWLB endpoint ${v}`);
  for (const x of model.interfaceEndpoints) if (x.EndpointName === v) add(x.EndpointId, `interface endpoint ${v}`);
  // A cloud service's host name (OSS), or the managed service's name, stands for the managed endpoint service.
  for (const x of managedServices(model)) if (key === 'ServiceId' && (x.cloud.HostName === v || x.ServiceName === v)) add(x.ServiceId, `endpoint service of ${v}`);
  for (const x of model.vpnGateways) if (x.Name === v) add(x.VpnGatewayId, `VPN gateway ${v}`);
  for (const x of model.customerGateways) if (x.Name === v) add(x.CustomerGatewayId, `customer gateway ${v}`);
  for (const x of model.vpnConnections) if (x.Name === v) add(x.VpnConnectionId, `IPsec connection ${v}`);
  for (const x of model.cens) if (x.Name === v) add(x.CenId, `CEN ${v}`);
  // A transit router's name also stands for its route table.
  for (const x of model.transitRouters) if (x.TransitRouterName === v) add(key === 'TransitRouterRouteTableId' ? x.RouteTableId : x.TransitRouterId, `transit router ${v}`);
  for (const x of model.trAttachments) if (x.TransitRouterAttachmentName === v) add(x.TransitRouterAttachmentId, `transit router attachment ${v}`);
  for (const x of model.trRouteEntries) if (x.TransitRouterRouteEntryName === v) add(x.TransitRouterRouteEntryId, `transit router route ${v}`);
  for (const x of model.securityGroups) if (x.SecurityGroupName === v) add(x.SecurityGroupId, `security group ${v}`);
  // A rule has no name in the API: its description stands in (`RevokeSecurityGroup SecurityGroupRuleId: allow-ssh`).
  for (const g of model.securityGroups) for (const r of g.Rules) if (r.Description === v) add(r.SecurityGroupRuleId, `rule ${v} of ${g.SecurityGroupId}`);
  for (const x of model.networkAcls) if (x.NetworkAclName === v) add(x.NetworkAclId, `network ACL ${v}`);
  for (const a of model.networkAcls) {
    for (const e of [...a.IngressAclEntries, ...a.EgressAclEntries]) if (e.NetworkAclEntryName === v) add(e.NetworkAclEntryId, `entry ${v} of ${a.NetworkAclId}`);
  }
  return out;
}

/**
 * The ID a name stands for in parameter `key`; a value that names nothing passes through
 * for the action to judge. A name that two resources carry (the cloud allows duplicate
 * names) is an error listing both IDs, never a silent pick of one.
 */
export function resolveName(model: CloudModel, v: string, key?: string): string {
  if (key !== undefined && KINDS_OF[key]?.length === 0) return v;
  const all = named(model, v, key);
  const kinds = key === undefined ? undefined : KINDS_OF[key];
  const fit = kinds ? all.filter(([id]) => kinds.some((k) => id.startsWith(`${k}-`))) : all;
  const hits = fit.length > 0 ? fit : all;
  const ids = [...new Map(hits).entries()];
  if (ids.length === 1) return ids[0][0];
  if (ids.length === 0) return v;
  throw new ApiError(
    'InvalidParameter.AmbiguousName',
    `${key ?? 'name'}: ${quoted(v)} names ${ids.length} resources: ${ids.map(([id, what]) => `${id} (${what})`).join(', ')}; give the ID instead`,
    400,
    key,
  );
}
