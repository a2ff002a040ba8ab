// The bench's filtered path, "ECS (EIP) → Internet, 200 SG rules + 20 ACL entries each way":
// the EIP path of lab `bench` again, right after it in the same run, with bench-ecs in a
// security group of 200 rules and its vSwitch behind a network ACL of 20 entries per
// direction — the issue's worst case, built through `lab.invoke` with the cloud's actions.
//
// The rules are laid out so that every decision walks the whole list: in each direction 99
// drop rules for ports and peers the measured traffic never uses, at priorities 1–99, then
// the one rule that accepts it at priority 100 (outbound all to the server, inbound ICMP and
// UDP from it). The ACL likewise: 19 drop entries for unused ports, then accept all. The
// security group is stateful, so a flow is classified once and its packets take the session
// (SG7); the ACL is stateless and checks every packet (ACL2). The target: the rules cost at
// most 10% of the plain path's throughput measured in the same run.

import type { Lab } from '../src/main/runtime/lab';

export const PATH_SG = 'ECS (EIP) → Internet, 200 SG rules + 20 ACL entries each way';
/** The share of the plain EIP path's figures the filtered path must keep. */
export const SG_TARGET_SHARE = 0.9;

const GROUP = 'sg-bench-200';
const ACL = 'nacl-bench-20';
const RULES_PER_DIRECTION = 100;
const ENTRIES_PER_DIRECTION = 20;

export interface SgPath {
  groupId: string;
  aclId: string;
  /** bench-ecs's groups before, to restore. */
  before: string[];
  /** The counters of the two rules that accept the traffic, and of the two ACL entries. */
  acceptingRules: string[];
  acceptingEntries: string[];
}

/** Puts `instance` (in `vswitch` of `vpc`) behind 200 rules and its vSwitch behind 20 entries each way. */
export async function buildSgPath(lab: Lab, vpc: string, vswitch: string, instance: string, server: string, log: (s: string) => void): Promise<SgPath> {
  const inst = lab.cp.model.instances.find((i) => i.InstanceName === instance);
  if (!inst) throw new Error(`no instance ${instance}`);
  const before = [...inst.SecurityGroupIds];
  const { SecurityGroupId: groupId } = (await lab.invoke('CreateSecurityGroup', { VpcId: vpc, SecurityGroupName: GROUP, SecurityGroupType: 'normal' })) as { SecurityGroupId: string };
  for (let i = 0; i < RULES_PER_DIRECTION - 1; i++) {
    await lab.invoke('AuthorizeSecurityGroupEgress', { SecurityGroupId: groupId, IpProtocol: 'tcp', PortRange: `${10000 + i}/${10000 + i}`, DestCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 1 + i });
    await lab.invoke('AuthorizeSecurityGroup', { SecurityGroupId: groupId, IpProtocol: 'udp', PortRange: `${20000 + i}/${20000 + i}`, SourceCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 1 + i });
  }
  await lab.invoke('AuthorizeSecurityGroupEgress', { SecurityGroupId: groupId, IpProtocol: 'all', PortRange: '-1/-1', DestCidrIp: `${server}/32`, Policy: 'accept', Priority: 100 });
  await lab.invoke('AuthorizeSecurityGroup', { SecurityGroupId: groupId, IpProtocol: 'icmp', PortRange: '-1/-1', SourceCidrIp: `${server}/32`, Policy: 'accept', Priority: 100 });
  await lab.invoke('ModifyInstanceAttribute', { InstanceId: inst.InstanceId, SecurityGroupIds: [groupId] });

  const { NetworkAclId: aclId } = (await lab.invoke('CreateNetworkAcl', { VpcId: vpc, NetworkAclName: ACL })) as { NetworkAclId: string };
  const entries = (peer: 'SourceCidrIp' | 'DestinationCidrIp', base: number) => [
    ...Array.from({ length: ENTRIES_PER_DIRECTION - 1 }, (_, i) => ({ Policy: 'drop', Protocol: 'tcp', Port: `${base + i}/${base + i}`, [peer]: '0.0.0.0/0', NetworkAclEntryName: `unused-${base + i}` })),
    { Policy: 'accept', Protocol: 'all', Port: '-1/-1', [peer]: '0.0.0.0/0', NetworkAclEntryName: 'all' },
  ];
  await lab.invoke('UpdateNetworkAclEntries', {
    NetworkAclId: aclId, UpdateIngressAclEntries: true, IngressAclEntries: entries('SourceCidrIp', 30000),
    UpdateEgressAclEntries: true, EgressAclEntries: entries('DestinationCidrIp', 31000),
  });
  await lab.invoke('AssociateNetworkAcl', { NetworkAclId: aclId, Resource: [{ ResourceId: vswitch, ResourceType: 'VSwitch' }] });

  const m = lab.cp.model;
  const g = m.securityGroups.find((x) => x.SecurityGroupId === groupId)!;
  const acl = m.networkAcls.find((x) => x.NetworkAclId === aclId)!;
  if (g.Rules.length !== 2 * RULES_PER_DIRECTION) throw new Error(`${GROUP} has ${g.Rules.length} rules, not ${2 * RULES_PER_DIRECTION}`);
  const custom = (l: typeof acl.IngressAclEntries) => l.filter((e) => e.EntryType === 'custom').length;
  if (custom(acl.IngressAclEntries) !== ENTRIES_PER_DIRECTION || custom(acl.EgressAclEntries) !== ENTRIES_PER_DIRECTION) throw new Error(`${ACL} does not hold ${ENTRIES_PER_DIRECTION} entries each way`);
  const accepting = g.Rules.filter((r) => r.Policy === 'accept');
  const last = (l: typeof acl.IngressAclEntries) => l.filter((e) => e.EntryType === 'custom').at(-1)!.NetworkAclEntryId;
  log(`  ${groupId} (${GROUP}): ${g.Rules.length} rules on ${instance}; ${aclId} (${ACL}): ${ENTRIES_PER_DIRECTION} entries each way on ${vswitch}`);
  return {
    groupId, aclId, before,
    acceptingRules: accepting.map((r) => `${groupId} ${r.Direction === 'ingress' ? 'inbound' : 'outbound'} ${r.SecurityGroupRuleId}`),
    acceptingEntries: [`${aclId} inbound ${last(acl.IngressAclEntries)}`, `${aclId} outbound ${last(acl.EgressAclEntries)}`],
  };
}

/** The traffic took the filters: the accepting rule outbound and both accepting entries counted it, no drop rule fired. */
export function verifySgPath(lab: Lab, p: SgPath): string {
  const snap = lab.engine.counters.snapshot();
  const count = (name: string) => snap.find((d) => d.device === name)?.rxPackets ?? 0;
  const out = count(p.acceptingRules.find((r) => r.includes(' outbound '))!);
  const [aIn, aOut] = p.acceptingEntries.map(count);
  if (out === 0 || aIn === 0 || aOut === 0) throw new Error(`the filters did not decide on the path: outbound rule ${out}, ACL inbound ${aIn}, outbound ${aOut} packets`);
  const fired = snap.filter((d) => (d.device.startsWith(`${p.groupId} `) || d.device.startsWith(`${p.aclId} `)) && !p.acceptingRules.includes(d.device) && !p.acceptingEntries.includes(d.device) && d.rxPackets > 0);
  if (fired.length > 0) throw new Error(`drop rules decided on the measured traffic: ${fired.map((d) => `${d.device} ${d.rxPackets}`).join(', ')}`);
  return `outbound rule decided ${out} packets (the rest passed as its sessions' replies); ACL entries: inbound ${aIn}, outbound ${aOut} packets`;
}

/** Back to the plain path: the instance's groups as before, the ACL unbound and both deleted. */
export async function removeSgPath(lab: Lab, vswitch: string, instance: string, p: SgPath): Promise<void> {
  const inst = lab.cp.model.instances.find((i) => i.InstanceName === instance)!;
  await lab.invoke('ModifyInstanceAttribute', { InstanceId: inst.InstanceId, SecurityGroupIds: p.before });
  await lab.invoke('UnassociateNetworkAcl', { NetworkAclId: p.aclId, Resource: [{ ResourceId: vswitch, ResourceType: 'VSwitch' }] });
  await lab.invoke('DeleteNetworkAcl', { NetworkAclId: p.aclId });
  await lab.invoke('DeleteSecurityGroup', { SecurityGroupId: p.groupId });
}
