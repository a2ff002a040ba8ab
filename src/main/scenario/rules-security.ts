// The cross-field rules of a scenario's security groups and network ACLs (SEMANTICS H1, H4),
// run by rules.ts: references that resolve (a group's VPC, a rule's peer group, an ECS's
// groups, an ACL's vSwitches), one peer per rule on the side its direction takes, ports
// that fit the protocol, and the cloud's quotas (200 rules per group, 5 groups per ECS,
// 20 entries per ACL direction, one ACL per vSwitch). What each field looks like on its own
// is shape.ts's business; fields that failed it are undefined here and skipped.

import { didYouMean } from '../util/did-you-mean';
import type { Origin } from './validator';
import type { EcsSpec, NetworkAclEntrySpec, Scenario, SecurityGroupSpec } from './types';

/** The cloud's quotas, as the control plane has them (actions/security-group*.ts, network-acl.ts). */
const RULES_PER_GROUP = 200;
const GROUPS_PER_ECS = 5;
const ENTRIES_PER_DIRECTION = 20;

export interface SecurityRulesContext {
  topo: Pick<Scenario, 'vpcs' | 'ecs' | 'securityGroups' | 'networkAcls'>;
  at: (obj: object, key?: string | number) => Origin;
  err: (o: Origin, message: string) => void;
  /** The VPC name of a vSwitch, or undefined when no vSwitch has that name. */
  vswitchVpc: (name: string) => string | undefined;
}

/** Why `ports` does not fit `protocol`, or undefined when it does (absent is `-1/-1`). */
export function portsProblem(protocol: string | undefined, ports: string | undefined): string | undefined {
  if (protocol === undefined) return undefined;
  const m = ports === undefined ? undefined : /^(-?[0-9]{1,5})\/(-?[0-9]{1,5})$/.exec(ports);
  if (protocol === 'tcp' || protocol === 'udp') {
    if (ports === undefined) return `${protocol} needs a port range such as 80/80 or 1/65535`;
    const a = m ? Number(m[1]) : NaN;
    const b = m ? Number(m[2]) : NaN;
    if (!(a >= 1 && b <= 65535 && a <= b)) return `${ports} is not a port range a/b with 1 <= a <= b <= 65535`;
    return undefined;
  }
  if (ports !== undefined && !(m && m[1] === '-1' && m[2] === '-1')) return `${protocol} takes the port range -1/-1 (or none)`;
  return undefined;
}

export function checkSecurity(c: SecurityRulesContext): void {
  const vpcs = new Set((c.topo.vpcs ?? []).map((v) => v.name).filter((n) => typeof n === 'string'));
  const groups = new Map<string, SecurityGroupSpec>();
  for (const g of c.topo.securityGroups ?? []) if (typeof g.name === 'string' && !groups.has(g.name)) groups.set(g.name, g);
  const vpcOk = (obj: { vpc?: string }): boolean => {
    if (typeof obj.vpc !== 'string') return false;
    if (vpcs.has(obj.vpc)) return true;
    c.err(c.at(obj, 'vpc'), `no VPC named ${obj.vpc}${didYouMean(obj.vpc, vpcs)}`);
    return false;
  };

  for (const g of c.topo.securityGroups ?? []) {
    const inVpc = vpcOk(g);
    if (g.type === 'enterprise' && g.innerAccess === 'accept') {
      c.err(c.at(g, 'innerAccess'), 'an enterprise group takes innerAccess drop only: its instances reach each other by rules alone (H2)');
    }
    const rules = g.rules ?? [];
    if (rules.length > RULES_PER_GROUP) c.err(c.at(g, 'rules'), `${rules.length} rules; a group holds at most ${RULES_PER_GROUP} (ingress and egress together)`);
    const seen = new Map<string, Origin>();
    for (const r of rules) {
      const ports = portsProblem(r.protocol, r.ports);
      if (ports) c.err(c.at(r, r.ports === undefined ? undefined : 'ports'), ports);
      const [mine, theirs] = r.direction === 'egress' ? (['dest', 'destGroup'] as const) : (['source', 'sourceGroup'] as const);
      const wrong = r.direction === 'egress' ? (['source', 'sourceGroup'] as const) : (['dest', 'destGroup'] as const);
      for (const f of wrong) if (r[f] !== undefined) c.err(c.at(r, f), `an ${r.direction} rule names its peer with ${mine} or ${theirs}, not ${f}`);
      if (r.direction === undefined) continue;
      if (r[mine] !== undefined && r[theirs] !== undefined) c.err(c.at(r, theirs), `give ${mine} or ${theirs}, not both`);
      else if (r[mine] === undefined && r[theirs] === undefined) c.err(c.at(r), `an ${r.direction} rule needs its peer: ${mine} (a CIDR block) or ${theirs} (a group)`);
      const peer = r[theirs];
      if (peer !== undefined) {
        const pg = groups.get(peer);
        if (!pg) c.err(c.at(r, theirs), `no security group named ${peer}${didYouMean(peer, groups.keys())}`);
        else if (inVpc && pg.vpc !== g.vpc) c.err(c.at(r, theirs), `${peer} is a group of VPC ${pg.vpc}, ${g.name} of ${g.vpc}; a peer group is of the same VPC`);
      }
      const key = [r.direction, r.protocol, r.ports ?? '-1/-1', r.source, r.sourceGroup, r.dest, r.destGroup, r.policy, r.priority].join('|');
      const prev = seen.get(key);
      // The cloud takes a repeat as a success that adds nothing; in a file it is a slip.
      if (prev) c.err(c.at(r), `the same rule as at ${prev.path} (line ${prev.line})`);
      else seen.set(key, c.at(r));
    }
  }

  for (const e of c.topo.ecs ?? []) ecsGroups(c, e, groups);

  const owner = new Map<string, string>();
  for (const a of c.topo.networkAcls ?? []) {
    const inVpc = vpcOk(a);
    for (const [i, v] of (a.vswitches ?? []).entries()) {
      if (typeof v !== 'string') continue;
      const o = c.at(a.vswitches, i);
      const vpc = c.vswitchVpc(v);
      if (vpc === undefined) c.err(o, `no vSwitch named ${v}`);
      else if (inVpc && vpc !== a.vpc) c.err(o, `${v} is a vSwitch of VPC ${vpc}, ${a.name} an ACL of ${a.vpc}`);
      const prev = owner.get(v);
      if (prev !== undefined) c.err(o, `${v} is already associated with network ACL ${prev}; a vSwitch has at most one`);
      else owner.set(v, a.name);
    }
    for (const dir of ['ingress', 'egress'] as const) {
      const list = a[dir] ?? [];
      if (list.length > ENTRIES_PER_DIRECTION) c.err(c.at(a, dir), `${list.length} ${dir} entries; an ACL holds at most ${ENTRIES_PER_DIRECTION} custom entries per direction`);
      for (const e of list) aclEntry(c, e, dir);
    }
  }
}

function ecsGroups(c: SecurityRulesContext, e: EcsSpec, groups: Map<string, SecurityGroupSpec>): void {
  const names = e.securityGroups ?? [];
  if (names.length > GROUPS_PER_ECS) c.err(c.at(e, 'securityGroups'), `${names.length} groups; an ECS is in at most ${GROUPS_PER_ECS}`);
  const vpc = typeof e.vswitch === 'string' ? c.vswitchVpc(e.vswitch) : undefined;
  const types = new Set<string>();
  names.forEach((n, i) => {
    if (typeof n !== 'string') return;
    const o = c.at(names, i);
    if (names.indexOf(n) !== i) return c.err(o, `${n} is listed twice`);
    const g = groups.get(n);
    if (!g) return c.err(o, `no security group named ${n}${didYouMean(n, groups.keys())}`);
    if (vpc !== undefined && typeof g.vpc === 'string' && g.vpc !== vpc) c.err(o, `${n} is a group of VPC ${g.vpc}; ${e.name} is in VPC ${vpc}`);
    types.add(g.type ?? 'normal');
  });
  if (types.size > 1) c.err(c.at(e, 'securityGroups'), 'an ECS cannot be in basic (normal) and enterprise groups at once');
}

function aclEntry(c: SecurityRulesContext, e: NetworkAclEntrySpec, dir: 'ingress' | 'egress'): void {
  const ports = portsProblem(e.protocol, e.ports);
  if (ports) c.err(c.at(e, e.ports === undefined ? undefined : 'ports'), ports);
  const [mine, wrong] = dir === 'ingress' ? (['source', 'dest'] as const) : (['dest', 'source'] as const);
  if (e[wrong] !== undefined) c.err(c.at(e, wrong), `${dir} entries match the ${mine === 'source' ? 'source' : 'destination'} only: use ${mine}, not ${wrong}`);
  if (e[mine] === undefined) c.err(c.at(e), `an ${dir} entry needs ${mine} (a CIDR block, 0.0.0.0/0 for any)`);
}
