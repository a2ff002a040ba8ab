// Network ACLs in the control plane (SEMANTICS H4): creation with the system entries last,
// UpdateNetworkAclEntries (order is priority, ≤20 custom per direction, ports per protocol),
// association with vSwitches (one ACL per vSwitch, same VPC), Describe, Delete, and each
// refusal with its code and parameter, the model unchanged (helpers.ts expectFailure).

import { describe, expect, it } from 'vitest';
import { systemAclEntries } from '../../../src/main/cloud/actions/network-acl';
import type { NetworkAcl } from '../../../src/main/cloud/model';
import { expectFailure, fixture } from './helpers';

function lab() {
  const f = fixture('t-nacl-unit');
  const acl = (extra: Record<string, string> = {}): string => f.call('CreateNetworkAcl', { VpcId: f.vpc, ...extra }).NetworkAclId as string;
  const get = (id: string): NetworkAcl => f.cp.model.networkAcls.find((a) => a.NetworkAclId === id)!;
  return { ...f, acl, get };
}

const IN = (over: Record<string, string> = {}) => ({ Policy: 'accept', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0', Port: '22/22', ...over });
const OUT = (over: Record<string, string> = {}) => ({ Policy: 'accept', Protocol: 'tcp', DestinationCidrIp: '0.0.0.0/0', Port: '1024/65535', ...over });

describe('H4: network ACLs', () => {
  it('H4/ACL3: CreateNetworkAcl makes nacl-… with only the system entries of the one constant (none: an empty ACL denies)', () => {
    const l = lab();
    const id = l.acl({ NetworkAclName: 'web-acl', Description: 'for web' });
    expect(id).toMatch(/^nacl-[a-z0-9]{22}$/);
    const a = l.get(id);
    expect(a).toMatchObject({ NetworkAclName: 'web-acl', Description: 'for web', VpcId: l.vpc, VSwitchIds: [] });
    expect(a.IngressAclEntries.every((e) => e.EntryType === 'system')).toBe(true);
    expect(a.EgressAclEntries.every((e) => e.EntryType === 'system')).toBe(true);
    expect(a.IngressAclEntries).toEqual([]);
    // ACL5: entries at creation too.
    const b = l.call('CreateNetworkAcl', { VpcId: l.vpc, IngressAclEntries: [IN()] }).NetworkAclId as string;
    expect(l.get(b).IngressAclEntries).toEqual([expect.objectContaining({ Port: '22/22', EntryType: 'custom' })]);
    // The constant the lead may change is the one the action uses.
    const ctx = { ids: { derived: (p: string, k: string) => `${p}:${k}` } } as never;
    expect(a.IngressAclEntries.map((e) => [e.Policy, e.Protocol, e.CidrIp, e.Port])).toEqual(systemAclEntries(ctx, id).ingress.map((e) => [e.Policy, e.Protocol, e.CidrIp, e.Port]));
    expectFailure(l.cp, 'CreateNetworkAcl', { VpcId: 'vpc-nope' }, 'InvalidVpcId.NotFound', { param: 'VpcId' });
    expectFailure(l.cp, 'CreateNetworkAcl', {}, 'MissingParameter', { param: 'VpcId' });
    expectFailure(l.cp, 'CreateNetworkAcl', { VpcId: l.vpc, NetworkAclName: 'https://x' }, 'InvalidName.Malformed', { param: 'NetworkAclName' });
  });

  it('H4: UpdateNetworkAclEntries replaces a direction\'s custom entries in the given order, before the system entries; the other direction stays', () => {
    const l = lab();
    const id = l.acl();
    l.call('UpdateNetworkAclEntries', {
      NetworkAclId: id,
      IngressAclEntries: [IN({ Policy: 'drop', Port: '22/22', NetworkAclEntryName: 'no-ssh' }), IN({ Protocol: 'ALL', Port: '-1/-1', SourceCidrIp: '10.0.0.0/8' })],
      EgressAclEntries: JSON.stringify([OUT()]),
    });
    const a = l.get(id);
    expect(a.IngressAclEntries.map((e) => [e.EntryType, e.Policy, e.Protocol, e.Port, e.CidrIp])).toEqual([
      ['custom', 'drop', 'tcp', '22/22', '0.0.0.0/0'], ['custom', 'accept', 'all', '-1/-1', '10.0.0.0/8'],
      ...systemAclEntries({ ids: { derived: () => '' } } as never, id).ingress.map((e) => [e.EntryType, e.Policy, e.Protocol, e.Port, e.CidrIp]),
    ]);
    expect(a.IngressAclEntries[0]).toMatchObject({ NetworkAclEntryName: 'no-ssh' });
    expect(a.IngressAclEntries[0].NetworkAclEntryId).toMatch(/^nae-/);
    const egress = a.EgressAclEntries.map((e) => e.NetworkAclEntryId);
    const keep = a.IngressAclEntries[1].NetworkAclEntryId;
    expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: id, IngressAclEntries: [IN({ NetworkAclEntryId: 'nae-nope' })] }, 'IllegalParam.IngressAclEntryId', { param: 'IngressAclEntries.1.NetworkAclEntryId' });
    expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: id, EgressAclEntries: [OUT({ NetworkAclEntryId: keep })] }, 'IllegalParam.EgressAclEntryId', { param: 'EgressAclEntries.1.NetworkAclEntryId' });
    // Only ingress given: egress untouched; an entry naming its ID keeps it.
    l.call('UpdateNetworkAclEntries', { NetworkAclId: id, IngressAclEntries: [IN({ NetworkAclEntryId: keep, Port: '80/80' })] });
    expect(l.get(id).IngressAclEntries[0]).toMatchObject({ NetworkAclEntryId: keep, Port: '80/80' });
    expect(l.get(id).IngressAclEntries.filter((e) => e.EntryType === 'custom')).toHaveLength(1);
    expect(l.get(id).EgressAclEntries.map((e) => e.NetworkAclEntryId)).toEqual(egress);
    // The flag alone clears that direction's custom entries; the system entries stay.
    l.call('UpdateNetworkAclEntries', { NetworkAclId: id, UpdateEgressAclEntries: 'true' });
    expect(l.get(id).EgressAclEntries.every((e) => e.EntryType === 'system')).toBe(true);
    // The flat form works too.
    l.call('UpdateNetworkAclEntries', { NetworkAclId: id, 'IngressAclEntries.1.Policy': 'drop', 'IngressAclEntries.1.Protocol': 'icmp', 'IngressAclEntries.1.SourceCidrIp': '1.2.3.4', 'IngressAclEntries.1.Port': '-1/-1' });
    expect(l.get(id).IngressAclEntries[0]).toMatchObject({ Protocol: 'icmp', CidrIp: '1.2.3.4/32', Policy: 'drop' });
  });

  it('H4: at most 20 custom entries per direction → QuotaExceed.NetworkAclEntry; 20 is fine', () => {
    const l = lab();
    const id = l.acl();
    const n = (k: number) => Array.from({ length: k }, (_, i) => IN({ Port: `${i + 1}/${i + 1}` }));
    l.call('UpdateNetworkAclEntries', { NetworkAclId: id, IngressAclEntries: n(20) });
    expect(l.get(id).IngressAclEntries.filter((e) => e.EntryType === 'custom')).toHaveLength(20);
    expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: id, IngressAclEntries: n(21) }, 'QuotaExceed.NetworkAclEntry', { param: 'IngressAclEntries' });
  });

  it('H4: entry refusals name the field of the item at fault', () => {
    const l = lab();
    const id = l.acl();
    const upd = (e: Record<string, string>, code: string, param: string, list = 'IngressAclEntries'): void =>
      void expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: id, [list]: [e] }, code, { param });
    upd(IN({ Protocol: 'sctp' }), 'IllegalParam.Protocol', 'IngressAclEntries.1.Protocol');
    upd(IN({ Port: '0/22' }), 'IllegalParam.PortRange', 'IngressAclEntries.1.Port');
    upd(IN({ Protocol: 'icmp', Port: '1/1' }), 'IllegalParam.PortRange', 'IngressAclEntries.1.Port');
    upd({ Policy: 'accept', Protocol: 'tcp', SourceCidrIp: '0.0.0.0/0' }, 'ParameterMissing.Port', 'IngressAclEntries.1.Port');
    upd(IN({ SourceCidrIp: '300.0.0.0/8' }), 'IllegalParam.SourceCidrIp', 'IngressAclEntries.1.SourceCidrIp');
    upd(IN({ Policy: 'allow' }), 'IllegalParam.Policy', 'IngressAclEntries.1.Policy');
    upd(IN({ IpVersion: 'IPv6' }), 'IllegalParam.IpVersion', 'IngressAclEntries.1.IpVersion');
    upd({ Policy: 'accept', Protocol: 'tcp', Port: '1/1' }, 'MissingParameter', 'IngressAclEntries.1.SourceCidrIp');
    upd(OUT({ DestinationCidrIp: 'x' }), 'IllegalParam.DestinationCidrIp', 'EgressAclEntries.1.DestinationCidrIp', 'EgressAclEntries');
    upd(IN({ DestinationCidrIp: '1.1.1.1' }), 'UnsupportedParameter', 'IngressAclEntries.1.DestinationCidrIp');
    upd(IN({ EntryType: 'system' }), 'InvalidParameter', 'IngressAclEntries.1.EntryType');
    expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: id, IngressAclEntries: [IN()], UpdateIngressAclEntries: 'false' }, 'InvalidParameter.Conflict', { param: 'UpdateIngressAclEntries' });
    expectFailure(l.cp, 'UpdateNetworkAclEntries', { NetworkAclId: 'nacl-nope', IngressAclEntries: [IN()] }, 'InvalidNetworkAcl.NotFound', { param: 'NetworkAclId', status: 400 });
  });

  it('H4: AssociateNetworkAcl / UnassociateNetworkAcl with vSwitches: one ACL per vSwitch, same VPC; Describe filters by ResourceId', () => {
    const l = lab();
    const a = l.acl();
    const b = l.acl();
    l.call('AssociateNetworkAcl', { NetworkAclId: a, Resource: [{ ResourceId: l.vswA, ResourceType: 'VSwitch' }] });
    l.call('AssociateNetworkAcl', { NetworkAclId: a, Resource: JSON.stringify([{ ResourceId: l.vswB, ResourceType: 'VSwitch' }]) });
    expect(l.get(a).VSwitchIds).toEqual([l.vswA, l.vswB]);
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: l.vswB, ResourceType: 'VSwitch' }] }, 'InvalidResource.BindingExist', { param: 'Resource' });
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: a, Resource: [{ ResourceId: l.vswB, ResourceType: 'VSwitch' }] }, 'InvalidResource.BindingExist', { param: 'Resource' });
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: 'vsw-nope', ResourceType: 'VSwitch' }] }, 'InvalidResource.NotFound', { param: 'Resource.1.ResourceId' });
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: l.vswA, ResourceType: 'Eni' }] }, 'ParameterIllegal.ResourceType', { param: 'Resource.1.ResourceType' });
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: b }, 'MissingParameter', { param: 'Resource' });
    const vpc2 = l.call('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const far = l.call('CreateVSwitch', { VpcId: vpc2, ZoneId: 'z', CidrBlock: '10.0.1.0/24' }).VSwitchId as string;
    expectFailure(l.cp, 'AssociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: far, ResourceType: 'VSwitch' }] }, 'InvalidResource.VpcError', { param: 'Resource.1.ResourceId' });
    const d = l.call('DescribeNetworkAcls', { ResourceId: l.vswB });
    expect(d.TotalCount).toBe(1);
    const one = (d.NetworkAcls as { NetworkAcl: Record<string, unknown>[] }).NetworkAcl[0];
    expect(one).toMatchObject({
      NetworkAclId: a, VpcId: l.vpc, Status: 'Available',
      Resources: { Resource: [{ ResourceId: l.vswA, ResourceType: 'VSwitch', Status: 'BINDED' }, { ResourceId: l.vswB, ResourceType: 'VSwitch', Status: 'BINDED' }] },
    });
    l.call('UpdateNetworkAclEntries', { NetworkAclId: a, IngressAclEntries: [IN()], EgressAclEntries: [OUT()] });
    const attr = l.call('DescribeNetworkAclAttributes', { NetworkAclId: a }).NetworkAclAttribute as Record<string, unknown>;
    expect(attr).toMatchObject({ NetworkAclId: a, Status: 'Available' });
    expect((attr.IngressAclEntries as { IngressAclEntry: Record<string, unknown>[] }).IngressAclEntry[0]).toMatchObject({ SourceCidrIp: '0.0.0.0/0', IpVersion: 'IPv4', EntryType: 'custom' });
    expect((attr.EgressAclEntries as { EgressAclEntry: Record<string, unknown>[] }).EgressAclEntry[0]).toMatchObject({ DestinationCidrIp: '0.0.0.0/0', Port: '1024/65535' });
    expect(l.call('DescribeNetworkAcls', { VpcId: l.vpc }).TotalCount).toBe(2);
    expect(l.call('DescribeNetworkAcls', { NetworkAclId: b }).TotalCount).toBe(1);
    expectFailure(l.cp, 'UnassociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: l.vswA, ResourceType: 'VSwitch' }] }, 'InvalidResource.NotBinding', { param: 'Resource' });
    l.call('UnassociateNetworkAcl', { NetworkAclId: a, Resource: [{ ResourceId: l.vswB, ResourceType: 'VSwitch' }] });
    expect(l.get(a).VSwitchIds).toEqual([l.vswA]);
    l.call('AssociateNetworkAcl', { NetworkAclId: b, Resource: [{ ResourceId: l.vswB, ResourceType: 'VSwitch' }] });
    expect(l.get(b).VSwitchIds).toEqual([l.vswB]);
  });

  it('H4: DeleteNetworkAcl is refused while associated, then deletes', () => {
    const l = lab();
    const a = l.acl();
    l.call('AssociateNetworkAcl', { NetworkAclId: a, Resource: [{ ResourceId: l.vswA, ResourceType: 'VSwitch' }] });
    expectFailure(l.cp, 'DeleteNetworkAcl', { NetworkAclId: a }, 'NetworkAclExistBinding', { param: 'NetworkAclId' });
    l.call('UnassociateNetworkAcl', { NetworkAclId: a, Resource: [{ ResourceId: l.vswA }] });
    l.call('DeleteNetworkAcl', { NetworkAclId: a });
    expect(l.cp.model.networkAcls).toEqual([]);
    expectFailure(l.cp, 'DeleteNetworkAcl', { NetworkAclId: a }, 'InvalidNetworkAcl.NotFound', { param: 'NetworkAclId' });
  });
});
