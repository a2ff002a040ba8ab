// What the Console panels show, read with the same Describe* actions the CLI uses
// (`vpclab api DescribeVpcs`), unwrapped from the API's envelopes into flat rows. Every
// field is coerced, so a panel never trips over a missing one.

import { arr, b, items, num, obj, s, strings, type Obj } from './coerce';
import { EMPTY_SG, loadSgData, type SgData } from './sg-data';
import { EMPTY_TR, loadTrData, type TrData } from './tr-data';
import { EMPTY_VPN, loadVpnData, type VpnData } from './vpn-data';

export type Invoke = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown>>;


export interface VpcRow {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  Status: string;
  RouteTableId: string;
  InternetMode: string;
  VSwitchIds: string[];
}

export interface VSwitchRow {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  CidrBlock: string;
  ZoneId: string;
  Status: string;
  RouteTableId: string;
}

export interface RouteTableRow {
  RouteTableId: string;
  RouteTableName: string;
  VpcId: string;
  RouteTableType: string;
  AssociateType: string;
  Status: string;
  VSwitchIds: string[];
}

export interface InstanceRow {
  InstanceId: string;
  InstanceName: string;
  VpcId: string;
  VSwitchId: string;
  PrivateIpAddress: string;
  EipAddress: string;
  Status: string;
  /** The security groups of its primary ENI (DescribeInstances' SecurityGroupIds). */
  SecurityGroupIds: string[];
}

export interface EipRow {
  AllocationId: string;
  IpAddress: string;
  Name: string;
  Status: string;
  InstanceId: string;
  InstanceType: string;
  PrivateIpAddress: string;
}

export interface Ipv4GatewayRow {
  Ipv4GatewayId: string;
  Ipv4GatewayName: string;
  VpcId: string;
  Enabled: boolean;
  /** The console's label (Inactive/Active). */
  ConsoleStatus: string;
  Ipv4GatewayRouteTableId: string;
  CreationTime: string;
}

export interface NatIp {
  AllocationId: string;
  IpAddress: string;
  UsingStatus: string;
}

export interface NatGatewayRow {
  NatGatewayId: string;
  Name: string;
  VpcId: string;
  VSwitchId: string;
  PrivateIpAddress: string;
  EipBindMode: string;
  IcmpReplyEnabled: boolean;
  Status: string;
  SnatTableId: string;
  ForwardTableId: string;
  Ips: NatIp[];
  CreationTime: string;
}

export interface RouteEntryRow {
  DestinationCidrBlock: string;
  NextHopType: string;
  NextHopId: string;
  Type: 'System' | 'Custom';
  RouteEntryId: string;
  RouteEntryName: string;
  Status: string;
}

export interface SnatRow {
  SnatEntryId: string;
  SnatEntryName: string;
  SourceCIDR: string;
  SourceVSwitchId: string;
  SnatIp: string[];
  EipAffinity: boolean;
  Status: string;
}

export interface DnatRow {
  ForwardEntryId: string;
  ForwardEntryName: string;
  ExternalIp: string;
  ExternalPort: string;
  InternalIp: string;
  InternalPort: string;
  IpProtocol: string;
  Status: string;
}

export interface GwlbZone {
  ZoneId: string;
  VSwitchId: string;
  /** The address the GWLB sends Geneve from and probes its backends from (10.0.1.41 in the tutorial). */
  PrivateIpv4Address: string;
}

export interface GwlbRow {
  LoadBalancerId: string;
  LoadBalancerName: string;
  VpcId: string;
  /** Provisioning, then Active. */
  LoadBalancerStatus: string;
  LoadBalancerBusinessStatus: string;
  Zones: GwlbZone[];
  CreateTime: string;
}

export interface GwlbServerRow {
  ServerId: string;
  ServerIp: string;
  ServerType: string;
  Port: number;
  /** The membership's status (Available, Draining); the health is GetListenerHealthStatus's. */
  Status: string;
}

export interface ServerGroupRow {
  ServerGroupId: string;
  ServerGroupName: string;
  VpcId: string;
  /** Creating, then Available. */
  ServerGroupStatus: string;
  ServerGroupType: string;
  Protocol: string;
  Scheduler: string;
  ServerFailoverMode: string;
  RelatedLoadBalancerIds: string[];
  HealthCheck: { Enabled: boolean; Protocol: string; Port: number; Interval: number; Timeout: number; Healthy: number; Unhealthy: number };
  Drain: { Enabled: boolean; Timeout: number };
  Servers: GwlbServerRow[];
}

export interface ListenerRow {
  ListenerId: string;
  LoadBalancerId: string;
  ServerGroupId: string;
  /** Provisioning, then Running. */
  ListenerStatus: string;
  ListenerDescription: string;
  TcpIdleTimeout: number;
}

export interface EndpointServiceRow {
  ServiceId: string;
  ServiceName: string;
  ServiceDescription: string;
  /** Creating, then Active. */
  ServiceStatus: string;
  ServiceResourceType: string;
  ServiceType: string;
  AutoAcceptEnabled: boolean;
  Zones: string[];
  /** Its resources (ListVpcEndpointServiceResources): a GWLB per zone. */
  Resources: { ResourceId: string; ResourceType: string; ZoneId: string }[];
}

export interface EndpointRow {
  EndpointId: string;
  EndpointName: string;
  EndpointType: string;
  /** Creating, then Active. */
  EndpointStatus: string;
  /** Connected once the service accepted it. */
  ConnectionStatus: string;
  ServiceId: string;
  VpcId: string;
  /** A GWLB endpoint has one zone: its ENI in one vSwitch. */
  ZoneId: string;
  VSwitchId: string;
  EniIp: string;
  ZoneStatus: string;
}

export interface ConsoleData extends VpnData, TrData, SgData {
  vpcs: VpcRow[];
  vswitches: VSwitchRow[];
  routeTables: RouteTableRow[];
  instances: InstanceRow[];
  eips: EipRow[];
  ipv4Gateways: Ipv4GatewayRow[];
  natGateways: NatGatewayRow[];
  gwlbs: GwlbRow[];
  serverGroups: ServerGroupRow[];
  listeners: ListenerRow[];
  endpointServices: EndpointServiceRow[];
  endpoints: EndpointRow[];
}

export const EMPTY_CONSOLE: ConsoleData = {
  vpcs: [], vswitches: [], routeTables: [], instances: [], eips: [], ipv4Gateways: [], natGateways: [],
  gwlbs: [], serverGroups: [], listeners: [], endpointServices: [], endpoints: [], ...EMPTY_VPN, ...EMPTY_TR, ...EMPTY_SG,
};

/** A list of objects, `resp[key]`: the GWLB and PrivateLink APIs' envelope (`{ServerGroups: [...]}`). */
const list = (resp: unknown, key: string): Obj[] => arr(obj(resp)[key]);

export { items };

const ids = (v: unknown, inner: string): string[] => {
  const list = obj(v)[inner];
  return Array.isArray(list) ? list.map(String) : [];
};

export function vpcRows(resp: unknown): VpcRow[] {
  return items(resp, 'Vpcs', 'Vpc').map((o) => ({
    VpcId: s(o, 'VpcId'), VpcName: s(o, 'VpcName'), CidrBlock: s(o, 'CidrBlock'), Status: s(o, 'Status'),
    RouteTableId: s(o, 'RouteTableId'), InternetMode: s(o, 'InternetMode'), VSwitchIds: ids(o.VSwitchIds, 'VSwitchId'),
  }));
}

export function vswitchRows(resp: unknown): VSwitchRow[] {
  return items(resp, 'VSwitches', 'VSwitch').map((o) => ({
    VSwitchId: s(o, 'VSwitchId'), VSwitchName: s(o, 'VSwitchName'), VpcId: s(o, 'VpcId'), CidrBlock: s(o, 'CidrBlock'),
    ZoneId: s(o, 'ZoneId'), Status: s(o, 'Status'), RouteTableId: s(o, 'RouteTableId'),
  }));
}

export function routeTableRows(resp: unknown): RouteTableRow[] {
  return items(resp, 'RouterTableList', 'RouterTableListType').map((o) => ({
    RouteTableId: s(o, 'RouteTableId'), RouteTableName: s(o, 'RouteTableName'), VpcId: s(o, 'VpcId'),
    RouteTableType: s(o, 'RouteTableType'), AssociateType: s(o, 'AssociateType'), Status: s(o, 'Status'), VSwitchIds: ids(o.VSwitchIds, 'VSwitchId'),
  }));
}

export function instanceRows(resp: unknown): InstanceRow[] {
  return items(resp, 'Instances', 'Instance').map((o) => ({
    InstanceId: s(o, 'InstanceId'), InstanceName: s(o, 'InstanceName'), VpcId: s(o, 'VpcId'), VSwitchId: s(o, 'VSwitchId'),
    PrivateIpAddress: s(o, 'PrivateIpAddress'), EipAddress: s(o, 'EipAddress'), Status: s(o, 'Status'),
    SecurityGroupIds: ids(o.SecurityGroupIds, 'SecurityGroupId'),
  }));
}

export function eipRows(resp: unknown): EipRow[] {
  return items(resp, 'EipAddresses', 'EipAddress').map((o) => ({
    AllocationId: s(o, 'AllocationId'), IpAddress: s(o, 'IpAddress'), Name: s(o, 'Name'), Status: s(o, 'Status'),
    InstanceId: s(o, 'InstanceId'), InstanceType: s(o, 'InstanceType'), PrivateIpAddress: s(o, 'PrivateIpAddress'),
  }));
}

export function ipv4GatewayRows(resp: unknown): Ipv4GatewayRow[] {
  return items(resp, 'Ipv4Gateways', 'Ipv4GatewayModels').map((o) => ({
    Ipv4GatewayId: s(o, 'Ipv4GatewayId'), Ipv4GatewayName: s(o, 'Ipv4GatewayName'), VpcId: s(o, 'VpcId'), Enabled: b(o, 'Enabled'),
    ConsoleStatus: s(o, 'ConsoleStatus') || (b(o, 'Enabled') ? 'Active' : 'Inactive'),
    Ipv4GatewayRouteTableId: s(o, 'Ipv4GatewayRouteTableId'), CreationTime: s(o, 'CreationTime'),
  }));
}

export function natGatewayRows(resp: unknown): NatGatewayRow[] {
  return items(resp, 'NatGateways', 'NatGateway').map((o) => {
    const priv = obj(o.NatGatewayPrivateInfo);
    return {
      NatGatewayId: s(o, 'NatGatewayId'), Name: s(o, 'Name'), VpcId: s(o, 'VpcId'), VSwitchId: s(priv, 'VswitchId'),
      PrivateIpAddress: s(priv, 'PrivateIpAddress'), EipBindMode: s(o, 'EipBindMode'), IcmpReplyEnabled: b(o, 'IcmpReplyEnabled'),
      Status: s(o, 'Status'), SnatTableId: ids(o.SnatTableIds, 'SnatTableId')[0] ?? '', ForwardTableId: ids(o.ForwardTableIds, 'ForwardTableId')[0] ?? '',
      Ips: items(o, 'IpLists', 'IpList').map((x) => ({ AllocationId: s(x, 'AllocationId'), IpAddress: s(x, 'IpAddress'), UsingStatus: s(x, 'UsingStatus') })),
      CreationTime: s(o, 'CreationTime'),
    };
  });
}

export function routeEntryRows(resp: unknown): RouteEntryRow[] {
  return items(resp, 'RouteEntrys', 'RouteEntry').map((o) => ({
    DestinationCidrBlock: s(o, 'DestinationCidrBlock'), NextHopType: s(o, 'NextHopType'),
    NextHopId: s(o, 'NextHopId') === '-' ? '' : s(o, 'NextHopId'),
    Type: s(o, 'Type') === 'System' ? 'System' : 'Custom', RouteEntryId: s(o, 'RouteEntryId'), RouteEntryName: s(o, 'RouteEntryName'), Status: s(o, 'Status'),
  }));
}

export function snatRows(resp: unknown): SnatRow[] {
  return items(resp, 'SnatTableEntries', 'SnatTableEntry').map((o) => ({
    SnatEntryId: s(o, 'SnatEntryId'), SnatEntryName: s(o, 'SnatEntryName'), SourceCIDR: s(o, 'SourceCIDR'), SourceVSwitchId: s(o, 'SourceVSwitchId'),
    SnatIp: s(o, 'SnatIp').split(',').filter(Boolean), EipAffinity: b(o, 'EipAffinity'), Status: s(o, 'Status'),
  }));
}

export function dnatRows(resp: unknown): DnatRow[] {
  return items(resp, 'ForwardTableEntries', 'ForwardTableEntry').map((o) => ({
    ForwardEntryId: s(o, 'ForwardEntryId'), ForwardEntryName: s(o, 'ForwardEntryName'), ExternalIp: s(o, 'ExternalIp'), ExternalPort: s(o, 'ExternalPort'),
    InternalIp: s(o, 'InternalIp'), InternalPort: s(o, 'InternalPort'), IpProtocol: s(o, 'IpProtocol'), Status: s(o, 'Status'),
  }));
}

export function gwlbRows(resp: unknown): GwlbRow[] {
  return list(resp, 'LoadBalancers').map((o) => ({
    LoadBalancerId: s(o, 'LoadBalancerId'), LoadBalancerName: s(o, 'LoadBalancerName'), VpcId: s(o, 'VpcId'),
    LoadBalancerStatus: s(o, 'LoadBalancerStatus'), LoadBalancerBusinessStatus: s(o, 'LoadBalancerBusinessStatus'),
    Zones: list(o, 'ZoneMappings').map((z) => ({
      ZoneId: s(z, 'ZoneId'), VSwitchId: s(z, 'VSwitchId'), PrivateIpv4Address: s(list(z, 'LoadBalancerAddresses')[0] ?? {}, 'PrivateIpv4Address'),
    })),
    CreateTime: s(o, 'CreateTime'),
  }));
}

export function serverRows(resp: unknown): GwlbServerRow[] {
  return list(resp, 'Servers').map((o) => ({
    ServerId: s(o, 'ServerId'), ServerIp: s(o, 'ServerIp'), ServerType: s(o, 'ServerType'), Port: num(o, 'Port'), Status: s(o, 'Status'),
  }));
}

/** ListServerGroups' rows; `servers` holds each group's ListServerGroupServers answer by group ID. */
export function serverGroupRows(resp: unknown, servers: ReadonlyMap<string, unknown> = new Map()): ServerGroupRow[] {
  return list(resp, 'ServerGroups').map((o) => {
    const hc = obj(o.HealthCheckConfig);
    const dc = obj(o.ConnectionDrainConfig);
    const id = s(o, 'ServerGroupId');
    return {
      ServerGroupId: id, ServerGroupName: s(o, 'ServerGroupName'), VpcId: s(o, 'VpcId'), ServerGroupStatus: s(o, 'ServerGroupStatus'),
      ServerGroupType: s(o, 'ServerGroupType'), Protocol: s(o, 'Protocol'), Scheduler: s(o, 'Scheduler'), ServerFailoverMode: s(o, 'ServerFailoverMode'),
      RelatedLoadBalancerIds: strings(o.RelatedLoadBalancerIds),
      HealthCheck: {
        Enabled: b(hc, 'HealthCheckEnabled'), Protocol: s(hc, 'HealthCheckProtocol'), Port: num(hc, 'HealthCheckConnectPort'),
        Interval: num(hc, 'HealthCheckInterval'), Timeout: num(hc, 'HealthCheckConnectTimeout'), Healthy: num(hc, 'HealthyThreshold'), Unhealthy: num(hc, 'UnhealthyThreshold'),
      },
      Drain: { Enabled: b(dc, 'ConnectionDrainEnabled'), Timeout: num(dc, 'ConnectionDrainTimeout') },
      Servers: serverRows(servers.get(id)),
    };
  });
}

export function listenerRows(resp: unknown): ListenerRow[] {
  return list(resp, 'Listeners').map((o) => ({
    ListenerId: s(o, 'ListenerId'), LoadBalancerId: s(o, 'LoadBalancerId'), ServerGroupId: s(o, 'ServerGroupId'), ListenerStatus: s(o, 'ListenerStatus'),
    ListenerDescription: s(o, 'ListenerDescription'), TcpIdleTimeout: num(o, 'TcpIdleTimeout'),
  }));
}

/** ListVpcEndpointServices' rows; `resources` holds each service's ListVpcEndpointServiceResources answer by service ID. */
export function endpointServiceRows(resp: unknown, resources: ReadonlyMap<string, unknown> = new Map()): EndpointServiceRow[] {
  return list(resp, 'Services').map((o) => ({
    ServiceId: s(o, 'ServiceId'), ServiceName: s(o, 'ServiceName'), ServiceDescription: s(o, 'ServiceDescription'), ServiceStatus: s(o, 'ServiceStatus'),
    ServiceResourceType: s(o, 'ServiceResourceType'), ServiceType: s(o, 'ServiceType'), AutoAcceptEnabled: b(o, 'AutoAcceptEnabled'), Zones: strings(o.Zones),
    Resources: list(resources.get(s(o, 'ServiceId')), 'Resources').map((r) => ({ ResourceId: s(r, 'ResourceId'), ResourceType: s(r, 'ResourceType'), ZoneId: s(r, 'ZoneId') })),
  }));
}

/** The GWLB an endpoint reaches: its service's resource in the endpoint's zone (else any of the service's). */
export function endpointGwlb(d: Pick<ConsoleData, 'endpointServices'>, ep: Pick<EndpointRow, 'ServiceId' | 'ZoneId'>): string | undefined {
  const svc = d.endpointServices.find((x) => x.ServiceId === ep.ServiceId);
  return (svc?.Resources.find((r) => r.ZoneId === ep.ZoneId) ?? svc?.Resources[0])?.ResourceId;
}

/** ListVpcEndpoints' rows; `zones` holds each endpoint's ListVpcEndpointZones answer by endpoint ID. */
export function endpointRows(resp: unknown, zones: ReadonlyMap<string, unknown> = new Map()): EndpointRow[] {
  return list(resp, 'Endpoints').map((o) => {
    const id = s(o, 'EndpointId');
    const z = list(zones.get(id), 'Zones')[0] ?? {};
    return {
      EndpointId: id, EndpointName: s(o, 'EndpointName'), EndpointType: s(o, 'EndpointType'), EndpointStatus: s(o, 'EndpointStatus'),
      ConnectionStatus: s(o, 'ConnectionStatus'), ServiceId: s(o, 'ServiceId'), VpcId: s(o, 'VpcId'),
      ZoneId: s(z, 'ZoneId'), VSwitchId: s(z, 'VSwitchId'), EniIp: s(z, 'EniIp'), ZoneStatus: s(z, 'ZoneStatus'),
    };
  });
}

/** Everything the panels list, in one round of Describe/List calls (and one per server group and endpoint for their members). */
export async function loadConsoleData(invoke: Invoke): Promise<ConsoleData> {
  const [v, sw, rt, i, e, g, n, lb, sg, ls, svc, ep, vpn, tr, sec] = await Promise.all([
    invoke('DescribeVpcs', {}), invoke('DescribeVSwitches', {}), invoke('DescribeRouteTableList', {}), invoke('DescribeInstances', {}),
    invoke('DescribeEipAddresses', {}), invoke('DescribeIpv4Gateways', {}), invoke('DescribeNatGateways', {}),
    invoke('ListLoadBalancers', {}), invoke('ListServerGroups', {}), invoke('ListListeners', {}), invoke('ListVpcEndpointServices', {}), invoke('ListVpcEndpoints', {}),
    loadVpnData(invoke), loadTrData(invoke), loadSgData(invoke),
  ]);
  const groupIds = list(sg, 'ServerGroups').map((o) => s(o, 'ServerGroupId'));
  const endpointIds = list(ep, 'Endpoints').map((o) => s(o, 'EndpointId'));
  const serviceIds = list(svc, 'Services').map((o) => s(o, 'ServiceId'));
  const [servers, zones, resources] = await Promise.all([
    Promise.all(groupIds.map((id) => invoke('ListServerGroupServers', { ServerGroupId: id }))),
    Promise.all(endpointIds.map((id) => invoke('ListVpcEndpointZones', { EndpointId: id }))),
    Promise.all(serviceIds.map((id) => invoke('ListVpcEndpointServiceResources', { ServiceId: id }))),
  ]);
  return {
    vpcs: vpcRows(v), vswitches: vswitchRows(sw), routeTables: routeTableRows(rt), instances: instanceRows(i),
    eips: eipRows(e), ipv4Gateways: ipv4GatewayRows(g), natGateways: natGatewayRows(n),
    gwlbs: gwlbRows(lb), serverGroups: serverGroupRows(sg, new Map(groupIds.map((id, k) => [id, servers[k]]))), listeners: listenerRows(ls),
    endpointServices: endpointServiceRows(svc, new Map(serviceIds.map((id, k) => [id, resources[k]]))), endpoints: endpointRows(ep, new Map(endpointIds.map((id, k) => [id, zones[k]]))),
    ...vpn,
    ...tr,
    ...sec,
  };
}

/** A backend's health as GetListenerHealthStatus reports it, with the reason it gave. */
export interface BackendHealth {
  ServerId: string;
  ServerIp: string;
  /** Initial, Healthy, Unhealthy, Unavailable or Unused. */
  Status: string;
  ReasonCode: string;
}

/** Server group ID → server ID → its health, from GetListenerHealthStatus answers (one per listener). */
export type HealthIndex = Map<string, Map<string, BackendHealth>>;

export function healthIndex(responses: readonly unknown[]): HealthIndex {
  const out: HealthIndex = new Map();
  for (const r of responses) {
    for (const l of list(r, 'ListenerHealthStatus')) {
      for (const g of list(l, 'ServerGroupInfos')) {
        const id = s(g, 'ServerGroupId');
        const servers = out.get(id) ?? new Map<string, BackendHealth>();
        for (const x of list(g, 'Servers')) {
          servers.set(s(x, 'ServerId'), { ServerId: s(x, 'ServerId'), ServerIp: s(x, 'ServerIp'), Status: s(x, 'Status'), ReasonCode: s(obj(x.Reason), 'ReasonCode') });
        }
        out.set(id, servers);
      }
    }
  }
  return out;
}

/** Every listener's backend health, read at once (the panel polls this while it is in sight). */
export async function loadHealth(invoke: Invoke, listeners: readonly ListenerRow[]): Promise<HealthIndex> {
  return healthIndex(await Promise.all(listeners.map((l) => invoke('GetListenerHealthStatus', { ListenerId: l.ListenerId }))));
}

/** How a backend's health reads: its status, and why where the API says why. */
export function healthWords(h: BackendHealth | undefined): { text: string; tone: 'ok' | 'warn' | 'bad' | 'idle' } {
  if (!h) return { text: '-', tone: 'idle' };
  const tone = h.Status === 'Healthy' ? 'ok' : h.Status === 'Unhealthy' || h.Status === 'Unavailable' ? 'bad' : h.Status === 'Initial' ? 'warn' : 'idle';
  return { text: h.ReasonCode ? `${h.Status} (${h.ReasonCode})` : h.Status, tone };
}

/** Resource ID → its name (or, for an EIP, its address), for "ID / name" cells. */
export function nameIndex(d: ConsoleData): Map<string, string> {
  const m = new Map<string, string>();
  const put = (id: string, name: string): void => {
    if (id && name) m.set(id, name);
  };
  for (const x of d.vpcs) put(x.VpcId, x.VpcName);
  for (const x of d.vswitches) put(x.VSwitchId, x.VSwitchName);
  for (const x of d.routeTables) put(x.RouteTableId, x.RouteTableName);
  for (const x of d.instances) put(x.InstanceId, x.InstanceName);
  for (const x of d.eips) put(x.AllocationId, x.IpAddress);
  for (const x of d.ipv4Gateways) put(x.Ipv4GatewayId, x.Ipv4GatewayName);
  for (const x of d.natGateways) put(x.NatGatewayId, x.Name);
  for (const x of d.gwlbs) put(x.LoadBalancerId, x.LoadBalancerName);
  for (const x of d.serverGroups) put(x.ServerGroupId, x.ServerGroupName);
  for (const x of d.endpointServices) put(x.ServiceId, x.ServiceDescription);
  for (const x of d.endpoints) put(x.EndpointId, x.EndpointName);
  for (const x of d.vpnGateways) put(x.VpnGatewayId, x.Name);
  for (const x of d.customerGateways) put(x.CustomerGatewayId, x.Name);
  for (const x of d.vpnConnections) put(x.VpnConnectionId, x.Name);
  for (const x of d.cens) put(x.CenId, x.Name);
  for (const x of d.transitRouters) {
    put(x.TransitRouterId, x.TransitRouterName);
    put(x.TransitRouterRouteTableId, x.TransitRouterName && `${x.TransitRouterName} route table`);
  }
  for (const x of d.trAttachments) put(x.TransitRouterAttachmentId, x.Name);
  for (const x of d.securityGroups) put(x.SecurityGroupId, x.SecurityGroupName);
  for (const x of d.networkAcls) put(x.NetworkAclId, x.NetworkAclName);
  return m;
}

/** The console's words for next-hop types (the API's names stay in the parameters). */
const HOP_LABELS: Record<string, string> = {
  Instance: 'ECS Instance', EcsInstance: 'ECS Instance', Ipv4Gateway: 'IPv4 Gateway', NatGateway: 'NAT Gateway',
  NetworkInterface: 'Secondary ENI', HaVip: 'HaVip', VpnGateway: 'VPN Gateway', IPv6Gateway: 'IPv6 Gateway',
  RouterInterface: 'Router Interface', Attachment: 'Transit Router', VpcPeer: 'VPC Peering Connection',
  GatewayEndpoint: 'Gateway Endpoint', Ecr: 'ECR', GatewayLoadBalancerEndpoint: 'GWLB Endpoint',
  local: 'Local', Local: 'Local', service: 'Cloud Service',
};

export function nextHopTypeLabel(type: string): string {
  return HOP_LABELS[type] ?? type;
}

/** The next hop itself: `ECS-B (i-…)`, or its ID when it has no name; `-` for none. */
export function nextHopTarget(e: Pick<RouteEntryRow, 'NextHopId'>, names: ReadonlyMap<string, string>): string {
  if (!e.NextHopId) return '-';
  const name = names.get(e.NextHopId);
  return name ? `${name} (${e.NextHopId})` : e.NextHopId;
}

/** `ECS Instance ECS-B (i-…)`, `IPv4 Gateway igw-tokyo (ipv4gw-…)`, `Local`. */
export function nextHopLabel(e: Pick<RouteEntryRow, 'NextHopType' | 'NextHopId'>, names: ReadonlyMap<string, string>): string {
  const type = nextHopTypeLabel(e.NextHopType);
  return e.NextHopId ? `${type} ${nextHopTarget(e, names)}` : type;
}

export function splitEntries(entries: readonly RouteEntryRow[]): { system: RouteEntryRow[]; custom: RouteEntryRow[] } {
  return { system: entries.filter((e) => e.Type === 'System'), custom: entries.filter((e) => e.Type === 'Custom') };
}

export interface Choice {
  value: string;
  label: string;
}

/** The next-hop types the Add Route Entry form offers: those the lab forwards through. */
export const ROUTE_NEXT_HOP_TYPES: Choice[] = [
  { value: 'Instance', label: 'ECS Instance' },
  { value: 'Ipv4Gateway', label: 'IPv4 Gateway' },
  { value: 'NatGateway', label: 'NAT Gateway' },
  { value: 'GatewayLoadBalancerEndpoint', label: 'GWLB Endpoint' },
];

/** The next-hop types a gateway route table's entry for a vSwitch takes: an ECS instance or a GWLB endpoint. */
export const GATEWAY_NEXT_HOP_TYPES: Choice[] = [
  { value: 'Instance', label: 'ECS Instance' },
  { value: 'GatewayLoadBalancerEndpoint', label: 'GWLB Endpoint' },
];

/** The resources of `vpcId` that can be a next hop of `type`. */
export function nextHopChoices(d: ConsoleData, vpcId: string, type: string): Choice[] {
  if (type === 'Instance') return d.instances.filter((i) => i.VpcId === vpcId).map((i) => ({ value: i.InstanceId, label: `${i.InstanceName} (${i.InstanceId}, ${i.PrivateIpAddress})` }));
  if (type === 'Ipv4Gateway') return d.ipv4Gateways.filter((g) => g.VpcId === vpcId).map((g) => ({ value: g.Ipv4GatewayId, label: `${g.Ipv4GatewayName || g.Ipv4GatewayId} (${g.Ipv4GatewayId}, ${g.ConsoleStatus})` }));
  if (type === 'NatGateway') return d.natGateways.filter((g) => g.VpcId === vpcId).map((g) => ({ value: g.NatGatewayId, label: `${g.Name || g.NatGatewayId} (${g.NatGatewayId})` }));
  if (type === 'GatewayLoadBalancerEndpoint') {
    return d.endpoints
      .filter((e) => e.VpcId === vpcId && e.EndpointType === 'GatewayLoadBalancer')
      .map((e) => ({ value: e.EndpointId, label: `${e.EndpointName || e.EndpointId} (${[e.EndpointId, e.ZoneId, e.ConnectionStatus].filter(Boolean).join(', ')})` }));
  }
  return [];
}

/** A route table's binding in the console's words. */
export function boundTo(rt: RouteTableRow, d: ConsoleData, names: ReadonlyMap<string, string>): string {
  if (rt.AssociateType === 'Gateway') {
    const gw = d.ipv4Gateways.find((g) => g.Ipv4GatewayRouteTableId === rt.RouteTableId);
    return gw ? `IPv4 Gateway ${names.get(gw.Ipv4GatewayId) ?? gw.Ipv4GatewayId}` : 'no gateway bound';
  }
  if (rt.VSwitchIds.length === 0) return 'no vSwitch bound';
  return rt.VSwitchIds.map((id) => names.get(id) ?? id).join(', ');
}

/** Parameters without the fields a form left empty: the API treats a missing one as "not given". */
export function compactParams(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** A console button's call: resolves to the response, or null when the lab refused (the view shows the error). */
export type Act = (action: string, params: Record<string, unknown>) => Promise<Record<string, unknown> | null>;

/** What every Console panel gets from the view. */
export interface PanelProps {
  data: ConsoleData;
  names: ReadonlyMap<string, string>;
  act: Act;
  /** Read-only calls (Describe*) for a panel's details; rejects like window.lab.invoke. */
  invoke: Invoke;
  /** Bumped after every reload, so details re-read their entries. */
  version: number;
}

/** How the VPC reaches the Internet (SEMANTICS B9), in the console's words. */
export function internetAccess(vpc: VpcRow, d: ConsoleData): string {
  const gw = d.ipv4Gateways.find((g) => g.VpcId === vpc.VpcId);
  if (gw?.Enabled) return 'Controlled by IPv4 gateway';
  if (vpc.InternetMode === 'private') return 'Private (no Internet access)';
  return gw ? 'Default (IPv4 gateway inactive)' : 'Default (EIPs reach the Internet directly)';
}

/** A route table's name for display: its name, `System route table` for a VPC's own. */
export function routeTableName(id: string, d: ConsoleData): string {
  const rt = d.routeTables.find((t) => t.RouteTableId === id);
  if (!rt) return '';
  if (rt.RouteTableType === 'System') return rt.RouteTableName || 'System route table';
  return rt.RouteTableName;
}
