// The Security Groups and Network ACLs panels' rows and requests over the real control plane
// (no root, no lab): the security-groups tutorial (lab-scenarios/security-groups.yaml) through
// its last step, read as the Console reads it, then the panels' own requests — add and
// delete a rule, add, move and delete an ACL entry by sending the whole list, join and leave —
// sent to the control plane and read back; a refusal names the parameter the form's field sets.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConsoleData, nameIndex, type ConsoleData } from '../../../src/renderer/src/lib/console-data';
import { labFailure } from '../../../src/renderer/src/lib/errors';
import { failedParam } from '../../../src/renderer/src/lib/field-error';
import {
  aclUpdateRequest, authorizeRequest, customEntries, modifyRequest, defaultWords, groupMembers, inserted, joinable, moved, removed, revokeRequest, ruleSummary, rulesOf,
  type AclEntryRow, type SecurityGroupRow,
} from '../../../src/renderer/src/lib/sg-data';
import { loadScenario } from '../../../src/main/scenario/load';
import { tutorialCloud, type TutorialCloud } from './tutorial-cloud';

const SG_TUTORIAL = path.resolve(__dirname, '../../../lab-scenarios/security-groups.yaml');
const ALL_STEPS = loadScenario(SG_TUTORIAL).steps.length;

function sgTutorial(steps = ALL_STEPS): TutorialCloud {
  return tutorialCloud(SG_TUTORIAL, 't-renderer-sg', steps);
}

const group = (d: ConsoleData, name: string): SecurityGroupRow => {
  const g = d.securityGroups.find((x) => x.SecurityGroupName === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
};

const refusal = async (p: Promise<unknown>): Promise<{ code: string; param: string | null }> => {
  try {
    await p;
  } catch (e) {
    const f = labFailure(e);
    return { code: f.code, param: failedParam(f) };
  }
  throw new Error('the action succeeded');
};

describe('the security-groups tutorial in the Console', () => {
  it('reads the groups with their type, instances and rules in the order they are evaluated', async () => {
    const lab = sgTutorial();
    const d = await loadConsoleData(lab.invoke);
    const names = nameIndex(d);
    const mine = d.securityGroups.filter((g) => g.SecurityGroupName.startsWith('sg-'));
    expect(mine.map((g) => [g.SecurityGroupName, g.SecurityGroupType, g.VpcId, groupMembers(d.instances, g.SecurityGroupId).map((i) => i.InstanceName)])).toEqual([
      ['sg-web', 'normal', lab.id('vpc-sg'), ['web']],
      ['sg-db', 'normal', lab.id('vpc-sg'), ['db']],
      ['sg-admin', 'normal', lab.id('vpc-sg'), []],
      ['sg-locked', 'enterprise', lab.id('vpc-sg'), ['admin']],
    ]);
    for (const g of mine) expect(g.EcsCount).toBe(groupMembers(d.instances, g.SecurityGroupId).length);
    expect(d.instances.find((i) => i.InstanceName === 'admin')?.SecurityGroupIds).toEqual([lab.id('sg-locked')]);
    const web = group(d, 'sg-web');
    // Priority 1 first; at priority 10 the drop rule before the accept rule.
    expect(rulesOf(web, 'ingress').map((r) => ruleSummary(r, names))).toEqual([
      'Drop · TCP 80/80 · from 47.83.1.59/32 · priority 1',
      'Accept · ICMP · from 0.0.0.0/0 · priority 1',
      'Drop · TCP 80/80 · from 47.83.1.60/32 · priority 10',
      'Accept · TCP 80/80 · from 0.0.0.0/0 · priority 10',
    ]);
    expect(rulesOf(web, 'egress')).toEqual([]);
    expect(rulesOf(group(d, 'sg-db'), 'ingress').map((r) => ruleSummary(r, names))).toEqual([`Accept · TCP 3306/3306 · from group sg-web (${lab.id('sg-web')}) · priority 1`]);
    expect(defaultWords(web)).toEqual({ ingress: 'Allowed only from instances in this group', egress: 'Allowed' });
    expect(defaultWords(group(d, 'sg-locked'))).toEqual({ ingress: 'Denied (enterprise group)', egress: 'Denied (enterprise group)' });
    expect(joinable(d.instances, web).map((i) => i.InstanceName).sort()).toEqual(['admin', 'db']);
    expect(names.get(lab.id('sg-web'))).toBe('sg-web');
  });

  it('reads the ACL with its entries in order, the system ones last, and its vSwitch', async () => {
    const lab = sgTutorial();
    const d = await loadConsoleData(lab.invoke);
    expect(d.networkAcls).toHaveLength(1);
    const acl = d.networkAcls[0];
    expect(acl).toMatchObject({ NetworkAclName: 'acl-db', VpcId: lab.id('vpc-sg'), VSwitchIds: [lab.id('vsw-db')] });
    expect(acl.Ingress.map((e) => [e.NetworkAclEntryName, e.Policy, e.Protocol, e.CidrIp, e.Port, e.EntryType])).toEqual([
      ['mysql-in', 'accept', 'tcp', '192.168.1.0/24', '3306/3306', 'custom'],
      ...acl.Ingress.slice(1).map((e) => [e.NetworkAclEntryName, e.Policy, e.Protocol, e.CidrIp, e.Port, 'system']),
    ]);
    expect(customEntries(acl, 'egress').map((e) => [e.NetworkAclEntryName, e.CidrIp, e.Port])).toEqual([['replies-out', '192.168.1.0/24', '1024/65535']]);
    expect(nameIndex(d).get(acl.NetworkAclId)).toBe('acl-db');
  });

  it('adds, modifies and deletes a rule with the panel’s requests; a bad port range is refused at the port field', async () => {
    const lab = sgTutorial();
    const admin = group(await loadConsoleData(lab.invoke), 'sg-admin');
    const add = authorizeRequest(admin.SecurityGroupId, {
      Direction: 'egress', Policy: 'drop', IpProtocol: 'tcp', PortRange: '22', Peer: 'group', Cidr: '', GroupId: lab.id('sg-db'), Priority: 5, Description: 'no ssh to db',
    });
    await lab.invoke(add.action, add.params);
    let d = await loadConsoleData(lab.invoke);
    const [rule] = rulesOf(group(d, 'sg-admin'), 'egress');
    expect(ruleSummary(rule, nameIndex(d))).toBe(`Drop · TCP 22/22 · to group sg-db (${lab.id('sg-db')}) · priority 5`);
    expect(rule.Description).toBe('no ssh to db');
    const bad = authorizeRequest(admin.SecurityGroupId, { ...add.params, Direction: 'ingress', Policy: 'accept', IpProtocol: 'tcp', PortRange: '99999', Peer: 'cidr', Cidr: '0.0.0.0/0', GroupId: '', Priority: 1, Description: '' } as never);
    expect(await refusal(lab.invoke(bad.action, bad.params))).toMatchObject({ param: 'PortRange' });
    const mod = modifyRequest(admin.SecurityGroupId, rule, { Policy: 'accept', IpProtocol: 'tcp', PortRange: '22/22', Peer: 'group', Cidr: '', GroupId: lab.id('sg-db'), Priority: 3, Description: 'ssh to db' });
    await lab.invoke(mod.action, mod.params);
    d = await loadConsoleData(lab.invoke);
    const [changed] = rulesOf(group(d, 'sg-admin'), 'egress');
    expect([changed.SecurityGroupRuleId, ruleSummary(changed, nameIndex(d)), changed.Description]).toEqual([rule.SecurityGroupRuleId, `Accept · TCP 22/22 · to group sg-db (${lab.id('sg-db')}) · priority 3`, 'ssh to db']);
    const del = revokeRequest(admin.SecurityGroupId, rule);
    await lab.invoke(del.action, del.params);
    d = await loadConsoleData(lab.invoke);
    expect(group(d, 'sg-admin').Rules).toEqual([]);
  });

  it('adds, moves and deletes an ACL entry by sending the whole list; IDs are kept and the system entries stay last', async () => {
    const lab = sgTutorial();
    const read = async () => (await loadConsoleData(lab.invoke)).networkAcls[0];
    let acl = await read();
    const before = customEntries(acl, 'ingress');
    const systemIds = acl.Ingress.filter((e) => e.EntryType === 'system').map((e) => e.NetworkAclEntryId);
    const fresh: Partial<AclEntryRow> = { NetworkAclEntryName: 'no-ssh', Policy: 'drop', Protocol: 'tcp', Port: '22/22', CidrIp: '0.0.0.0/0' };
    await lab.invoke('UpdateNetworkAclEntries', aclUpdateRequest(acl.NetworkAclId, 'ingress', inserted<Partial<AclEntryRow>>(before, 0, fresh)));
    acl = await read();
    expect(acl.Ingress.map((e) => e.NetworkAclEntryName).slice(0, 2)).toEqual(['no-ssh', 'mysql-in']);
    expect(acl.Ingress[1].NetworkAclEntryId).toBe(before[0].NetworkAclEntryId);
    expect(acl.Ingress.slice(2).map((e) => e.NetworkAclEntryId)).toEqual(systemIds);
    // The egress list is left alone.
    expect(customEntries(acl, 'egress').map((e) => e.NetworkAclEntryName)).toEqual(['replies-out']);

    await lab.invoke('UpdateNetworkAclEntries', aclUpdateRequest(acl.NetworkAclId, 'ingress', moved(customEntries(acl, 'ingress'), 1, -1)));
    acl = await read();
    expect(customEntries(acl, 'ingress').map((e) => e.NetworkAclEntryName)).toEqual(['mysql-in', 'no-ssh']);

    // A bad port on the second entry is refused at that entry's field.
    const broken = customEntries(acl, 'ingress').map((e, i) => (i === 1 ? { ...e, Port: '70000/70000' } : e));
    expect(await refusal(lab.invoke('UpdateNetworkAclEntries', aclUpdateRequest(acl.NetworkAclId, 'ingress', broken)))).toMatchObject({ param: 'IngressAclEntries.2.Port' });

    let custom = customEntries(acl, 'ingress');
    while (custom.length > 0) {
      await lab.invoke('UpdateNetworkAclEntries', aclUpdateRequest(acl.NetworkAclId, 'ingress', removed(custom, 0)));
      acl = await read();
      custom = customEntries(acl, 'ingress');
    }
    expect(acl.Ingress.map((e) => e.NetworkAclEntryId)).toEqual(systemIds);
  });

  it('joins and leaves a group, associates and unassociates a vSwitch, with the panels’ parameters', async () => {
    const lab = sgTutorial();
    let d = await loadConsoleData(lab.invoke);
    const web = group(d, 'sg-web');
    const db = d.instances.find((i) => i.InstanceName === 'db')!;
    await lab.invoke('JoinSecurityGroup', { SecurityGroupId: web.SecurityGroupId, InstanceId: db.InstanceId });
    d = await loadConsoleData(lab.invoke);
    expect(groupMembers(d.instances, web.SecurityGroupId).map((i) => i.InstanceName)).toEqual(['web', 'db']);
    await lab.invoke('LeaveSecurityGroup', { SecurityGroupId: web.SecurityGroupId, InstanceId: db.InstanceId });
    d = await loadConsoleData(lab.invoke);
    expect(groupMembers(d.instances, web.SecurityGroupId).map((i) => i.InstanceName)).toEqual(['web']);

    const acl = d.networkAcls[0];
    const resource = (id: string) => [{ ResourceId: id, ResourceType: 'VSwitch' }];
    await lab.invoke('AssociateNetworkAcl', { NetworkAclId: acl.NetworkAclId, Resource: resource(lab.id('vsw-web')) });
    expect((await loadConsoleData(lab.invoke)).networkAcls[0].VSwitchIds).toEqual([lab.id('vsw-db'), lab.id('vsw-web')]);
    await lab.invoke('UnassociateNetworkAcl', { NetworkAclId: acl.NetworkAclId, Resource: resource(lab.id('vsw-db')) });
    expect((await loadConsoleData(lab.invoke)).networkAcls[0].VSwitchIds).toEqual([lab.id('vsw-web')]);
    // Delete is refused while a vSwitch is associated, at the ACL.
    expect(await refusal(lab.invoke('DeleteNetworkAcl', { NetworkAclId: acl.NetworkAclId }))).toMatchObject({ param: 'NetworkAclId' });
  });
});
