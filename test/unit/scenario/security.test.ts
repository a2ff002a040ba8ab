// Scenario keys for security groups and network ACLs (SEMANTICS H1, H4): topology.securityGroups,
// topology.networkAcls and ecs[].securityGroups, loaded, turned into control-plane actions
// (groups before rules before instances; ACL entries and vSwitches) that build the lab, and
// bad input refused at its file:line:column.

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { resolveParams, topologyActions } from '../../../src/main/runtime/scenario-actions';
import { parseScenario } from '../../../src/main/scenario/load';
import { errorOf, FILE } from './helpers';

const BASE = `title: t
topology:
  vpcs:
    - name: vpc-lab
      cidr: 192.168.0.0/16
      vswitches:
        - { name: vsw-a, cidr: 192.168.0.0/24 }
        - { name: vsw-b, cidr: 192.168.1.0/24 }
    - name: vpc-2
      cidr: 10.0.0.0/16
      vswitches:
        - { name: vsw-2, cidr: 10.0.1.0/24 }
`;

const GOOD = `${BASE}  securityGroups:
    - name: web
      vpc: vpc-lab
      rules:
        - { direction: ingress, protocol: tcp, ports: 80/80, source: 0.0.0.0/0, description: http }
        - { direction: ingress, protocol: all, sourceGroup: admin, priority: 5 }
        - { direction: egress, protocol: udp, ports: 53/53, dest: 100.100.2.136, policy: drop }
    - name: admin
      vpc: vpc-lab
      innerAccess: drop
      rules:
        - { direction: egress, protocol: all, destGroup: web }
    - { name: locked, vpc: vpc-lab, type: enterprise }
  networkAcls:
    - name: acl-a
      vpc: vpc-lab
      vswitches: [vsw-a]
      ingress:
        - { policy: drop, protocol: tcp, source: 0.0.0.0/0, ports: 22/22, name: no-ssh }
        - { policy: accept, protocol: all, source: 0.0.0.0/0 }
      egress:
        - { policy: accept, protocol: all, dest: 0.0.0.0/0 }
  ecs:
    - { name: ECS-A, vswitch: vsw-a, ip: 192.168.0.1, securityGroups: [web, admin] }
    - { name: ECS-B, vswitch: vsw-b, ip: 192.168.1.1 }
    - { name: ECS-C, vswitch: vsw-b, ip: 192.168.1.2, securityGroups: [locked] }
`;

describe('scenario: securityGroups and networkAcls', () => {
  it('H1/H4: loads the keys with their defaults', () => {
    const s = parseScenario(GOOD, 'good.yaml');
    expect(s.securityGroups.map((g) => [g.name, g.type, g.innerAccess, g.rules.length])).toEqual([['web', 'normal', undefined, 3], ['admin', 'normal', 'drop', 1], ['locked', 'enterprise', undefined, 0]]);
    expect(s.securityGroups[0].rules[1]).toMatchObject({ direction: 'ingress', protocol: 'all', sourceGroup: 'admin', policy: 'accept', priority: 5 });
    expect(s.securityGroups[0].rules[0]).toMatchObject({ policy: 'accept', priority: 1, ports: '80/80' });
    expect(s.networkAcls[0]).toMatchObject({ name: 'acl-a', vpc: 'vpc-lab', vswitches: ['vsw-a'] });
    expect(s.ecs.map((e) => e.securityGroups)).toEqual([['web', 'admin'], [], ['locked']]);
  });

  it('H1/H4: the topology builds through the actions: groups, rules naming a later group, instances in their groups or the default group, the ACL on its vSwitch', () => {
    const s = parseScenario(GOOD, 'good.yaml');
    const plan = topologyActions(s);
    const order = plan.map((a) => a.action);
    expect(order.indexOf('AuthorizeSecurityGroup')).toBeGreaterThan(order.lastIndexOf('CreateSecurityGroup'));
    expect(order.indexOf('RunInstances')).toBeGreaterThan(order.lastIndexOf('AuthorizeSecurityGroupEgress'));
    const cp = new ControlPlane('t-scn-sg');
    for (const a of plan) cp.invoke(a.action, resolveParams(cp.model, a.params));
    const m = cp.model;
    const id = (n: string): string => m.securityGroups.find((g) => g.SecurityGroupName === n)!.SecurityGroupId;
    const web = m.securityGroups.find((g) => g.SecurityGroupName === 'web')!;
    expect(web.Rules.map((r) => [r.Direction, r.IpProtocol, r.PortRange, r.SourceCidrIp || r.SourceGroupId || r.DestCidrIp, r.Policy, r.Priority])).toEqual([
      ['ingress', 'tcp', '80/80', '0.0.0.0/0', 'accept', 1], ['ingress', 'all', '-1/-1', id('admin'), 'accept', 5], ['egress', 'udp', '53/53', '100.100.2.136/32', 'drop', 1],
    ]);
    expect(m.securityGroups.find((g) => g.SecurityGroupName === 'admin')).toMatchObject({ InnerAccessPolicy: 'Drop' });
    expect(m.securityGroups.find((g) => g.SecurityGroupName === 'locked')).toMatchObject({ SecurityGroupType: 'enterprise', InnerAccessPolicy: 'Drop' });
    const inst = (n: string) => m.instances.find((i) => i.InstanceName === n)!;
    expect(inst('ECS-A').SecurityGroupIds).toEqual([id('web'), id('admin')]);
    expect(inst('ECS-B').SecurityGroupIds).toEqual([m.securityGroups.find((g) => g.LabDefault)!.SecurityGroupId]);
    expect(inst('ECS-C').SecurityGroupIds).toEqual([id('locked')]);
    const acl = m.networkAcls[0];
    expect(acl.VSwitchIds).toEqual([m.vswitches.find((v) => v.VSwitchName === 'vsw-a')!.VSwitchId]);
    expect(acl.IngressAclEntries.filter((e) => e.EntryType === 'custom').map((e) => [e.Policy, e.Protocol, e.Port, e.NetworkAclEntryName])).toEqual([['drop', 'tcp', '22/22', 'no-ssh'], ['accept', 'all', '-1/-1', '']]);
    // Steps name groups, rules (by description) and ACLs.
    const r = resolveParams(m, { SecurityGroupId: 'web', SecurityGroupRuleId: 'http', NetworkAclId: 'acl-a', Resource: [{ ResourceId: 'vsw-b', ResourceType: 'VSwitch' }] });
    expect(r).toEqual({ SecurityGroupId: id('web'), SecurityGroupRuleId: web.Rules[0].SecurityGroupRuleId, NetworkAclId: acl.NetworkAclId, Resource: [{ ResourceId: m.vswitches.find((v) => v.VSwitchName === 'vsw-b')!.VSwitchId, ResourceType: 'VSwitch' }] });
  });

  const sg = (rules: string, extra = ''): string => `${BASE}  securityGroups:\n    - name: web\n      vpc: vpc-lab${extra}\n      rules:\n${rules}`;
  const INVALID: [string, string, string, string][] = [
    ['H1: a group of an unknown VPC', `${BASE}  securityGroups:\n    - { name: g, vpc: vpc-x }\n`, '14:23: topology.securityGroups[0].vpc: ', 'no VPC named vpc-x'],
    ['H1: tcp without ports', sg('        - { direction: ingress, protocol: tcp, source: 0.0.0.0/0 }\n'), '17:11: topology.securityGroups[0].rules[0]: ', 'tcp needs a port range'],
    ['H1: ports out of range', sg('        - { direction: ingress, protocol: udp, ports: 0/53, source: 0.0.0.0/0 }\n'), '17:55: topology.securityGroups[0].rules[0].ports: ', '0/53 is not a port range'],
    ['H1: icmp with ports', sg('        - { direction: ingress, protocol: icmp, ports: 1/1, source: 0.0.0.0/0 }\n'), '17:56: topology.securityGroups[0].rules[0].ports: ', 'icmp takes the port range -1/-1'],
    ['H1: ingress with dest', sg('        - { direction: ingress, protocol: all, source: 0.0.0.0/0, dest: 1.1.1.1 }\n'), '17:73: topology.securityGroups[0].rules[0].dest: ', 'names its peer with source or sourceGroup'],
    ['H1: no peer', sg('        - { direction: egress, protocol: all }\n'), '17:11: topology.securityGroups[0].rules[0]: ', 'needs its peer: dest'],
    ['H1: both peers', sg('        - { direction: ingress, protocol: all, source: 0.0.0.0/0, sourceGroup: web }\n'), '17:80: topology.securityGroups[0].rules[0].sourceGroup: ', 'not both'],
    ['H1: unknown peer group', sg('        - { direction: ingress, protocol: all, sourceGroup: wbe }\n'), '17:61: topology.securityGroups[0].rules[0].sourceGroup: ', 'no security group named wbe'],
    ['H1: priority out of range', sg('        - { direction: ingress, protocol: all, source: 0.0.0.0/0, priority: 101 }\n'), '17:77: topology.securityGroups[0].rules[0].priority: ', '101'],
    ['H1: protocol unknown', sg('        - { direction: ingress, protocol: sctp, source: 0.0.0.0/0 }\n'), '17:43: topology.securityGroups[0].rules[0].protocol: ', 'sctp'],
    ['H1: the same rule twice', sg('        - { direction: ingress, protocol: all, source: 0.0.0.0/0 }\n        - { direction: ingress, protocol: all, source: 0.0.0.0/0 }\n'), '18:11: topology.securityGroups[0].rules[1]: ', 'the same rule as at'],
    ['H2: enterprise with innerAccess accept', `${BASE}  securityGroups:\n    - { name: g, vpc: vpc-lab, type: enterprise, innerAccess: accept }\n`, '14:63: topology.securityGroups[0].innerAccess: ', 'enterprise group takes innerAccess drop only'],
    ['H1: a peer group of another VPC', `${BASE}  securityGroups:\n    - { name: a, vpc: vpc-2 }\n    - { name: b, vpc: vpc-lab, rules: [{ direction: ingress, protocol: all, sourceGroup: a }] }\n`, '15:90: topology.securityGroups[1].rules[0].sourceGroup: ', 'a is a group of VPC vpc-2'],
    ['H1: a group name clashes with a vSwitch', `${BASE}  securityGroups:\n    - { name: vsw-a, vpc: vpc-lab }\n`, '14:15: topology.securityGroups[0].name: ', 'vsw-a is already the name of the vSwitch'],
    ['H1: an ECS in an unknown group', `${BASE}  ecs:\n    - { name: A, vswitch: vsw-a, ip: 192.168.0.1, securityGroups: [nope] }\n`, '14:68: topology.ecs[0].securityGroups[0]: ', 'no security group named nope'],
    ['H1: an ECS in a group of another VPC', `${BASE}  securityGroups:\n    - { name: g2, vpc: vpc-2 }\n  ecs:\n    - { name: A, vswitch: vsw-a, ip: 192.168.0.1, securityGroups: [g2] }\n`, '16:68: topology.ecs[0].securityGroups[0]: ', 'g2 is a group of VPC vpc-2'],
    ['H1: an ECS in six groups', `${BASE}  securityGroups:\n${[1, 2, 3, 4, 5, 6].map((i) => `    - { name: g${i}, vpc: vpc-lab }\n`).join('')}  ecs:\n    - { name: A, vswitch: vsw-a, ip: 192.168.0.1, securityGroups: [g1, g2, g3, g4, g5, g6] }\n`, '21:67: topology.ecs[0].securityGroups: ', 'an ECS is in at most 5'],
    ['H1: basic and enterprise mixed', `${BASE}  securityGroups:\n    - { name: g1, vpc: vpc-lab }\n    - { name: g2, vpc: vpc-lab, type: enterprise }\n  ecs:\n    - { name: A, vswitch: vsw-a, ip: 192.168.0.1, securityGroups: [g1, g2] }\n`, '17:67: topology.ecs[0].securityGroups: ', 'basic (normal) and enterprise'],
    ['H4: an ACL on a vSwitch of another VPC', `${BASE}  networkAcls:\n    - { name: acl, vpc: vpc-lab, vswitches: [vsw-2] }\n`, '14:46: topology.networkAcls[0].vswitches[0]: ', 'vsw-2 is a vSwitch of VPC vpc-2'],
    ['H4: two ACLs on one vSwitch', `${BASE}  networkAcls:\n    - { name: a1, vpc: vpc-lab, vswitches: [vsw-a] }\n    - { name: a2, vpc: vpc-lab, vswitches: [vsw-a] }\n`, '15:45: topology.networkAcls[1].vswitches[0]: ', 'already associated with network ACL a1'],
    ['H4: an ingress entry with dest', `${BASE}  networkAcls:\n    - name: acl\n      vpc: vpc-lab\n      ingress:\n        - { policy: accept, protocol: all, source: 0.0.0.0/0, dest: 0.0.0.0/0 }\n`, '17:69: topology.networkAcls[0].ingress[0].dest: ', 'use source, not dest'],
    ['H4: an egress entry without dest', `${BASE}  networkAcls:\n    - name: acl\n      vpc: vpc-lab\n      egress:\n        - { policy: accept, protocol: tcp, ports: 80/80 }\n`, '17:11: topology.networkAcls[0].egress[0]: ', 'needs dest'],
    ['H4: 21 ingress entries', `${BASE}  networkAcls:\n    - name: acl\n      vpc: vpc-lab\n      ingress:\n${Array.from({ length: 21 }, (_, i) => `        - { policy: accept, protocol: tcp, source: 0.0.0.0/0, ports: ${i + 1}/${i + 1} }\n`).join('')}`, '17:9: topology.networkAcls[0].ingress: ', 'at most 20 custom entries'],
  ];

  it.each(INVALID)('%s', (_name, text, prefix, fragment) => {
    const e = errorOf(text);
    expect(e.issues.map((i) => `${i.line}:${i.column}: ${i.field}: ${i.problem}`)).toHaveLength(1);
    expect(e.message.startsWith(`${FILE}:${prefix}`), e.message).toBe(true);
    expect(e.message).toContain(fragment);
  });
});
