// The rules that tie fields of a scenario together, run on the validator's typed output:
// addresses inside their subnets, references that must resolve, uniqueness, the cloud's
// quotas. What a field looks like on its own is the schema's business (shape.ts); fields
// that failed it are undefined here and skipped, so one mistake is reported once.

import { CidrIndex, contains, isReserved, overlaps } from '../cloud/cidr';
import { checkCidr, checkIp, formatCidr, parseCidr, type Cidr } from '../engine/wire/ipv4-addr';
import { CLOUD_SERVICE_RANGE, whyNotPublic } from '../engine/wire/ipv4-ranges';
import { ipToString } from '../engine/wire/ipv4';
import { SERVICE_PROTOCOLS, DEFAULT_PORTS } from '../services/kinds';
import { didYouMean } from '../util/did-you-mean';
import { clip } from '../util/quote';
import type { Origin, Validator } from './validator';
import { checkAction } from './actions';
import { checkSecurity } from './rules-security';
import type { ActionSpec, CloudServiceSpec, EcsSpec, IdcHostSpec, IdcSpec, InternetHostSpec, RouteEntrySpec, Scenario, ServiceSpec, VpcSpec } from './types';

/** The validator's output: the YAML shape, with typed-form field names. */
export interface RawScenario {
  title: string;
  source?: string;
  summary?: string;
  topology: Pick<Scenario, 'vpcs' | 'ecs' | 'internet' | 'idcs' | 'cloudServices' | 'cnames' | 'securityGroups' | 'networkAcls'>;
  steps: Scenario['steps'];
}

/** The cloud-service range (SEMANTICS A4, A5, F6). */
const CLOUD_SERVICE = CLOUD_SERVICE_RANGE.cidr;

/** Ranges no VPC may use (CreateVpc), with why. */
const VPC_FORBIDDEN: { cidr: Cidr; what: string }[] = [
  CLOUD_SERVICE_RANGE,
  { cidr: parseCidr('127.0.0.0/8'), what: 'the loopback range 127.0.0.0/8' },
  { cidr: parseCidr('169.254.0.0/16'), what: 'the link-local range 169.254.0.0/16' },
  { cidr: parseCidr('224.0.0.0/4'), what: 'the multicast range 224.0.0.0/4' },
];

/** The value of an address field that passed its format check (else undefined: already reported). */
function ipOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const r = checkIp(text);
  return r.ok ? r.addr : undefined;
}

/** The same for CIDR fields (a bare address, where allowed, was normalised to /32). */
function cidrOf(text: string | undefined): Cidr | undefined {
  if (text === undefined) return undefined;
  const r = checkCidr(text);
  return r.ok ? r.cidr : undefined;
}

const CUSTOM_TABLES_PER_VPC = 9; // SEMANTICS A2: 1 system + 9 vSwitch-type custom
const ENTRIES_PER_TABLE = 200; // SEMANTICS A5

interface VSwitchInfo {
  name: string;
  cidr: Cidr;
  vpc: VpcSpec;
}

/** Cross-field rules. Fields that failed structural checks are undefined and skipped. */
export class Rules {
  private readonly vswitches = new Map<string, VSwitchInfo>();
  /** Each VPC's entries of `vswitches`, in file order, and indexed by CIDR. */
  private readonly vpcVswitches = new Map<VpcSpec, { list: VSwitchInfo[]; byCidr: CidrIndex<VSwitchInfo> }>();
  private readonly hosts = new Map<string, { kind: 'ECS' | 'Internet host' | 'IDC host' | 'cloud service'; origin: Origin }>();
  private readonly ecsByName = new Map<string, EcsSpec>();

  constructor(
    private readonly v: Validator,
    private readonly s: RawScenario,
  ) {}

  run(): void {
    const topo = this.s.topology;
    if (!topo) return;
    this.names();
    for (const vpc of topo.vpcs ?? []) this.vpc(vpc);
    for (const ecs of topo.ecs ?? []) this.ecs(ecs);
    for (const h of topo.internet ?? []) this.internetHost(h);
    for (const site of topo.idcs ?? []) this.idc(site);
    for (const c of topo.cloudServices ?? []) this.cloudService(c);
    checkSecurity({
      topo, at: (o, k) => this.at(o, k), err: (o, m) => this.err(o, m), vswitchVpc: (n) => this.vswitches.get(n)?.vpc.name,
    });
    this.addresses();
    for (const vpc of topo.vpcs ?? []) this.routes(vpc);
    this.dns();
    this.steps();
  }

  /** Origin of `obj[key]` (a field name or a list index). */
  private at(obj: object, key?: string | number): Origin {
    const m = this.v.meta.get(obj);
    if (!m) return { line: 1, column: 1, path: '' };
    if (key === undefined) return m.self;
    return m.children.get(key) ?? m.self;
  }

  private err(o: Origin, message: string): void {
    this.v.issue(o, o.path, message);
  }

  private where(o: Origin): string {
    return `${o.path} (line ${o.line})`;
  }

  /** Resource and host names share one namespace: actions refer to any of them by name. */
  private names(): void {
    const topo = this.s.topology;
    const seen = new Map<string, { what: string; origin: Origin }>();
    const claim = (obj: { name?: string }, what: string): void => {
      if (typeof obj.name !== 'string') return;
      const o = this.at(obj, 'name');
      const prev = seen.get(obj.name);
      if (prev) {
        this.err(o, `${obj.name} is already the name of the ${prev.what} at ${this.where(prev.origin)}; names are unique across VPCs, vSwitches, route tables and hosts`);
        return;
      }
      seen.set(obj.name, { what, origin: o });
    };
    for (const vpc of topo.vpcs ?? []) {
      claim(vpc, 'VPC');
      for (const vsw of vpc.vswitches ?? []) claim(vsw, 'vSwitch');
      for (const rt of vpc.routeTables ?? []) claim(rt, 'route table');
    }
    for (const ecs of topo.ecs ?? []) {
      claim(ecs, 'ECS');
      if (typeof ecs.name === 'string' && !this.hosts.has(ecs.name)) {
        this.hosts.set(ecs.name, { kind: 'ECS', origin: this.at(ecs, 'name') });
        this.ecsByName.set(ecs.name, ecs);
      }
    }
    for (const h of topo.internet ?? []) {
      claim(h, 'Internet host');
      if (typeof h.name === 'string' && !this.hosts.has(h.name)) {
        this.hosts.set(h.name, { kind: 'Internet host', origin: this.at(h, 'name') });
      }
    }
    for (const site of topo.idcs ?? []) {
      claim(site, 'IDC');
      for (const h of [site.gateway, ...(site.hosts ?? [])]) {
        if (!h) continue;
        claim(h, 'IDC host');
        if (typeof h.name === 'string' && !this.hosts.has(h.name)) this.hosts.set(h.name, { kind: 'IDC host', origin: this.at(h, 'name') });
      }
    }
    for (const g of topo.securityGroups ?? []) claim(g, 'security group');
    for (const a of topo.networkAcls ?? []) claim(a, 'network ACL');
    for (const c of topo.cloudServices ?? []) {
      claim(c, 'cloud service');
      if (typeof c.name === 'string' && !this.hosts.has(c.name)) this.hosts.set(c.name, { kind: 'cloud service', origin: this.at(c, 'name') });
    }
  }

  private vpc(vpc: VpcSpec): void {
    const vc = cidrOf(vpc.cidr);
    if (vc) {
      if (vc.len < 8 || vc.len > 28) {
        this.err(this.at(vpc, 'cidr'), `a VPC CIDR block must have a prefix length of 8 to 28, not /${vc.len}`);
      }
      for (const r of VPC_FORBIDDEN) {
        if (overlaps(r.cidr, vc)) this.err(this.at(vpc, 'cidr'), `${vpc.cidr} overlaps ${r.what}, which a VPC may not use`);
      }
    }
    const mine = new CidrIndex<{ name: string; cidr: Cidr; origin: Origin }>();
    const own = { list: [] as VSwitchInfo[], byCidr: new CidrIndex<VSwitchInfo>() };
    this.vpcVswitches.set(vpc, own);
    for (const vsw of vpc.vswitches ?? []) {
      const c = cidrOf(vsw.cidr);
      if (!c) continue;
      const o = this.at(vsw, 'cidr');
      if (c.len < 16 || c.len > 29) {
        this.err(o, `a vSwitch CIDR block must have a prefix length of 16 to 29, not /${c.len}`);
      }
      if (vc && !contains(vc, c)) {
        this.err(o, `${vsw.cidr} is not inside the CIDR block of VPC ${vpc.name} (${vpc.cidr})`);
      }
      const clash = mine.overlapping(c);
      if (clash) {
        this.err(o, `${vsw.cidr} overlaps vSwitch ${clash.name} (${formatCidr(clash.cidr)}) at ${this.where(clash.origin)}`);
      }
      if (typeof vsw.name === 'string') {
        mine.add(c, { name: vsw.name, cidr: c, origin: o });
        if (!this.vswitches.has(vsw.name)) {
          const info = { name: vsw.name, cidr: c, vpc };
          this.vswitches.set(vsw.name, info);
          own.list.push(info);
          own.byCidr.add(c, info);
        }
      }
    }
  }

  private ecs(ecs: EcsSpec): void {
    this.services(ecs);
    if (typeof ecs.vswitch !== 'string') return;
    const vsw = this.vswitches.get(ecs.vswitch);
    if (!vsw) {
      this.err(this.at(ecs, 'vswitch'), `no vSwitch named ${ecs.vswitch}${didYouMean(ecs.vswitch, this.vswitches.keys())}`);
      return;
    }
    const ip = ipOf(ecs.ip);
    if (ip === undefined) return;
    const where = `vSwitch ${vsw.name} (${formatCidr(vsw.cidr)})`;
    if (!contains(vsw.cidr, { addr: ip, len: 32, mask: 0xffffffff })) {
      this.err(this.at(ecs, 'ip'), `${ecs.ip} is not inside ${where}`);
      return;
    }
    if (isReserved(vsw.cidr, ip)) {
      this.err(this.at(ecs, 'ip'), `${ecs.ip} is reserved in ${where}: the first address and the last three are reserved`);
    }
  }

  private internetHost(h: InternetHostSpec): void {
    this.services(h);
    const ip = ipOf(h.ip);
    if (ip === undefined) return;
    const why = whyNotPublic(ip);
    if (why) this.err(this.at(h, 'ip'), `${h.ip} is in ${why}; an Internet host needs a public address`);
  }

  private cloudService(c: CloudServiceSpec): void {
    this.services(c);
    const ip = ipOf(c.ip);
    if (ip === undefined) return;
    const r = CLOUD_SERVICE;
    if (((ip & r.mask) >>> 0) !== r.addr) this.err(this.at(c, 'ip'), `${c.ip} is not in 100.64.0.0/10, where the cloud's services are`);
    else if (c.ip === '100.100.2.136') this.err(this.at(c, 'ip'), `${c.ip} is the VPC DNS`);
  }

  /** An IDC's LAN is private; its hosts and router are on it, each address once. */
  private idc(site: IdcSpec): void {
    for (const h of site.hosts ?? []) this.services(h);
    const c = cidrOf(site.cidr);
    if (c && (c.len < 8 || c.len > 30)) this.err(this.at(site, 'cidr'), `an IDC's CIDR block must have a prefix length of 8 to 30, not /${c.len}`);
    const g = site.gateway;
    const pub = g ? ipOf(g.publicIp) : undefined;
    if (pub !== undefined) {
      const why = whyNotPublic(pub);
      if (why) this.err(this.at(g, 'publicIp'), `${g.publicIp} is in ${why}; the IDC's router needs a public address`);
    }
    if (!c) return;
    const used = new Map<number, Origin>();
    const lan = (ip: string | undefined, o: Origin): void => {
      const addr = ipOf(ip);
      if (addr === undefined) return;
      const off = (addr - c.addr) >>> 0;
      if (!contains(c, { addr, len: 32, mask: 0xffffffff })) return this.err(o, `${ip} is not inside the IDC's ${site.cidr}`);
      if (c.len < 31 && (off === 0 || off === 2 ** (32 - c.len) - 1)) return this.err(o, `${ip} is the network or broadcast address of ${site.cidr}`);
      const prev = used.get(addr);
      if (prev) return this.err(o, `${ip} is already used at ${this.where(prev)}`);
      used.set(addr, o);
    };
    if (g) lan(g.lanIp ?? ipToString((c.addr + 1) >>> 0), g.lanIp ? this.at(g, 'lanIp') : this.at(g));
    for (const h of site.hosts ?? []) lan(h.ip, this.at(h, 'ip'));
  }

  /** Fills in default ports, and checks body and port clashes. */
  private services(host: EcsSpec | InternetHostSpec | IdcHostSpec | CloudServiceSpec): void {
    const used = new Map<string, { kind: string; origin: Origin }>();
    const list = host.services ?? [];
    list.forEach((svc: ServiceSpec, i) => {
      if (!svc.kind) return;
      if (svc.port === undefined) svc.port = DEFAULT_PORTS[svc.kind];
      if (svc.body !== undefined && svc.kind !== 'http-hello') {
        this.err(this.at(svc, 'body'), `body is only for http-hello services, not ${svc.kind}`);
      }
      const o = this.at(list, i);
      for (const proto of SERVICE_PROTOCOLS[svc.kind]) {
        const key = `${proto}/${svc.port}`;
        const prev = used.get(key);
        if (prev) {
          this.err(o, `${svc.kind} needs ${proto} port ${svc.port}, already used by ${prev.kind} at ${this.where(prev.origin)}`);
          break;
        }
        used.set(key, { kind: svc.kind, origin: o });
      }
    });
  }

  /** Every address in the lab is unique; EIPs are public. */
  private addresses(): void {
    const topo = this.s.topology;
    const seen = new Map<number, Origin>();
    const claim = (ip: string | undefined, o: Origin): void => {
      const addr = ipOf(ip);
      if (addr === undefined) return;
      const prev = seen.get(addr);
      if (prev) this.err(o, `${ip} is already used at ${this.where(prev)}`);
      else seen.set(addr, o);
    };
    for (const ecs of topo.ecs ?? []) {
      claim(ecs.ip, this.at(ecs, 'ip'));
      const eip = ipOf(ecs.eip);
      if (eip !== undefined) {
        const why = whyNotPublic(eip);
        if (why) this.err(this.at(ecs, 'eip'), `${ecs.eip} is in ${why}; an EIP must be a public address`);
        claim(ecs.eip, this.at(ecs, 'eip'));
      }
    }
    for (const h of topo.internet ?? []) claim(h.ip, this.at(h, 'ip'));
    for (const c of topo.cloudServices ?? []) claim(c.ip, this.at(c, 'ip'));
    // An IDC's LAN may overlap anything (that conflict is the user's to see); its public address may not.
    for (const site of topo.idcs ?? []) if (site.gateway) claim(site.gateway.publicIp, this.at(site.gateway, 'publicIp'));
  }

  private routes(vpc: VpcSpec): void {
    const own = this.vpcVswitches.get(vpc)!;
    this.entries(vpc, vpc.systemRoutes ?? [], own.byCidr);
    const bound = new Map<string, Origin>();
    const tables = vpc.routeTables ?? [];
    if (tables.length > CUSTOM_TABLES_PER_VPC) {
      this.err(this.at(tables, CUSTOM_TABLES_PER_VPC), `a VPC has at most ${CUSTOM_TABLES_PER_VPC} custom route tables`);
    }
    for (const rt of tables) {
      const names = rt.vswitches ?? [];
      names.forEach((name, i) => {
        const o = this.at(names, i);
        const vsw = this.vswitches.get(name);
        if (!vsw) {
          const names = own.list.map((s) => s.name);
          this.err(o, `no vSwitch named ${name}${didYouMean(name, names.length ? names : this.vswitches.keys())}`);
          return;
        }
        if (vsw.vpc !== vpc) {
          this.err(o, `vSwitch ${name} belongs to VPC ${vsw.vpc.name}, not ${vpc.name}`);
          return;
        }
        const prev = bound.get(name);
        if (prev) {
          this.err(o, `vSwitch ${name} is already bound to a custom route table at ${this.where(prev)}; a vSwitch has exactly one route table`);
          return;
        }
        bound.set(name, o);
      });
      this.entries(vpc, rt.entries ?? [], own.byCidr);
    }
  }

  /** Custom entry rules (SEMANTICS A5) for one table. */
  private entries(vpc: VpcSpec, entries: RouteEntrySpec[], vswitches: CidrIndex<VSwitchInfo>): void {
    if (entries.length > ENTRIES_PER_TABLE) {
      this.err(this.at(entries, ENTRIES_PER_TABLE), `a route table has at most ${ENTRIES_PER_TABLE} custom entries`);
    }
    const seen = new Map<string, Origin>();
    for (const e of entries) {
      const d = cidrOf(e.destination);
      const o = this.at(e, 'destination');
      if (d) {
        const key = formatCidr(d);
        const prev = seen.get(key);
        if (prev) this.err(o, `${key} is already a destination in this table at ${this.where(prev)}`);
        else seen.set(key, o);
        if (contains(CLOUD_SERVICE, d)) {
          this.err(o, `${key} is ${d.len === 10 ? '' : 'inside '}the cloud-service range 100.64.0.0/10, which custom entries may not use`);
        }
        const s = vswitches.containing(d);
        if (s) {
          const how = d.len === s.cidr.len ? 'is the CIDR block of' : 'is inside';
          this.err(o, `${key} ${how} vSwitch ${s.name} (${formatCidr(s.cidr)}); a custom entry may contain a vSwitch CIDR block but not equal it or lie inside it`);
        }
      }
      if (e.nextHopType === 'Instance' && typeof e.nextHop === 'string') {
        const ecs = this.ecsByName.get(e.nextHop);
        const o2 = this.at(e, 'nextHop');
        if (!ecs) {
          this.err(o2, `no ECS named ${clip(e.nextHop)}${didYouMean(e.nextHop, this.ecsByName.keys())}`);
        } else {
          const home = ecs.vswitch ? this.vswitches.get(ecs.vswitch)?.vpc : undefined;
          if (home && home !== vpc) {
            this.err(o2, `ECS ${e.nextHop} is in VPC ${home.name}; the next hop must be in VPC ${vpc.name}`);
          }
        }
      }
    }
  }

  /** The lab's DNS zone: every name has one kind of record; CNAME chains end. */
  private dns(): void {
    const topo = this.s.topology;
    const seen = new Map<string, Origin>();
    for (const h of [...(topo.internet ?? []), ...(topo.cloudServices ?? [])]) {
      const names = h.names ?? [];
      names.forEach((n, i) => {
        const o = this.at(names, i);
        const prev = seen.get(n);
        if (prev) this.err(o, `${n} is already defined at ${this.where(prev)}`);
        else seen.set(n, o);
      });
    }
    const targets = new Map<string, string>();
    for (const c of topo.cnames ?? []) {
      if (typeof c.name !== 'string') continue;
      const o = this.at(c, 'name');
      const prev = seen.get(c.name);
      if (prev) {
        this.err(o, `${c.name} is already defined at ${this.where(prev)}; a CNAME cannot share its name with other records`);
        continue;
      }
      seen.set(c.name, o);
      if (typeof c.target === 'string') targets.set(c.name, c.target);
    }
    const looping = namesOnLoops(targets);
    for (const c of topo.cnames ?? []) {
      if (typeof c.name !== 'string' || targets.get(c.name) !== c.target) continue;
      if (looping.has(c.name)) this.err(this.at(c, 'target'), `CNAME loop: ${c.name} leads back to itself`);
    }
  }

  private steps(): void {
    for (const step of this.s.steps ?? []) {
      for (const a of step.actions ?? []) this.action(a);
      for (const check of step.checks ?? []) {
        this.host(check.host, this.at(check, 'host'));
        if (check.capture) {
          const hosts = check.capture.hosts ?? [];
          hosts.forEach((h, i) => this.host(h, this.at(hosts, i)));
        }
      }
    }
  }

  /** A call the lab cannot make fails here, at its place, rather than mid-run. */
  private action(a: ActionSpec): void {
    if (typeof a.action !== 'string') return;
    // A step may show the cloud's own answer to a misspelled action.
    if (a.expectError === 'InvalidAction.NotFound') return;
    for (const p of checkAction(a.action, a.params ?? {})) {
      this.err('param' in p ? this.at(a.params, p.param) : this.at(a, 'action'), p.message);
    }
  }

  private host(name: string | undefined, o: Origin): void {
    if (typeof name !== 'string' || this.hosts.has(name)) return;
    const kinds = (this.s.topology.idcs ?? []).length > 0 || (this.s.topology.cloudServices ?? []).length > 0 ? 'lab host' : 'ECS or Internet host';
    this.err(o, `no ${kinds} named ${name}${didYouMean(name, this.hosts.keys())}`);
  }
}

/**
 * The names whose CNAME chain comes back to them. Each name is walked once (a file may
 * chain thousands, and a walk from every name would be quadratic).
 */
function namesOnLoops(targets: ReadonlyMap<string, string>): Set<string> {
  const state = new Map<string, 'walking' | 'done'>();
  const looping = new Set<string>();
  for (const start of targets.keys()) {
    const path: string[] = [];
    let n: string | undefined = start;
    while (n !== undefined && targets.has(n) && !state.has(n)) {
      state.set(n, 'walking');
      path.push(n);
      n = targets.get(n);
    }
    // Back at a name of this walk: it and the names after it form the loop.
    if (n !== undefined && state.get(n) === 'walking') for (const m of path.slice(path.indexOf(n))) looping.add(m);
    for (const m of path) state.set(m, 'done');
  }
  return looping;
}
