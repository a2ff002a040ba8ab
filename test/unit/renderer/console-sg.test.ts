// The Console's security group and network ACL rows and words (src/renderer/src/lib/sg-data.ts):
// API answers in the shapes of DescribeSecurityGroups, DescribeSecurityGroupAttribute and
// DescribeNetworkAcls unwrapped into rows, the rules in the order they are evaluated, a rule
// in one line, and the requests the panels send (an ACL's whole new entry list). No root.
import { describe, expect, it } from 'vitest';
import { loadConsoleData, nameIndex } from '../../../src/renderer/src/lib/console-data';
import {
  aclEntryWords, aclUpdateRequest, authorizeRequest, customEntries, defaultWords, evaluationOrder, groupMembers, innerAccessWords, inserted, joinable,
  loadSgData, modifyRequest, moved, networkAclRows, peerGroups, peerWords, portRangeParam, removed, revokeRequest, ruleSummary, rulesOf, securityGroupRows, sgTypeWords,
  type SgRuleRow,
} from '../../../src/renderer/src/lib/sg-data';
import { internalWords } from '../../e2e/support/internal-words';

const VPC = 'vpc-1';

const groups = {
  TotalCount: 2,
  SecurityGroups: {
    SecurityGroup: [
      { SecurityGroupId: 'sg-web', SecurityGroupName: 'web', SecurityGroupType: 'normal', VpcId: VPC, Description: 'web tier', CreationTime: '2026-12-07T00:00:00Z', EcsCount: 2 },
      { SecurityGroupId: 'sg-db', SecurityGroupName: 'db', SecurityGroupType: 'enterprise', VpcId: VPC, Description: '', CreationTime: '2026-12-07T00:00:01Z', EcsCount: 1 },
    ],
  },
};

const perm = (o: Partial<SgRuleRow> & { SecurityGroupRuleId: string }): Record<string, unknown> => ({
  Direction: 'ingress', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '', SourceGroupId: '', DestCidrIp: '', DestGroupId: '',
  Policy: 'accept', Priority: 1, Description: '', CreateTime: '2026-12-07T00:00:02Z', ...o,
});

const attrs: Record<string, Record<string, unknown>> = {
  'sg-web': {
    SecurityGroupId: 'sg-web', SecurityGroupName: 'web', VpcId: VPC, SecurityGroupType: 'normal', InnerAccessPolicy: 'Accept', Description: 'web tier',
    Permissions: {
      Permission: [
        perm({ SecurityGroupRuleId: 'sgr-a', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: 1 }),
        perm({ SecurityGroupRuleId: 'sgr-b', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 1 }),
        perm({ SecurityGroupRuleId: 'sgr-c', IpProtocol: 'icmp', PortRange: '-1/-1', SourceGroupId: 'sg-db', Priority: 50 }),
        perm({ SecurityGroupRuleId: 'sgr-d', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8', Priority: 1 }),
        perm({ SecurityGroupRuleId: 'sgr-e', Direction: 'egress', IpProtocol: 'all', PortRange: '-1/-1', DestCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 100 }),
        perm({ SecurityGroupRuleId: 'sgr-f', Direction: 'egress', IpProtocol: 'udp', PortRange: '53/53', DestGroupId: 'sg-db', Priority: 10 }),
      ],
    },
  },
  'sg-db': { SecurityGroupId: 'sg-db', SecurityGroupType: 'enterprise', InnerAccessPolicy: 'Drop', Permissions: { Permission: [] } },
};

const acls = {
  TotalCount: 1,
  NetworkAcls: {
    NetworkAcl: [
      {
        NetworkAclId: 'nacl-1', NetworkAclName: 'acl-web', VpcId: VPC, Description: 'web vSwitch', Status: 'Available', CreationTime: '2026-12-07T00:00:03Z',
        IngressAclEntries: {
          IngressAclEntry: [
            { NetworkAclEntryId: 'nae-1', NetworkAclEntryName: 'no-ssh', Policy: 'drop', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0', Port: '22/22', EntryType: 'custom', Description: '' },
            { NetworkAclEntryId: 'nae-2', NetworkAclEntryName: 'web', Policy: 'accept', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0', Port: '80/80', EntryType: 'custom', Description: 'http' },
            { NetworkAclEntryId: 'nae-s1', NetworkAclEntryName: 'system-ingress-1', Policy: 'accept', Protocol: 'all', SourceCidrIp: '0.0.0.0/0', Port: '-1/-1', EntryType: 'system', Description: 'System ingress entry' },
          ],
        },
        EgressAclEntries: {
          EgressAclEntry: [
            { NetworkAclEntryId: 'nae-s2', NetworkAclEntryName: 'system-egress-1', Policy: 'accept', Protocol: 'all', DestinationCidrIp: '0.0.0.0/0', Port: '-1/-1', EntryType: 'system', Description: '' },
          ],
        },
        Resources: { Resource: [{ ResourceId: 'vsw-1', ResourceType: 'VSwitch', Status: 'BINDED' }] },
      },
    ],
  },
};

const instances = {
  Instances: {
    Instance: [
      { InstanceId: 'i-1', InstanceName: 'ECS-1', VpcId: VPC, VSwitchId: 'vsw-1', PrivateIpAddress: '10.0.0.1', Status: 'Running', SecurityGroupIds: { SecurityGroupId: ['sg-web'] } },
      { InstanceId: 'i-2', InstanceName: 'ECS-2', VpcId: VPC, VSwitchId: 'vsw-1', PrivateIpAddress: '10.0.0.2', Status: 'Running', SecurityGroupIds: { SecurityGroupId: ['sg-web', 'sg-db'] } },
      { InstanceId: 'i-3', InstanceName: 'ECS-3', VpcId: VPC, VSwitchId: 'vsw-1', PrivateIpAddress: '10.0.0.3', Status: 'Running', SecurityGroupIds: { SecurityGroupId: ['sg-db'] } },
      { InstanceId: 'i-9', InstanceName: 'ECS-9', VpcId: 'vpc-2', VSwitchId: 'vsw-9', PrivateIpAddress: '10.9.0.1', Status: 'Running' },
    ],
  },
};

/** The answers above, everything else empty: what the control plane would say for this lab. */
function fakeInvoke(calls: string[] = []) {
  return async (action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    calls.push(`${action} ${JSON.stringify(params)}`);
    if (action === 'DescribeSecurityGroups') return groups;
    if (action === 'DescribeSecurityGroupAttribute') return attrs[String(params.SecurityGroupId)] ?? {};
    if (action === 'DescribeNetworkAcls') return acls;
    if (action === 'DescribeInstances') return instances;
    return {};
  };
}

const web = () => securityGroupRows(groups, new Map(Object.entries(attrs)))[0];

describe('security group rows', () => {
  it('reads each group with its type, internal access and rules, every field coerced', () => {
    const rows = securityGroupRows(groups, new Map(Object.entries(attrs)));
    expect(rows.map((g) => [g.SecurityGroupId, g.SecurityGroupName, g.SecurityGroupType, g.VpcId, g.EcsCount, g.InnerAccessPolicy, g.Rules.length])).toEqual([
      ['sg-web', 'web', 'normal', VPC, 2, 'Accept', 6],
      ['sg-db', 'db', 'enterprise', VPC, 1, 'Drop', 0],
    ]);
    expect(rows[0].Rules[0]).toEqual({
      SecurityGroupRuleId: 'sgr-a', Direction: 'ingress', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', SourceGroupId: '', DestCidrIp: '',
      DestGroupId: '', Policy: 'accept', Priority: 1, Description: '', CreateTime: '2026-12-07T00:00:02Z',
    });
    // Without its attribute answer a group still reads, with the type's default internal access.
    expect(securityGroupRows(groups).map((g) => [g.InnerAccessPolicy, g.Rules])).toEqual([['Accept', []], ['Drop', []]]);
    expect(securityGroupRows({})).toEqual([]);
    expect(securityGroupRows({ SecurityGroups: { SecurityGroup: [{ EcsCount: 'x' }] } })[0]).toMatchObject({ SecurityGroupId: '', EcsCount: 0, Rules: [] });
  });

  it('lists a direction in the order the rules are evaluated: smaller priority first, at one priority Drop first', () => {
    expect(rulesOf(web(), 'ingress').map((r) => r.SecurityGroupRuleId)).toEqual(['sgr-b', 'sgr-a', 'sgr-d', 'sgr-c']);
    expect(rulesOf(web(), 'egress').map((r) => r.SecurityGroupRuleId)).toEqual(['sgr-f', 'sgr-e']);
    // Equal rules keep the API's order.
    const same = [{ Priority: 5, Policy: 'accept', id: 1 }, { Priority: 5, Policy: 'accept', id: 2 }, { Priority: 5, Policy: 'DROP', id: 3 }];
    expect(evaluationOrder(same).map((r) => r.id)).toEqual([3, 1, 2]);
  });

  it('says a rule in one line, a peer group by its name', () => {
    const rules = new Map(web().Rules.map((r) => [r.SecurityGroupRuleId, r]));
    const names = new Map([['sg-db', 'db']]);
    expect(ruleSummary(rules.get('sgr-b')!)).toBe('Drop · TCP 22/22 · from 0.0.0.0/0 · priority 1');
    expect(ruleSummary(rules.get('sgr-c')!, names)).toBe('Accept · ICMP · from group db (sg-db) · priority 50');
    expect(ruleSummary(rules.get('sgr-c')!)).toBe('Accept · ICMP · from group sg-db · priority 50');
    expect(ruleSummary(rules.get('sgr-e')!)).toBe('Drop · All · to 0.0.0.0/0 · priority 100');
    expect(peerWords(rules.get('sgr-f')!, names)).toBe('to group db (sg-db)');
  });

  it('says what a group does when no rule matches, and its internal access', () => {
    const [w, db] = securityGroupRows(groups, new Map(Object.entries(attrs)));
    expect([sgTypeWords(w.SecurityGroupType), sgTypeWords(db.SecurityGroupType)]).toEqual(['Basic', 'Enterprise']);
    expect(defaultWords(w)).toEqual({ ingress: 'Allowed only from instances in this group', egress: 'Allowed' });
    expect(defaultWords({ ...w, InnerAccessPolicy: 'Drop' }).ingress).toBe('Denied (internal access is off)');
    expect(defaultWords(db)).toEqual({ ingress: 'Denied (enterprise group)', egress: 'Denied (enterprise group)' });
    expect([innerAccessWords(w), innerAccessWords({ ...w, InnerAccessPolicy: 'Drop' }), innerAccessWords(db)]).toEqual(['Interconnected', 'Isolated', 'Isolated (enterprise group)']);
  });

  it('offers basic groups of the same VPC as a rule\'s peer, and none to an enterprise group', () => {
    const [w, db] = securityGroupRows(groups, new Map(Object.entries(attrs)));
    const other = { ...w, SecurityGroupId: 'sg-x', VpcId: 'vpc-2' };
    expect(peerGroups([w, db, other], w).map((g) => g.SecurityGroupId)).toEqual(['sg-web']);
    expect(peerGroups([w, db, other], db)).toEqual([]);
  });

  it('builds AuthorizeSecurityGroup(Egress) and Revoke requests with the peer for the direction', () => {
    const f = { Direction: 'ingress' as const, Policy: 'drop', IpProtocol: 'tcp', PortRange: '22', Peer: 'cidr' as const, Cidr: '0.0.0.0/0', GroupId: 'sg-db', Priority: 1, Description: 'no ssh' };
    expect(authorizeRequest('sg-web', f)).toEqual({
      action: 'AuthorizeSecurityGroup',
      params: { SecurityGroupId: 'sg-web', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 1, Description: 'no ssh' },
    });
    expect(authorizeRequest('sg-web', { ...f, Direction: 'egress', Peer: 'group', IpProtocol: 'icmp' })).toEqual({
      action: 'AuthorizeSecurityGroupEgress',
      params: { SecurityGroupId: 'sg-web', IpProtocol: 'icmp', PortRange: '-1/-1', DestGroupId: 'sg-db', Policy: 'drop', Priority: 1, Description: 'no ssh' },
    });
    // Modify keeps the rule's own direction: an outbound rule's peer goes in DestCidrIp, by the egress action.
    const { Direction: _, ...fields } = f;
    expect(modifyRequest('sg-web', { Direction: 'egress', SecurityGroupRuleId: 'sgr-e' }, { ...fields, Policy: 'accept', Priority: 7 })).toEqual({
      action: 'ModifySecurityGroupEgressRule',
      params: { SecurityGroupId: 'sg-web', SecurityGroupRuleId: 'sgr-e', IpProtocol: 'tcp', PortRange: '22/22', DestCidrIp: '0.0.0.0/0', Policy: 'accept', Priority: 7, Description: 'no ssh' },
    });
    expect(revokeRequest('sg-web', { Direction: 'egress', SecurityGroupRuleId: 'sgr-e' })).toEqual({
      action: 'RevokeSecurityGroupEgress', params: { SecurityGroupId: 'sg-web', SecurityGroupRuleId: 'sgr-e' },
    });
    expect([portRangeParam('1-1024', 'udp'), portRangeParam(' 80/80 ', 'TCP'), portRangeParam('22', 'all'), portRangeParam('abc', 'tcp')]).toEqual(['1/1024', '80/80', '-1/-1', 'abc']);
  });
});

describe('network ACL rows', () => {
  it('reads the entries in order with their peer, the system ones marked, and the vSwitches', () => {
    const [a] = networkAclRows(acls);
    expect(a).toMatchObject({ NetworkAclId: 'nacl-1', NetworkAclName: 'acl-web', VpcId: VPC, Status: 'Available', VSwitchIds: ['vsw-1'] });
    expect(a.Ingress.map((e) => [e.NetworkAclEntryId, e.CidrIp, e.EntryType])).toEqual([['nae-1', '0.0.0.0/0', 'custom'], ['nae-2', '0.0.0.0/0', 'custom'], ['nae-s1', '0.0.0.0/0', 'system']]);
    expect(a.Egress.map((e) => [e.NetworkAclEntryId, e.CidrIp, e.EntryType])).toEqual([['nae-s2', '0.0.0.0/0', 'system']]);
    expect(customEntries(a, 'ingress').map((e) => e.NetworkAclEntryId)).toEqual(['nae-1', 'nae-2']);
    expect(customEntries(a, 'egress')).toEqual([]);
    expect(aclEntryWords(a.Ingress[0], 'ingress')).toBe('Drop · TCP 22/22 · from 0.0.0.0/0');
    expect(aclEntryWords(a.Egress[0], 'egress')).toBe('Accept · All · to 0.0.0.0/0');
    expect(networkAclRows({ NetworkAcls: { NetworkAcl: [{}] } })[0]).toMatchObject({ Ingress: [], Egress: [], VSwitchIds: [] });
  });

  it('adds, moves and deletes an entry by sending the direction’s whole new list of custom entries, IDs kept', () => {
    const [a] = networkAclRows(acls);
    const custom = customEntries(a, 'ingress');
    const fresh = { NetworkAclEntryName: 'icmp', Policy: 'accept', Protocol: 'icmp', Port: '-1/-1', CidrIp: '10.0.0.0/8', Description: '' };
    expect(aclUpdateRequest('nacl-1', 'ingress', inserted<Partial<(typeof custom)[0]>>(custom, 0, fresh))).toEqual({
      NetworkAclId: 'nacl-1', UpdateIngressAclEntries: true,
      IngressAclEntries: [
        { NetworkAclEntryName: 'icmp', Policy: 'accept', Protocol: 'icmp', SourceCidrIp: '10.0.0.0/8', Port: '-1/-1' },
        { NetworkAclEntryId: 'nae-1', NetworkAclEntryName: 'no-ssh', Policy: 'drop', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0', Port: '22/22' },
        { NetworkAclEntryId: 'nae-2', NetworkAclEntryName: 'web', Policy: 'accept', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0', Port: '80/80', Description: 'http' },
      ],
    });
    expect((aclUpdateRequest('nacl-1', 'ingress', moved(custom, 1, -1)).IngressAclEntries as { NetworkAclEntryId: string }[]).map((e) => e.NetworkAclEntryId)).toEqual(['nae-2', 'nae-1']);
    expect(aclUpdateRequest('nacl-1', 'egress', [fresh]).EgressAclEntries).toEqual([{ NetworkAclEntryName: 'icmp', Policy: 'accept', Protocol: 'icmp', DestinationCidrIp: '10.0.0.0/8', Port: '-1/-1' }]);
    // Deleting the last custom entry sends an empty list with the flag: the direction is cleared.
    expect(aclUpdateRequest('nacl-1', 'egress', removed([fresh], 0))).toEqual({ NetworkAclId: 'nacl-1', UpdateEgressAclEntries: true, EgressAclEntries: [] });
    expect([moved([1, 2, 3], 0, -1), moved([1, 2, 3], 2, 1), moved([1, 2, 3], 0, 1), inserted([1, 2], 9, 3), removed([1, 2, 3], 1)]).toEqual([[1, 2, 3], [1, 2, 3], [2, 1, 3], [1, 2, 3], [1, 3]]);
  });
});

describe('loadSgData and the Console data', () => {
  it('reads the lists, then each group’s rules, and merges them into the Console’s data with names and each instance’s groups', async () => {
    const calls: string[] = [];
    const sg = await loadSgData(fakeInvoke(calls));
    expect(sg.securityGroups.map((g) => [g.SecurityGroupId, g.Rules.length])).toEqual([['sg-web', 6], ['sg-db', 0]]);
    expect(calls.filter((c) => c.startsWith('DescribeSecurityGroupAttribute'))).toEqual([
      'DescribeSecurityGroupAttribute {"SecurityGroupId":"sg-web","Direction":"all"}', 'DescribeSecurityGroupAttribute {"SecurityGroupId":"sg-db","Direction":"all"}',
    ]);
    const d = await loadConsoleData(fakeInvoke());
    expect(d.securityGroups).toEqual(sg.securityGroups);
    expect(d.networkAcls.map((a) => a.NetworkAclId)).toEqual(['nacl-1']);
    expect(d.instances.map((i) => [i.InstanceName, i.SecurityGroupIds])).toEqual([['ECS-1', ['sg-web']], ['ECS-2', ['sg-web', 'sg-db']], ['ECS-3', ['sg-db']], ['ECS-9', []]]);
    const names = nameIndex(d);
    expect([names.get('sg-web'), names.get('sg-db'), names.get('nacl-1')]).toEqual(['web', 'db', 'acl-web']);
    expect(groupMembers(d.instances, 'sg-web').map((i) => i.InstanceName)).toEqual(['ECS-1', 'ECS-2']);
    expect(joinable(d.instances, d.securityGroups[0]).map((i) => i.InstanceName)).toEqual(['ECS-3']);
  });

  it('speaks the cloud’s words: no rule codes of the lab’s notes', () => {
    const g = web();
    const shown = [...g.Rules.map((r) => ruleSummary(r)), ...Object.values(defaultWords(g)), innerAccessWords(g), ...networkAclRows(acls)[0].Ingress.map((e) => aclEntryWords(e, 'ingress'))];
    expect(shown.flatMap(internalWords)).toEqual([]);
  });
});
