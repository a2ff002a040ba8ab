// Security groups in the control plane (SEMANTICS H1–H2): groups, rules (identity, the
// 200-rule quota, priority and policy bounds, peers by CIDR or group), an instance's groups
// (the lab default group, 1–5 groups, one VPC, one type), and each refusal with its code and
// parameter, the model unchanged (helpers.ts expectFailure).

import { describe, expect, it } from 'vitest';
import { dropLabDefault, vpcDeleteBlocker, vswitchDeleteBlocker } from '../../../src/main/cloud/actions/security-group';
import type { SecurityGroup } from '../../../src/main/cloud/model';
import { expectFailure, fixture, type Res } from './helpers';

type Perm = { SecurityGroupRuleId: string; Direction: string; IpProtocol: string; PortRange: string; SourceCidrIp: string; SourceGroupId: string; DestCidrIp: string; DestGroupId: string; Policy: string; Priority: number };

function lab() {
  const f = fixture('t-sg-unit');
  const sg = (extra: Record<string, string> = {}): string => f.call('CreateSecurityGroup', { VpcId: f.vpc, ...extra }).SecurityGroupId as string;
  const group = (id: string): SecurityGroup => f.cp.model.securityGroups.find((g) => g.SecurityGroupId === id)!;
  const perms = (id: string, Direction?: string): Perm[] =>
    ((f.call('DescribeSecurityGroupAttribute', { SecurityGroupId: id, ...(Direction ? { Direction } : {}) }).Permissions as { Permission: Perm[] }).Permission);
  const otherVpc = (): { vpc: string; vsw: string } => {
    const vpc = f.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    return { vpc, vsw: f.call('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '10.0.1.0/24' }).VSwitchId as string };
  };
  return { ...f, sg, group, perms, otherVpc };
}

const groupsOf = (r: Res): string[] => (r.Instances as { Instance: { SecurityGroupIds: { SecurityGroupId: string[] } }[] }).Instance.map((i) => i.SecurityGroupIds.SecurityGroupId).flat();

describe('H1/H2: security groups', () => {
  it('H2: CreateSecurityGroup makes a normal group with InnerAccessPolicy Accept, an enterprise one with Drop, and Describe lists them', () => {
    const l = lab();
    const a = l.sg({ SecurityGroupName: 'web', Description: 'web servers' });
    const b = l.sg({ SecurityGroupType: 'enterprise' });
    expect(a).toMatch(/^sg-[a-z0-9]{22}$/);
    expect(l.group(a)).toMatchObject({ SecurityGroupType: 'normal', InnerAccessPolicy: 'Accept', Rules: [], VpcId: l.vpc });
    expect(l.group(b)).toMatchObject({ SecurityGroupType: 'enterprise', InnerAccessPolicy: 'Drop' });
    const d = l.call('DescribeSecurityGroups', { VpcId: l.vpc });
    expect(d).toMatchObject({ TotalCount: 2, PageNumber: 1, PageSize: 10 });
    expect((d.SecurityGroups as { SecurityGroup: unknown[] }).SecurityGroup[0]).toMatchObject({ SecurityGroupId: a, SecurityGroupName: 'web', SecurityGroupType: 'normal', Description: 'web servers', EcsCount: 0 });
    expect(l.call('DescribeSecurityGroups', { SecurityGroupIds: JSON.stringify([b]) }).TotalCount).toBe(1);
    expect(l.call('DescribeSecurityGroups', { SecurityGroupId: a, PageSize: '1', PageNumber: '2' }).SecurityGroups).toEqual({ SecurityGroup: [] });
  });

  it('H2: CreateSecurityGroup refusals: unknown VPC, bad type, bad name', () => {
    const l = lab();
    expectFailure(l.cp, 'CreateSecurityGroup', { VpcId: 'vpc-nope' }, 'InvalidVpcId.NotFound', { param: 'VpcId' });
    expectFailure(l.cp, 'CreateSecurityGroup', {}, 'MissingParameter', { param: 'VpcId' });
    expectFailure(l.cp, 'CreateSecurityGroup', { VpcId: l.vpc, SecurityGroupType: 'advanced' }, 'InvalidParameter', { param: 'SecurityGroupType' });
    expectFailure(l.cp, 'CreateSecurityGroup', { VpcId: l.vpc, SecurityGroupName: 'http://x' }, 'InvalidSecurityGroupName.Malformed', { param: 'SecurityGroupName' });
  });

  it('H2: ModifySecurityGroupPolicy switches a basic group, and is refused for an enterprise group', () => {
    const l = lab();
    const a = l.sg();
    l.call('ModifySecurityGroupPolicy', { SecurityGroupId: a, InnerAccessPolicy: 'Drop' });
    expect(l.group(a).InnerAccessPolicy).toBe('Drop');
    expect(l.call('DescribeSecurityGroupAttribute', { SecurityGroupId: a }).InnerAccessPolicy).toBe('Drop');
    expectFailure(l.cp, 'ModifySecurityGroupPolicy', { SecurityGroupId: l.sg({ SecurityGroupType: 'enterprise' }), InnerAccessPolicy: 'Accept' }, 'InvalidSecurityGroup.OperationDenied', { param: 'InnerAccessPolicy', status: 400 });
    expectFailure(l.cp, 'ModifySecurityGroupPolicy', { SecurityGroupId: a, InnerAccessPolicy: 'maybe' }, 'InvalidPolicy.Malformed', { param: 'InnerAccessPolicy' });
    expectFailure(l.cp, 'ModifySecurityGroupPolicy', { SecurityGroupId: 'sg-nope', InnerAccessPolicy: 'Drop' }, 'InvalidSecurityGroupId.NotFound', { param: 'SecurityGroupId', status: 404 });
  });
});

describe('H1: rules', () => {
  it('H1: AuthorizeSecurityGroup stores a rule (protocol lower case, defaults accept and priority 1) with an sgr- ID, and Describe shows it', () => {
    const l = lab();
    const a = l.sg();
    const r = l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'TCP', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8', Description: 'ssh' });
    expect(r.SecurityGroupRuleId).toMatch(/^sgr-/);
    const e = l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'icmp', PortRange: '-1/-1', DestCidrIp: '8.8.8.8', Policy: 'Drop', Priority: '5' });
    expect(l.perms(a, 'ingress')).toEqual([expect.objectContaining({ SecurityGroupRuleId: r.SecurityGroupRuleId, Direction: 'ingress', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8', Policy: 'accept', Priority: 1, Description: 'ssh' })]);
    expect(l.perms(a, 'egress')).toEqual([expect.objectContaining({ SecurityGroupRuleId: e.SecurityGroupRuleId, DestCidrIp: '8.8.8.8/32', Policy: 'drop', Priority: 5 })]);
    expect(l.perms(a)).toHaveLength(2);
  });

  it('H1: an identical rule succeeds, answers the existing rule and adds nothing; a different priority or policy is another rule', () => {
    const l = lab();
    const a = l.sg();
    const p = { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' };
    const first = l.call('AuthorizeSecurityGroup', p).SecurityGroupRuleId;
    const counter = l.cp.model.idCounter;
    expect(l.call('AuthorizeSecurityGroup', { ...p, IpProtocol: 'TCP', Policy: 'accept', Priority: '1' }).SecurityGroupRuleId).toBe(first);
    expect(l.cp.model.idCounter).toBe(counter);
    expect(l.group(a).Rules).toHaveLength(1);
    l.call('AuthorizeSecurityGroup', { ...p, Priority: '2' });
    l.call('AuthorizeSecurityGroup', { ...p, Policy: 'drop' });
    l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80', DestCidrIp: '0.0.0.0/0' });
    expect(l.group(a).Rules).toHaveLength(4);
  });

  it('H1: at most 200 rules per group, ingress and egress together → AuthorizationLimitExceed', () => {
    const l = lab();
    const a = l.sg();
    for (let i = 1; i <= 150; i++) l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: `${i}/${i}`, SourceCidrIp: '0.0.0.0/0' });
    for (let i = 1; i <= 50; i++) l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'udp', PortRange: `${i}/${i}`, DestCidrIp: '0.0.0.0/0' });
    expectFailure(l.cp, 'AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '999/999', SourceCidrIp: '0.0.0.0/0' }, 'AuthorizationLimitExceed', { param: 'SecurityGroupId', status: 403 });
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', DestCidrIp: '0.0.0.0/0' }, 'AuthorizationLimitExceed');
    // A repeat of an existing rule is still a success at the limit.
    expect(l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '1/1', SourceCidrIp: '0.0.0.0/0' }).SecurityGroupRuleId).toBe(l.group(a).Rules[0].SecurityGroupRuleId);
  });

  it('H1: rule refusals by field, each naming its parameter', () => {
    const l = lab();
    const a = l.sg();
    const ok = { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' };
    const auth = (p: Record<string, string | undefined>, code: string, param: string): void => void expectFailure(l.cp, 'AuthorizeSecurityGroup', { ...ok, ...p }, code, { param });
    auth({ IpProtocol: 'sctp' }, 'InvalidIpProtocol.ValueNotSupported', 'IpProtocol');
    auth({ PortRange: undefined }, 'MissingParameter', 'PortRange');
    auth({ PortRange: '22' }, 'InvalidParam.PortRange', 'PortRange');
    auth({ PortRange: '0/80' }, 'InvalidParam.PortRange', 'PortRange');
    auth({ PortRange: '90/80' }, 'InvalidParam.PortRange', 'PortRange');
    auth({ PortRange: '1/65536' }, 'InvalidParam.PortRange', 'PortRange');
    auth({ PortRange: '-1/-1' }, 'OperationDenied', 'PortRange');
    auth({ IpProtocol: 'icmp', PortRange: '22/22' }, 'OperationDenied', 'PortRange');
    auth({ IpProtocol: 'all', PortRange: '1/65535' }, 'OperationDenied', 'PortRange');
    auth({ SourceCidrIp: '10.0.0.300/8' }, 'InvalidParam.SourceCidrIp', 'SourceCidrIp');
    auth({ SourceCidrIp: undefined }, 'MissingParameter.Source', 'SourceCidrIp');
    auth({ SourceCidrIp: undefined, SourceGroupId: 'sg-nope' }, 'InvalidSourceGroupId.NotFound', 'SourceGroupId');
    auth({ Policy: 'allow' }, 'InvalidPolicy.Malformed', 'Policy');
    auth({ Priority: 'high' }, 'InvalidPriority.Malformed', 'Priority');
    auth({ Priority: '0' }, 'InvalidPriority.ValueNotSupported', 'Priority');
    auth({ Priority: '101' }, 'InvalidPriority.ValueNotSupported', 'Priority');
    auth({ SecurityGroupId: 'sg-nope' }, 'InvalidSecurityGroupId.NotFound', 'SecurityGroupId');
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80', DestCidrIp: 'x' }, 'InvalidParam.DestCidrIp', { param: 'DestCidrIp' });
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80' }, 'MissingParameter.Dest', { param: 'DestCidrIp' });
    // SG9: a CIDR and a group both given: the CIDR wins.
    l.call('AuthorizeSecurityGroup', { ...ok, SourceGroupId: l.sg() });
    expect(l.perms(a)).toEqual([expect.objectContaining({ SourceCidrIp: '0.0.0.0/0', SourceGroupId: '' })]);
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { ...ok }, 'UnsupportedParameter');
  });

  it('H1: a peer group must be of the same VPC; a group peer is stored as SourceGroupId / DestGroupId', () => {
    const l = lab();
    const a = l.sg();
    const b = l.sg();
    const o = l.otherVpc();
    const far = l.call('CreateSecurityGroup', { VpcId: o.vpc }).SecurityGroupId as string;
    expectFailure(l.cp, 'AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: far }, 'InvalidSourceGroupId.Mismatch', { param: 'SourceGroupId' });
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', DestGroupId: far }, 'InvalidDestGroupId.Mismatch', { param: 'DestGroupId' });
    l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: b });
    l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', DestGroupId: b });
    expect(l.perms(a).map((p) => [p.SourceGroupId, p.DestGroupId, p.SourceCidrIp, p.DestCidrIp])).toEqual([[b, '', '', ''], ['', b, '', '']]);
  });

  it('H1/SG6: at most 20 group-peer rules per basic group → AuthorizedGroupRule.LimitExceed; no group peer in or to an enterprise group', () => {
    const l = lab();
    const a = l.sg();
    const peers = Array.from({ length: 21 }, () => l.sg());
    for (let i = 0; i < 20; i++) l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: peers[i] });
    expectFailure(l.cp, 'AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: peers[20] }, 'AuthorizedGroupRule.LimitExceed', { param: 'SourceGroupId' });
    l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceCidrIp: '10.0.0.0/8' });
    const ent = l.sg({ SecurityGroupType: 'enterprise' });
    expectFailure(l.cp, 'AuthorizeSecurityGroup', { SecurityGroupId: ent, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: peers[20] }, 'InvalidGroupAuthParameter.OperationDenied', { param: 'SourceGroupId' });
    expectFailure(l.cp, 'AuthorizeSecurityGroupEgress', { SecurityGroupId: peers[20], IpProtocol: 'all', PortRange: '-1/-1', DestGroupId: ent }, 'InvalidGroupAuthParameter.OperationDenied', { param: 'DestGroupId' });
  });

  it('H1: RevokeSecurityGroup by rule ID (one, or a JSON list) and by the rule\'s fields; an unknown or repeated ID is refused, no match by fields is a success', () => {
    const l = lab();
    const a = l.sg();
    const add = (port: number): string => l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: `${port}/${port}`, SourceCidrIp: '0.0.0.0/0' }).SecurityGroupRuleId as string;
    const [r1, r2, r3] = [add(1), add(2), add(3)];
    const e = l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', DestCidrIp: '0.0.0.0/0' }).SecurityGroupRuleId as string;
    expectFailure(l.cp, 'RevokeSecurityGroup', { SecurityGroupId: a, SecurityGroupRuleId: e }, 'InvalidSecurityGroupRuleId.NotFound', { param: 'SecurityGroupRuleId' });
    expectFailure(l.cp, 'RevokeSecurityGroup', { SecurityGroupId: a, SecurityGroupRuleId: JSON.stringify([r1, 'sgr-nope']) }, 'InvalidSecurityGroupRuleId.NotFound', { param: 'SecurityGroupRuleId' });
    l.call('RevokeSecurityGroup', { SecurityGroupId: a, SecurityGroupRuleId: r1 });
    l.call('RevokeSecurityGroup', { SecurityGroupId: a, SecurityGroupRuleId: JSON.stringify([r2]) });
    expect(l.group(a).Rules.map((r) => r.SecurityGroupRuleId)).toEqual([r3, e]);
    expectFailure(l.cp, 'RevokeSecurityGroup', { SecurityGroupId: a, SecurityGroupRuleId: JSON.stringify([r3, r3]) }, 'InvalidParam.SecurityGroupRuleIdRepeated', { param: 'SecurityGroupRuleId' });
    // SG9: by fields, no match is a success that deletes nothing.
    l.call('RevokeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '3/3', SourceCidrIp: '0.0.0.0/0', Priority: '2' });
    expect(l.group(a).Rules).toHaveLength(2);
    l.call('RevokeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'TCP', PortRange: '3/3', SourceCidrIp: '0.0.0.0/0' });
    l.call('RevokeSecurityGroupEgress', { SecurityGroupId: a, SecurityGroupRuleId: e });
    expect(l.group(a).Rules).toEqual([]);
  });

  it('H1: ModifySecurityGroupRule changes the fields given, keeps the ID, and refuses a twin, the other direction\'s peer and an unknown rule', () => {
    const l = lab();
    const a = l.sg();
    const b = l.sg();
    const r = l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }).SecurityGroupRuleId as string;
    l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'tcp', PortRange: '443/443', SourceCidrIp: '0.0.0.0/0' });
    l.call('ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, PortRange: '8080/8080', Policy: 'drop', Priority: '7', SourceCidrIp: '10.0.0.0/8', Description: 'x' });
    expect(l.perms(a)[0]).toMatchObject({ SecurityGroupRuleId: r, PortRange: '8080/8080', Policy: 'drop', Priority: 7, SourceCidrIp: '10.0.0.0/8', Description: 'x' });
    // SG9: the kind of peer cannot change.
    expectFailure(l.cp, 'ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, SourceGroupId: b }, 'OperationDenied.PeerKind', { param: 'SourceGroupId' });
    const e = l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', DestGroupId: b }).SecurityGroupRuleId as string;
    expectFailure(l.cp, 'ModifySecurityGroupEgressRule', { SecurityGroupId: a, SecurityGroupRuleId: e, DestCidrIp: '1.1.1.1' }, 'OperationDenied.PeerKind', { param: 'DestCidrIp' });
    expectFailure(l.cp, 'ModifySecurityGroupEgressRule', { SecurityGroupId: a, SecurityGroupRuleId: r, Priority: '3' }, 'InvalidSecurityGroupRuleId.NotFound', { param: 'SecurityGroupRuleId', status: 404 });
    l.call('ModifySecurityGroupEgressRule', { SecurityGroupId: a, SecurityGroupRuleId: e, Priority: '3' });
    expect(l.perms(a, 'egress')[0]).toMatchObject({ SecurityGroupRuleId: e, Priority: 3, DestGroupId: b });
    l.call('ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, IpProtocol: 'icmp' });
    expect(l.perms(a)[0]).toMatchObject({ IpProtocol: 'icmp', PortRange: '-1/-1' });
    l.call('ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, IpProtocol: 'tcp', PortRange: '443/443', Policy: 'accept', Priority: '1', SourceCidrIp: '1.2.3.0/24' });
    expectFailure(l.cp, 'ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, SourceCidrIp: '0.0.0.0/0' }, 'InvalidSecurityGroupRule.Duplicated', { param: 'SecurityGroupRuleId' });
    expectFailure(l.cp, 'ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, DestCidrIp: '0.0.0.0/0' }, 'InvalidParameter', { param: 'DestCidrIp' });
    expectFailure(l.cp, 'ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: 'sgr-nope' }, 'InvalidSecurityGroupRuleId.NotFound', { param: 'SecurityGroupRuleId' });
    expectFailure(l.cp, 'ModifySecurityGroupRule', { SecurityGroupId: a, SecurityGroupRuleId: r, PortRange: '-1/-1' }, 'OperationDenied', { param: 'PortRange' });
    expectFailure(l.cp, 'DescribeSecurityGroupAttribute', { SecurityGroupId: a, Direction: 'up' }, 'InvalidParameter', { param: 'Direction' });
  });
});

describe('H1/H2: an instance\'s groups', () => {
  it('H2: an ECS created without a group joins its VPC\'s lab default group: normal, Accept, one ingress accept-all rule at priority 100, no egress rule', () => {
    const l = lab();
    const counter = l.cp.model.idCounter;
    const i1 = l.run('ECS-A', l.vswA);
    // The default group's IDs are derived: only the instance took a counter ID.
    expect(l.cp.model.idCounter).toBe(counter + 1);
    const i2 = l.run('ECS-B', l.vswB);
    expect(l.cp.model.securityGroups).toHaveLength(1);
    const g = l.cp.model.securityGroups[0];
    expect(g).toMatchObject({ SecurityGroupName: 'default', SecurityGroupType: 'normal', InnerAccessPolicy: 'Accept', LabDefault: true, VpcId: l.vpc });
    expect(g.Rules).toEqual([expect.objectContaining({ Direction: 'ingress', IpProtocol: 'all', PortRange: '-1/-1', SourceCidrIp: '0.0.0.0/0', Policy: 'accept', Priority: 100 })]);
    expect(groupsOf(l.call('DescribeInstances', {}))).toEqual([g.SecurityGroupId, g.SecurityGroupId]);
    expect((l.call('DescribeSecurityGroups', {}).SecurityGroups as { SecurityGroup: { EcsCount: number }[] }).SecurityGroup[0].EcsCount).toBe(2);
    // An ordinary group afterwards: its rule can be revoked.
    l.call('RevokeSecurityGroup', { SecurityGroupId: g.SecurityGroupId, SecurityGroupRuleId: g.Rules[0].SecurityGroupRuleId });
    expect(l.cp.model.securityGroups[0].Rules).toEqual([]);
    // Another VPC gets its own.
    const o = l.otherVpc();
    l.run('ECS-C', o.vsw);
    expect(l.cp.model.securityGroups.filter((x) => x.LabDefault).map((x) => x.VpcId)).toEqual([l.vpc, o.vpc]);
    expect([i1, i2]).toHaveLength(2);
  });

  it('H1: RunInstances with SecurityGroupId or SecurityGroupIds (1–5, one VPC, one type), and its refusals', () => {
    const l = lab();
    const [a, b, c, d, e, f6] = [l.sg(), l.sg(), l.sg(), l.sg(), l.sg(), l.sg()];
    const ent = l.sg({ SecurityGroupType: 'enterprise' });
    l.run('ECS-A', l.vswA, undefined, { SecurityGroupId: a });
    l.run('ECS-B', l.vswA, undefined, { SecurityGroupIds: JSON.stringify([a, b, c, d, e]) });
    l.run('ECS-C', l.vswA, undefined, { 'SecurityGroupIds.1': ent });
    expect(l.cp.model.instances.map((i) => i.SecurityGroupIds)).toEqual([[a], [a, b, c, d, e], [ent]]);
    expect(l.cp.model.securityGroups.some((g) => g.LabDefault)).toBe(false);
    const run = (extra: Record<string, string>, code: string, param: string): void =>
      void expectFailure(l.cp, 'RunInstances', { InstanceName: 'ECS-X', VSwitchId: l.vswA, ...extra }, code, { param });
    run({ SecurityGroupIds: JSON.stringify([a, b, c, d, e, f6]) }, 'InstanceSecurityGroupLimitExceeded', 'SecurityGroupIds');
    run({ SecurityGroupIds: JSON.stringify([a, ent]) }, 'InvalidSecurityGroup.TypeMismatch', 'SecurityGroupIds');
    run({ SecurityGroupIds: JSON.stringify([a, a]) }, 'InvalidSecurityGroupId.Duplicated', 'SecurityGroupIds');
    run({ SecurityGroupId: 'sg-nope' }, 'InvalidSecurityGroupId.NotFound', 'SecurityGroupId');
    run({ SecurityGroupId: a, SecurityGroupIds: b }, 'InvalidParameter.Conflict', 'SecurityGroupIds');
    const o = l.otherVpc();
    run({ SecurityGroupId: l.call('CreateSecurityGroup', { VpcId: o.vpc }).SecurityGroupId as string }, 'InvalidInstanceId.Mismatch', 'SecurityGroupId');
  });

  it('H1: JoinSecurityGroup (at most 5, same VPC, same type), LeaveSecurityGroup (not the last), ModifyInstanceAttribute (replaces)', () => {
    const l = lab();
    const [a, b, c, d, e, f6] = [l.sg(), l.sg(), l.sg(), l.sg(), l.sg(), l.sg()];
    const ent = l.sg({ SecurityGroupType: 'enterprise' });
    const i = l.run('ECS-A', l.vswA, undefined, { SecurityGroupId: a });
    for (const g of [b, c, d, e]) l.call('JoinSecurityGroup', { SecurityGroupId: g, InstanceId: i });
    expect(l.cp.model.instances[0].SecurityGroupIds).toEqual([a, b, c, d, e]);
    expectFailure(l.cp, 'JoinSecurityGroup', { SecurityGroupId: f6, InstanceId: i }, 'InstanceSecurityGroupLimitExceeded', { param: 'SecurityGroupId' });
    expectFailure(l.cp, 'JoinSecurityGroup', { SecurityGroupId: a, InstanceId: i }, 'InvalidInstanceId.AlreadyExists', { param: 'InstanceId', status: 403 });
    expectFailure(l.cp, 'JoinSecurityGroup', { SecurityGroupId: a, InstanceId: 'i-nope' }, 'InvalidInstanceId.NotFound', { param: 'InstanceId' });
    for (const g of [b, c, d, e]) l.call('LeaveSecurityGroup', { SecurityGroupId: g, InstanceId: i });
    expectFailure(l.cp, 'JoinSecurityGroup', { SecurityGroupId: ent, InstanceId: i }, 'InvalidSecurityGroup.TypeMismatch', { param: 'SecurityGroupId' });
    const o = l.otherVpc();
    expectFailure(l.cp, 'JoinSecurityGroup', { SecurityGroupId: l.call('CreateSecurityGroup', { VpcId: o.vpc }).SecurityGroupId as string, InstanceId: i }, 'InvalidInstanceId.Mismatch', { param: 'SecurityGroupId' });
    expectFailure(l.cp, 'LeaveSecurityGroup', { SecurityGroupId: a, InstanceId: i }, 'InstanceLastSecurityGroup', { param: 'SecurityGroupId', status: 403 });
    expectFailure(l.cp, 'LeaveSecurityGroup', { SecurityGroupId: b, InstanceId: i }, 'InstanceNotInSecurityGroup', { param: 'SecurityGroupId', status: 403 });
    l.call('ModifyInstanceAttribute', { InstanceId: i, SecurityGroupIds: JSON.stringify([ent]) });
    expect(l.cp.model.instances[0].SecurityGroupIds).toEqual([ent]);
    l.call('ModifyInstanceAttribute', { InstanceId: i, 'SecurityGroupIds.1': b, 'SecurityGroupIds.2': c });
    expect(l.cp.model.instances[0].SecurityGroupIds).toEqual([b, c]);
    expectFailure(l.cp, 'ModifyInstanceAttribute', { InstanceId: i, SecurityGroupIds: JSON.stringify([a, b, c, d, e, f6]) }, 'InstanceSecurityGroupLimitExceeded', { param: 'SecurityGroupIds' });
    expectFailure(l.cp, 'ModifyInstanceAttribute', { InstanceId: i, SecurityGroupIds: JSON.stringify([a, ent]) }, 'InvalidSecurityGroup.TypeMismatch', { param: 'SecurityGroupIds' });
  });

  it('H1: DeleteSecurityGroup is refused while an instance is in it or another group\'s rule names it', () => {
    const l = lab();
    const a = l.sg();
    const b = l.sg();
    const i = l.run('ECS-A', l.vswA, undefined, { SecurityGroupIds: JSON.stringify([a, b]) });
    expectFailure(l.cp, 'DeleteSecurityGroup', { SecurityGroupId: a }, 'DependencyViolation', { param: 'SecurityGroupId', status: 403 });
    l.call('LeaveSecurityGroup', { SecurityGroupId: a, InstanceId: i });
    const r = l.call('AuthorizeSecurityGroupEgress', { SecurityGroupId: b, IpProtocol: 'all', PortRange: '-1/-1', DestGroupId: a }).SecurityGroupRuleId as string;
    expectFailure(l.cp, 'DeleteSecurityGroup', { SecurityGroupId: a }, 'DependencyViolation', { param: 'SecurityGroupId', status: 403 });
    l.call('RevokeSecurityGroupEgress', { SecurityGroupId: b, SecurityGroupRuleId: r });
    // A rule naming its own group does not hold it back.
    l.call('AuthorizeSecurityGroup', { SecurityGroupId: a, IpProtocol: 'all', PortRange: '-1/-1', SourceGroupId: a });
    l.call('DeleteSecurityGroup', { SecurityGroupId: a });
    expect(l.cp.model.securityGroups.map((g) => g.SecurityGroupId)).toEqual([b]);
    expectFailure(l.cp, 'DeleteSecurityGroup', { SecurityGroupId: a }, 'InvalidSecurityGroup.NotFound', { param: 'SecurityGroupId', status: 404 });
  });
});

describe('H1/H4: what a VPC or vSwitch deletion must account for (for DeleteVpc / DeleteVSwitch)', () => {
  it('H1/H4: a group other than the lab default one, or an ACL, blocks the VPC; an associated ACL the vSwitch; the lab default group goes with its VPC', () => {
    const l = lab();
    l.run('ECS-A', l.vswA);
    expect(vpcDeleteBlocker(l.cp.model, l.vpc)).toBeUndefined();
    const g = l.sg();
    expect(vpcDeleteBlocker(l.cp.model, l.vpc)).toMatchObject({ code: 'DependencyViolation.SecurityGroup', param: 'VpcId' });
    l.call('DeleteSecurityGroup', { SecurityGroupId: g });
    const acl = l.call('CreateNetworkAcl', { VpcId: l.vpc }).NetworkAclId as string;
    expect(vpcDeleteBlocker(l.cp.model, l.vpc)).toMatchObject({ code: 'DependencyViolation.NetworkAcl' });
    expect(vswitchDeleteBlocker(l.cp.model, l.vswA)).toBeUndefined();
    l.call('AssociateNetworkAcl', { NetworkAclId: acl, Resource: [{ ResourceId: l.vswA, ResourceType: 'VSwitch' }] });
    expect(vswitchDeleteBlocker(l.cp.model, l.vswA)).toMatchObject({ code: 'DependencyViolation.NetworkAcl', param: 'VSwitchId' });
    const m = structuredClone(l.cp.model);
    dropLabDefault(m, l.vpc);
    expect(m.securityGroups).toEqual([]);
  });
});
