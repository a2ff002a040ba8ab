// The typed form of a scenario file (lab-scenarios/*.yaml) after validation.
// Names (not cloud IDs) are used throughout: the runner maps them to the resource IDs the
// control plane hands out, so a scenario reads like the tutorial it reproduces.

import type { ServiceKind } from '../services/kinds';

// Re-exported: the typed form is where readers of a scenario look for it (host/ uses it).
export type { ServiceKind };

/** Where a value came from in its file, so later errors can still point at it. */
export interface SourcePos {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface ServiceSpec {
  kind: ServiceKind;
  /** Defaults: http-hello 80, ip-echo 80, dns 53, tcp-echo 7, udp-echo 7. */
  port?: number;
  /** http-hello only: the exact response body (default `Hello World ! This is <host>.`). */
  body?: string;
}

export interface RouteEntrySpec {
  destination: string; // CIDR or bare IPv4 (stored as /32)
  nextHopType?: string; // default Instance
  nextHop: string; // a host name (Instance) or another resource name
  pos: SourcePos;
}

export interface RouteTableSpec {
  name: string;
  vswitches: string[]; // vSwitch names bound to this custom table
  entries: RouteEntrySpec[];
  pos: SourcePos;
}

export interface VSwitchSpec {
  name: string;
  cidr: string;
  zone?: string;
  pos: SourcePos;
}

export interface VpcSpec {
  name: string;
  cidr: string;
  vswitches: VSwitchSpec[];
  routeTables: RouteTableSpec[];
  /** Entries added to the system route table. */
  systemRoutes: RouteEntrySpec[];
  pos: SourcePos;
}

export interface EcsSpec {
  name: string;
  vswitch: string;
  ip: string;
  /** An EIP address to allocate and associate (AllocateEipAddress IpAddress=…). */
  eip?: string;
  services: ServiceSpec[];
  ipForward: boolean;
  /** The NIC's MTU: 1500 (default) or 8500, jumbo frames for an NVA behind a GWLB. */
  mtu: number;
  /** Security group names (RunInstances SecurityGroupIds); none: the VPC's lab default group. */
  securityGroups: string[];
  pos: SourcePos;
}

export type SgProtocolSpec = 'tcp' | 'udp' | 'icmp' | 'gre' | 'all';

/** A security group rule (AuthorizeSecurityGroup / AuthorizeSecurityGroupEgress). */
export interface SecurityGroupRuleSpec {
  direction: 'ingress' | 'egress';
  protocol: SgProtocolSpec;
  /** `80/80`; absent: `-1/-1` (icmp, gre, all). */
  ports?: string;
  source?: string;
  sourceGroup?: string;
  dest?: string;
  destGroup?: string;
  policy: 'accept' | 'drop';
  priority: number;
  description?: string;
  pos: SourcePos;
}

export interface SecurityGroupSpec {
  name: string;
  vpc: string;
  type: 'normal' | 'enterprise';
  /** Absent: the type's default (normal accept, enterprise drop). */
  innerAccess?: 'accept' | 'drop';
  rules: SecurityGroupRuleSpec[];
  pos: SourcePos;
}

/** A custom network ACL entry; its place in the list is its priority. */
export interface NetworkAclEntrySpec {
  policy: 'accept' | 'drop';
  protocol: SgProtocolSpec;
  /** Ingress entries. */
  source?: string;
  /** Egress entries. */
  dest?: string;
  ports?: string;
  name?: string;
  pos: SourcePos;
}

export interface NetworkAclSpec {
  name: string;
  vpc: string;
  vswitches: string[];
  ingress: NetworkAclEntrySpec[];
  egress: NetworkAclEntrySpec[];
  pos: SourcePos;
}

export interface InternetHostSpec {
  name: string;
  ip: string;
  services: ServiceSpec[];
  /** DNS names that resolve (A) to this host in the lab's zone, e.g. `ifconfig.me`. */
  names: string[];
  /** The reverse name (PTR) of this address, e.g. `dns.google` for 8.8.8.8. */
  ptr?: string;
  pos: SourcePos;
}

/** A host on an IDC's LAN. */
export interface IdcHostSpec {
  name: string;
  ip: string;
  services: ServiceSpec[];
  pos: SourcePos;
}

/** An on-premises data centre: a LAN behind its router, the customer gateway device. */
export interface IdcSpec {
  name: string;
  cidr: string;
  gateway: { name: string; publicIp: string; lanIp?: string; pos: SourcePos };
  hosts: IdcHostSpec[];
  pos: SourcePos;
}

/** A cloud service outside the VPCs, in 100.64.0.0/10 (OSS, SLS), with its internal names. */
export interface CloudServiceSpec {
  name: string;
  ip: string;
  names: string[];
  services: ServiceSpec[];
  pos: SourcePos;
}

/** A CNAME in the lab's zone, e.g. www.aliyun.com → www.aliyun.com.w.cdngslb.com. */
export interface CnameSpec {
  name: string;
  target: string;
  pos: SourcePos;
}

/** The fields of an object parameter, or of one item of a list of objects (`ZoneMappings`). */
export type ActionParamFields = Record<string, string | number | boolean | string[]>;

/** A control-plane call by its Alibaba name, e.g. CreateRouteEntry, with its parameters. */
export interface ActionSpec {
  action: string;
  params: Record<string, string | number | boolean | (string | ActionParamFields)[] | ActionParamFields>;
  /** When set, the action must fail with this Alibaba error code (the check of a negative step). */
  expectError?: string;
  pos: SourcePos;
}

export interface CaptureSpec {
  /** Each captures; `expect`/`absent` judge their output together, host by host. */
  hosts: string[];
  /** tcpdump filter expression, e.g. `icmp`. */
  filter: string;
  /** Regexes that must each appear in the capture. */
  expect: string[];
  /** Regexes that must not appear. `absent: ".+"` means nothing may be captured. */
  absent: string[];
}

/** The engine's trace of the check host's packets during the command, as text lines. */
export interface TraceSpec {
  expect: string[];
  absent: string[];
}

export interface CheckSpec {
  name: string;
  host: string;
  run: string; // a shell command line run with `bash -c` inside the host
  expect: 'success' | 'failure';
  /** Regexes the combined stdout+stderr must match (each of them). */
  output: string[];
  /** Regexes it must not match. */
  notOutput: string[];
  capture?: CaptureSpec;
  trace?: TraceSpec;
  timeoutSec: number; // default 15
  pos: SourcePos;
}

export interface StepSpec {
  name: string;
  description?: string;
  actions: ActionSpec[];
  checks: CheckSpec[];
  pos: SourcePos;
}

export interface Scenario {
  file: string;
  title: string;
  source?: string; // the seed document it reproduces
  summary?: string;
  vpcs: VpcSpec[];
  ecs: EcsSpec[];
  internet: InternetHostSpec[];
  idcs: IdcSpec[];
  cloudServices: CloudServiceSpec[];
  cnames: CnameSpec[];
  securityGroups: SecurityGroupSpec[];
  networkAcls: NetworkAclSpec[];
  steps: StepSpec[];
}
