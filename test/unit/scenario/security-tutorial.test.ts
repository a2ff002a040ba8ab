// The security-groups tutorial (lab-scenarios/security-groups.yaml) on the control plane, no
// root: it loads, its topology builds, and every step's actions succeed, with the groups,
// rules and ACL entries the steps' checks rely on (SEMANTICS H1, H4).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tutorialCloud } from '../renderer/tutorial-cloud';

const FILE = join(__dirname, '../../../lab-scenarios/security-groups.yaml');

describe('the security-groups tutorial on the control plane', () => {
  it('H1/H4: topology and every step\'s actions run; groups, rules and the stateless ACL are as the checks expect', () => {
    const t = tutorialCloud(FILE, 't-sg-tutorial', 100);
    const m = t.cp.model;
    const g = (n: string) => m.securityGroups.find((x) => x.SecurityGroupName === n)!;
    expect(g('sg-web').Rules.map((r) => [r.Policy, r.IpProtocol, r.PortRange, r.SourceCidrIp, r.Priority])).toEqual([
      ['accept', 'tcp', '80/80', '0.0.0.0/0', 10], ['accept', 'icmp', '-1/-1', '0.0.0.0/0', 1],
      ['drop', 'tcp', '80/80', '47.83.1.59/32', 1], ['drop', 'tcp', '80/80', '47.83.1.60/32', 10],
    ]);
    expect(g('sg-db').Rules[0]).toMatchObject({ SourceGroupId: g('sg-web').SecurityGroupId, PortRange: '3306/3306' });
    const inst = (n: string) => m.instances.find((i) => i.InstanceName === n)!;
    expect(inst('web').SecurityGroupIds).toEqual([g('sg-web').SecurityGroupId]);
    expect(inst('admin').SecurityGroupIds).toEqual([g('sg-locked').SecurityGroupId]);
    expect(g('sg-locked')).toMatchObject({ SecurityGroupType: 'enterprise', InnerAccessPolicy: 'Drop' });
    const acl = m.networkAcls[0];
    expect(acl.VSwitchIds).toEqual([t.id('vsw-db')]);
    expect(acl.IngressAclEntries.map((e) => [e.NetworkAclEntryName, e.Port])).toEqual([['mysql-in', '3306/3306']]);
    expect(acl.EgressAclEntries.map((e) => [e.NetworkAclEntryName, e.Port])).toEqual([['replies-out', '1024/65535']]);
  });
});
