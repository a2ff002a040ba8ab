// The shape of a scenario file, declared once, and the generic validator that walks the
// YAML syntax tree against it. Declaring the shape as data (not code) lets the same table
// drive validation, error messages and docs/scenario-format.md, so they cannot drift apart.
// Rules that relate several fields (a vSwitch inside its VPC, references that must
// resolve…) live in load.ts; this file only knows what each field looks like on its own.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { checkCidr, checkIp, formatCidr } from '../engine/wire/ipv4-addr';
import { SERVICE_KINDS } from '../services/kinds';
import { didYouMean, suggest } from '../util/did-you-mean';

// ---------------------------------------------------------------------------------------
// Schema language

/** Syntax checks (and normalisations) for string values. */
export type StringFormat =
  | 'nonEmpty'
  | 'ipv4'
  | 'cidr'
  | 'cidrOrIp'
  | 'regex'
  | 'hostName'
  | 'resourceName'
  | 'dnsName'
  | 'actionName'
  | 'errorCode';

export type TypeSpec =
  | { type: 'string'; format?: StringFormat; enum?: readonly string[] }
  | { type: 'number'; integer?: boolean; min?: number; max?: number; minExclusive?: boolean }
  | { type: 'boolean' }
  /** `orSingle`: a single item may stand for a one-item list (`output: "2 received"`). */
  | { type: 'list'; items: TypeSpec; orSingle?: boolean }
  /** A map with free keys (matching keyFormat) and typed values, e.g. action parameters. */
  | { type: 'map'; keyFormat: StringFormat | 'paramName'; values: TypeSpec }
  /** The first alternative whose YAML kind (string, number, boolean, list, map) fits. */
  | { type: 'union'; of: readonly TypeSpec[] }
  | { type: 'object'; object: ObjectSpec };

export interface FieldSpec {
  type: TypeSpec;
  required?: boolean;
  /** Filled in when the field is absent (or null). Lists and maps default to empty copies. */
  default?: unknown;
  /** Default that depends on other fields, for the docs only (load.ts fills it in). */
  defaultDoc?: string;
  /** The property name in the typed form when it differs from the YAML key. */
  as?: string;
  doc: string;
}

export interface ObjectSpec {
  /** The section title in the docs, e.g. `Check`. */
  name: string;
  doc: string;
  fields: Record<string, FieldSpec>;
  /** The typed form carries `pos` (where the object starts). */
  pos?: boolean;
  /** A scalar may stand for the object, e.g. `dns` for `{ kind: dns }`. */
  shorthand?: string;
  /**
   * A map without the `nameField` key and with exactly one key is read as
   * `{ [nameField]: key, [valueField]: value }`: `- CreateVpc: { CidrBlock: … }`.
   */
  singleKey?: { nameField: string; valueField: string };
}

// ---------------------------------------------------------------------------------------
// The scenario format


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
      defaultDoc: 'http-hello 80, ip-echo 80, dns 53, tcp-echo 7, udp-echo 7',
      doc: 'Listening port. dns listens on UDP and TCP, udp-echo on UDP, the others on TCP; two services of one host may not share a port and protocol.',
    },
    body: {
      type: str(),
      defaultDoc: '`Hello World ! This is <host>.` (filled in by the service)',
      doc: 'http-hello only: the exact response body.',
    },
  },
};

export const ROUTE_ENTRY: ObjectSpec = {
  name: 'RouteEntry',
  doc: 'A custom route entry, as CreateRouteEntry would add it (SEMANTICS A5).',
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
      doc: 'Next-hop type (SEMANTICS A6).',
    },
    nextHop: {
      type: str('nonEmpty'),
      required: true,
      doc: 'The next hop by name. For `Instance`, an ECS of the same VPC; other types name resources created by steps.',
    },
  },
};

export const ROUTE_TABLE: ObjectSpec = {
  name: 'RouteTable',
  doc: 'A custom route table of vSwitch type, at most 9 per VPC (SEMANTICS A2, A3).',
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
  doc: 'A subnet of its VPC, in one zone (SEMANTICS A1).',
  pos: true,
  fields: {
    name: { type: str('resourceName'), required: true, doc: 'Name, unique across the topology.' },
    cidr: {
      type: str('cidr'),
      required: true,
      doc: 'IPv4 CIDR block, prefix length 16 to 29, inside the VPC CIDR and not overlapping the other vSwitches of the VPC.',
    },
    zone: { type: str('nonEmpty'), doc: 'Zone ID, e.g. `ap-northeast-1a` (informational).' },
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
      doc: 'Set `net.ipv4.ip_forward=1` in the host, for ECS used as a next hop (SEMANTICS A8).',
    },
    services: {
      type: listOf(SERVICE),
      default: [],
      doc: 'Services started in the host.',
    },
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
    cnames: { type: listOf(CNAME), default: [], doc: "CNAME records of the lab's DNS zone." },
  },
};

const PARAM_VALUE: TypeSpec = {
  type: 'union',
  of: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'list', items: { type: 'string' } },
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
      doc: 'Parameters by their API names; values are strings, numbers, booleans or lists of strings. Resources are named by their scenario names.',
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
    host: { type: str('hostName'), required: true, doc: 'ECS or Internet host to capture on.' },
    filter: { type: str(), default: '', doc: 'tcpdump filter expression, e.g. `icmp`; empty captures everything.' },
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
    name: { type: str('nonEmpty'), required: true, doc: 'What the check shows, e.g. `ping ECS-B`.' },
    host: { type: str('hostName'), required: true, doc: 'ECS or Internet host to run in.' },
    run: { type: str('nonEmpty'), required: true, doc: 'Command line, run with `bash -c` inside the host; `$VPCLAB_LOG_DIR` holds the services\' logs (`<host, lower case>.<kind>.<port>.log`).' },
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
    name: { type: str('nonEmpty'), required: true, doc: 'Title of the step.' },
    description: { type: str(), doc: 'Explanation shown with the step (markdown).' },
    actions: { type: listOf(ACTION), default: [], doc: 'Control-plane calls, in order.' },
    checks: { type: listOf(CHECK), default: [], doc: 'Checks run after the actions.' },
  },
};

export const SCENARIO: ObjectSpec = {
  name: 'Scenario',
  doc: 'The top level of a scenario file.',
  fields: {
    title: { type: str('nonEmpty'), required: true, doc: 'Title shown in the tutorial list.' },
    source: { type: str('nonEmpty'), doc: 'The seed document it reproduces, e.g. `seeds/004_….txt`.' },
    summary: { type: str(), doc: 'What the lab shows (markdown).' },
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
  INTERNET_HOST,
  CNAME,
  STEP,
  ACTION,
  CHECK,
  CAPTURE,
];

// ---------------------------------------------------------------------------------------
// String formats

const HOST_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;
const RESOURCE_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,127}$/;
const ACTION_NAME = /^[A-Z][A-Za-z0-9]+$/;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9.]*$/;
const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const FORMAT_DOCS: Record<StringFormat | 'paramName', string> = {
  nonEmpty: 'non-empty string',
  ipv4: 'IPv4 address',
  cidr: 'IPv4 CIDR',
  cidrOrIp: 'IPv4 CIDR or address',
  regex: 'regex',
  hostName: 'host name',
  resourceName: 'name',
  dnsName: 'DNS name',
  actionName: 'API name',
  errorCode: 'error code',
  paramName: 'parameter name',
};

/** Checks a string; returns the (possibly normalised) value or an error message. */
export function checkFormat(format: StringFormat | 'paramName', s: string): { value: string } | { error: string } {
  switch (format) {
    case 'nonEmpty':
      return s.trim() === '' ? { error: 'must not be empty' } : { value: s };
    case 'ipv4': {
      const r = checkIp(s);
      return r.ok ? { value: s } : { error: `${show(s)} is not an IPv4 address: ${r.why}` };
    }
    case 'cidr':
    case 'cidrOrIp': {
      const r = checkCidr(s, { bareAddressIsHost: format === 'cidrOrIp' });
      if (r.ok) return { value: s.includes('/') ? s : `${s}/32` };
      if (r.network) return { error: `${s} has host bits set (did you mean ${formatCidr(r.network)}?)` };
      return { error: `${show(s)} is not an IPv4 CIDR block${format === 'cidrOrIp' ? ' or address' : ''}: ${r.why}` };
    }
    case 'regex':
      try {
        new RegExp(s);
        return { value: s };
      } catch (e) {
        return { error: `invalid regex ${show(s)}: ${(e as Error).message}` };
      }
    case 'hostName':
      return HOST_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a valid host name (a letter, then up to 30 letters, digits, _ or -)` };
    case 'resourceName':
      return RESOURCE_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a valid name (a letter, then letters, digits, ., _ or -; at most 128)` };
    case 'dnsName': {
      const labels = s.split('.');
      const ok = s.length <= 253 && labels.length >= 1 && labels.every((l) => DNS_LABEL.test(l));
      return ok ? { value: s.toLowerCase() } : { error: `${show(s)} is not a valid DNS name (like www.aliyun.com, no trailing dot)` };
    }
    case 'actionName':
      return ACTION_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not an API action name (like CreateRouteEntry: ^[A-Z][A-Za-z0-9]+$)` };
    case 'errorCode':
      return ERROR_CODE.test(s)
        ? { value: s }
        : { error: `${show(s)} is not an error code (like OperationDenied.VpcExistIpv4Gateway)` };
    case 'paramName':
      return PARAM_NAME.test(s)
        ? { value: s }
        : { error: `${show(s)} is not a parameter name (like DestinationCidrBlock or NextHopList.1.NextHopId)` };
  }
}

function show(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------------------
// The validator

export interface Pos {
  line: number; // 1-based
  column: number; // 1-based
}

export interface Issue extends Pos {
  path: string;
  message: string;
}

/** Where a value of the typed form came from: its YAML path and position. */
export interface Origin extends Pos {
  path: string;
}

/**
 * Origins of each validated object and array: the object itself and each of its fields
 * (by typed-form name) or items (by index). Defaulted fields point at their parent.
 */
export interface Meta {
  self: Origin;
  children: Map<string | number, Origin>;
}

export class Validator {
  readonly issues: Issue[] = [];
  readonly meta = new WeakMap<object, Meta>();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  posOf(node: Node | null | undefined, fallback?: Pos): Pos {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { line: 1, column: 1 };
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  issue(at: Pos, path: string, message: string): void {
    this.issues.push({ line: at.line, column: at.column, path, message });
  }

  sourcePos(at: Pos): { file: string; line: number; column: number } {
    return { file: this.file, line: at.line, column: at.column };
  }

  /** Validates `node` as `spec`; returns the typed value, or undefined when invalid. */
  value(node: unknown, spec: TypeSpec, path: string, at: Pos): unknown {
    node = this.deref(node);
    const here = isScalar(node) || isMap(node) || isSeq(node) ? this.posOf(node, at) : at;
    switch (spec.type) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') {
          this.issue(here, path, `expected a string, found ${describe(node)}`);
          return undefined;
        }
        const s = node.value;
        if (spec.enum) {
          if (!spec.enum.includes(s)) {
            this.issue(here, path, `${JSON.stringify(s)} is not one of ${spec.enum.join(', ')}${didYouMean(s, spec.enum)}`);
            return undefined;
          }
          return s;
        }
        if (!spec.format) return s;
        const r = checkFormat(spec.format, s);
        if ('error' in r) {
          this.issue(here, path, r.error);
          return undefined;
        }
        return r.value;
      }
      case 'number': {
        if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
          this.issue(here, path, `expected ${spec.integer ? 'an integer' : 'a number'}, found ${describe(node)}`);
          return undefined;
        }
        const n = node.value;
        if (spec.integer && !Number.isInteger(n)) {
          this.issue(here, path, `expected an integer, found ${n}`);
          return undefined;
        }
        const tooLow = spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min);
        const tooHigh = spec.max !== undefined && n > spec.max;
        if (tooLow || tooHigh) {
          this.issue(here, path, `${n} is out of range (${rangeText(spec)})`);
          return undefined;
        }
        return n;
      }
      case 'boolean':
        if (!isScalar(node) || typeof node.value !== 'boolean') {
          this.issue(here, path, `expected true or false, found ${describe(node)}`);
          return undefined;
        }
        return node.value;
      case 'list': {
        if (!isSeq(node)) {
          if (spec.orSingle && isScalar(node) && node.value !== null) {
            const one = this.value(node, spec.items, path, here);
            if (one === undefined) return undefined;
            const out = [one];
            this.meta.set(out, { self: { ...here, path }, children: new Map([[0, { ...here, path }]]) });
            return out;
          }
          this.issue(here, path, `expected a list${spec.orSingle ? ' or a single value' : ''}, found ${describe(node)}`);
          return undefined;
        }
        const out: unknown[] = [];
        const children = new Map<string | number, Origin>();
        node.items.forEach((item, i) => {
          const itemPath = `${path}[${i}]`;
          const itemPos = this.posOf(this.deref(item) as Node, here);
          const v = this.value(item, spec.items, itemPath, itemPos);
          if (v !== undefined) {
            children.set(out.length, { ...itemPos, path: itemPath });
            out.push(v);
          }
        });
        this.meta.set(out, { self: { ...here, path }, children });
        return out;
      }
      case 'map': {
        if (!isMap(node)) {
          this.issue(here, path, `expected a map, found ${describe(node)}`);
          return undefined;
        }
        const out: Record<string, unknown> = {};
        const children = new Map<string | number, Origin>();
        for (const pair of node.items) {
          const key = this.key(pair.key, path, here);
          if (key === undefined) continue;
          const keyPos = this.posOf(pair.key as Node, here);
          const kf = checkFormat(spec.keyFormat, key.text);
          if ('error' in kf) {
            this.issue(keyPos, joinPath(path, key.text), kf.error);
            continue;
          }
          const valuePath = joinPath(path, key.text);
          const valuePos = this.valuePos(pair.value, keyPos);
          const v = this.value(pair.value, spec.values, valuePath, valuePos);
          if (v !== undefined) {
            out[key.text] = v;
            children.set(key.text, { ...valuePos, path: valuePath });
          }
        }
        this.meta.set(out, { self: { ...here, path }, children });
        return out;
      }
      case 'union': {
        const kind = kindOf(node);
        const alt = spec.of.find((t) => t.type === kind);
        if (!alt) {
          const kinds = spec.of.map((t) => (t.type === 'list' ? 'a list of strings' : `a ${t.type}`));
          this.issue(here, path, `expected ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}, found ${describe(node)}`);
          return undefined;
        }
        return this.value(node, alt, path, here);
      }
      case 'object':
        return this.object(node, spec.object, path, here);
    }
  }

  private object(node: unknown, spec: ObjectSpec, path: string, at: Pos): Record<string, unknown> | undefined {
    if (spec.shorthand && isScalar(node) && typeof node.value === 'string') {
      const field = spec.fields[spec.shorthand];
      const out: Record<string, unknown> = {};
      const v = this.value(node, field.type, joinPath(path, spec.shorthand), at);
      if (v === undefined) return undefined;
      out[field.as ?? spec.shorthand] = v;
      const children = new Map<string | number, Origin>([[field.as ?? spec.shorthand, { ...at, path: joinPath(path, spec.shorthand) }]]);
      this.fillDefaults(spec, out, new Set([spec.shorthand]), path, at, children);
      this.meta.set(out, { self: { ...at, path }, children });
      if (spec.pos) out.pos = this.sourcePos(at);
      return out;
    }
    if (!isMap(node)) {
      const alt = spec.shorthand ? ` or a ${spec.shorthand} name` : '';
      this.issue(at, path, `expected a map (${spec.name})${alt}, found ${describe(node)}`);
      return undefined;
    }

    // Collect keys first (to know whether the single-key form applies).
    const pairs: { key: string; keyPos: Pos; value: unknown }[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = this.key(pair.key, path, at);
      if (key === undefined) continue;
      pairs.push({ key: key.text, keyPos: this.posOf(pair.key as Node, at), value: pair.value });
    }

    const out: Record<string, unknown> = {};
    const children = new Map<string | number, Origin>();
    const seen = new Set<string>();

    if (spec.singleKey && !pairs.some((p) => p.key === spec.singleKey!.nameField)) {
      const { nameField, valueField } = spec.singleKey;
      if (pairs.length !== 1) {
        const keys = pairs.map((p) => p.key).join(', ') || 'none';
        this.issue(
          at,
          path,
          `${article(spec.name)} ${spec.name.toLowerCase()} is either a map with exactly one key (the ${nameField} name) or has ${article(nameField)} \`${nameField}\` field; found keys: ${keys}`,
        );
        return undefined;
      }
      const [{ key, keyPos, value }] = pairs;
      const namePath = joinPath(path, nameField);
      const r = checkFormat((spec.fields[nameField].type as { format: StringFormat }).format, key);
      if ('error' in r) {
        this.issue(keyPos, path, r.error);
        out[nameField] = undefined;
      } else {
        out[nameField] = r.value;
      }
      children.set(nameField, { ...keyPos, path: namePath });
      const valuePath = joinPath(path, key);
      const valuePos = this.valuePos(value, keyPos);
      if (!isNull(value)) {
        const v = this.value(value, spec.fields[valueField].type, valuePath, valuePos);
        if (v !== undefined) out[valueField] = v;
        children.set(valueField, { ...valuePos, path: valuePath });
        seen.add(valueField);
      }
      seen.add(nameField);
    } else {
      for (const { key, keyPos, value } of pairs) {
        const field = spec.fields[key];
        const fieldPath = joinPath(path, key);
        if (!field) {
          const names = Object.keys(spec.fields);
          const hint = suggest(key, names);
          this.issue(
            keyPos,
            fieldPath,
            hint
              ? `unknown field (did you mean ${hint}?)`
              : `unknown field; ${spec.name} fields are ${names.join(', ')}`,
          );
          continue;
        }
        if (isNull(value)) continue; // `key:` with nothing: same as absent
        seen.add(key);
        const valuePos = this.valuePos(value, keyPos);
        const v = this.value(value, field.type, fieldPath, valuePos);
        out[field.as ?? key] = v;
        children.set(field.as ?? key, { ...valuePos, path: fieldPath });
      }
    }

    for (const [key, field] of Object.entries(spec.fields)) {
      if (field.required && !seen.has(key)) {
        const present = pairs.find((p) => p.key === key);
        if (present) this.issue(present.keyPos, joinPath(path, key), 'has no value');
        else this.issue(at, joinPath(path, key), `missing required field ${key}`);
      }
    }
    this.fillDefaults(spec, out, seen, path, at, children);
    this.meta.set(out, { self: { ...at, path }, children });
    if (spec.pos) out.pos = this.sourcePos(at);
    return out;
  }

  private fillDefaults(
    spec: ObjectSpec,
    out: Record<string, unknown>,
    seen: Set<string>,
    path: string,
    at: Pos,
    children: Map<string | number, Origin>,
  ): void {
    for (const [key, field] of Object.entries(spec.fields)) {
      if (seen.has(key) || field.default === undefined) continue;
      const d = field.default;
      const value = Array.isArray(d) ? [...d] : typeof d === 'object' && d !== null ? { ...d } : d;
      if (typeof value === 'object' && value !== null) {
        this.meta.set(value, { self: { ...at, path: joinPath(path, key) }, children: new Map() });
      }
      out[field.as ?? key] = value;
      children.set(field.as ?? key, { ...at, path: joinPath(path, key) });
    }
  }

  private key(node: unknown, path: string, at: Pos): { text: string } | undefined {
    node = this.deref(node);
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      return { text: String(node.value) };
    }
    this.issue(this.posOf(node as Node, at), path, `keys must be plain names, found ${describe(node)}`);
    return undefined;
  }

  /** Position of a value; an empty value (`key:`) has no useful position, so use the key's. */
  private valuePos(value: unknown, keyPos: Pos): Pos {
    const v = this.deref(value);
    if (isNull(v)) return keyPos;
    return this.posOf(v as Node, keyPos);
  }

  private deref(node: unknown): unknown {
    let n = node;
    for (let i = 0; i < 32 && isAlias(n); i++) n = n.resolve(this.doc);
    return n;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function kindOf(node: unknown): string {
  if (isSeq(node)) return 'list';
  if (isMap(node)) return 'map';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    return 'null';
  }
  return 'null';
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return `${v}`;
    return `a ${typeof v}`;
  }
  return 'nothing';
}

function rangeText(spec: { min?: number; max?: number; minExclusive?: boolean }): string {
  if (spec.min !== undefined && spec.max !== undefined) {
    return spec.minExclusive ? `more than ${spec.min} and at most ${spec.max}` : `${spec.min} to ${spec.max}`;
  }
  if (spec.min !== undefined) return spec.minExclusive ? `more than ${spec.min}` : `at least ${spec.min}`;
  return `at most ${spec.max}`;
}

export function joinPath(parent: string, key: string): string {
  const k = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? k : `${parent}.${k}`;
}

// ---------------------------------------------------------------------------------------
// Reference documentation (docs/scenario-format.md embeds this between markers)

function typeDoc(t: TypeSpec): string {
  switch (t.type) {
    case 'string':
      if (t.enum) return t.enum.map((e) => `\`${e}\``).join(' \\| ');
      return t.format && t.format !== 'nonEmpty' ? `string (${FORMAT_DOCS[t.format]})` : 'string';
    case 'number':
      return t.min === undefined && t.max === undefined
        ? t.integer ? 'integer' : 'number'
        : `${t.integer ? 'integer' : 'number'} (${rangeText(t)})`;
    case 'boolean':
      return 'boolean';
    case 'list':
      return t.orSingle ? `${typeDoc(t.items)} or list of them` : `list of ${typeDoc(t.items)}`;
    case 'map':
      return `map of ${FORMAT_DOCS[t.keyFormat]} → ${typeDoc(t.values)}`;
    case 'union':
      return t.of.map(typeDoc).join(' \\| ');
    case 'object':
      return `[${t.object.name}](#${t.object.name.toLowerCase()})`;
  }
}

function defaultDoc(f: FieldSpec): string {
  if (f.required) return '**required**';
  if (f.defaultDoc) return f.defaultDoc;
  if (f.default === undefined) return '—';
  if (Array.isArray(f.default)) return '`[]`';
  if (typeof f.default === 'object') return '`{}`';
  if (f.default === '') return '`""`';
  return `\`${String(f.default)}\``;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown tables for every object type: field, type, default, meaning. */
export function renderSchemaReference(): string {
  const parts: string[] = [];
  for (const o of ALL_OBJECTS) {
    parts.push(`### ${o.name}\n`);
    parts.push(`${o.doc}\n`);
    parts.push('| Field | Type | Default | Meaning |');
    parts.push('|---|---|---|---|');
    for (const [name, f] of Object.entries(o.fields)) {
      const type = typeDoc(f.type); // already escaped where it joins alternatives
      parts.push(`| \`${name}\` | ${type} | ${cell(defaultDoc(f))} | ${cell(f.doc)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}
