// The shape of a scenario file, declared once in the schema language (schema-lang.ts): each
// object, its fields, their types, defaults and meaning. Rules that relate several fields
// (a vSwitch inside its VPC, references that must resolve…) are in rules.ts; this file
// only says what each field looks like on its own.

import { DEFAULT_PORTS, SERVICE_KINDS, SERVICE_PROTOCOLS } from '../services/kinds';
import type { ObjectSpec, StringFormat, TypeSpec } from './schema-lang';



/** Next-hop types accepted in vSwitch route tables (SEMANTICS A6). */
export const NEXT_HOP_TYPES = [
  'Instance',
  'HaVip',
  'RouterInterface',
  'NetworkInterface',
  'VpnGateway',
  'IPv6Gateway',
  'NatGateway',
  'Attachment',
  'VpcPeer',
  'Ipv4Gateway',
  'GatewayEndpoint',
  'Ecr',
  'GatewayLoadBalancerEndpoint',
] as const;

/** `TCP for http-hello, …, UDP and TCP for dns`: from the service table, so it cannot drift. */
function protocolsDoc(): string {
  return SERVICE_KINDS.map((k) => `${SERVICE_PROTOCOLS[k].map((p) => p.toUpperCase()).join(' and ')} for ${k}`).join(', ');
}

const str = (format?: StringFormat): TypeSpec => (format ? { type: 'string', format } : { type: 'string' });
const listOf = (object: ObjectSpec): TypeSpec => ({ type: 'list', items: { type: 'object', object } });
const regexes: TypeSpec = { type: 'list', items: str('regex'), orSingle: true };

export const SERVICE: ObjectSpec = {
  name: 'Service',
  doc:
    'A program of ours started inside the host. Written either as the bare kind (`dns`) ' +
    'or as a map (`{ kind: http-hello, port: 8080, body: "Hello" }`).',
  shorthand: 'kind',
  fields: {
    kind: { type: { type: 'string', enum: SERVICE_KINDS }, required: true, doc: 'Which service.' },
    port: {
      type: { type: 'number', integer: true, min: 1, max: 65535 },
      defaultDoc: Object.entries(DEFAULT_PORTS).map(([kind, port]) => `${kind} ${port}`).join(', '),
      doc: `Listening port, on ${protocolsDoc()}; two services of one host may not share a port and protocol.`,
    },
    body: {
      type: str('text'),
      defaultDoc: '`Hello World ! This is <host>.` (filled in by the service)',
      doc: 'http-hello only: the exact response body.',
    },
  },
};

export const ROUTE_ENTRY: ObjectSpec = {
  name: 'RouteEntry',
  doc: 'A custom route entry, as CreateRouteEntry would add it.',
  pos: true,
  fields: {
    destination: {
      type: str('cidrOrIp'),
      required: true,
      doc:
        'Destination CIDR block; a bare IPv4 address means /32 (and is stored as such). ' +
        'Unique within its table; may not equal or lie inside a vSwitch CIDR of the VPC; ' +
        'may not be 100.64.0.0/10 or inside it.',
    },
    nextHopType: {
      type: { type: 'string', enum: NEXT_HOP_TYPES },
      default: 'Instance',
      doc: 'Next-hop type.',
    },
    nextHop: {
      type: str('label'),
      required: true,
      doc: 'The next hop by name. For `Instance`, an ECS of the same VPC; other types name resources created by steps.',
    },
  },
};

export const ROUTE_TABLE: ObjectSpec = {
  name: 'RouteTable',
  doc: 'A custom route table of vSwitch type, at most 9 per VPC.',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    vswitches: {
      type: { type: 'list', items: str('resourceName') },
      default: [],
      doc: 'vSwitches of the same VPC bound to this table; a vSwitch is bound to at most one custom table.',
    },
    entries: { type: listOf(ROUTE_ENTRY), default: [], doc: 'Custom entries, at most 200.' },
  },
};

export const VSWITCH: ObjectSpec = {
  name: 'VSwitch',
  doc: 'A subnet of its VPC, in one zone.',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    cidr: {
      type: str('cidr'),
      required: true,
      doc: 'IPv4 CIDR block, prefix length 16 to 29, inside the VPC CIDR and not overlapping the other vSwitches of the VPC.',
    },
    zone: { type: str('label'), doc: 'Zone ID, e.g. `ap-northeast-1a` (informational).' },
  },
};

export const VPC: ObjectSpec = {
  name: 'Vpc',
  doc: 'A VPC with its vSwitches and route tables.',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    cidr: {
      type: str('cidr'),
      required: true,
      doc: 'IPv4 CIDR block, prefix length 8 to 28, not overlapping 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16 or 224.0.0.0/4.',
    },
    vswitches: { type: listOf(VSWITCH), default: [], doc: 'The vSwitches.' },
    systemRoutes: {
      type: listOf(ROUTE_ENTRY),
      default: [],
      doc: "Custom entries added to the VPC's system route table.",
    },
    routeTables: { type: listOf(ROUTE_TABLE), default: [], doc: 'Custom route tables (vSwitch type).' },
  },
};

export const ECS: ObjectSpec = {
  name: 'Ecs',
  doc: 'An ECS instance: a lab host attached to a vSwitch.',
  pos: true,
  fields: {
    name: {
      type: str('hostName'),
      required: true,
      doc: 'Host name (`^[A-Za-z][A-Za-z0-9_-]{0,30}$`), unique across ECS and Internet hosts.',
    },
    vswitch: { type: str('resourceName'), required: true, doc: 'The vSwitch it is attached to.' },
    ip: {
      type: str('ipv4'),
      required: true,
      doc: 'Primary private IPv4 address: inside the vSwitch CIDR, not one of its reserved addresses (the first and the last three), unique in the lab.',
    },
    eip: {
      type: str('ipv4'),
      doc: 'An EIP to allocate and associate (a public address, unique in the lab).',
    },
    ipForward: {
      type: { type: 'boolean' },
      default: false,
      doc: 'Set `net.ipv4.ip_forward=1` in the host, for ECS used as a next hop.',
    },
    mtu: {
      type: { type: 'number', integer: true, enum: [1500, 8500] },
      default: 1500,
      doc: 'MTU of its NIC: 1500, or 8500 (jumbo frames) for an appliance behind a Gateway Load Balancer, whose Geneve packets add 68 bytes to a 1500-byte packet.',
    },
    services: {
      type: listOf(SERVICE),
      default: [],
      doc: 'Services started in the host.',
    },
    securityGroups: {
      type: { type: 'list', items: str('resourceName') },
      default: [],
      defaultDoc: "none: the VPC's lab default group `default` (accepts all inbound, allows all outbound)",
      doc: 'Security groups of its NIC (RunInstances SecurityGroupIds): 1 to 5 groups of `topology.securityGroups`, of its VPC, all basic or all enterprise.',
    },
  },
};

const SG_PROTOCOL: TypeSpec = { type: 'string', enum: ['tcp', 'udp', 'icmp', 'gre', 'all'] };
const PORTS_DOC = 'Port range `a/b` (1 ≤ a ≤ b ≤ 65535) for tcp and udp; `-1/-1` (the default) for icmp, gre and all.';

export const SECURITY_GROUP_RULE: ObjectSpec = {
  name: 'SecurityGroupRule',
  doc: 'A rule of a security group, as AuthorizeSecurityGroup (ingress) or AuthorizeSecurityGroupEgress (egress) adds it (SEMANTICS H1).',
  pos: true,
  fields: {
    direction: { type: { type: 'string', enum: ['ingress', 'egress'] }, required: true, doc: 'Inbound (`ingress`) or outbound (`egress`).' },
    protocol: { type: SG_PROTOCOL, required: true, doc: 'IP protocol.' },
    ports: { type: str('label'), defaultDoc: '`-1/-1` for icmp, gre and all; required for tcp and udp', doc: PORTS_DOC },
    source: { type: str('cidrOrIp'), doc: 'Ingress: the peer by address (SourceCidrIp); a bare address means /32. Exactly one of `source` and `sourceGroup`.' },
    sourceGroup: { type: str('resourceName'), doc: 'Ingress: the peer by group (SourceGroupId), a group of the same VPC.' },
    dest: { type: str('cidrOrIp'), doc: 'Egress: the peer by address (DestCidrIp). Exactly one of `dest` and `destGroup`.' },
    destGroup: { type: str('resourceName'), doc: 'Egress: the peer by group (DestGroupId), a group of the same VPC.' },
    policy: { type: { type: 'string', enum: ['accept', 'drop'] }, default: 'accept', doc: 'Accept or drop.' },
    priority: { type: { type: 'number', integer: true, min: 1, max: 100 }, default: 1, doc: 'Smaller first; at the same priority drop wins.' },
    description: { type: str('label'), doc: 'Description; also names the rule in steps (`SecurityGroupRuleId: <description>`).' },
  },
};

export const SECURITY_GROUP: ObjectSpec = {
  name: 'SecurityGroup',
  doc: 'A security group (CreateSecurityGroup) with its rules, at most 200 (SEMANTICS H1–H3).',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    vpc: { type: str('resourceName'), required: true, doc: 'The VPC it belongs to.' },
    type: { type: { type: 'string', enum: ['normal', 'enterprise'] }, default: 'normal', doc: 'Basic (`normal`) or enterprise group.' },
    innerAccess: {
      type: { type: 'string', enum: ['accept', 'drop'] },
      defaultDoc: '`accept` for a basic group, `drop` for an enterprise group',
      doc: "A basic group's internal access (ModifySecurityGroupPolicy): whether its instances reach each other without a rule. An enterprise group takes `drop` only.",
    },
    rules: { type: listOf(SECURITY_GROUP_RULE), default: [], doc: 'Its rules, ingress and egress.' },
  },
};

export const NETWORK_ACL_ENTRY: ObjectSpec = {
  name: 'NetworkAclEntry',
  doc: 'A custom entry of a network ACL; the order of the list is the priority, the first match decides (SEMANTICS H4).',
  pos: true,
  fields: {
    policy: { type: { type: 'string', enum: ['accept', 'drop'] }, required: true, doc: 'Accept or drop.' },
    protocol: { type: SG_PROTOCOL, required: true, doc: 'IP protocol.' },
    source: { type: str('cidrOrIp'), doc: 'Ingress entries: the source block (required there, not allowed in egress).' },
    dest: { type: str('cidrOrIp'), doc: 'Egress entries: the destination block (required there, not allowed in ingress).' },
    ports: { type: str('label'), defaultDoc: '`-1/-1` for icmp, gre and all; required for tcp and udp', doc: `The **destination** port range, both ways. ${PORTS_DOC}` },
    name: { type: str('label'), doc: 'Entry name (NetworkAclEntryName).' },
  },
};

export const NETWORK_ACL: ObjectSpec = {
  name: 'NetworkAcl',
  doc: 'A network ACL (CreateNetworkAcl), stateless, associated with vSwitches; what no entry accepts is dropped, DNS and metadata excepted (SEMANTICS H4, docs/security-rules.md ACL3).',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    vpc: { type: str('resourceName'), required: true, doc: 'The VPC it belongs to.' },
    vswitches: { type: { type: 'list', items: str('resourceName') }, default: [], doc: 'vSwitches of the same VPC it is associated with; a vSwitch has at most one ACL.' },
    ingress: { type: listOf(NETWORK_ACL_ENTRY), default: [], doc: 'Inbound entries, at most 20.' },
    egress: { type: listOf(NETWORK_ACL_ENTRY), default: [], doc: 'Outbound entries, at most 20.' },
  },
};

export const INTERNET_HOST: ObjectSpec = {
  name: 'InternetHost',
  doc: "A host on the lab's simulated Internet, e.g. 8.8.8.8.",
  pos: true,
  fields: {
    name: {
      type: str('hostName'),
      required: true,
      doc: 'Host name (`^[A-Za-z][A-Za-z0-9_-]{0,30}$`), unique across ECS and Internet hosts.',
    },
    ip: {
      type: str('ipv4'),
      required: true,
      doc: 'A public IPv4 address (not RFC 1918, not 100.64.0.0/10, not loopback, link-local, multicast or reserved), unique in the lab.',
    },
    services: { type: listOf(SERVICE), default: [], doc: 'Services started in the host.' },
    names: {
      type: { type: 'list', items: str('dnsName') },
      default: [],
      doc: "DNS names that resolve (A) to this host in the lab's zone, e.g. `ifconfig.me`.",
    },
    ptr: { type: str('dnsName'), doc: 'The reverse name (PTR) of its address, e.g. `dns.google`.' },
  },
};

export const IDC_HOST: ObjectSpec = {
  name: 'IdcHost',
  doc: "A host on an IDC's LAN; its default route is the IDC's router.",
  pos: true,
  fields: {
    name: { type: str('hostName'), required: true, doc: 'Host name, unique across all hosts.' },
    ip: { type: str('ipv4'), required: true, doc: "Its address: inside the IDC's CIDR block, not the network or broadcast address, unique in the IDC." },
    services: { type: listOf(SERVICE), default: [], doc: 'Services started in the host.' },
  },
};

export const IDC_GATEWAY: ObjectSpec = {
  name: 'IdcGateway',
  doc: "The IDC's router, the customer gateway device: one leg on the lab's Internet, one on the LAN. It forwards, and runs strongSwan for IPsec-VPN.",
  pos: true,
  fields: {
    name: { type: str('hostName'), required: true, doc: 'Host name, unique across all hosts.' },
    publicIp: { type: str('ipv4'), required: true, doc: "Its public address on the lab's Internet, unique in the lab." },
    lanIp: { type: str('ipv4'), defaultDoc: "the first address of the IDC's CIDR block", doc: 'Its address on the LAN, the default gateway of the hosts.' },
  },
};

export const IDC: ObjectSpec = {
  name: 'Idc',
  doc: 'An on-premises data centre (IDC): a private LAN, its hosts, and the router that connects it to the Internet.',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Site name.' },
    cidr: { type: str('cidr'), required: true, doc: 'The LAN: a private block, /8 to /30.' },
    gateway: { type: { type: 'object', object: IDC_GATEWAY }, required: true, doc: 'Its router.' },
    hosts: { type: listOf(IDC_HOST), default: [], doc: 'Hosts on the LAN.' },
  },
};

export const CLOUD_SERVICE: ObjectSpec = {
  name: 'CloudService',
  doc: 'A cloud service outside every VPC, in 100.64.0.0/10 (like OSS or SLS): reached from a VPC by its 100.64.0.0/10 system route.',
  pos: true,
  fields: {
    name: { type: str('hostName'), required: true, doc: 'Host name, unique across all hosts.' },
    ip: { type: str('ipv4'), required: true, doc: 'Its address, in 100.64.0.0/10 (not the VPC DNS 100.100.2.136).' },
    names: { type: { type: 'list', items: str('dnsName') }, default: [], doc: "Its internal endpoint names in the lab's zone, e.g. `oss-cn-hangzhou-internal.aliyuncs.com`." },
    services: { type: listOf(SERVICE), default: [], doc: 'Services started in the host.' },
  },
};

export const CNAME: ObjectSpec = {
  name: 'Cname',
  doc: "A CNAME record in the lab's zone.",
  pos: true,
  fields: {
    name: {
      type: str('dnsName'),
      required: true,
      doc: 'The alias, e.g. `www.aliyun.com`; it may not also be a host name in `names` or another CNAME.',
    },
    target: { type: str('dnsName'), required: true, doc: 'The canonical name it points to.' },
  },
};

export const TOPOLOGY: ObjectSpec = {
  name: 'Topology',
  doc: 'What exists before the first step.',
  fields: {
    vpcs: { type: listOf(VPC), default: [], doc: 'VPCs.' },
    ecs: { type: listOf(ECS), default: [], doc: 'ECS instances.' },
    internet: { type: listOf(INTERNET_HOST), default: [], doc: 'Internet hosts.' },
    idcs: { type: listOf(IDC), default: [], doc: 'On-premises data centres, for IPsec-VPN.' },
    cloudServices: { type: listOf(CLOUD_SERVICE), default: [], doc: 'Cloud services in 100.64.0.0/10.' },
    cnames: { type: listOf(CNAME), default: [], doc: "CNAME records of the lab's DNS zone." },
    securityGroups: { type: listOf(SECURITY_GROUP), default: [], doc: 'Security groups; an ECS that names none is in its VPC\'s lab default group.' },
    networkAcls: { type: listOf(NETWORK_ACL), default: [], doc: 'Network ACLs on vSwitches.' },
  },
};

const SCALAR_OR_LIST: TypeSpec[] = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'list', items: { type: 'string' } }];

/**
 * An object inside one (`TunnelIkeConfig: { Psk: … }` in an item of
 * `TunnelOptionsSpecification`): scalar fields only.
 */
const NESTED_FIELDS: TypeSpec = {
  type: 'map',
  keyFormat: 'paramName',
  docAs: 'map of fields',
  values: { type: 'union', of: SCALAR_OR_LIST },
};

/**
 * The fields of an object parameter (`HealthCheckConfig: { HealthCheckInterval: 5 }`) or of
 * one item of a list of objects (`ZoneMappings: [{ ZoneId: …, VSwitchId: … }]`), whose
 * fields may be objects of their own (`TunnelOptionsSpecification: [{ TunnelIkeConfig: { Psk: … } }]`).
 */
const PARAM_FIELDS: TypeSpec = {
  type: 'map',
  keyFormat: 'paramName',
  docAs: 'map of fields',
  values: { type: 'union', of: [...SCALAR_OR_LIST, NESTED_FIELDS] },
};

const PARAM_VALUE: TypeSpec = {
  type: 'union',
  of: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'list', items: { type: 'union', of: [{ type: 'string' }, PARAM_FIELDS] } },
    PARAM_FIELDS,
  ],
};

export const ACTION: ObjectSpec = {
  name: 'Action',
  doc:
    'A control-plane call by its Alibaba API name. Short form: a map with exactly one key, ' +
    'the action name, whose value is the parameter map ' +
    '(`- CreateRouteEntry: { RouteTableId: rt-a, … }`). Long form: the fields below.',
  pos: true,
  singleKey: { nameField: 'action', valueField: 'params' },
  fields: {
    action: {
      type: str('actionName'),
      required: true,
      doc: 'API name, e.g. `CreateIpv4Gateway` (`^[A-Z][A-Za-z0-9]+$`).',
    },
    params: {
      type: { type: 'map', keyFormat: 'paramName', values: PARAM_VALUE },
      default: {},
      doc: 'Parameters by their API names; values are strings, numbers, booleans, lists of strings, maps (an object parameter such as `HealthCheckConfig`) or lists of maps (`ZoneMappings`, `Servers`). Resources are named by their scenario names, also inside maps (`ServerId: NVA-1`).',
    },
    expectError: {
      type: str('errorCode'),
      doc: 'The action must fail with this error code, e.g. `OperationDenied.VpcExistIpv4Gateway`.',
    },
  },
};

export const CAPTURE: ObjectSpec = {
  name: 'Capture',
  doc: 'A packet capture (tcpdump) on a host while the check runs.',
  fields: {
    host: {
      type: { type: 'list', items: str('hostName'), orSingle: true },
      required: true,
      as: 'hosts',
      doc: 'ECS or Internet host to capture on, or a list: each captures, and the expectations hold for what they saw together (the NVAs behind a GWLB, where the hash decides which one carries a flow).',
    },
    filter: { type: str('text'), default: '', doc: 'tcpdump filter expression, e.g. `icmp`; empty captures everything.' },
    expect: { type: regexes, default: [], doc: 'Regexes that must each appear in the capture (a string or a list).' },
    absent: {
      type: regexes,
      default: [],
      doc: 'Regexes that must not appear (a string or a list); `".+"` means nothing may be captured.',
    },
  },
};

export const TRACE: ObjectSpec = {
  name: 'Trace',
  doc: "The engine's trace of the packets the check's host sends while the command runs: per packet, each device it crossed, the decision and the rule, and the verdict (`delivered to ECS-B`, `dropped at vtb-… (rt-a): no entry matches 10.20.30.40`).",
  fields: {
    expect: { type: regexes, default: [], doc: 'Regexes that must each appear in the trace (a string or a list).' },
    absent: { type: regexes, default: [], doc: 'Regexes that must not appear (a string or a list).' },
  },
};

export const CHECK: ObjectSpec = {
  name: 'Check',
  doc: 'A command run inside a host, with what its result must be.',
  pos: true,
  fields: {
    name: { type: str('label'), required: true, doc: 'What the check shows, e.g. `ping ECS-B`.' },
    host: { type: str('hostName'), required: true, doc: 'ECS or Internet host to run in.' },
    run: { type: str('command'), required: true, doc: 'Command line, run with `bash -c` inside the host; `$VPCLAB_LOG_DIR` holds the services\' logs (`<host, lower case>.<kind>.<port>.log`).' },
    expect: {
      type: { type: 'string', enum: ['success', 'failure'] },
      default: 'success',
      doc: 'Whether the command must exit 0 (`success`) or not (`failure`).',
    },
    output: {
      type: regexes,
      default: [],
      doc: 'Regexes the combined stdout+stderr must each match (a string or a list).',
    },
    notOutput: { type: regexes, default: [], doc: 'Regexes it must not match (a string or a list).' },
    timeout: {
      type: { type: 'number', min: 0, minExclusive: true, max: 600 },
      default: 15,
      as: 'timeoutSec',
      doc: 'Seconds before the command is killed (and the check fails); at most 600.',
    },
    capture: { type: { type: 'object', object: CAPTURE }, doc: 'A capture that runs alongside.' },
    trace: { type: { type: 'object', object: TRACE }, doc: "What the engine's trace must show for this host's packets." },
  },
};

export const STEP: ObjectSpec = {
  name: 'Step',
  doc: 'One step of the tutorial: actions run in order, then the checks.',
  pos: true,
  fields: {
    name: { type: str('label'), required: true, doc: 'Title of the step.' },
    description: { type: str('text'), doc: 'Explanation shown with the step (markdown).' },
    actions: { type: listOf(ACTION), default: [], doc: 'Control-plane calls, in order.' },
    checks: { type: listOf(CHECK), default: [], doc: 'Checks run after the actions.' },
  },
};

export const SCENARIO: ObjectSpec = {
  name: 'Scenario',
  doc: 'The top level of a scenario file.',
  fields: {
    title: { type: str('label'), required: true, doc: 'Title shown in the tutorial list.' },
    source: { type: str('label'), doc: 'The public document it follows, as `Title — URL` (the Library links the URL), e.g. `IPv4 gateway — https://www.alibabacloud.com/help/en/vpc/user-guide/create-and-manage-an-ipv4-gateway`.' },
    summary: { type: str('text'), doc: 'What the lab shows (markdown).' },
    topology: { type: { type: 'object', object: TOPOLOGY }, required: true, doc: 'The lab before the first step.' },
    steps: { type: listOf(STEP), default: [], doc: 'The steps, in order; none for a free-form lab.' },
  },
};

/** Every object type, in the order the reference documentation lists them. */
export const ALL_OBJECTS: readonly ObjectSpec[] = [
  SCENARIO,
  TOPOLOGY,
  VPC,
  VSWITCH,
  ROUTE_TABLE,
  ROUTE_ENTRY,
  ECS,
  SERVICE,
  SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  NETWORK_ACL,
  NETWORK_ACL_ENTRY,
  INTERNET_HOST,
  IDC,
  IDC_GATEWAY,
  IDC_HOST,
  CLOUD_SERVICE,
  CNAME,
  STEP,
  ACTION,
  CHECK,
  CAPTURE,
];
