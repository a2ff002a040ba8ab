// The cloud model: every resource the lab knows, named and shaped as the Alibaba API shows
// it. Plain data (JSON-cloneable) so an action can work on a draft and the control plane
// can swap the draft in only when the action succeeded (a failed action changes nothing).

import type { ServiceKind } from '../services/kinds';

export type RouteTableType = 'System' | 'Custom';
export type AssociateType = 'VSwitch' | 'Gateway';

export interface Vpc {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  Status: 'Available';
  /** The system route table created with the VPC (SEMANTICS A2.1). */
  RouteTableId: string;
  /**
   * Working mode (SEMANTICS B9): `default` = EIP direct access (no active IPv4 gateway),
   * `controlled` = an active IPv4 gateway, `private` = its gateway was deleted in private
   * mode and nothing reaches the Internet. Derived state would be nicer, but `private`
   * outlives the gateway, so it is recorded when the gateway goes.
   */
  InternetMode: 'default' | 'private';
}

/** SEMANTICS B1–B9. One per VPC; `Enabled` is one-way (B2). */
export interface Ipv4Gateway {
  Ipv4GatewayId: string;
  Ipv4GatewayName: string;
  Ipv4GatewayDescription: string;
  VpcId: string;
  /** API status (B2): `Created` once created; the console shows Inactive/Active from `Enabled`. */
  Status: 'Created';
  Enabled: boolean;
  /** The gateway route table bound to it (B6), if any. */
  Ipv4GatewayRouteTableId?: string;
  CreationTime: string;
}

export interface VSwitch {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  CidrBlock: string;
  ZoneId: string;
  Status: 'Available';
  /** The route table bound to it: the system table unless a custom one is associated (A3). */
  RouteTableId: string;
}

export interface RouteEntry {
  RouteEntryId: string;
  RouteTableId: string;
  DestinationCidrBlock: string;
  NextHopType: string;
  NextHopId: string;
  RouteEntryName: string;
  /**
   * Custom entries only: system entries are derived from the vSwitches (A4). In a gateway
   * route table a custom entry is an edited system entry (B6): same destination as a
   * vSwitch CIDR, and deleting it reverts to `Local`.
   */
  Type: 'Custom';
  Status: 'Available';
}

export interface RouteTable {
  RouteTableId: string;
  RouteTableName: string;
  VpcId: string;
  RouteTableType: RouteTableType;
  AssociateType: AssociateType;
  Entries: RouteEntry[];
}

/** An ECS instance: in the lab, a network namespace with one NIC (its primary ENI). */
export interface Instance {
  InstanceId: string;
  InstanceName: string;
  VpcId: string;
  VSwitchId: string;
  PrivateIpAddress: string;
  /** Initial value of net.ipv4.ip_forward in the guest; the guest may change it later. */
  IpForward: boolean;
  Services: LabService[];
  /** StopInstances/StartInstances: a stopped ECS keeps its namespace and processes, and the
   * engine drops its traffic both ways (the fault trainers inject). */
  Status: 'Running' | 'Stopped';
  /** Lab-only: the NIC's MTU, 1500 or a jumbo 8500 (NVAs, SEMANTICS E6). Absent: 1500. */
  Mtu?: number;
  /** The security groups of its primary ENI, 1 to 5 (H1): its VPC's default group when RunInstances names none. */
  SecurityGroupIds: string[];
}

export type SgProtocol = 'tcp' | 'udp' | 'icmp' | 'gre' | 'all';
export type SgPolicy = 'accept' | 'drop';

/** One rule of a security group (AuthorizeSecurityGroup / AuthorizeSecurityGroupEgress), H1. */
export interface SecurityGroupRule {
  SecurityGroupRuleId: string;
  Direction: 'ingress' | 'egress';
  IpProtocol: SgProtocol;
  /** `80/80`, `1/65535`; `-1/-1` for icmp, gre and all. */
  PortRange: string;
  /** Ingress: the peer by address (SourceCidrIp) or by group (SourceGroupId); one of the two. */
  SourceCidrIp: string;
  SourceGroupId: string;
  /** Egress: the peer by address (DestCidrIp) or by group (DestGroupId). */
  DestCidrIp: string;
  DestGroupId: string;
  Policy: SgPolicy;
  /** 1–100, smaller first; at the same priority drop wins. */
  Priority: number;
  Description: string;
  CreateTime: string;
}

/** A security group (CreateSecurityGroup), H1–H3. */
export interface SecurityGroup {
  SecurityGroupId: string;
  SecurityGroupName: string;
  Description: string;
  VpcId: string;
  /** normal (basic) or enterprise (H2). */
  SecurityGroupType: 'normal' | 'enterprise';
  /** A basic group's internal access: instances of the group reach each other (Accept) or not (Drop). */
  InnerAccessPolicy: 'Accept' | 'Drop';
  Rules: SecurityGroupRule[];
  CreationTime: string;
  /** Lab-only: the VPC's default group, which an ECS created without a group joins. */
  LabDefault?: boolean;
}

/** One entry of a network ACL (UpdateNetworkAclEntries), H4. */
export interface NetworkAclEntry {
  NetworkAclEntryId: string;
  NetworkAclEntryName: string;
  Policy: SgPolicy;
  Protocol: SgProtocol;
  /** Ingress entries match the source, egress entries the destination (H4). */
  CidrIp: string;
  /** The destination port range in both directions (H4): `80/80`, `-1/-1`. */
  Port: string;
  Description: string;
  /** custom, or system (the entries every ACL ends with). */
  EntryType: 'custom' | 'system';
}

/** A network ACL (CreateNetworkAcl), stateless, bound to vSwitches (H4). */
export interface NetworkAcl {
  NetworkAclId: string;
  NetworkAclName: string;
  Description: string;
  VpcId: string;
  /** In priority order: the first match decides. */
  IngressAclEntries: NetworkAclEntry[];
  EgressAclEntries: NetworkAclEntry[];
  /** The vSwitches it is associated with (AssociateNetworkAcl). */
  VSwitchIds: string[];
  CreationTime: string;
}

/** A host on the lab's Internet (8.8.8.8, www.aliyun.com, a client…): lab-only resource. */
export interface InternetHost {
  HostId: string;
  HostName: string;
  IpAddress: string;
  Services: LabService[];
  /** Names resolving to this host in the lab's public zone, and its reverse name. */
  DnsNames: string[];
  PtrName?: string;
}

export interface LabService {
  Kind: ServiceKind;
  Port?: number;
  Body?: string;
}

export interface Eip {
  AllocationId: string;
  IpAddress: string;
  Name: string;
  Status: 'Available' | 'InUse';
  /** NAT is the default association mode (SEMANTICS C2). */
  Mode: 'NAT';
  InstanceId?: string;
  InstanceType?: 'EcsInstance' | 'Nat';
  /**
   * The private IP the EIP maps to, fixed at association time (C1). For a NAT gateway in
   * EipBindMode NAT, the extra private IP it took from the gateway's vSwitch (D1).
   */
  PrivateIpAddress?: string;
}

/** An Internet NAT gateway (SEMANTICS D1–D15). Its EIPs are Eip entries with InstanceType Nat. */
export interface NatGateway {
  NatGatewayId: string;
  Name: string;
  Description: string;
  VpcId: string;
  VSwitchId: string;
  /** The private IP it takes from its vSwitch at creation (D1). */
  PrivateIpAddress: string;
  NatType: 'Enhanced';
  NetworkType: 'internet';
  /** MULTI_BINDED (default) or NAT (needed next to an IPv4 gateway, D12). */
  EipBindMode: 'MULTI_BINDED' | 'NAT';
  IcmpReplyEnabled: boolean;
  Status: 'Available';
  SnatTableId: string;
  ForwardTableId: string;
  SnatEntries: SnatEntry[];
  ForwardEntries: ForwardEntry[];
  /** Lab-only knob: shrink the SNAT source-port range (default 1025–65535, D7) to show exhaustion. */
  LabPortRange?: [number, number];
  CreationTime: string;
}

export interface SnatEntry {
  SnatEntryId: string;
  SnatEntryName: string;
  /** Every scope is a source CIDR (D4): VPC, vSwitch, ECS (/32) or custom. */
  SourceCIDR: string;
  /** Set when the scope was given as a vSwitch. */
  SourceVSwitchId?: string;
  /** The EIP addresses it may use (D6). */
  SnatIp: string[];
  EipAffinity: boolean;
  Status: 'Available';
}

export interface ForwardEntry {
  ForwardEntryId: string;
  ForwardEntryName: string;
  ExternalIp: string;
  /** `80`, `8000/8001` or `Any` (D10). */
  ExternalPort: string;
  InternalIp: string;
  InternalPort: string;
  IpProtocol: 'TCP' | 'UDP' | 'Any';
  PortBreak: boolean;
  Status: 'Available';
}

// ---------------------------------------------------------------------------------------
// Gateway Load Balancer (GWLB API 2024-04-15) and PrivateLink (2020-04-15), SEMANTICS E.
// Statuses that the cloud reports as asynchronous (Provisioning → Active, Creating →
// Available) are derived from CreateTime when read (cloud/actions/gwlb-status.ts): the
// model records when a thing was made, not a status that would need a clock to change.

/** A GWLB instance: one private address per zone, from that zone's vSwitch (E1). */
export interface GwlbLoadBalancer {
  LoadBalancerId: string;
  LoadBalancerName: string;
  VpcId: string;
  AddressIpVersion: 'Ipv4';
  /** `LoadBalance`; the API's `ByPass` (straight back to the GWLBe) is not modelled. */
  TrafficMode: 'LoadBalance';
  ZoneMappings: GwlbZoneMapping[];
  CreateTime: string;
}

export interface GwlbZoneMapping {
  ZoneId: string;
  VSwitchId: string;
  /** The address the GWLB talks to its backends from (10.0.1.41 in the seed), and its ENI. */
  LoadBalancerAddresses: { EniId: string; PrivateIpv4Address: string }[];
}

export interface GwlbHealthCheckConfig {
  HealthCheckEnabled: boolean;
  /** TCP: a SYN, healthy on SYN-ACK (E7). HTTP is refused until modelled. */
  HealthCheckProtocol: 'TCP';
  HealthCheckConnectPort: number;
  HealthCheckConnectTimeout: number;
  HealthCheckInterval: number;
  HealthyThreshold: number;
  UnhealthyThreshold: number;
}

export interface GwlbServer {
  /** The ECS instance ID (type Ecs) or the address itself (type Ip). */
  ServerId: string;
  ServerIp: string;
  ServerType: 'Ecs' | 'Ip';
  /** Geneve: the only port the API takes. */
  Port: 6081;
  /**
   * Membership (not health): Available, or Draining after RemoveServersFromServerGroup with
   * connection draining on, until DrainEndTime; then it is gone (derived when read).
   */
  Status: 'Available' | 'Draining';
  DrainEndTime?: string;
}

export interface GwlbServerGroup {
  ServerGroupId: string;
  ServerGroupName: string;
  ServerGroupType: 'Instance' | 'Ip';
  Protocol: 'GENEVE';
  /** E1: 5TCH (default) 5-tuple, 3TCH (src, dst, protocol), 2TCH (src, dst) consistent hash. */
  Scheduler: '5TCH' | '3TCH' | '2TCH';
  /** E8: on a backend failure, existing flows stay (NoRebalance, default) or move (Rebalance). */
  ServerFailoverMode: 'NoRebalance' | 'Rebalance';
  VpcId: string;
  HealthCheckConfig: GwlbHealthCheckConfig;
  ConnectionDrainConfig: { ConnectionDrainEnabled: boolean; ConnectionDrainTimeout: number };
  Servers: GwlbServer[];
  CreateTime: string;
}

/** The one IP listener of a GWLB instance: all traffic to one server group (E1). */
export interface GwlbListener {
  ListenerId: string;
  LoadBalancerId: string;
  ServerGroupId: string;
  ListenerDescription: string;
  /** Idle timeout of a flow, seconds (60–6000, default 350; E8). */
  TcpIdleTimeout: number;
  CreateTime: string;
}

/** A PrivateLink endpoint service whose resource is a GWLB, in some of its zones (E2). */
export interface VpcEndpointService {
  ServiceId: string;
  ServiceName: string;
  ServiceDescription: string;
  ServiceResourceType: 'gwlb';
  ServiceType: 'GatewayLoadBalancer';
  AutoAcceptEnabled: boolean;
  Resources: { ResourceId: string; ResourceType: 'gwlb'; ZoneId: string }[];
  CreateTime: string;
}

/** A GWLB endpoint (GWLBe): one zone, one ENI with an address of the chosen vSwitch (E2). */
export interface VpcEndpoint {
  EndpointId: string;
  EndpointName: string;
  EndpointDescription: string;
  EndpointType: 'GatewayLoadBalancer';
  ServiceId: string;
  VpcId: string;
  Zone: { ZoneId: string; VSwitchId: string; EniId: string; EniIp: string };
  /** Connected at once when the service auto-accepts, else Disconnected until accepted. */
  ConnectionStatus: 'Connected' | 'Disconnected';
  CreateTime: string;
}

/**
 * A PrivateLink interface endpoint to one of the lab's cloud services, offered as an
 * Alibaba-managed endpoint service (actions/privatelink-services.ts): one ENI per zone, each
 * an address of a vSwitch of the consumer VPC. Always Connected: the managed services accept
 * every endpoint, as Alibaba's do.
 */
export interface InterfaceEndpoint {
  EndpointId: string;
  EndpointName: string;
  EndpointDescription: string;
  EndpointType: 'Interface';
  /** The managed service's ID (`epsrv-…`), derived from the cloud service it offers. */
  ServiceId: string;
  VpcId: string;
  Zones: { ZoneId: string; VSwitchId: string; EniId: string; EniIp: string }[];
  /** Recorded and shown, not enforced: the lab has no security groups yet. */
  SecurityGroupIds: string[];
  CreateTime: string;
}

// ---------------------------------------------------------------------------------------
// VPN gateway and IPsec-VPN (VPC API 2016-04-28), SEMANTICS F. IKE and ESP are strongSwan's:
// each of a gateway's two tunnel endpoints is a lab appliance namespace running charon, and
// the customer gateway is an IDC site's router running its own. Statuses that depend on
// charon (a tunnel's negotiation) are read from the runtime, not stored here.

/** One of a VPN gateway's two tunnel endpoints (F3): a zone, an inside address, a public IP. */
export interface VpnTunnelEndpoint {
  /** 1 or 2: tunnel N of every connection terminates here. */
  TunnelIndex: 1 | 2;
  ZoneId: string;
  VSwitchId: string;
  /** The inside leg's address, from the vSwitch. */
  PrivateIpAddress: string;
  /** The public address its IKE and ESP use on the Internet. */
  InternetIp: string;
  /** Lab-only fault: a stopped endpoint (its zone failed) carries nothing; absent = running. */
  Status?: 'Running' | 'Stopped';
}

export interface VpnGateway {
  VpnGatewayId: string;
  Name: string;
  Description: string;
  VpcId: string;
  /** Mbit/s: the F8 utilisation alerts are relative to it. */
  Bandwidth: number;
  EnableIpsec: boolean;
  NetworkType: 'public';
  /** Tunnel 1's endpoint (VSwitchId's zone) and tunnel 2's (DisasterRecoveryVSwitchId's). */
  Endpoints: VpnTunnelEndpoint[];
  /** Custom advertised routes (F6: `100.64.0.0/10` tells the IDC the range is behind the tunnel). */
  AdvertisedRoutes: string[];
  CreateTime: string;
}

export interface CustomerGateway {
  CustomerGatewayId: string;
  Name: string;
  Description: string;
  /** The IDC router's public address. */
  IpAddress: string;
  Asn?: string;
  CreateTime: string;
}

/** F2, phase 1. */
export interface VpnIkeConfig {
  Psk: string;
  IkeVersion: 'ikev1' | 'ikev2';
  IkeMode: 'main' | 'aggressive';
  IkeEncAlg: 'aes' | 'aes192' | 'aes256' | 'des' | '3des';
  IkeAuthAlg: 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';
  IkePfs: 'group1' | 'group2' | 'group5' | 'group14';
  IkeLifetime: number;
  LocalId: string;
  RemoteId: string;
}

/** F2, phase 2. */
export interface VpnIpsecConfig {
  IpsecEncAlg: VpnIkeConfig['IkeEncAlg'];
  IpsecAuthAlg: VpnIkeConfig['IkeAuthAlg'];
  IpsecPfs: 'disabled' | VpnIkeConfig['IkePfs'];
  IpsecLifetime: number;
}

export interface VpnTunnel {
  TunnelId: string;
  TunnelIndex: 1 | 2;
  /**
   * A connection attached to a transit router (AttachType CEN) has no VPN gateway: each of
   * its tunnels has its own public address and zone, where its lab appliance runs charon.
   */
  InternetIp?: string;
  ZoneId?: string;
  /** F3: tunnel 1 is the active one (master), tunnel 2 the standby (slave). */
  Role: 'master' | 'slave';
  CustomerGatewayId: string;
  EnableDpd: boolean;
  EnableNatTraversal: boolean;
  IkeConfig: VpnIkeConfig;
  IpsecConfig: VpnIpsecConfig;
}

/** F4. */
export interface VpnHealthCheck {
  Enable: boolean;
  Sip: string;
  Dip: string;
  /** Seconds between probes. */
  Interval: number;
  Retry: number;
  Policy: 'revoke_route' | 'reserve_route';
}

export interface VpnConnection {
  VpnConnectionId: string;
  Name: string;
  /** '' for a connection attached to a transit router (CreateVpnAttachment, F1 model 2). */
  VpnGatewayId: string;
  /** VPNGW: on a VPN gateway; CEN: made by CreateVpnAttachment, to be attached to a transit router. Absent: VPNGW. */
  AttachType?: 'VPNGW' | 'CEN';
  /** `0.0.0.0/0` on both sides: destination-routing mode; CIDRs: protected data flows (F2). */
  LocalSubnet: string[];
  RemoteSubnet: string[];
  EffectImmediately: boolean;
  /** Lab note: in protected-data-flows mode the cloud adds the RemoteSubnet routes itself. */
  AutoConfigRoute: boolean;
  HealthCheck: VpnHealthCheck;
  Tunnels: VpnTunnel[];
  CreateTime: string;
}

/** A VPN gateway's route (F5): destination-based (`dbr`) or policy-based (`pbr`). */
export interface VpnRouteEntry {
  VpnGatewayId: string;
  RouteType: 'dbr' | 'pbr';
  /** pbr only: the source CIDR. */
  RouteSource?: string;
  RouteDest: string;
  /** The VPN connection it sends to. */
  NextHop: string;
  /** 100: active, 0: standby (F5). */
  Weight: 0 | 100;
  /** pbr only: 1–100, lower first (F5.1). */
  Priority?: number;
  /** Published to the VPC: its system route table has `RouteDest → VpnGateway`. */
  PublishVpc: boolean;
  Description: string;
  CreateTime: string;
  /** Made by its connection's AutoConfigRoute (protected data flows): kept in step with RemoteSubnet, deleted with it. */
  AutoConfigured?: boolean;
}

/**
 * Lab-only: an on-premises network (an IDC) — a LAN of hosts behind a router, the customer
 * gateway device, which has a public address on the lab's Internet and an address on the LAN.
 */
export interface IdcSite {
  SiteId: string;
  SiteName: string;
  CidrBlock: string;
  Gateway: { HostName: string; PublicIp: string; LanIp: string; Services: LabService[] };
  Hosts: IdcHost[];
}

export interface IdcHost {
  HostName: string;
  IpAddress: string;
  Services: LabService[];
}

/**
 * Lab-only: a cloud service outside every VPC, in 100.64.0.0/10 (F6.1.2: OSS, SLS…), reached
 * from each VPC by its 100.64/10 system route; its internal domain name is in the lab's zone.
 */
export interface CloudService {
  ServiceId: string;
  HostName: string;
  IpAddress: string;
  DomainNames: string[];
  Services: LabService[];
}

// ---------------------------------------------------------------------------------------
// Cloud Enterprise Network and its transit routers (CEN API 2017-09-12), SEMANTICS F1, F6, F7.
// One lab region: every transit router is in the model's RegionId. A transit router has one
// route table, its system (default) one; custom TR route tables are not modelled.

export interface CenInstance {
  CenId: string;
  Name: string;
  Description: string;
  CreationTime: string;
}

export interface TransitRouter {
  TransitRouterId: string;
  CenId: string;
  RegionId: string;
  TransitRouterName: string;
  TransitRouterDescription: string;
  /** Its system route table: every attachment is associated with it and propagates to it by default. */
  RouteTableId: string;
  CreationTime: string;
}

/** A static route of a TR route table; learned routes are derived (cloud/tr-routes.ts). */
export interface TransitRouterRouteEntry {
  TransitRouterRouteEntryId: string;
  TransitRouterRouteTableId: string;
  TransitRouterRouteEntryDestinationCidrBlock: string;
  TransitRouterRouteEntryNextHopType: 'Attachment' | 'BlackHole';
  /** The attachment (Attachment), '' for BlackHole. */
  TransitRouterRouteEntryNextHopId: string;
  TransitRouterRouteEntryName: string;
  TransitRouterRouteEntryDescription: string;
  CreateTime: string;
}

/**
 * A network instance attached to a transit router: a VPC (an ENI in each chosen vSwitch,
 * which is where the TR's traffic enters the VPC) or an IPsec connection (CEN attach type).
 */
export interface TransitRouterAttachment {
  TransitRouterAttachmentId: string;
  TransitRouterId: string;
  ResourceType: 'VPC' | 'VPN';
  /** The VpcId or the VpnConnectionId. */
  ResourceId: string;
  TransitRouterAttachmentName: string;
  TransitRouterAttachmentDescription: string;
  /** VPC attachments: the TR's ENI in each vSwitch. */
  ZoneMappings: { ZoneId: string; VSwitchId: string; NetworkInterfaceIp: string }[];
  /** The TR route table its traffic is routed by (associated forwarding); absent: none. */
  AssociatedRouteTableId?: string;
  /** The TR route tables it advertises its routes to (route learning). */
  PropagatedRouteTableIds: string[];
  CreationTime: string;
}

/** Cloud service access through a TR (ResolveAndRouteServiceInCen, F6): Host reached via HostVpcId. */
export interface CenRouteService {
  CenId: string;
  /** The service's address or CIDR block (in 100.64.0.0/10). */
  Host: string;
  HostRegionId: string;
  HostVpcId: string;
  AccessRegionId: string;
  Description: string;
  CreateTime: string;
}

export interface Cname {
  Name: string;
  Target: string;
}

export interface CloudModel {
  RegionId: string;
  /** IdGenerator counter, kept in the model so restores never reuse an ID. */
  idCounter: number;
  vpcs: Vpc[];
  vswitches: VSwitch[];
  routeTables: RouteTable[];
  instances: Instance[];
  internetHosts: InternetHost[];
  eips: Eip[];
  ipv4Gateways: Ipv4Gateway[];
  natGateways: NatGateway[];
  cnames: Cname[];
  gwlbs: GwlbLoadBalancer[];
  serverGroups: GwlbServerGroup[];
  listeners: GwlbListener[];
  endpointServices: VpcEndpointService[];
  endpoints: VpcEndpoint[];
  interfaceEndpoints: InterfaceEndpoint[];
  idcSites: IdcSite[];
  cloudServices: CloudService[];
  vpnGateways: VpnGateway[];
  customerGateways: CustomerGateway[];
  vpnConnections: VpnConnection[];
  vpnRouteEntries: VpnRouteEntry[];
  cens: CenInstance[];
  transitRouters: TransitRouter[];
  trAttachments: TransitRouterAttachment[];
  trRouteEntries: TransitRouterRouteEntry[];
  cenRouteServices: CenRouteService[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
}

export function emptyModel(regionId = 'cn-hangzhou'): CloudModel {
  return {
    RegionId: regionId, idCounter: 0, vpcs: [], vswitches: [], routeTables: [], instances: [], internetHosts: [], eips: [],
    ipv4Gateways: [], natGateways: [], cnames: [], gwlbs: [], serverGroups: [], listeners: [], endpointServices: [], endpoints: [], interfaceEndpoints: [], idcSites: [], cloudServices: [],
    vpnGateways: [], customerGateways: [], vpnConnections: [], vpnRouteEntries: [],
    cens: [], transitRouters: [], trAttachments: [], trRouteEntries: [], cenRouteServices: [],
    securityGroups: [], networkAcls: [],
  };
}
