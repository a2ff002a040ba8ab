// EIPs (SEMANTICS C1, C2): allocate, associate in NAT mode, unassociate, release, describe.

import { describe, expect, it } from 'vitest';
import { expectFailure, fixture } from './helpers';

type DescribeEips = { TotalCount: number; EipAddresses: { EipAddress: { AllocationId: string; IpAddress: string; Status: string; InstanceId?: string; PrivateIpAddress?: string; Mode: string }[] } };

const setup = () => {
  const f = fixture();
  const a = f.run('ECS-A', f.vswA, '192.168.0.1');
  const b = f.run('ECS-B', f.vswB, '192.168.1.1');
  const eip = (id: string) => f.cp.model.eips.find((e) => e.AllocationId === id)!;
  return { ...f, a, b, eip };
};

describe('C1: AllocateEipAddress', () => {
  it('C1: AllocateEipAddress with IpAddress takes that public address, Available, NAT mode', () => {
    const s = setup();
    const r = s.call('AllocateEipAddress', { IpAddress: '47.91.0.10', Name: 'eip-a' });
    expect(r.EipAddress).toBe('47.91.0.10');
    expect(s.eip(r.AllocationId as string)).toEqual({ AllocationId: r.AllocationId, IpAddress: '47.91.0.10', Name: 'eip-a', Status: 'Available', Mode: 'NAT' });
  });

  it('C1: an EIP must be a public address: RFC 1918, 100.64/10, loopback, multicast → InvalidIpAddress.Malformed', () => {
    const s = setup();
    for (const addr of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '100.100.2.136', '127.0.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '169.254.1.1']) {
      expectFailure(s.cp, 'AllocateEipAddress', { IpAddress: addr }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    }
    // just outside the private blocks is public
    s.allocate('172.32.0.1');
    s.allocate('100.128.0.1');
  });

  it('C1: a malformed IpAddress → InvalidIpAddress.Malformed', () => {
    const s = setup();
    for (const addr of ['47.91.0', '47.91.0.256', '47.91.0.10/32', 'eip']) expectFailure(s.cp, 'AllocateEipAddress', { IpAddress: addr }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
  });

  it('C1: an address already held by another EIP or by an Internet host → InvalidIpAddress.AlreadyUsed', () => {
    const s = setup();
    s.allocate('47.91.0.10');
    expectFailure(s.cp, 'AllocateEipAddress', { IpAddress: '47.91.0.10' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    s.call('CreateInternetHost', { HostName: 'google-dns', IpAddress: '8.8.8.8' });
    const e = expectFailure(s.cp, 'AllocateEipAddress', { IpAddress: '8.8.8.8' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    expect(e.message).toContain('google-dns');
  });

  it('C1: automatic allocation hands out distinct public addresses, skipping those in use', () => {
    const s = setup();
    const first = s.call('AllocateEipAddress').EipAddress as string;
    expect(first).toBe('47.96.0.1');
    s.call('CreateInternetHost', { HostName: 'squatter', IpAddress: '47.96.0.2' });
    s.allocate('47.96.0.3');
    const next = s.call('AllocateEipAddress').EipAddress as string;
    expect(next).toBe('47.96.0.4');
    // a released address becomes free again
    const id = s.cp.model.eips.find((e) => e.IpAddress === first)!.AllocationId;
    s.call('ReleaseEipAddress', { AllocationId: id });
    expect(s.call('AllocateEipAddress').EipAddress).toBe(first);
  });

  it('C1: a bad EIP Name → InvalidName.Malformed', () => {
    const s = setup();
    expectFailure(s.cp, 'AllocateEipAddress', { Name: 'http://eip' }, 'InvalidName.Malformed', { param: 'Name' });
  });
});

describe('C2: AssociateEipAddress', () => {
  it('C2: associating binds the EIP to the instance\'s private IP in NAT mode (the default)', () => {
    const s = setup();
    const id = s.allocate('47.91.0.10');
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expect(s.eip(id)).toEqual({
      AllocationId: id, IpAddress: '47.91.0.10', Name: '', Status: 'InUse', Mode: 'NAT',
      InstanceId: s.a, InstanceType: 'EcsInstance', PrivateIpAddress: '192.168.0.1',
    });
  });

  it('C2: Mode=NAT and InstanceType=EcsInstance are accepted explicitly; other modes/types → InvalidParameter (Nat: D1)', () => {
    const s = setup();
    const id = s.allocate();
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.a, Mode: 'BINDED' }, 'InvalidParameter', { param: 'Mode' });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.a, Mode: 'MULTI_BINDED' }, 'InvalidParameter', { param: 'Mode' });
    for (const t of ['SlbInstance', 'HaVip', 'NetworkInterface', 'ecsinstance']) {
      expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.a, InstanceType: t }, 'InvalidParameter', { param: 'InstanceType' });
    }
    // InstanceType=Nat is modelled (nat-gateway.test.ts): an ECS ID is then not a NAT gateway.
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.a, InstanceType: 'Nat' }, 'InvalidNatGatewayId.NotFound', { param: 'InstanceId', status: 404 });
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a, Mode: 'NAT', InstanceType: 'EcsInstance' });
    expect(s.eip(id).Status).toBe('InUse');
  });

  it('C2: an EIP already in use → IncorrectEipStatus (same or another instance)', () => {
    const s = setup();
    const id = s.allocate();
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.b }, 'IncorrectEipStatus', { param: 'AllocationId' });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.a }, 'IncorrectEipStatus', { param: 'AllocationId' });
  });

  it('C1: an instance that already has an EIP → InvalidAssociation.Duplicated', () => {
    const s = setup();
    const one = s.allocate();
    const two = s.allocate();
    s.call('AssociateEipAddress', { AllocationId: one, InstanceId: s.a });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: two, InstanceId: s.a }, 'InvalidAssociation.Duplicated', { param: 'InstanceId' });
  });

  it('C2: unknown EIP or instance → NotFound (404); a missing InstanceId → MissingParameter', () => {
    const s = setup();
    const id = s.allocate();
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: 'eip-nope', InstanceId: s.a }, 'InvalidAllocationId.NotFound', { param: 'AllocationId', status: 404 });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: 'i-nope' }, 'InvalidInstanceId.NotFound', { param: 'InstanceId', status: 404 });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id }, 'MissingParameter', { param: 'InstanceId' });
  });
});

describe('C2: UnassociateEipAddress / ReleaseEipAddress', () => {
  it('C2: UnassociateEipAddress returns the EIP to Available and forgets the mapping', () => {
    const s = setup();
    const id = s.allocate('47.91.0.10');
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    s.call('UnassociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expect(s.eip(id)).toEqual({ AllocationId: id, IpAddress: '47.91.0.10', Name: '', Status: 'Available', Mode: 'NAT' });
    // and it can be associated elsewhere, and the instance can take another EIP
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.b });
    s.call('AssociateEipAddress', { AllocationId: s.allocate(), InstanceId: s.a });
  });

  it('C2: UnassociateEipAddress without InstanceId works; a wrong InstanceId or an unbound EIP → IncorrectEipStatus', () => {
    const s = setup();
    const id = s.allocate();
    expectFailure(s.cp, 'UnassociateEipAddress', { AllocationId: id }, 'IncorrectEipStatus', { param: 'AllocationId' });
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expectFailure(s.cp, 'UnassociateEipAddress', { AllocationId: id, InstanceId: s.b }, 'IncorrectEipStatus', { param: 'AllocationId' });
    s.call('UnassociateEipAddress', { AllocationId: id });
    expect(s.eip(id).Status).toBe('Available');
  });

  it('C2: ReleaseEipAddress is refused while InUse (IncorrectEipStatus) and works once Available', () => {
    const s = setup();
    const id = s.allocate();
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expectFailure(s.cp, 'ReleaseEipAddress', { AllocationId: id }, 'IncorrectEipStatus', { param: 'AllocationId' });
    s.call('UnassociateEipAddress', { AllocationId: id });
    s.call('ReleaseEipAddress', { AllocationId: id });
    expect(s.cp.model.eips).toEqual([]);
    expectFailure(s.cp, 'ReleaseEipAddress', { AllocationId: id }, 'InvalidAllocationId.NotFound', { status: 404 });
  });

  it('C2: an instance holding an EIP cannot be deleted (DependencyViolation.Eip)', () => {
    const s = setup();
    const id = s.allocate();
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expectFailure(s.cp, 'DeleteInstance', { InstanceId: s.a }, 'DependencyViolation.Eip', { param: 'InstanceId' });
    s.call('UnassociateEipAddress', { AllocationId: id });
    s.call('DeleteInstance', { InstanceId: s.a });
  });
});

describe('C1: DescribeEipAddresses', () => {
  it('C1: DescribeEipAddresses lists all EIPs and filters by AllocationId / EipAddress', () => {
    const s = setup();
    const one = s.allocate('47.91.0.10');
    const two = s.allocate('47.91.0.11');
    s.call('AssociateEipAddress', { AllocationId: two, InstanceId: s.b });
    const all = s.call('DescribeEipAddresses') as DescribeEips;
    expect(all.TotalCount).toBe(2);
    expect(all.EipAddresses.EipAddress.map((e) => [e.AllocationId, e.IpAddress, e.Status, e.InstanceId, e.PrivateIpAddress])).toEqual([
      [one, '47.91.0.10', 'Available', undefined, undefined],
      [two, '47.91.0.11', 'InUse', s.b, '192.168.1.1'],
    ]);
    expect((s.call('DescribeEipAddresses', { AllocationId: two }) as DescribeEips).EipAddresses.EipAddress.map((e) => e.AllocationId)).toEqual([two]);
    expect((s.call('DescribeEipAddresses', { EipAddress: '47.91.0.10' }) as DescribeEips).EipAddresses.EipAddress.map((e) => e.AllocationId)).toEqual([one]);
    expect((s.call('DescribeEipAddresses', { EipAddress: '1.1.1.1' }) as DescribeEips).TotalCount).toBe(0);
  });

  it('C1: DescribeInstances shows each instance\'s EIP address (empty when none)', () => {
    const s = setup();
    s.call('AssociateEipAddress', { AllocationId: s.allocate('47.91.0.10'), InstanceId: s.a });
    type R = { TotalCount: number; Instances: { Instance: { InstanceName: string; EipAddress: string }[] } };
    const r = s.call('DescribeInstances') as R;
    expect(r.Instances.Instance.map((i) => [i.InstanceName, i.EipAddress])).toEqual([['ECS-A', '47.91.0.10'], ['ECS-B', '']]);
  });
});
