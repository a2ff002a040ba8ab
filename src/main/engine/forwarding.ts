// ForwardingState: everything the hot path needs, compiled from the cloud model
// (cloud/compile.ts) and swapped in whole. Numbers and maps keyed by numbers only; the
// strings here are for the trace, read only when a packet is being traced.

import type { EniFilterFw } from './filter/rules';
import type { Lpm } from './lpm';
import { emptyPrivateLink, type PrivateLinkFw } from './privatelink/fw';

export const PortKind = {
  /** An ECS instance's primary ENI. */
  Ecs: 1,
  /** A host on the lab's Internet (8.8.8.8, a client…). */
  Internet: 2,
  /** A cloud service inside 100.64.0.0/10 seen from one VPC (the VPC DNS 100.100.2.136). */
  Service: 3,
  /** A host on an IDC's LAN (lab-only on-premises site). */
  IdcHost: 4,
  /** An IDC's router, the customer gateway: a public address on the Internet and one on the LAN. */
  IdcGateway: 5,
  /** One of a VPN gateway's two tunnel endpoints (F3): a lab-managed appliance running charon,
   * a public address on the Internet and a leg (a private address) in its vSwitch. */
  VpnEndpoint: 6,
  /** The tunnel appliance of an IPsec connection attached to a transit router (F1 model 2):
   * charon on the connection's public address; what it decrypts goes to the transit router. */
  TrTunnelEndpoint: 7,
} as const;

export const HopKind = {
  /** System entry of a vSwitch CIDR: deliver to the address itself. */
  Local: 1,
  /** System entry 100.64.0.0/10: the VPC's cloud services. */
  Service: 2,
  /** Custom entry to an ECS: deliver unchanged to that instance (A8). */
  Instance: 3,
  /** Custom entry to the VPC's IPv4 gateway (B5.1). */
  Ipv4Gateway: 4,
  /** Custom entry to an Internet NAT gateway (D5.1, D13). */
  NatGateway: 5,
  /** Custom entry to a GWLB endpoint (E3.1, E10): in via the gateway table, out via the subnet's. */
  GwlbEndpoint: 6,
  /** Entry to a VPN gateway (published by it, F5, or added by the user): its own routes decide. */
  VpnGateway: 7,
  /** Entry to the VPC's transit router attachment: the TR's route table decides. */
  Attachment: 8,
} as const;

/** A VPC's working mode (SEMANTICS B9). */
export const VpcMode = {
  /** No active IPv4 gateway: EIP direct access (A9–A11). */
  Default: 1,
  /** An active IPv4 gateway: Internet traffic follows route tables, NAT at the gateway (B5). */
  Controlled: 2,
  /** Gateway deleted in private mode: no Internet at all (B8.2). */
  Private: 3,
} as const;

export interface RouteHop {
  kind: number;
  /** Destination port for Instance hops. */
  port: number;
  /** The NAT gateway of NatGateway hops. */
  nat?: NatFw;
  /** The endpoint of GwlbEndpoint hops. */
  gwlbe?: GwlbeFw;
  /** The gateway of VpnGateway hops. */
  vpn?: VpnGatewayFw;
  /** The VPC attachment of Attachment hops. */
  att?: TrAttachmentFw;
  /** How the trace names the deciding entry, e.g. `8.8.8.8/32 → ECS-B (custom)`. */
  rule: string;
}

export interface RouteTableFw {
  id: string;
  /** How the trace names it: `vtb-… (rt-a)`, `vtb-… (system)`. */
  label: string;
  device: number;
  lpm: Lpm<RouteHop>;
}

export interface VpcFw {
  id: string;
  cidrAddr: number;
  cidrMask: number;
  /** Private address → port of the ECS holding it. */
  hosts: Map<number, number>;
  /** 100.64/10 address → port of the service host. */
  services: Map<number, number>;
  mode: number;
  /** Private address → the EIP mapped to it: the IPv4 gateway's translation key (B5.2). */
  eipByPrivate: Map<number, number>;
  /** The VPC's IPv4 gateway, active or not; null when it has none. */
  igw: IgwFw | null;
  /** The addresses GWLB instances of this VPC talk to their backends from (E1): backends'
   * Geneve returns and health-check answers come to these. */
  gwlbAddrs: Map<number, GwlbFw>;
  /** Its system route table: how its cloud services answer what is not an ECS (an IDC over a VPN). */
  system: RouteTableFw | null;
}

export interface IgwFw {
  id: string;
  device: number;
  active: boolean;
  /** The gateway route table bound to it (B5.3), or null. */
  table: RouteTableFw | null;
}

export interface PortFw {
  kind: number;
  name: string;
  device: number;
  ip: number;
  /** Index into vpcs (ECS and service ports), else -1. */
  vpc: number;
  /** Index into idcs (IDC hosts and gateways), else -1. */
  site: number;
  /** ECS: the route table of its vSwitch. */
  table: RouteTableFw | null;
  /** ECS: its EIP (0 when it has none) and that EIP's counter device. */
  eip: number;
  eipDevice: number;
  eipId: string;
  /** StopInstances: its traffic is dropped both ways; the namespace and processes stay. */
  stopped: boolean;
  /** VPN endpoints: their gateway, and which of its two endpoints (0 or 1) this is. */
  vpn: VpnGatewayFw | null;
  tunnelIndex: number;
  /** A transit router connection's tunnel appliance: its connection, and its attachment (null while unattached). */
  vpnConn: VpnConnFw | null;
  trAtt: TrAttachmentFw | null;
  /** ECS: its security groups and its vSwitch's network ACL (null: nothing to check). */
  filter: EniFilterFw | null;
}

export interface EipFw {
  id: string;
  device: number;
  vpc: number;
  privateIp: number;
  port: number;
}

/** An SNAT entry: the EIPs a source CIDR may leave with (D4–D6). */
export interface SnatFw {
  id: string;
  eips: number[];
  affinity: boolean;
}

/** One side of a DNAT port mapping (D10.1): where a public port leads, or where a reply goes. */
export interface DnatFw {
  ip: number;
  port: number;
  id: string;
}

/** DNAT map keys: protocol (TCP 1, UDP 2), address and port packed exactly into a double. */
export const dnatKey = (protocol: number, addr: number, port: number): number => (addr * 65536 + port) * 4 + (protocol === 6 ? 1 : protocol === 17 ? 2 : 3);

export interface NatFw {
  id: string;
  device: number;
  vpc: number;
  /** SNAT entries by longest source prefix (D5). */
  snat: Lpm<SnatFw>;
  /** Source port range (D7), shrinkable in the lab. */
  portMin: number;
  portMax: number;
  icmpReply: boolean;
  /** Port mapping, public (proto, EIP, port) → private, and private → public for replies. */
  dnatIn: Map<number, DnatFw>;
  dnatOut: Map<number, DnatFw>;
  /** IP mapping (Any port, D10.2): EIP → private address and back. */
  ipMapIn: Map<number, number>;
  ipMapOut: Map<number, number>;
  eips: Set<number>;
  /** The route table of the gateway's own vSwitch: with an active IPv4 gateway, translated
   * traffic must be routed from there to the IPv4 gateway (D12). */
  table: RouteTableFw | null;
}

/**
 * A GWLB endpoint (E2): the ENI a route table sends traffic to, and the GWLB behind its
 * endpoint service. What comes back from the GWLB leaves by the route table of the
 * endpoint's own vSwitch (E3.5).
 */
export interface GwlbeFw {
  id: string;
  device: number;
  /** The consumer VPC (index into vpcs). */
  vpc: number;
  zone: string;
  eniIp: number;
  table: RouteTableFw | null;
  /** Null while it is not connected, or its service has no GWLB with a listener here. */
  gwlb: GwlbFw | null;
  /** Geneve option values (E5): this endpoint and its connection, as 32-bit halves. */
  endpointHi: number;
  endpointLo: number;
  connectionHi: number;
  connectionLo: number;
}

/** A backend of a server group, as the GWLB sends to it. */
export interface BackendFw {
  id: string;
  /** The name the trace uses (the ECS's name, or the address). */
  name: string;
  ip: number;
  /** Removed with connection draining on: no new flows; existing ones until drainEnd (ms). */
  draining: boolean;
  drainEnd: number;
}

export interface HealthCheckFw {
  enabled: boolean;
  port: number;
  timeoutMs: number;
  intervalMs: number;
  healthy: number;
  unhealthy: number;
}

/** A GWLB instance with its listener's server group (E1–E9). */
export interface GwlbFw {
  id: string;
  device: number;
  /** The provider (security) VPC. */
  vpc: number;
  /** Zone → the instance's address there; the first is used for probes. */
  addrByZone: Map<string, number>;
  firstAddr: number;
  groupId: string;
  /** Hash inputs (E1): 5 = 5-tuple, 3 = addresses and protocol, 2 = addresses. */
  tuple: 5 | 3 | 2;
  rebalance: boolean;
  idleMs: number;
  backends: BackendFw[];
  health: HealthCheckFw;
}

/**
 * An on-premises site: a LAN the engine switches by address, and its router (the customer
 * gateway) that every packet for elsewhere goes to, as a host's default route says.
 */
export interface IdcFw {
  id: string;
  /** How the trace names the LAN, e.g. `idc-1 LAN 172.16.0.0/16`. */
  label: string;
  device: number;
  cidrAddr: number;
  cidrMask: number;
  /** LAN address → port (the gateway's LAN address included). */
  lan: Map<number, number>;
  gatewayPort: number;
  publicIp: number;
}

/** F4: a connection's health check, ICMP echo from `sip` to `dip` through each tunnel. */
export interface VpnHealthFw {
  sip: number;
  dip: number;
  intervalMs: number;
  retry: number;
  /** revoke_route: while it fails, the VPC's routes to the gateway for this connection are withdrawn. */
  revoke: boolean;
}

export interface VpnTunnelFw {
  id: string;
  /** 0 for tunnel 1, 1 for tunnel 2: the gateway endpoint it terminates on. */
  index: number;
  device: number;
  conn: VpnConnFw;
}

/** An IPsec-VPN connection (F3): two tunnels, the master one preferred. */
export interface VpnConnFw {
  id: string;
  device: number;
  tunnels: VpnTunnelFw[];
  /** Index into tunnels of the master (active) tunnel. */
  master: number;
  health: VpnHealthFw | null;
  /** The IDC side's addresses (RemoteSubnet, or its routes' destinations): incoming traffic is counted to it. */
  remote: Lpm<true>;
  /** Per tunnel index, the port of the appliance it ends on (-1 until wired). */
  ports: number[];
}

/** A route of a VPN gateway to a connection; active (Weight 100) or standby (0) (F5). */
export interface VpnRouteFw {
  conn: VpnConnFw;
  active: boolean;
  /** How the trace names it: `172.16.0.0/16 → vco-… (destination route, active)`. */
  rule: string;
}

/** A policy-based route (F5.1): source and destination, tried by priority before any destination route. */
export interface VpnPbrFw {
  srcAddr: number;
  srcMask: number;
  dstAddr: number;
  dstMask: number;
  priority: number;
  routes: VpnRouteFw[];
}

/** A VPN gateway (F1–F5): its routes, and the two endpoints its tunnels terminate on. */
export interface VpnGatewayFw {
  id: string;
  device: number;
  vpc: number;
  /** By priority ascending. */
  pbr: VpnPbrFw[];
  /** Destination routes by LPM; each destination's active and standby routes. */
  dbr: Lpm<VpnRouteFw[]>;
  /** The endpoints' ports (tunnel 1's zone, tunnel 2's); -1 until wired. */
  endpointPorts: number[];
  endpointIps: number[];
  /** What comes in from the IDC is routed by the route table of the endpoint's vSwitch. */
  tables: (RouteTableFw | null)[];
  conns: VpnConnFw[];
}

export const AttachmentKind = { Vpc: 1, Vpn: 2 } as const;

export interface TransitRouterFw {
  id: string;
  device: number;
}

/** A network instance attached to a transit router (a VPC, or an IPsec connection). */
export interface TrAttachmentFw {
  id: string;
  /** How the trace names it: `tr-attach-… (VPC vpc-…)`. */
  label: string;
  device: number;
  kind: number;
  tr: TransitRouterFw;
  /** ECMP's rendezvous weight seed: a hash of its ID, stable across compiles. */
  key: number;
  /** Its associated route table: what routes the traffic it brings in; null: none (dropped). */
  table: TrRouteTableFw | null;
  /** VPC attachments: the VPC (index into vpcs), and the route table of its ENI's vSwitch,
   * which routes what the TR sends into the VPC. */
  vpc: number;
  vpcTable: RouteTableFw | null;
  /** VPN attachments: the connection. */
  conn: VpnConnFw | null;
}

/** A TR route's destination: its equal-cost members (F7), or a blackhole. */
export interface TrRouteFw {
  members: TrAttachmentFw[];
  blackhole: boolean;
  /** How the trace names it: `172.16.0.0/16 → 4 attachments (static)`. */
  rule: string;
}

export interface TrRouteTableFw {
  id: string;
  label: string;
  device: number;
  lpm: Lpm<TrRouteFw>;
}

export interface ForwardingState {
  /** Indexed by port number; holes for ports not (yet) wired. */
  ports: (PortFw | undefined)[];
  vpcs: VpcFw[];
  /** Public address → Internet host port. */
  internetHosts: Map<number, number>;
  /** EIP address → its association (A11 inbound, default mode). */
  eips: Map<number, EipFw>;
  /** EIP address → the NAT gateway it is associated with. */
  natEips: Map<number, NatFw>;
  nats: NatFw[];
  gwlbs: GwlbFw[];
  /** GWLB endpoints by the first half of their option ID (E5 type 1): where returns go. */
  gwlbeByOption: Map<number, GwlbeFw>;
  idcs: IdcFw[];
  vpnGateways: VpnGatewayFw[];
  /** Every IPsec connection, on a gateway or a transit router: health checks and tunnel lookups. */
  vpnConns: VpnConnFw[];
  trAttachments: TrAttachmentFw[];
  internetDevice: number;
  /** PrivateLink interface endpoints' ENIs (engine/privatelink/). */
  privateLink: PrivateLinkFw;
}

/** Nothing wired: what the engine starts with; compile() fills one in. */
export function emptyState(internetDevice = -1): ForwardingState {
  return {
    ports: [], vpcs: [], internetHosts: new Map(), eips: new Map(), natEips: new Map(), nats: [], gwlbs: [], gwlbeByOption: new Map(), idcs: [], vpnGateways: [],
    vpnConns: [], trAttachments: [], internetDevice, privateLink: emptyPrivateLink(),
  };
}
