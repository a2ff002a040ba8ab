// Security groups and network ACLs in the data plane (SEMANTICS H1–H5, docs/security-rules.md
// SG3–SG7, ACL1–ACL9): priority and drop-wins, groups merged, the implicit rules of basic and
// enterprise groups, internal access, peers by group, statefulness and what a rule change does
// to established flows, the ACL's first match, statelessness and destination port, its own
// vSwitch and the exempt DNS, the order of the two, the real client address behind an EIP, the
// trace's words and the counters. The groups and ACLs are put in the model as the control
// plane stores them; the lab is test/support/lab-model.ts (ECS-A in vsw-a with EIP 47.91.0.10,
// ECS-B and ECS-C in vsw-b, Internet hosts 8.8.8.8 and client 47.83.1.59).

import { describe, expect, it } from 'vitest';
import type { CloudModel, NetworkAcl, NetworkAclEntry, SecurityGroup, SecurityGroupRule } from '../../../src/main/cloud/model';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { TcpFlags } from '../../../src/main/engine/wire/tcp';
import { buildLab, engineFor, type BuiltLab } from '../../support/lab-model';
import { icmpEcho, tcp, udp } from '../../support/packets';

const A = '192.168.0.1';
const B = '192.168.1.1';
const C = '192.168.1.2';
const CLIENT = '47.83.1.59';
const EIP_A = '47.91.0.10';

let n = 0;
function group(m: CloudModel, name: string, rules: Partial<SecurityGroupRule>[] = [], type: SecurityGroup['SecurityGroupType'] = 'normal'): SecurityGroup {
  const g: SecurityGroup = {
    SecurityGroupId: `sg-${name}`, SecurityGroupName: name, Description: '', VpcId: m.vpcs[0].VpcId, SecurityGroupType: type,
    InnerAccessPolicy: type === 'normal' ? 'Accept' : 'Drop', CreationTime: '',
    Rules: rules.map((r) => ({
      SecurityGroupRuleId: `sgr-${++n}`, Direction: 'ingress', IpProtocol: 'all', PortRange: '-1/-1', SourceCidrIp: '', SourceGroupId: '', DestCidrIp: '', DestGroupId: '',
      Policy: 'accept', Priority: 1, Description: '', CreateTime: '', ...r,
    })),
  };
  m.securityGroups.push(g);
  return g;
}

function acl(m: CloudModel, vsw: string, ingress: Partial<NetworkAclEntry>[], egress: Partial<NetworkAclEntry>[]): NetworkAcl {
  const e = (x: Partial<NetworkAclEntry>): NetworkAclEntry => ({
    NetworkAclEntryId: `nae-${++n}`, NetworkAclEntryName: '', Policy: 'accept', Protocol: 'all', CidrIp: '0.0.0.0/0', Port: '-1/-1', Description: '', EntryType: 'custom', ...x,
  });
  const a: NetworkAcl = { NetworkAclId: `nacl-${++n}`, NetworkAclName: 'acl', Description: '', VpcId: m.vpcs[0].VpcId, IngressAclEntries: ingress.map(e), EgressAclEntries: egress.map(e), VSwitchIds: [vsw], CreationTime: '' };
  m.networkAcls.push(a);
  return a;
}

function lab() {
  const l: BuiltLab = buildLab();
  const m = l.cp.model as CloudModel;
  const inst = (name: string) => m.instances.find((i) => i.InstanceName === name)!;
  const e = engineFor(l);
  const traces: TraceRecord[] = [];
  e.engine.tracer.onRecord((r) => traces.push(structuredClone(r)));
  e.engine.tracer.filter = {};
  /** The port a packet sent by `from` came out on, or undefined when it was dropped. */
  const send = (from: string, pkt: Buffer): string | undefined => {
    e.out.length = 0;
    e.engine.process(l.ports.get(from)!, pkt, 0, pkt.length);
    const p = e.out[0]?.port;
    return p === undefined ? undefined : [...l.ports].find(([, v]) => v === p)![0];
  };
  const last = (): TraceRecord => traces[traces.length - 1];
  const hops = (): string => last().hops.map((h) => `${h.device}: ${h.decision}`).join('\n');
  const counter = (device: string) => e.engine.counters.snapshot().find((d) => d.device === device);
  return { l, m, inst, e, send, last, hops, counter, recompile: e.recompile };
}

describe('security groups at an ENI (H1–H3)', () => {
  it('H2/SG3: a basic group without rules denies inbound from outside, accepts outbound, and its replies come back (H3)', () => {
    const t = lab();
    const g = group(t.m, 'web');
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 22, TcpFlags.Syn))).toBeUndefined();
    expect(t.last().verdict).toBe(`dropped at ECS-A: no inbound rule of its security groups (sg-web (web)) accepts tcp port 22 from ${CLIENT}`);
    expect(t.counter('ECS-A')?.drops['security-group']).toBe(1);
    // Out to the Internet with its EIP; the reply is let in as part of the connection.
    expect(t.send('ECS-A', udp(A, '8.8.8.8', 5353, 53))).toBe('google-dns');
    expect(t.hops()).toMatch(/outbound: no rule matches; accepted: a basic security group allows all outbound traffic/);
    expect(t.send('google-dns', udp('8.8.8.8', EIP_A, 53, 5353))).toBe('ECS-A');
    expect(t.hops()).toMatch(/sg-web \(web\): inbound: a reply of a connection an implicit rule accepted \(stateful\)/);
    // Another source port of the same server is not that connection.
    expect(t.send('google-dns', udp('8.8.8.8', EIP_A, 54, 5353))).toBeUndefined();
  });

  it('H1: the smaller priority decides; at one priority drop wins; the trace names the rule, its priority, policy and peer', () => {
    const t = lab();
    const g = group(t.m, 'web', [
      { SecurityGroupRuleId: 'sgr-ssh-ok', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: 2 },
      { SecurityGroupRuleId: 'sgr-ssh-no', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: 1, Policy: 'drop' },
      { SecurityGroupRuleId: 'sgr-web-ok', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: 5 },
      { SecurityGroupRuleId: 'sgr-web-no', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: 5, Policy: 'drop' },
      { SecurityGroupRuleId: 'sgr-dns-ok', IpProtocol: 'udp', PortRange: '53/53', SourceCidrIp: `${CLIENT}/32`, Priority: 1 },
      { SecurityGroupRuleId: 'sgr-dns-no', IpProtocol: 'udp', PortRange: '1/65535', SourceCidrIp: '0.0.0.0/0', Priority: 50, Policy: 'drop' },
    ]);
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 22, TcpFlags.Syn))).toBeUndefined();
    expect(t.last().verdict).toBe('dropped at ECS-A: sg-web (web) inbound rule sgr-ssh-no (priority 1, drop tcp 22/22 from 0.0.0.0/0)');
    expect(t.send('client', tcp(CLIENT, EIP_A, 40001, 80, TcpFlags.Syn))).toBeUndefined();
    expect(t.last().verdict).toMatch(/sgr-web-no \(priority 5, drop tcp 80\/80/);
    expect(t.send('client', udp(CLIENT, EIP_A, 40002, 53))).toBe('ECS-A');
    expect(t.hops()).toMatch(/sg-web \(web\): inbound rule sgr-dns-ok accepts \(priority 1, accept udp 53\/53 from 47\.83\.1\.59\/32\)/);
    // H5: behind the EIP the rule sees the client's own address: another source is denied.
    expect(t.send('google-dns', udp('8.8.8.8', EIP_A, 40003, 53))).toBeUndefined();
    expect(t.last().verdict).toMatch(/sgr-dns-no/);
    // Every decision is counted on the rule that made it.
    expect(t.counter('sg-web inbound sgr-ssh-no')?.rxPackets).toBe(1);
    expect(t.counter('sg-web inbound sgr-dns-ok')?.rxPackets).toBe(1);
    expect(t.counter('sg-web inbound sgr-ssh-ok')).toBeUndefined();
  });

  it('H1: the rules of all the ENI\'s groups are merged and sorted as one list', () => {
    const t = lab();
    const allow = group(t.m, 'allow', [{ IpProtocol: 'tcp', PortRange: '1/65535', SourceCidrIp: '0.0.0.0/0', Priority: 10 }]);
    const deny = group(t.m, 'deny', [{ SecurityGroupRuleId: 'sgr-deny-ssh', IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: 9, Policy: 'drop' }]);
    t.inst('ECS-A').SecurityGroupIds = [allow.SecurityGroupId, deny.SecurityGroupId];
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 22, TcpFlags.Syn))).toBeUndefined();
    expect(t.last().verdict).toMatch(/^dropped at ECS-A: sg-deny \(deny\) inbound rule sgr-deny-ssh/);
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 443, TcpFlags.Syn))).toBe('ECS-A');
  });

  it('SG4: instances of one basic group reach each other (internal access) past the rules; with internal access off they do not', () => {
    const t = lab();
    const g = group(t.m, 'app', [{ SecurityGroupRuleId: 'sgr-no-icmp', IpProtocol: 'icmp', SourceCidrIp: '0.0.0.0/0', Policy: 'drop' }]);
    for (const name of ['ECS-B', 'ECS-C']) t.inst(name).SecurityGroupIds = [g.SecurityGroupId];
    const other = group(t.m, 'other');
    t.inst('ECS-A').SecurityGroupIds = [other.SecurityGroupId];
    t.recompile();
    expect(t.send('ECS-B', icmpEcho(B, C))).toBe('ECS-C');
    expect(t.hops()).toMatch(/inbound: accepted: 192\.168\.1\.1 is an instance of the same basic security group \(internal access\)/);
    expect(t.send('ECS-A', icmpEcho(A, C))).toBeUndefined();
    g.InnerAccessPolicy = 'Drop';
    t.recompile();
    expect(t.send('ECS-B', icmpEcho(B, C, { id: 9 }))).toBeUndefined();
    expect(t.last().verdict).toMatch(/sgr-no-icmp/);
  });

  it('H1: a peer by group (SourceGroupId) is an instance of that group, not an address block', () => {
    const t = lab();
    const clients = group(t.m, 'clients');
    const db = group(t.m, 'db', [{ IpProtocol: 'tcp', PortRange: '3306/3306', SourceGroupId: clients.SecurityGroupId }]);
    t.inst('ECS-A').SecurityGroupIds = [clients.SecurityGroupId];
    t.inst('ECS-C').SecurityGroupIds = [other(t.m)];
    t.inst('ECS-B').SecurityGroupIds = [db.SecurityGroupId];
    t.recompile();
    expect(t.send('ECS-A', tcp(A, B, 40000, 3306, TcpFlags.Syn))).toBe('ECS-B');
    expect(t.hops()).toMatch(/accept tcp 3306\/3306 from instances of sg-clients \(clients\)/);
    expect(t.send('ECS-C', tcp(C, B, 40000, 3306, TcpFlags.Syn))).toBeUndefined();
  });

  it('H2/SG3: an enterprise group denies outbound that no rule accepts', () => {
    const t = lab();
    const g = group(t.m, 'locked', [{ Direction: 'egress', IpProtocol: 'udp', PortRange: '53/53', DestCidrIp: '8.8.8.8/32' }], 'enterprise');
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    expect(t.send('ECS-A', udp(A, '8.8.8.8', 5353, 53))).toBe('google-dns');
    expect(t.send('ECS-A', udp(A, '8.8.4.4', 5353, 53))).toBeUndefined();
    expect(t.last().verdict).toBe('dropped at ECS-A: no outbound rule of its security groups (sg-locked (locked)) accepts udp port 53 to 8.8.4.4');
  });

  it('H3/SG7: a connection is classified once; a change that still accepts it keeps it, one that denies it cuts it on its next packet', () => {
    const t = lab();
    const g = group(t.m, 'web', [{ SecurityGroupRuleId: 'sgr-http', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }]);
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Syn))).toBe('ECS-A');
    expect(t.send('ECS-A', tcp(A, CLIENT, 80, 40000, TcpFlags.Syn | TcpFlags.Ack))).toBe('client');
    expect(t.hops()).toMatch(/outbound: a reply of a connection rule sgr-http accepted \(stateful\)/);
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Ack))).toBe('ECS-A');
    expect(t.hops()).toMatch(/inbound: an accepted connection \(rule sgr-http: priority 1, accept tcp 80\/80 from 0\.0\.0\.0\/0\)/);
    // An unrelated rule: the flow is classified again and still accepted.
    g.Rules.push({ ...g.Rules[0], SecurityGroupRuleId: 'sgr-ssh', PortRange: '22/22' });
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Ack))).toBe('ECS-A');
    // The rule that accepted it goes: the next packet the client sends is dropped, and its replies no longer pass.
    g.Rules.shift();
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Ack))).toBeUndefined();
    expect(t.send('ECS-A', tcp(A, CLIENT, 80, 40000, TcpFlags.Ack))).toBe('client');
    expect(t.hops()).toMatch(/outbound: no rule matches/);
    expect(t.e.engine.filter.sessions.size).toBe(1);
  });

  it('an ICMP error about an accepted connection is let in with it; unrelated ones are not', () => {
    const t = lab();
    const g = group(t.m, 'web');
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    expect(t.send('ECS-A', udp(A, '8.8.8.8', 5353, 53))).toBe('google-dns');
    // Port unreachable from 8.8.8.8 quoting what went out (as the EIP translated it).
    const quoted = udp(EIP_A, '8.8.8.8', 5353, 53);
    const err = Buffer.alloc(20 + 8 + 28);
    icmpEcho('8.8.8.8', EIP_A).copy(err, 0, 0, 20);
    err.writeUInt16BE(err.length, 2);
    err[20] = 3;
    err[21] = 3;
    quoted.copy(err, 28, 0, 28);
    fixChecksums(err);
    expect(t.send('google-dns', err)).toBe('ECS-A');
    expect(t.hops()).toMatch(/inbound: related to a connection an implicit rule accepted \(stateful\)/);
    const stray = Buffer.from(err);
    udp(EIP_A, '8.8.8.8', 7777, 53).copy(stray, 28, 0, 28);
    fixChecksums(stray);
    expect(t.send('google-dns', stray)).toBeUndefined();
  });

  it('a packet too short for its ports is matched without them and never throws', () => {
    const t = lab();
    const g = group(t.m, 'web', [{ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }]);
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    t.recompile();
    const short = tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Syn).subarray(0, 22);
    short.writeUInt16BE(22, 2);
    fixChecksums(short);
    expect(() => t.send('client', short)).not.toThrow();
  });
});

describe('network ACLs at the vSwitch (H4, H5)', () => {
  it('H4/ACL2: the first entry that matches decides; the port is the destination port; stateless: the reply needs an outbound entry', () => {
    const t = lab();
    acl(t.m, t.l.ids.vswA, [
      { NetworkAclEntryId: 'nae-no-ssh', Protocol: 'tcp', Port: '22/22', Policy: 'drop' },
      { NetworkAclEntryId: 'nae-web', Protocol: 'tcp', Port: '1/65535' },
    ], [{ NetworkAclEntryId: 'nae-out-dns', Protocol: 'udp', Port: '53/53', CidrIp: '8.8.8.8/32' }]);
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 22, TcpFlags.Syn))).toBeUndefined();
    expect(t.last().verdict).toBe(`dropped at ECS-A: ${t.m.networkAcls[0].NetworkAclId} (acl) inbound entry nae-no-ssh (drop tcp 22/22 from 0.0.0.0/0)`);
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Syn))).toBe('ECS-A');
    // The SYN-ACK's destination port is the client's 40000: no outbound entry allows it.
    expect(t.send('ECS-A', tcp(A, CLIENT, 80, 40000, TcpFlags.Syn | TcpFlags.Ack))).toBeUndefined();
    expect(t.last().verdict).toMatch(/^dropped at ECS-A: no outbound entry of nacl-\d+ \(acl\) matches$/);
    expect(t.counter('ECS-A')?.drops['network-acl']).toBe(2);
    expect(t.send('ECS-A', udp(A, '8.8.8.8', 5353, 53))).toBe('google-dns');
    // The DNS reply comes in to port 5353: nae-web is TCP only, so nothing lets it in.
    expect(t.send('google-dns', udp('8.8.8.8', EIP_A, 53, 5353))).toBeUndefined();
  });

  it('ACL2: a flow\'s packets one way take the entry that accepted its first, until the entries change; then the new list decides', () => {
    const t = lab();
    const g = group(t.m, 'web', [{ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }]);
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    const a = acl(t.m, t.l.ids.vswA, [{ NetworkAclEntryId: 'nae-http', Protocol: 'tcp', Port: '80/80' }], [{ NetworkAclEntryId: 'nae-replies', Protocol: 'tcp', Port: '1024/65535' }]);
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Syn))).toBe('ECS-A');
    expect(t.send('ECS-A', tcp(A, CLIENT, 80, 40000, TcpFlags.Syn | TcpFlags.Ack))).toBe('client');
    for (let i = 0; i < 3; i++) expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Ack))).toBe('ECS-A');
    expect(t.hops()).toMatch(/inbound entry nae-http accepts/);
    // Every packet is counted on the entry, cached or not.
    expect(t.counter(`${a.NetworkAclId} inbound nae-http`)?.rxPackets).toBe(4);
    a.IngressAclEntries = [{ ...a.IngressAclEntries[0], NetworkAclEntryId: 'nae-ssh', Port: '22/22' }];
    t.recompile();
    expect(t.send('client', tcp(CLIENT, EIP_A, 40000, 80, TcpFlags.Ack))).toBeUndefined();
    expect(t.last().verdict).toMatch(/no inbound entry of nacl-\d+ \(acl\) matches$/);
  });

  it('ACL1: traffic inside the vSwitch is not filtered; ACL3: an ACL with no entries drops what crosses it; ACL7: the VPC DNS is exempt', () => {
    const t = lab();
    acl(t.m, t.l.ids.vswB, [], []);
    t.recompile();
    expect(t.send('ECS-B', icmpEcho(B, C))).toBe('ECS-C');
    expect(t.send('ECS-A', icmpEcho(A, B))).toBeUndefined();
    expect(t.last().verdict).toMatch(/^dropped at ECS-B: no inbound entry of nacl-\d+ \(acl\) matches$/);
    expect(t.send('ECS-B', udp(B, '100.100.2.136', 5353, 53))).toBe('vpcdns-1');
  });

  it('H5: inbound the ACL decides before the security group; outbound the security group before the ACL', () => {
    const t = lab();
    const g = group(t.m, 'closed', [{ Direction: 'egress', SecurityGroupRuleId: 'sgr-no-out', DestCidrIp: '0.0.0.0/0', Policy: 'drop' }]);
    t.inst('ECS-A').SecurityGroupIds = [g.SecurityGroupId];
    acl(t.m, t.l.ids.vswA, [{ NetworkAclEntryId: 'nae-in-no', Policy: 'drop' }], [{ NetworkAclEntryId: 'nae-out-no', Policy: 'drop' }]);
    t.recompile();
    expect(t.send('client', udp(CLIENT, EIP_A, 1, 2))).toBeUndefined();
    expect(t.last().verdict).toMatch(/nae-in-no/);
    expect(t.send('ECS-A', udp(A, '8.8.8.8', 1, 2))).toBeUndefined();
    expect(t.last().verdict).toMatch(/sgr-no-out/);
  });
});

function other(m: CloudModel): string {
  return group(m, `other-${++n}`).SecurityGroupId;
}

/** IPv4 header checksum (and none for the payload: the engine checks only the header). */
function fixChecksums(b: Buffer): void {
  b.writeUInt16BE(0, 10);
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += b.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  b.writeUInt16BE(~s & 0xffff, 10);
}
