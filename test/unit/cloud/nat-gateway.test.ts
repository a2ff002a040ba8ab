// The Internet NAT gateway control plane (SEMANTICS D1–D15, with A6/A12 for its next hop and
// B3/B4/C2 for the IPv4-gateway interplay), then seed 002 replayed call by call. Every refusal
// goes through expectFailure, which also checks that the model did not change (atomicity).

import { describe, expect, it } from 'vitest';
import { ControlPlane, actionNames } from '../../../src/main/cloud/control-plane';
import type { CloudModel } from '../../../src/main/cloud/model';
import type { Params } from '../../../src/main/cloud/params';
import { entries, expectFailure, fixture, type Fixture, type Res } from './helpers';

type GwView = {
  NatGatewayId: string; Name: string; Description: string; VpcId: string; NatType: string; NetworkType: string; Status: string; EipBindMode: string;
  IcmpReplyEnabled: boolean; CreationTime: string; SnatTableIds: { SnatTableId: string[] }; ForwardTableIds: { ForwardTableId: string[] };
  NatGatewayPrivateInfo: { VswitchId: string; PrivateIpAddress: string };
  IpLists: { IpList: { AllocationId: string; IpAddress: string; PrivateIpAddress: string; UsingStatus: string; SnatEntryEnabled: boolean }[] };
  LabPortRange: string;
};
type SnatRow = { NatGatewayId: string; SnatTableId: string; SnatEntryId: string; SnatEntryName: string; SourceCIDR: string; SourceVSwitchId: string; SnatIp: string; EipAffinity: number; Status: string };
type FwdRow = { NatGatewayId: string; ForwardTableId: string; ForwardEntryId: string; ForwardEntryName: string; ExternalIp: string; ExternalPort: string; InternalIp: string; InternalPort: string; IpProtocol: string; PortBreak: boolean; Status: string };

const otherVpc = (f: Fixture): { vpc: string; rt: string; vsw: string } => {
  const v = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' });
  const vsw = f.call('CreateVSwitch', { VpcId: v.VpcId as string, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }).VSwitchId as string;
  return { vpc: v.VpcId as string, rt: v.RouteTableId as string, vsw };
};

/** Seed 004's VPC with ECS-A 192.168.0.1 and ECS-B 192.168.1.1, and one NAT gateway named ngw-lab in vSwitch B. */
function setup(extra: Params = {}) {
  const f = fixture();
  const a = f.run('ECS-A', f.vswA, '192.168.0.1');
  const b = f.run('ECS-B', f.vswB, '192.168.1.1');
  const create = (p: Params = {}, vpc = f.vpc, vsw = f.vswB): Res => f.call('CreateNatGateway', { VpcId: vpc, VSwitchId: vsw, ...p });
  const ngw = create({ Name: 'ngw-lab', ...extra }).NatGatewayId as string;
  const gwOf = (id: string) => f.cp.model.natGateways.find((g) => g.NatGatewayId === id)!;
  const g = () => gwOf(ngw);
  const eipOf = (id: string) => f.cp.model.eips.find((e) => e.AllocationId === id)!;
  const bind = (eip: string, gw = ngw, p: Params = {}): Res => f.call('AssociateEipAddress', { AllocationId: eip, InstanceId: gw, InstanceType: 'Nat', ...p });
  /** Allocate `ip` and associate it with the gateway; returns the AllocationId. */
  const eip = (ip: string, gw = ngw): string => {
    const id = f.allocate(ip);
    bind(id, gw);
    return id;
  };
  const snat = (p: Params, gw = ngw): string => f.call('CreateSnatEntry', { SnatTableId: gwOf(gw).SnatTableId, ...p }).SnatEntryId as string;
  const dnat = (p: Params, gw = ngw): string =>
    f.call('CreateForwardEntry', { ForwardTableId: gwOf(gw).ForwardTableId, IpProtocol: 'TCP', InternalIp: '192.168.1.1', ...p }).ForwardEntryId as string;
  const describe = (p: Params = {}): GwView[] => (f.call('DescribeNatGateways', p) as { NatGateways: { NatGateway: GwView[] } }).NatGateways.NatGateway;
  const snatRows = (p: Params): SnatRow[] => (f.call('DescribeSnatTableEntries', p) as { SnatTableEntries: { SnatTableEntry: SnatRow[] } }).SnatTableEntries.SnatTableEntry;
  const fwdRows = (p: Params): FwdRow[] => (f.call('DescribeForwardTableEntries', p) as { ForwardTableEntries: { ForwardTableEntry: FwdRow[] } }).ForwardTableEntries.ForwardTableEntry;
  const sysRows = (): string[][] => entries(f.cp, f.systemRt).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId]);
  /** A /29 vSwitch: four usable addresses, .1–.4 (A1). */
  const tiny = (): string => f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.9.0/29' }).VSwitchId as string;
  return { ...f, a, b, ngw, g, gwOf, create, eipOf, bind, eip, snat, dnat, describe, snatRows, fwdRows, sysRows, tiny };
}
type S = ReturnType<typeof setup>;

const deleteD2Route = (s: S): void => {
  const e = s.cp.model.routeTables.find((t) => t.RouteTableId === s.systemRt)!.Entries.find((x) => x.NextHopType === 'NatGateway')!;
  s.call('DeleteRouteEntry', { RouteTableId: s.systemRt, RouteEntryId: e.RouteEntryId });
};

describe('D1: CreateNatGateway', () => {
  it('D1: creates an Available Enhanced internet gateway with ngw-/stb-/ftb- IDs and the documented defaults', () => {
    const f = fixture();
    f.run('ECS-B', f.vswB, '192.168.1.1');
    const before = Date.now();
    const r = f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB, Name: 'ngw-lab', Description: 'seed 002' });
    const id = r.NatGatewayId as string;
    expect(id).toMatch(/^ngw-[a-z0-9]{22}$/);
    const g = f.cp.model.natGateways[0];
    expect(g.SnatTableId).toMatch(/^stb-[a-z0-9]{22}$/);
    expect(g.ForwardTableId).toMatch(/^ftb-[a-z0-9]{22}$/);
    expect(r).toEqual({ RequestId: r.RequestId, NatGatewayId: id, SnatTableIds: { SnatTableId: [g.SnatTableId] }, ForwardTableIds: { ForwardTableId: [g.ForwardTableId] } });
    expect(g).toEqual({
      NatGatewayId: id, Name: 'ngw-lab', Description: 'seed 002', VpcId: f.vpc, VSwitchId: f.vswB, PrivateIpAddress: '192.168.1.2', NatType: 'Enhanced',
      NetworkType: 'internet', EipBindMode: 'MULTI_BINDED', IcmpReplyEnabled: true, Status: 'Available', SnatTableId: g.SnatTableId, ForwardTableId: g.ForwardTableId,
      SnatEntries: [], ForwardEntries: [], CreationTime: g.CreationTime,
    });
    expect(new Date(g.CreationTime).toISOString()).toBe(g.CreationTime);
    expect(Date.parse(g.CreationTime)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('D1: the private IP is the lowest free one of the vSwitch: not reserved, not an ECS, not another NAT gateway', () => {
    const s = setup();
    expect(s.g().PrivateIpAddress).toBe('192.168.1.2');
    const second = s.create().NatGatewayId as string;
    expect(s.gwOf(second).PrivateIpAddress).toBe('192.168.1.3');
    const vsw = s.tiny();
    s.run('T1', vsw, '192.168.9.1');
    s.run('T3', vsw, '192.168.9.3');
    const t = s.create({}, s.vpc, vsw).NatGatewayId as string;
    expect(s.gwOf(t).PrivateIpAddress).toBe('192.168.9.2');
    expect(s.gwOf(s.create({}, s.vpc, vsw).NatGatewayId as string).PrivateIpAddress).toBe('192.168.9.4');
  });

  it('D1: no free private IP in the vSwitch → InvalidVSwitchId.IpNotEnough', () => {
    const s = setup();
    const vsw = s.tiny();
    for (const ip of ['192.168.9.1', '192.168.9.2', '192.168.9.3']) s.run(`T${ip.slice(-1)}`, vsw, ip);
    s.create({}, s.vpc, vsw);
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: vsw }, 'InvalidVSwitchId.IpNotEnough', { param: 'VSwitchId', status: 400 });
  });

  it('D1: EipBindMode NAT, IcmpReplyEnabled false, NatType Enhanced and NetworkType internet are accepted explicitly', () => {
    const s = setup();
    const id = s.create({ EipBindMode: 'NAT', IcmpReplyEnabled: 'false', NatType: 'Enhanced', NetworkType: 'internet' }).NatGatewayId as string;
    expect(s.gwOf(id)).toMatchObject({ EipBindMode: 'NAT', IcmpReplyEnabled: false, NatType: 'Enhanced', NetworkType: 'internet', Name: '', Description: '' });
  });

  it('D1: other NatType / EipBindMode / IcmpReplyEnabled values → InvalidParameter; NetworkType intranet → UnsupportedFeature.NetworkType', () => {
    const s = setup();
    const p = (x: Params): Params => ({ VpcId: s.vpc, VSwitchId: s.vswB, ...x });
    expectFailure(s.cp, 'CreateNatGateway', p({ NatType: 'Normal' }), 'InvalidParameter', { param: 'NatType' });
    expectFailure(s.cp, 'CreateNatGateway', p({ EipBindMode: 'BINDED' }), 'InvalidParameter', { param: 'EipBindMode' });
    expectFailure(s.cp, 'CreateNatGateway', p({ IcmpReplyEnabled: 'yes' }), 'InvalidParameter', { param: 'IcmpReplyEnabled' });
    expectFailure(s.cp, 'CreateNatGateway', p({ NetworkType: 'intranet' }), 'UnsupportedFeature.NetworkType', { param: 'NetworkType' });
    expectFailure(s.cp, 'CreateNatGateway', p({ NetworkType: 'public' }), 'InvalidParameter', { param: 'NetworkType' });
  });

  it('D1: VpcId and VSwitchId are required, must exist (404) and belong together (OperationDenied.VpcNotMatch)', () => {
    const s = setup();
    const o = otherVpc(s);
    expectFailure(s.cp, 'CreateNatGateway', { VSwitchId: s.vswB }, 'MissingParameter', { param: 'VpcId' });
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc }, 'MissingParameter', { param: 'VSwitchId' });
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: 'vpc-nope', VSwitchId: s.vswB }, 'InvalidVpcId.NotFound', { param: 'VpcId', status: 404 });
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: 'vsw-nope' }, 'InvalidVSwitchId.NotFound', { param: 'VSwitchId', status: 404 });
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: o.vsw }, 'OperationDenied.VpcNotMatch', { param: 'VSwitchId' });
  });

  it('D1: Name is 1–128 and Description 1–256 characters, not starting with http(s):// → InvalidName.Malformed / InvalidDescription.Malformed', () => {
    const s = setup();
    for (const bad of ['x'.repeat(129), 'http://n', 'https://n']) {
      expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: s.vswB, Name: bad }, 'InvalidName.Malformed', { param: 'Name' });
    }
    for (const bad of ['d'.repeat(257), 'https://d']) {
      expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: s.vswB, Description: bad }, 'InvalidDescription.Malformed', { param: 'Description' });
    }
    s.create({ Name: 'n'.repeat(128), Description: 'd'.repeat(256) });
  });

  it('D1: DryRun validates without creating (DryRunOperation)', () => {
    const s = setup();
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: s.vswB, DryRun: true }, 'DryRunOperation');
  });

  it('D3: at most 5 NAT gateways per VPC → QuotaExceeded.NatGateway; the quota is per VPC', () => {
    const s = setup();
    for (let k = 0; k < 4; k++) s.create();
    expect(s.cp.model.natGateways).toHaveLength(5);
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: s.vswA }, 'QuotaExceeded.NatGateway', { param: 'VpcId' });
    const o = otherVpc(s);
    s.create({}, o.vpc, o.vsw);
  });
});

describe('D2: automatic default route', () => {
  it('D2: the first NAT gateway of a VPC adds 0.0.0.0/0 → NatGateway to the system route table only', () => {
    const f = fixture();
    const rtA = f.table('rt-a');
    f.call('AssociateRouteTable', { RouteTableId: rtA, VSwitchId: f.vswA });
    const ngw = f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB }).NatGatewayId as string;
    const sys = f.cp.model.routeTables.find((t) => t.RouteTableId === f.systemRt)!.Entries;
    expect(sys).toHaveLength(1);
    expect(sys[0]).toMatchObject({ RouteTableId: f.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'NatGateway', NextHopId: ngw, Type: 'Custom', Status: 'Available', RouteEntryName: '' });
    expect(sys[0].RouteEntryId).toMatch(/^rte-/);
    expect(entries(f.cp, rtA).filter((e) => e.Type === 'Custom')).toEqual([]);
  });

  it('D2: a second NAT gateway in the same VPC adds no route', () => {
    const s = setup();
    s.create();
    expect(s.sysRows()).toEqual([['0.0.0.0/0', 'NatGateway', s.ngw]]);
  });

  it('D2: no route when the system table already has a 0.0.0.0/0 entry', () => {
    const f = fixture();
    const b = f.run('ECS-B', f.vswB, '192.168.1.1');
    f.call('CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '0.0.0.0/0', NextHopId: b });
    f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB });
    expect(entries(f.cp, f.systemRt).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([['0.0.0.0/0', 'Instance', b]]);
  });

  it('D2 (engine choice): "first" means no other NAT gateway exists in the VPC now; each VPC gets its own route', () => {
    const s = setup();
    s.call('DeleteNatGateway', { NatGatewayId: s.ngw, Force: true });
    expect(s.sysRows()).toEqual([]);
    const again = s.create().NatGatewayId as string;
    expect(s.sysRows()).toEqual([['0.0.0.0/0', 'NatGateway', again]]);
    const o = otherVpc(s);
    const far = s.create({}, o.vpc, o.vsw).NatGatewayId as string;
    expect(entries(s.cp, o.rt).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([['0.0.0.0/0', 'NatGateway', far]]);
  });

  it('A6/D13: CreateRouteEntry takes NextHopType NatGateway with a NAT gateway of the same VPC', () => {
    const s = setup();
    const rtA = s.table('rt-a');
    s.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'NatGateway', NextHopId: s.ngw });
    expect(entries(s.cp, rtA).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([['8.8.8.8/32', 'NatGateway', s.ngw]]);
    const o = otherVpc(s);
    const far = s.create({}, o.vpc, o.vsw).NatGatewayId as string;
    const p = (hop: string): Params => ({ RouteTableId: rtA, DestinationCidrBlock: '1.1.1.1/32', NextHopType: 'NatGateway', NextHopId: hop });
    expectFailure(s.cp, 'CreateRouteEntry', p('ngw-nope'), 'InvalidNatGatewayId.NotFound', { param: 'NextHopId', status: 404 });
    expectFailure(s.cp, 'CreateRouteEntry', p(far), 'InvalidNatGatewayId.NotFound', { param: 'NextHopId', status: 400 });
    expectFailure(s.cp, 'CreateRouteEntry', p(s.b), 'InvalidNatGatewayId.NotFound', { param: 'NextHopId' });
  });
});

describe('D12/B3/B4: NAT gateway next to an IPv4 gateway', () => {
  it('D12: with an IPv4 gateway in the VPC, a MULTI_BINDED NAT gateway → OperationDenied.Ipv4GatewayExist; EipBindMode NAT is accepted', () => {
    const f = fixture();
    f.call('CreateIpv4Gateway', { VpcId: f.vpc });
    expectFailure(f.cp, 'CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB }, 'OperationDenied.Ipv4GatewayExist', { param: 'EipBindMode' });
    expectFailure(f.cp, 'CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB, EipBindMode: 'MULTI_BINDED' }, 'OperationDenied.Ipv4GatewayExist');
    f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswB, EipBindMode: 'NAT' });
    expect(f.cp.model.natGateways[0].EipBindMode).toBe('NAT');
  });

  it('B3/D12: a MULTI_BINDED NAT gateway blocks CreateIpv4Gateway (OperationDenied.DirectEipExist); a NAT-mode one does not', () => {
    const s = setup();
    expectFailure(s.cp, 'CreateIpv4Gateway', { VpcId: s.vpc }, 'OperationDenied.DirectEipExist', { param: 'VpcId' });
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT' });
    s.call('CreateIpv4Gateway', { VpcId: s.vpc });
    // and the other VPC is not concerned
    const f = setup();
    f.call('CreateIpv4Gateway', { VpcId: otherVpc(f).vpc });
  });

  it('B4/D12: EnableVpcIpv4Gateway with a MULTI_BINDED NAT gateway in the VPC → OperationDenied.NatgatewayExist (model restored from elsewhere)', () => {
    const s = setup({ EipBindMode: 'NAT' });
    const gw = s.call('CreateIpv4Gateway', { VpcId: s.vpc }).Ipv4GatewayId as string;
    // The API cannot reach this state (CreateNatGateway refuses it, the mode never switches back).
    const model = structuredClone(s.cp.model) as CloudModel;
    model.natGateways[0].EipBindMode = 'MULTI_BINDED';
    const cp = new ControlPlane('t-cloud-unit', model);
    expectFailure(cp, 'EnableVpcIpv4Gateway', { Ipv4GatewayId: gw, RouteTableList: [s.systemRt] }, 'OperationDenied.NatgatewayExist', { param: 'Ipv4GatewayId' });
    s.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: gw, RouteTableList: [] });
  });

  it('D12: ModifyNatGatewayAttribute EipBindMode MULTI_BINDED → NAT gives each EIP a private IP of the gateway\'s vSwitch', () => {
    const s = setup();
    const e1 = s.eip('47.91.0.10');
    const e2 = s.eip('47.91.0.11');
    expect([s.eipOf(e1).PrivateIpAddress, s.eipOf(e2).PrivateIpAddress]).toEqual([undefined, undefined]);
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT' });
    expect(s.g().EipBindMode).toBe('NAT');
    expect([s.eipOf(e1).PrivateIpAddress, s.eipOf(e2).PrivateIpAddress]).toEqual(['192.168.1.3', '192.168.1.4']);
    // same mode again: nothing changes
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT' });
    expect(s.eipOf(e2).PrivateIpAddress).toBe('192.168.1.4');
  });

  it('D12: switching to NAT needs at most 5 EIPs → OperationDenied.EipCountExceeded; atomic', () => {
    const s = setup();
    for (let k = 0; k < 6; k++) s.eip(`47.91.0.${10 + k}`);
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT', Name: 'renamed' }, 'OperationDenied.EipCountExceeded', { param: 'EipBindMode' });
    s.call('UnassociateEipAddress', { AllocationId: s.cp.model.eips[5].AllocationId });
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT' });
  });

  it('D1/D12: switching to NAT without enough free private IPs → InvalidVSwitchId.IpNotEnough; no EIP keeps a half-assigned IP', () => {
    const s = setup();
    const vsw = s.tiny();
    s.run('T1', vsw, '192.168.9.1');
    const t = s.create({}, s.vpc, vsw).NatGatewayId as string; // .2
    s.run('T3', vsw, '192.168.9.3');
    s.eip('47.91.0.10', t);
    s.eip('47.91.0.11', t);
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: t, EipBindMode: 'NAT' }, 'InvalidVSwitchId.IpNotEnough', { param: 'VSwitchId' });
    expect(s.cp.model.eips.map((e) => e.PrivateIpAddress)).toEqual([undefined, undefined]);
  });

  it('D12 (engine choice): NAT → MULTI_BINDED is refused (OperationUnsupported.EipBindMode)', () => {
    const s = setup({ EipBindMode: 'NAT' });
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'MULTI_BINDED' }, 'OperationUnsupported.EipBindMode', { param: 'EipBindMode' });
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'BINDED' }, 'InvalidParameter', { param: 'EipBindMode' });
  });
});

describe('D11/D7: ModifyNatGatewayAttribute', () => {
  it('D11: Name, Description and IcmpReplyEnabled change; omitted ones stay', () => {
    const s = setup();
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, IcmpReplyEnabled: false });
    expect(s.g()).toMatchObject({ Name: 'ngw-lab', IcmpReplyEnabled: false });
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, Name: 'n2', Description: 'd2' });
    expect(s.g()).toMatchObject({ Name: 'n2', Description: 'd2', IcmpReplyEnabled: false, EipBindMode: 'MULTI_BINDED' });
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, IcmpReplyEnabled: 'true' });
    expect(s.g().IcmpReplyEnabled).toBe(true);
  });

  it('D11: bad values and unknown gateways are refused', () => {
    const s = setup();
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, IcmpReplyEnabled: 'on' }, 'InvalidParameter', { param: 'IcmpReplyEnabled' });
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, Name: 'http://x' }, 'InvalidName.Malformed', { param: 'Name' });
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: 'ngw-nope' }, 'InvalidNatGatewayId.NotFound', { param: 'NatGatewayId', status: 404 });
    expectFailure(s.cp, 'ModifyNatGatewayAttribute', {}, 'MissingParameter', { param: 'NatGatewayId' });
  });

  it('D7 (lab-only LabPortRange): a-b with 1025 <= a <= b <= 65535 is stored; an empty string resets it', () => {
    const s = setup();
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, LabPortRange: '1025-1030' });
    expect(s.g().LabPortRange).toEqual([1025, 1030]);
    expect(s.describe()[0].LabPortRange).toBe('1025-1030');
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, LabPortRange: '65535-65535' });
    expect(s.g().LabPortRange).toEqual([65535, 65535]);
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, Name: 'keep' });
    expect(s.g().LabPortRange).toEqual([65535, 65535]);
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, LabPortRange: '' });
    expect(s.g().LabPortRange).toBeUndefined();
    expect(s.describe()[0].LabPortRange).toBe('');
    for (const bad of ['1024-1030', '1030-1025', '1025-65536', '1025', 'a-b', '1025 - 1030', '-1-5']) {
      expectFailure(s.cp, 'ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, LabPortRange: bad }, 'InvalidParameter', { param: 'LabPortRange' });
    }
  });
});

describe('D1: DescribeNatGateways', () => {
  it('D1: shows the gateway with its EIPs (IpLists), table IDs, private info, bind mode and ICMP setting', () => {
    const s = setup();
    const e1 = s.eip('47.91.0.10');
    const e2 = s.eip('47.91.0.11');
    s.eip('47.91.0.12');
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80' });
    const [v] = s.describe({ NatGatewayId: s.ngw });
    expect(v).toEqual({
      NatGatewayId: s.ngw, Name: 'ngw-lab', Description: '', VpcId: s.vpc, NatType: 'Enhanced', NetworkType: 'internet', Status: 'Available', EipBindMode: 'MULTI_BINDED',
      IcmpReplyEnabled: true, CreationTime: s.g().CreationTime, SnatTableIds: { SnatTableId: [s.g().SnatTableId] }, ForwardTableIds: { ForwardTableId: [s.g().ForwardTableId] },
      NatGatewayPrivateInfo: { VswitchId: s.vswB, PrivateIpAddress: '192.168.1.2' },
      IpLists: {
        IpList: [
          { AllocationId: e1, IpAddress: '47.91.0.10', PrivateIpAddress: '', UsingStatus: 'UsedBySnatTable', SnatEntryEnabled: true },
          { AllocationId: e2, IpAddress: '47.91.0.11', PrivateIpAddress: '', UsingStatus: 'UsedByForwardTable', SnatEntryEnabled: false },
          { AllocationId: s.cp.model.eips[2].AllocationId, IpAddress: '47.91.0.12', PrivateIpAddress: '', UsingStatus: 'Idle', SnatEntryEnabled: false },
        ],
      },
      LabPortRange: '',
    });
  });

  it('D1: filters by VpcId, NatGatewayId and Name; Describe is read-only', () => {
    const s = setup();
    const second = s.create({ Name: 'two' }).NatGatewayId as string;
    const o = otherVpc(s);
    const far = s.create({}, o.vpc, o.vsw).NatGatewayId as string;
    const ids = (p: Params = {}): string[] => s.describe(p).map((g) => g.NatGatewayId);
    expect(ids()).toEqual([s.ngw, second, far]);
    expect(ids({ VpcId: s.vpc })).toEqual([s.ngw, second]);
    expect(ids({ NatGatewayId: far })).toEqual([far]);
    expect(ids({ Name: 'two' })).toEqual([second]);
    expect((s.call('DescribeNatGateways', { VpcId: o.vpc }) as { TotalCount: number }).TotalCount).toBe(1);
    const ref = s.cp.model;
    let woken = 0;
    s.cp.onChange(() => woken++);
    s.describe();
    s.snatRows({ NatGatewayId: s.ngw });
    s.fwdRows({ NatGatewayId: s.ngw });
    expect(woken).toBe(0);
    expect(s.cp.model).toBe(ref);
  });

  it('D1: every NAT gateway action is offered', () => {
    for (const a of ['CreateNatGateway', 'ModifyNatGatewayAttribute', 'DescribeNatGateways', 'DeleteNatGateway', 'CreateSnatEntry', 'ModifySnatEntry', 'DeleteSnatEntry',
      'DescribeSnatTableEntries', 'CreateForwardEntry', 'ModifyForwardEntry', 'DeleteForwardEntry', 'DescribeForwardTableEntries']) {
      expect(actionNames()).toContain(a);
    }
    for (const helper of ['natEips', 'usedPrivateIps', 'freePrivateIp', 'ipNotEnough', 'multiBindedNat', 'MAX_NAT_PER_VPC', 'SNAT_PORT_MIN']) expect(actionNames()).not.toContain(helper);
  });
});

describe('D1/D3/C2: EIPs of a NAT gateway', () => {
  it('D1: AssociateEipAddress InstanceType=Nat binds the EIP to the gateway; MULTI_BINDED EIPs take no private IP', () => {
    const s = setup();
    const id = s.allocate('47.91.0.10');
    s.bind(id);
    expect(s.eipOf(id)).toEqual({ AllocationId: id, IpAddress: '47.91.0.10', Name: '', Status: 'InUse', Mode: 'NAT', InstanceId: s.ngw, InstanceType: 'Nat' });
  });

  it('D1 (lab convenience): an omitted InstanceType with an ngw- InstanceId means Nat; an explicit EcsInstance does not', () => {
    const s = setup();
    const id = s.allocate();
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.ngw, InstanceType: 'EcsInstance' }, 'InvalidInstanceId.NotFound', { param: 'InstanceId', status: 404 });
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.ngw });
    expect(s.eipOf(id).InstanceType).toBe('Nat');
  });

  it('D1: in EipBindMode NAT each EIP takes one more free private IP of the gateway\'s vSwitch, and gives it back when unassociated', () => {
    const s = setup({ EipBindMode: 'NAT' });
    const e1 = s.eip('47.91.0.10');
    const e2 = s.eip('47.91.0.11');
    expect([s.eipOf(e1).PrivateIpAddress, s.eipOf(e2).PrivateIpAddress]).toEqual(['192.168.1.3', '192.168.1.4']);
    // a later NAT gateway skips them
    expect(s.gwOf(s.create({ EipBindMode: 'NAT' }).NatGatewayId as string).PrivateIpAddress).toBe('192.168.1.5');
    s.call('UnassociateEipAddress', { AllocationId: e1 });
    expect(s.eipOf(e1)).toEqual({ AllocationId: e1, IpAddress: '47.91.0.10', Name: '', Status: 'Available', Mode: 'NAT' });
    expect(s.eipOf(s.eip('47.91.0.12')).PrivateIpAddress).toBe('192.168.1.3');
  });

  it('D1: a NAT-mode association with no free private IP left → InvalidVSwitchId.IpNotEnough; atomic', () => {
    const s = setup();
    const vsw = s.tiny();
    s.run('T1', vsw, '192.168.9.1');
    const t = s.create({ EipBindMode: 'NAT' }, s.vpc, vsw).NatGatewayId as string; // .2
    s.eip('47.91.0.10', t); // .3
    s.eip('47.91.0.11', t); // .4
    const id = s.allocate('47.91.0.12');
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: t, InstanceType: 'Nat' }, 'InvalidVSwitchId.IpNotEnough', { param: 'VSwitchId' });
    // a MULTI_BINDED gateway in another vSwitch takes it fine
    s.bind(id);
  });

  it('D3: at most 20 EIPs per NAT gateway (both modes) → QuotaExceeded.EipsPerNatGateway', () => {
    for (const mode of ['MULTI_BINDED', 'NAT']) {
      const s = setup({ EipBindMode: mode });
      for (let k = 0; k < 20; k++) s.eip(`47.91.0.${10 + k}`);
      const id = s.allocate('47.91.1.1');
      expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.ngw, InstanceType: 'Nat' }, 'QuotaExceeded.EipsPerNatGateway', { param: 'InstanceId' });
      s.bind(id, s.create({ EipBindMode: mode }).NatGatewayId as string);
    }
  });

  it('C2: an EIP already in use → IncorrectEipStatus; an unknown gateway → InvalidNatGatewayId.NotFound (404)', () => {
    const s = setup();
    const id = s.allocate();
    s.call('AssociateEipAddress', { AllocationId: id, InstanceId: s.a });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: id, InstanceId: s.ngw, InstanceType: 'Nat' }, 'IncorrectEipStatus', { param: 'AllocationId' });
    const free = s.allocate();
    s.bind(free);
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: free, InstanceId: s.ngw, InstanceType: 'Nat' }, 'IncorrectEipStatus', { param: 'AllocationId' });
    expectFailure(s.cp, 'AssociateEipAddress', { AllocationId: s.allocate(), InstanceId: 'ngw-nope', InstanceType: 'Nat' }, 'InvalidNatGatewayId.NotFound', { param: 'InstanceId', status: 404 });
  });

  it('D15: an EIP bound to a NAT gateway cannot be released (IncorrectEipStatus); unassociated, it stays allocated', () => {
    const s = setup();
    const id = s.eip('47.91.0.10');
    expectFailure(s.cp, 'ReleaseEipAddress', { AllocationId: id }, 'IncorrectEipStatus', { param: 'AllocationId' });
    s.call('UnassociateEipAddress', { AllocationId: id, InstanceId: s.ngw, InstanceType: 'Nat' });
    expect(s.eipOf(id).Status).toBe('Available');
    s.call('ReleaseEipAddress', { AllocationId: id });
  });

  it('D15: UnassociateEipAddress is refused while an SNAT entry (DependencyViolation.SnatEntry) or a DNAT entry (InvalidIpStatus.HasBeenUsedByForwardEntry) uses the EIP', () => {
    const s = setup();
    const e1 = s.eip('47.91.0.10');
    const e2 = s.eip('47.91.0.11');
    const sn = s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10' });
    const dn = s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80' });
    expectFailure(s.cp, 'UnassociateEipAddress', { AllocationId: e1 }, 'DependencyViolation.SnatEntry', { param: 'AllocationId' });
    expectFailure(s.cp, 'UnassociateEipAddress', { AllocationId: e2, Force: false }, 'InvalidIpStatus.HasBeenUsedByForwardEntry', { param: 'AllocationId' });
    s.call('DeleteSnatEntry', { SnatTableId: s.g().SnatTableId, SnatEntryId: sn });
    s.call('DeleteForwardEntry', { ForwardTableId: s.g().ForwardTableId, ForwardEntryId: dn });
    s.call('UnassociateEipAddress', { AllocationId: e1 });
    s.call('UnassociateEipAddress', { AllocationId: e2 });
  });

  it('D15 [INF]: UnassociateEipAddress Force=true drops the address from SNAT pools (deleting emptied entries) and deletes its DNAT entries', () => {
    const s = setup();
    const e1 = s.eip('47.91.0.10');
    s.eip('47.91.0.11');
    const both = s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10,47.91.0.11' });
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    const keep = s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '81', InternalPort: '81', PortBreak: true });
    s.call('UnassociateEipAddress', { AllocationId: e1, Force: true });
    expect(s.g().SnatEntries.map((e) => [e.SnatEntryId, e.SnatIp])).toEqual([[both, ['47.91.0.11']]]);
    expect(s.g().ForwardEntries.map((e) => e.ForwardEntryId)).toEqual([keep]);
    expect(s.eipOf(e1).Status).toBe('Available');
  });
});

describe('D4–D6: SNAT entries', () => {
  const withEips = (extra: Params = {}) => {
    const s = setup(extra);
    s.eip('47.91.0.10');
    s.eip('47.91.0.11');
    return s;
  };

  it('D4: every scope is a source CIDR: vSwitch (keeps SourceVSwitchId), VPC, ECS /32, custom block; IDs snat-', () => {
    const s = withEips();
    const v = s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10', SnatEntryName: 'vsw-a' });
    expect(v).toMatch(/^snat-[a-z0-9]{22}$/);
    s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10' });
    s.snat({ SourceCIDR: '192.168.1.1/32', SnatIp: '47.91.0.11' });
    s.snat({ SourceCIDR: '10.8.0.0/24', SnatIp: '47.91.0.11' });
    s.snat({ SourceCIDR: '192.168.0.9', SnatIp: '47.91.0.11' });
    expect(s.g().SnatEntries.map((e) => [e.SourceCIDR, e.SourceVSwitchId, e.SnatEntryName])).toEqual([
      ['192.168.0.0/24', s.vswA, 'vsw-a'], ['192.168.0.0/16', undefined, ''], ['192.168.1.1/32', undefined, ''], ['10.8.0.0/24', undefined, ''], ['192.168.0.9/32', undefined, ''],
    ]);
    expect(s.g().SnatEntries[0]).toEqual({ SnatEntryId: v, SnatEntryName: 'vsw-a', SourceCIDR: '192.168.0.0/24', SourceVSwitchId: s.vswA, SnatIp: ['47.91.0.10'], EipAffinity: false, Status: 'Available' });
  });

  it('D4 (lab convenience): SourceInstanceId stands for SourceCIDR <ECS private IP>/32', () => {
    const s = withEips();
    s.snat({ SourceInstanceId: s.a, SnatIp: '47.91.0.10' });
    expect(s.g().SnatEntries[0].SourceCIDR).toBe('192.168.0.1/32');
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: '192.168.0.1/32', SnatIp: '47.91.0.11' }, 'Forbidden.SourceCIDR.Duplicated', { param: 'SourceCIDR' });
    const o = otherVpc(s);
    const far = s.run('far', o.vsw);
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceInstanceId: far, SnatIp: '47.91.0.11' }, 'OperationDenied.VpcNotMatch', { param: 'SourceInstanceId' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceInstanceId: 'i-nope', SnatIp: '47.91.0.11' }, 'InvalidInstanceId.NotFound', { param: 'SourceInstanceId', status: 404 });
  });

  it('D4: exactly one scope: none → MissingParameter (SourceCIDR); two → InvalidParameter', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SnatIp: '47.91.0.10' }, 'MissingParameter', { param: 'SourceCIDR' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceVSwitchId: s.vswA, SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' }, 'InvalidParameter', { param: 'SourceCIDR' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceCIDR: '10.0.0.0/8', SourceInstanceId: s.a, SnatIp: '47.91.0.10' }, 'InvalidParameter', { param: 'SourceInstanceId' });
  });

  it('D4: the source vSwitch must exist (404) in the gateway\'s VPC (OperationDenied.VpcNotMatch); it need not be the gateway\'s own vSwitch', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    const o = otherVpc(s);
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceVSwitchId: 'vsw-nope', SnatIp: '47.91.0.10' }, 'InvalidVSwitchId.NotFound', { param: 'SourceVSwitchId', status: 404 });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceVSwitchId: o.vsw, SnatIp: '47.91.0.10' }, 'OperationDenied.VpcNotMatch', { param: 'SourceVSwitchId' });
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
  });

  it('D4: a malformed SourceCIDR (or one with host bits) → InvalidSourceCIDR.Malformed', () => {
    const s = withEips();
    for (const bad of ['192.168.0.1/24', '192.168.0.0/33', 'abc', '192.168.0']) {
      expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: bad, SnatIp: '47.91.0.10' }, 'InvalidSourceCIDR.Malformed', { param: 'SourceCIDR' });
    }
  });

  it('D4: one entry per source CIDR in a table (a vSwitch scope equals its CIDR) → Forbidden.SourceCIDR.Duplicated', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceVSwitchId: s.vswA, SnatIp: '47.91.0.11' }, 'Forbidden.SourceCIDR.Duplicated', { param: 'SourceCIDR' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: t, SourceCIDR: '192.168.0.0/24', SnatIp: '47.91.0.11' }, 'Forbidden.SourceCIDR.Duplicated');
    // D5: overlapping but different prefixes are fine (longest prefix wins in the data plane)
    s.snat({ SourceCIDR: '192.168.0.0/25', SnatIp: '47.91.0.11' });
    // another gateway's table is separate
    const other = s.create().NatGatewayId as string;
    s.eip('47.91.0.20', other);
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.20' }, other);
  });

  it('D6: SnatIp is a comma list (or an array) of EIP addresses of this gateway; EipAffinity takes 0/1/true/false, default off', () => {
    const s = withEips();
    const one = s.snat({ SourceCIDR: '192.168.0.0/24', SnatIp: '47.91.0.10, 47.91.0.11' });
    const two = s.snat({ SourceCIDR: '192.168.1.0/24', SnatIp: ['47.91.0.11'], EipAffinity: 1 });
    s.snat({ SourceCIDR: '192.168.2.0/24', SnatIp: '47.91.0.11', EipAffinity: 'true' });
    s.snat({ SourceCIDR: '192.168.3.0/24', SnatIp: '47.91.0.11', EipAffinity: '0' });
    s.snat({ SourceCIDR: '192.168.4.0/24', SnatIp: '47.91.0.11', EipAffinity: false });
    expect(s.g().SnatEntries.map((e) => [e.SnatIp, e.EipAffinity])).toEqual([
      [['47.91.0.10', '47.91.0.11'], false], [['47.91.0.11'], true], [['47.91.0.11'], true], [['47.91.0.11'], false], [['47.91.0.11'], false],
    ]);
    expect(s.snatRows({ SnatTableId: s.g().SnatTableId, SnatEntryId: one })[0]).toMatchObject({ SnatIp: '47.91.0.10,47.91.0.11', EipAffinity: 0 });
    expect(s.snatRows({ SnatTableId: s.g().SnatTableId, SnatEntryId: two })[0]).toMatchObject({ SnatIp: '47.91.0.11', EipAffinity: 1 });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10', EipAffinity: 'maybe' }, 'InvalidParameter', { param: 'EipAffinity' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10', EipAffinity: 2 }, 'InvalidParameter', { param: 'EipAffinity' });
  });

  it('D6: SnatIp missing → MissingParameter; malformed or repeated → InvalidSnatIp.Malformed; not an EIP of this gateway → EIP_NOT_IN_GATEWAY', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    const p = (ip?: string): Params => ({ SnatTableId: t, SourceCIDR: '10.0.0.0/8', ...(ip !== undefined ? { SnatIp: ip } : {}) });
    expectFailure(s.cp, 'CreateSnatEntry', p(), 'MissingParameter', { param: 'SnatIp' });
    expectFailure(s.cp, 'CreateSnatEntry', p(''), 'MissingParameter', { param: 'SnatIp' });
    for (const bad of ['47.91.0', '47.91.0.10/32', 'eip', '47.91.0.10,47.91.0.10']) expectFailure(s.cp, 'CreateSnatEntry', p(bad), 'InvalidSnatIp.Malformed', { param: 'SnatIp' });
    s.allocate('47.91.0.30'); // allocated, not associated
    const other = s.create().NatGatewayId as string;
    s.eip('47.91.0.31', other);
    s.call('AssociateEipAddress', { AllocationId: s.allocate('47.91.0.32'), InstanceId: s.a });
    for (const bad of ['47.91.0.30', '47.91.0.31', '47.91.0.32', '8.8.8.8', '47.91.0.10,47.91.0.31']) expectFailure(s.cp, 'CreateSnatEntry', p(bad), 'EIP_NOT_IN_GATEWAY', { param: 'SnatIp' });
  });

  it('D3: at most 40 SNAT entries per gateway → QuotaExceeded.SnatEntry', () => {
    const s = withEips();
    for (let k = 0; k < 40; k++) s.snat({ SourceCIDR: `10.0.${k}.0/24`, SnatIp: '47.91.0.10' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: '10.1.0.0/24', SnatIp: '47.91.0.10' }, 'QuotaExceeded.SnatEntry', { param: 'SnatTableId' });
  });

  it('D10.2: an EIP used by an IP-mapping DNAT entry cannot be used by SNAT → OperationDenied.IpMappingConflict', () => {
    const s = withEips();
    s.dnat({ ExternalIp: '47.91.0.10', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any' });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().SnatTableId, SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.11,47.91.0.10' }, 'OperationDenied.IpMappingConflict', { param: 'SnatIp' });
    const id = s.snat({ SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.11' });
    expectFailure(s.cp, 'ModifySnatEntry', { SnatTableId: s.g().SnatTableId, SnatEntryId: id, SnatIp: '47.91.0.10' }, 'OperationDenied.IpMappingConflict', { param: 'SnatIp' });
  });

  it('D4: an unknown SnatTableId → InvalidSnatTableId.NotFound (404); a ForwardTableId is not a SNAT table', () => {
    const s = withEips();
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: 'stb-nope', SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' }, 'InvalidSnatTableId.NotFound', { param: 'SnatTableId', status: 404 });
    expectFailure(s.cp, 'CreateSnatEntry', { SnatTableId: s.g().ForwardTableId, SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' }, 'InvalidSnatTableId.NotFound', { status: 404 });
    expectFailure(s.cp, 'CreateSnatEntry', { SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' }, 'MissingParameter', { param: 'SnatTableId' });
  });

  it('D6: ModifySnatEntry changes SnatIp, SnatEntryName and EipAffinity; the scope stays; omitted fields stay', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    const id = s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10', SnatEntryName: 'a', EipAffinity: 1 });
    s.call('ModifySnatEntry', { SnatTableId: t, SnatEntryId: id, SnatIp: '47.91.0.10,47.91.0.11' });
    expect(s.g().SnatEntries[0]).toMatchObject({ SnatIp: ['47.91.0.10', '47.91.0.11'], SnatEntryName: 'a', EipAffinity: true, SourceCIDR: '192.168.0.0/24', SourceVSwitchId: s.vswA });
    s.call('ModifySnatEntry', { SnatTableId: t, SnatEntryId: id, SnatEntryName: 'b', EipAffinity: 0 });
    expect(s.g().SnatEntries[0]).toMatchObject({ SnatIp: ['47.91.0.10', '47.91.0.11'], SnatEntryName: 'b', EipAffinity: false });
    expectFailure(s.cp, 'ModifySnatEntry', { SnatTableId: t, SnatEntryId: id, SnatIp: '8.8.8.8' }, 'EIP_NOT_IN_GATEWAY', { param: 'SnatIp' });
    expectFailure(s.cp, 'ModifySnatEntry', { SnatTableId: t, SnatEntryId: 'snat-nope' }, 'InvalidSnatEntryId.NotFound', { param: 'SnatEntryId', status: 404 });
    expectFailure(s.cp, 'ModifySnatEntry', { SnatTableId: t }, 'MissingParameter', { param: 'SnatEntryId' });
    expectFailure(s.cp, 'ModifySnatEntry', { SnatTableId: t, SnatEntryId: id, EipAffinity: 'x', SnatEntryName: 'c' }, 'InvalidParameter', { param: 'EipAffinity' });
  });

  it('D15: DeleteSnatEntry removes the entry; unknown entry → InvalidSnatEntryId.NotFound (404)', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    const id = s.snat({ SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' });
    const other = s.create().NatGatewayId as string;
    expectFailure(s.cp, 'DeleteSnatEntry', { SnatTableId: s.gwOf(other).SnatTableId, SnatEntryId: id }, 'InvalidSnatEntryId.NotFound', { status: 404 });
    s.call('DeleteSnatEntry', { SnatTableId: t, SnatEntryId: id });
    expect(s.g().SnatEntries).toEqual([]);
    expectFailure(s.cp, 'DeleteSnatEntry', { SnatTableId: t, SnatEntryId: id }, 'InvalidSnatEntryId.NotFound', { param: 'SnatEntryId', status: 404 });
  });

  it('D4: DescribeSnatTableEntries by SnatTableId or NatGatewayId, filtered by SnatEntryId / SourceCIDR', () => {
    const s = withEips();
    const t = s.g().SnatTableId;
    const v = s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10', SnatEntryName: 'n' });
    const c = s.snat({ SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.11' });
    const rows = s.snatRows({ SnatTableId: t });
    expect(rows).toEqual([
      { NatGatewayId: s.ngw, SnatTableId: t, SnatEntryId: v, SnatEntryName: 'n', SourceCIDR: '192.168.0.0/24', SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10', EipAffinity: 0, Status: 'Available' },
      { NatGatewayId: s.ngw, SnatTableId: t, SnatEntryId: c, SnatEntryName: '', SourceCIDR: '10.0.0.0/8', SourceVSwitchId: '', SnatIp: '47.91.0.11', EipAffinity: 0, Status: 'Available' },
    ]);
    expect(s.snatRows({ NatGatewayId: s.ngw })).toEqual(rows);
    expect(s.snatRows({ SnatTableId: t, SourceCIDR: '10.0.0.0/8' }).map((r) => r.SnatEntryId)).toEqual([c]);
    expect(s.snatRows({ SnatTableId: t, SnatEntryId: v }).map((r) => r.SnatEntryId)).toEqual([v]);
    expect((s.call('DescribeSnatTableEntries', { SnatTableId: t }) as { TotalCount: number }).TotalCount).toBe(2);
    expectFailure(s.cp, 'DescribeSnatTableEntries', { SnatTableId: 'stb-nope' }, 'InvalidSnatTableId.NotFound', { status: 404 });
  });
});

describe('D9–D10: DNAT entries', () => {
  const withEips = (extra: Params = {}) => {
    const s = setup(extra);
    s.eip('47.91.0.10');
    s.eip('47.91.0.11');
    return s;
  };
  const fail = (s: S, p: Params, code: string, param?: string): void => {
    expectFailure(s.cp, 'CreateForwardEntry', { ForwardTableId: s.g().ForwardTableId, IpProtocol: 'TCP', InternalIp: '192.168.1.1', ...p }, code, param ? { param } : {});
  };

  it('D9: a port mapping is stored with fwd- ID, normalised protocol and ports, PortBreak off by default', () => {
    const s = withEips();
    const id = s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '8080', IpProtocol: 'tcp', ForwardEntryName: 'web' });
    expect(id).toMatch(/^fwd-[a-z0-9]{22}$/);
    expect(s.g().ForwardEntries).toEqual([{
      ForwardEntryId: id, ForwardEntryName: 'web', ExternalIp: '47.91.0.10', ExternalPort: '80', InternalIp: '192.168.1.1', InternalPort: '8080', IpProtocol: 'TCP', PortBreak: false, Status: 'Available',
    }]);
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '53', InternalPort: '53', IpProtocol: 'udp' });
    expect(s.g().ForwardEntries[1].IpProtocol).toBe('UDP');
  });

  it('D10.1: ranges start/end map positionally and must have the same size on both sides; single ↔ single', () => {
    const s = withEips();
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '10/20', InternalPort: '80/90' });
    expect(s.g().ForwardEntries[0]).toMatchObject({ ExternalPort: '10/20', InternalPort: '80/90' });
    fail(s, { ExternalIp: '47.91.0.11', ExternalPort: '10/20', InternalPort: '80/91' }, 'InvalidInternalPort.Malformed', 'InternalPort');
    fail(s, { ExternalIp: '47.91.0.11', ExternalPort: '10/20', InternalPort: '80' }, 'InvalidInternalPort.Malformed', 'InternalPort');
    fail(s, { ExternalIp: '47.91.0.11', ExternalPort: '10', InternalPort: '80/90' }, 'InvalidInternalPort.Malformed', 'InternalPort');
  });

  it('D10.1: ports are 1–65535 → InvalidExternalPort.Malformed / InvalidInternalPort.Malformed', () => {
    const s = withEips();
    for (const bad of ['0', '65536', '20/10', 'abc', '80-90', '', '0x50', '1/70000']) {
      if (bad === '') continue;
      fail(s, { ExternalIp: '47.91.0.10', ExternalPort: bad, InternalPort: '80' }, 'InvalidExternalPort.Malformed', 'ExternalPort');
      fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: bad }, 'InvalidInternalPort.Malformed', 'InternalPort');
    }
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '1', InternalPort: '65535' });
  });

  it('D9: IpProtocol is TCP, UDP or Any → otherwise InvalidProtocal.ValueNotSupported', () => {
    const s = withEips();
    for (const bad of ['ICMP', 'tcpx', 'all']) fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', IpProtocol: bad }, 'InvalidProtocal.ValueNotSupported', 'IpProtocol');
  });

  it('D10.2: IP mapping is IpProtocol Any with ExternalPort Any and InternalPort Any; half of it → InvalidParameter', () => {
    const s = withEips();
    fail(s, { ExternalIp: '47.91.0.10', IpProtocol: 'Any', ExternalPort: '80', InternalPort: '80' }, 'InvalidParameter', 'ExternalPort');
    fail(s, { ExternalIp: '47.91.0.10', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: '80' }, 'InvalidParameter', 'InternalPort');
    fail(s, { ExternalIp: '47.91.0.10', IpProtocol: 'TCP', ExternalPort: 'Any', InternalPort: 'Any' }, 'InvalidParameter', 'ExternalPort');
    fail(s, { ExternalIp: '47.91.0.10', IpProtocol: 'UDP', ExternalPort: '80', InternalPort: 'any' }, 'InvalidParameter', 'InternalPort');
    s.dnat({ ExternalIp: '47.91.0.10', IpProtocol: 'any', ExternalPort: 'ANY', InternalPort: 'Any' });
    expect(s.g().ForwardEntries[0]).toMatchObject({ IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any' });
  });

  it('D10.2: an IP-mapping EIP can be used by no other DNAT entry, and an IP mapping needs an EIP no DNAT/SNAT entry uses → OperationDenied.IpMappingConflict', () => {
    const s = withEips();
    s.eip('47.91.0.12');
    s.dnat({ ExternalIp: '47.91.0.10', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any' });
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.1' }, 'OperationDenied.IpMappingConflict', 'ExternalIp');
    fail(s, { ExternalIp: '47.91.0.10', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any', InternalIp: '192.168.0.1' }, 'OperationDenied.IpMappingConflict', 'ExternalIp');
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.1' });
    fail(s, { ExternalIp: '47.91.0.11', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any', InternalIp: '192.168.0.2' }, 'OperationDenied.IpMappingConflict', 'ExternalIp');
    s.snat({ SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.12' });
    fail(s, { ExternalIp: '47.91.0.12', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any', InternalIp: '192.168.0.2' }, 'OperationDenied.IpMappingConflict', 'ExternalIp');
  });

  it('D9: (ExternalIp, ExternalPort, IpProtocol) is unique, overlapping ranges included → OperationUnsupported.ForwardEntry', () => {
    const s = withEips();
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.1' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '100/110', InternalPort: '100/110', InternalIp: '192.168.0.1' });
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '81', InternalIp: '192.168.0.2' }, 'OperationUnsupported.ForwardEntry', 'ExternalPort');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '105', InternalPort: '81', InternalIp: '192.168.0.2' }, 'OperationUnsupported.ForwardEntry', 'ExternalPort');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '70/80', InternalPort: '70/80', InternalIp: '192.168.0.2' }, 'OperationUnsupported.ForwardEntry', 'ExternalPort');
    // another protocol, another EIP, or an adjacent range is fine
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.2', IpProtocol: 'UDP' });
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.2' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '111/112', InternalPort: '111/112', InternalIp: '192.168.0.3' });
  });

  it('D9 [INF]: (IpProtocol, InternalIp, InternalPort) is unique too, overlapping ranges included → OperationUnsupported.ForwardEntry', () => {
    const s = withEips();
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    fail(s, { ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80' }, 'OperationUnsupported.ForwardEntry', 'InternalPort');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '70/79', InternalPort: '75/84' }, 'OperationUnsupported.ForwardEntry', 'InternalPort');
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80', IpProtocol: 'UDP' });
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '81', InternalPort: '80', InternalIp: '192.168.1.2' });
    // an IP mapping to a backend overlaps every port of it
    fail(s, { ExternalIp: '47.91.0.11', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any' }, 'OperationDenied.IpMappingConflict', 'ExternalIp');
    s.eip('47.91.0.12');
    fail(s, { ExternalIp: '47.91.0.12', IpProtocol: 'Any', ExternalPort: 'Any', InternalPort: 'Any' }, 'OperationUnsupported.ForwardEntry', 'InternalPort');
  });

  it('D9/D10.3: ExternalIp must be an EIP of this gateway (EIP_NOT_IN_GATEWAY); InternalIp must lie in the VPC (Forbidden.DestnationIpOutOfVpcCIDR)', () => {
    const s = withEips();
    s.allocate('47.91.0.30');
    for (const ext of ['47.91.0.30', '8.8.8.8']) fail(s, { ExternalIp: ext, ExternalPort: '80', InternalPort: '80' }, 'EIP_NOT_IN_GATEWAY', 'ExternalIp');
    for (const int of ['10.0.0.1', '8.8.8.8', '172.16.0.1']) fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: int }, 'Forbidden.DestnationIpOutOfVpcCIDR', 'InternalIp');
    fail(s, { ExternalIp: '47.91.0', ExternalPort: '80', InternalPort: '80' }, 'InvalidExternalIp.Malformed', 'ExternalIp');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.1.300' }, 'InvalidInternalIp.Malformed', 'InternalIp');
  });

  it('D10.3: a backend without an ECS, or an ECS holding its own EIP, is accepted (the entry just has no effect)', () => {
    const s = withEips();
    s.call('AssociateEipAddress', { AllocationId: s.allocate('47.91.0.40'), InstanceId: s.b });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.1.1' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '81', InternalPort: '80', InternalIp: '192.168.5.5' });
    expect(s.g().ForwardEntries).toHaveLength(2);
  });

  it('D9: every mandatory parameter → MissingParameter; an unknown ForwardTableId → InvalidForwardTableId.NotFound (404)', () => {
    const s = withEips();
    const full: Params = { ForwardTableId: s.g().ForwardTableId, ExternalIp: '47.91.0.10', ExternalPort: '80', InternalIp: '192.168.1.1', InternalPort: '80', IpProtocol: 'TCP' };
    for (const k of Object.keys(full)) {
      const p = { ...full };
      delete p[k];
      expectFailure(s.cp, 'CreateForwardEntry', p, 'MissingParameter', { param: k });
    }
    expectFailure(s.cp, 'CreateForwardEntry', { ...full, ForwardTableId: 'ftb-nope' }, 'InvalidForwardTableId.NotFound', { param: 'ForwardTableId', status: 404 });
    expectFailure(s.cp, 'CreateForwardEntry', { ...full, ForwardTableId: s.g().SnatTableId }, 'InvalidForwardTableId.NotFound', { status: 404 });
    expectFailure(s.cp, 'CreateForwardEntry', { ...full, PortBreak: 'sure' }, 'InvalidParameter', { param: 'PortBreak' });
    expectFailure(s.cp, 'CreateForwardEntry', { ...full, ForwardEntryName: 'http://x' }, 'InvalidForwardEntryName.Malformed', { param: 'ForwardEntryName' });
  });

  it('D10.6: when an SNAT entry uses the EIP, a public port above 1024 needs PortBreak=true → OperationDenied.PortBreakRequired', () => {
    const s = withEips();
    s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10' });
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '8080', InternalPort: '80' }, 'OperationDenied.PortBreakRequired', 'PortBreak');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '1000/1030', InternalPort: '1000/1030' }, 'OperationDenied.PortBreakRequired', 'PortBreak');
    fail(s, { ExternalIp: '47.91.0.10', ExternalPort: '1025', InternalPort: '80', PortBreak: false }, 'OperationDenied.PortBreakRequired', 'PortBreak');
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '1024', InternalPort: '80' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '8080', InternalPort: '8080', PortBreak: true });
    expect(s.g().ForwardEntries[1].PortBreak).toBe(true);
    // an EIP without SNAT needs no PortBreak
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '8080', InternalPort: '8081' });
  });

  it('D3: at most 100 DNAT entries per gateway → QuotaExceeded.ForwardEntry', () => {
    const s = withEips();
    for (let k = 1; k <= 100; k++) s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: `${k}`, InternalPort: `${k}` });
    fail(s, { ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '200' }, 'QuotaExceeded.ForwardEntry', 'ForwardTableId');
  });

  it('D9: ModifyForwardEntry changes fields, rechecks every rule against the others but not against itself', () => {
    const s = withEips();
    const t = s.g().ForwardTableId;
    const id = s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '81', InternalPort: '81' });
    s.call('ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, InternalPort: '80', ForwardEntryName: 'same' });
    s.call('ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, ExternalPort: '8080', InternalIp: '192.168.0.1' });
    expect(s.g().ForwardEntries[0]).toMatchObject({ ForwardEntryName: 'same', ExternalIp: '47.91.0.10', ExternalPort: '8080', InternalIp: '192.168.0.1', InternalPort: '80', IpProtocol: 'TCP', PortBreak: false });
    expectFailure(s.cp, 'ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, ExternalPort: '81' }, 'OperationUnsupported.ForwardEntry', { param: 'ExternalPort' });
    expectFailure(s.cp, 'ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, ExternalIp: '8.8.8.8' }, 'EIP_NOT_IN_GATEWAY', { param: 'ExternalIp' });
    expectFailure(s.cp, 'ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, IpProtocol: 'Any' }, 'InvalidParameter');
    expectFailure(s.cp, 'ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: 'fwd-nope' }, 'InvalidForwardEntryId.NotFound', { param: 'ForwardEntryId', status: 404 });
    s.snat({ SourceCIDR: '10.0.0.0/8', SnatIp: '47.91.0.10' });
    expectFailure(s.cp, 'ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, ExternalPort: '8081' }, 'OperationDenied.PortBreakRequired', { param: 'PortBreak' });
    s.call('ModifyForwardEntry', { ForwardTableId: t, ForwardEntryId: id, ExternalPort: '8081', PortBreak: true });
    expect(s.g().ForwardEntries[0]).toMatchObject({ ExternalPort: '8081', PortBreak: true });
  });

  it('D15: DeleteForwardEntry removes the entry; DescribeForwardTableEntries filters by table, gateway, entry and addresses', () => {
    const s = withEips();
    const t = s.g().ForwardTableId;
    const one = s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    const two = s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80', InternalIp: '192.168.0.1' });
    const rows = s.fwdRows({ ForwardTableId: t });
    expect(rows[0]).toEqual({
      NatGatewayId: s.ngw, ForwardTableId: t, ForwardEntryId: one, ForwardEntryName: '', ExternalIp: '47.91.0.10', ExternalPort: '80', InternalIp: '192.168.1.1', InternalPort: '80',
      IpProtocol: 'TCP', PortBreak: false, Status: 'Available',
    });
    expect(s.fwdRows({ NatGatewayId: s.ngw })).toEqual(rows);
    expect(s.fwdRows({ ForwardTableId: t, ExternalIp: '47.91.0.11' }).map((r) => r.ForwardEntryId)).toEqual([two]);
    expect(s.fwdRows({ ForwardTableId: t, InternalIp: '192.168.1.1' }).map((r) => r.ForwardEntryId)).toEqual([one]);
    expect(s.fwdRows({ ForwardTableId: t, ForwardEntryId: two }).map((r) => r.ForwardEntryId)).toEqual([two]);
    s.call('DeleteForwardEntry', { ForwardTableId: t, ForwardEntryId: one });
    expect(s.fwdRows({ ForwardTableId: t }).map((r) => r.ForwardEntryId)).toEqual([two]);
    expectFailure(s.cp, 'DeleteForwardEntry', { ForwardTableId: t, ForwardEntryId: one }, 'InvalidForwardEntryId.NotFound', { status: 404 });
    expectFailure(s.cp, 'DescribeForwardTableEntries', { ForwardTableId: 'ftb-nope' }, 'InvalidForwardTableId.NotFound', { status: 404 });
  });
});

describe('D15: DeleteNatGateway', () => {
  it('D15: a bare gateway (entries, EIPs and routes gone) is deleted', () => {
    const s = setup();
    deleteD2Route(s);
    s.call('DeleteNatGateway', { NatGatewayId: s.ngw });
    expect(s.cp.model.natGateways).toEqual([]);
    expectFailure(s.cp, 'DeleteNatGateway', { NatGatewayId: s.ngw }, 'InvalidNatGatewayId.NotFound', { param: 'NatGatewayId', status: 404 });
  });

  it('D15: without Force, SNAT entries, DNAT entries, EIPs and route entries each block deletion, in that order', () => {
    const s = setup();
    const e = s.eip('47.91.0.10');
    const sn = s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10' });
    const dn = s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    const del = { NatGatewayId: s.ngw };
    expectFailure(s.cp, 'DeleteNatGateway', del, 'DependencyViolation.SnatEntry', { param: 'NatGatewayId' });
    s.call('DeleteSnatEntry', { SnatTableId: s.g().SnatTableId, SnatEntryId: sn });
    expectFailure(s.cp, 'DeleteNatGateway', { ...del, Force: 'false' }, 'DependencyViolation.ForwardEntry', { param: 'NatGatewayId' });
    s.call('DeleteForwardEntry', { ForwardTableId: s.g().ForwardTableId, ForwardEntryId: dn });
    expectFailure(s.cp, 'DeleteNatGateway', del, 'DependencyViolation.EIPS', { param: 'NatGatewayId' });
    s.call('UnassociateEipAddress', { AllocationId: e });
    const rtA = s.table('rt-a');
    s.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'NatGateway', NextHopId: s.ngw });
    expectFailure(s.cp, 'DeleteNatGateway', del, 'DependencyViolation.RouteEntry', { param: 'NatGatewayId' });
    deleteD2Route(s);
    expectFailure(s.cp, 'DeleteNatGateway', del, 'DependencyViolation.RouteEntry');
    s.call('DeleteRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32' });
    s.call('DeleteNatGateway', del);
    expect(s.eipOf(e).Status).toBe('Available');
  });

  it('D15: Force=true deletes the entries and the routes pointing at the gateway, and unassociates its EIPs (they stay allocated)', () => {
    const s = setup({ EipBindMode: 'NAT' });
    const e1 = s.eip('47.91.0.10');
    const e2 = s.eip('47.91.0.11');
    s.snat({ SourceCIDR: '192.168.0.0/16', SnatIp: '47.91.0.10' });
    s.dnat({ ExternalIp: '47.91.0.11', ExternalPort: '80', InternalPort: '80' });
    const rtA = s.table('rt-a');
    s.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'NatGateway', NextHopId: s.ngw });
    s.call('CreateRouteEntry', { RouteTableId: rtA, DestinationCidrBlock: '1.1.1.1/32', NextHopId: s.a });
    const other = s.create({ EipBindMode: 'NAT' }).NatGatewayId as string;
    const e3 = s.eip('47.91.0.12', other);
    s.call('DeleteNatGateway', { NatGatewayId: s.ngw, Force: true });
    expect(s.cp.model.natGateways.map((g) => g.NatGatewayId)).toEqual([other]);
    for (const id of [e1, e2]) expect(s.eipOf(id)).toEqual({ AllocationId: id, IpAddress: s.eipOf(id).IpAddress, Name: '', Status: 'Available', Mode: 'NAT' });
    expect(s.eipOf(e3)).toMatchObject({ Status: 'InUse', InstanceId: other });
    expect(s.sysRows()).toEqual([]);
    expect(entries(s.cp, rtA).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType])).toEqual([['1.1.1.1/32', 'Instance']]);
    // the freed private IPs are free again
    expect(s.gwOf(s.create().NatGatewayId as string).PrivateIpAddress).toBe('192.168.1.2');
    s.call('ReleaseEipAddress', { AllocationId: e1 });
  });

  it('D15: Force must be a boolean; NatGatewayId is required', () => {
    const s = setup();
    expectFailure(s.cp, 'DeleteNatGateway', { NatGatewayId: s.ngw, Force: 'yes' }, 'InvalidParameter', { param: 'Force' });
    expectFailure(s.cp, 'DeleteNatGateway', {}, 'MissingParameter', { param: 'NatGatewayId' });
  });
});

describe('seed 002: Internet NAT gateway, SNAT and DNAT, call by call', () => {
  it('S2: create + associate EIP, SNAT for the vSwitch, auto route, DNAT web service, then clean up in the documented order', () => {
    const f = fixture('seed-002');
    const vsw = f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'cn-hangzhou-k', CidrBlock: '192.168.5.0/24', VSwitchName: 'vsw-ecs' }).VSwitchId as string;
    const ecs = f.run('ECS-1', vsw, '192.168.5.100', { Services: 'http-hello:80,ip-echo:8080' });
    // 1. Create NAT gateway and associate EIP
    const ngw = f.call('CreateNatGateway', { VpcId: f.vpc, VSwitchId: f.vswA, Name: 'ngw-lab' }).NatGatewayId as string;
    const gw = () => f.cp.model.natGateways[0];
    expect(gw().PrivateIpAddress).toBe('192.168.0.1');
    const eip = f.call('AllocateEipAddress', { IpAddress: '47.91.0.10' }).AllocationId as string;
    f.call('AssociateEipAddress', { AllocationId: eip, InstanceId: ngw, InstanceType: 'Nat' });
    // 2. SNAT entry at vSwitch level
    f.call('CreateSnatEntry', { SnatTableId: gw().SnatTableId, SourceVSwitchId: vsw, SnatIp: '47.91.0.10', SnatEntryName: 'vsw-ecs' });
    // 3. Routes: automatic, because this is the VPC's first NAT gateway and the system table had no 0/0
    expect(entries(f.cp, f.systemRt).filter((e) => e.Type === 'Custom').map((e) => [e.DestinationCidrBlock, e.NextHopType, e.NextHopId])).toEqual([['0.0.0.0/0', 'NatGateway', ngw]]);
    expect(f.cp.model.vswitches.find((v) => v.VSwitchId === vsw)!.RouteTableId).toBe(f.systemRt);
    // DNAT: web service on port 80 of the same EIP (≤ 1024, no PortBreak needed), 8080 needs it
    const web = f.call('CreateForwardEntry', { ForwardTableId: gw().ForwardTableId, ExternalIp: '47.91.0.10', ExternalPort: '80', IpProtocol: 'TCP', InternalIp: '192.168.5.100', InternalPort: '80' }).ForwardEntryId as string;
    expectFailure(f.cp, 'CreateForwardEntry', { ForwardTableId: gw().ForwardTableId, ExternalIp: '47.91.0.10', ExternalPort: '8080', IpProtocol: 'TCP', InternalIp: '192.168.5.100', InternalPort: '8080' }, 'OperationDenied.PortBreakRequired');
    const alt = f.call('CreateForwardEntry', { ForwardTableId: gw().ForwardTableId, ExternalIp: '47.91.0.10', ExternalPort: '8080', IpProtocol: 'TCP', InternalIp: '192.168.5.100', InternalPort: '8080', PortBreak: true }).ForwardEntryId as string;
    const [v] = (f.call('DescribeNatGateways', { VpcId: f.vpc }) as { NatGateways: { NatGateway: GwView[] } }).NatGateways.NatGateway;
    expect(v.IpLists.IpList.map((e) => [e.IpAddress, e.UsingStatus])).toEqual([['47.91.0.10', 'UsedBySnatTable']]);
    expect(v).toMatchObject({ Status: 'Available', EipBindMode: 'MULTI_BINDED', IcmpReplyEnabled: true });
    expect(ecs).toMatch(/^i-/);
    // Clean up: entries, then the EIP, then the gateway (its D2 route goes with Force, or by hand)
    expectFailure(f.cp, 'UnassociateEipAddress', { AllocationId: eip }, 'DependencyViolation.SnatEntry');
    f.call('DeleteSnatEntry', { SnatTableId: gw().SnatTableId, SnatEntryId: gw().SnatEntries[0].SnatEntryId });
    f.call('DeleteForwardEntry', { ForwardTableId: gw().ForwardTableId, ForwardEntryId: web });
    f.call('DeleteForwardEntry', { ForwardTableId: gw().ForwardTableId, ForwardEntryId: alt });
    f.call('UnassociateEipAddress', { AllocationId: eip });
    expectFailure(f.cp, 'DeleteNatGateway', { NatGatewayId: ngw }, 'DependencyViolation.RouteEntry');
    f.call('DeleteRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '0.0.0.0/0' });
    f.call('DeleteNatGateway', { NatGatewayId: ngw });
    expect(f.cp.model.natGateways).toEqual([]);
    // D15: unbinding does not release the EIP
    expect(f.cp.model.eips.map((e) => [e.IpAddress, e.Status])).toEqual([['47.91.0.10', 'Available']]);
  });

  it('S2: the console\'s Force Delete removes gateway, entries and route in one call', () => {
    const s = setup();
    s.eip('47.91.0.10');
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
    s.dnat({ ExternalIp: '47.91.0.10', ExternalPort: '80', InternalPort: '80' });
    s.call('DeleteNatGateway', { NatGatewayId: s.ngw, Force: true });
    expect([s.cp.model.natGateways, s.sysRows(), s.cp.model.eips.map((e) => e.Status)]).toEqual([[], [], ['Available']]);
  });

  it('D12 seed FAQ: NAT gateway + IPv4 gateway: switch to NAT mode, create and activate the IGW, route the NAT vSwitch to it', () => {
    const s = setup();
    const e = s.eip('47.91.0.10');
    s.snat({ SourceVSwitchId: s.vswA, SnatIp: '47.91.0.10' });
    expectFailure(s.cp, 'CreateIpv4Gateway', { VpcId: s.vpc }, 'OperationDenied.DirectEipExist');
    s.call('ModifyNatGatewayAttribute', { NatGatewayId: s.ngw, EipBindMode: 'NAT' });
    expect(s.eipOf(e).PrivateIpAddress).toBe('192.168.1.3');
    const igw = s.call('CreateIpv4Gateway', { VpcId: s.vpc }).Ipv4GatewayId as string;
    const rtNat = s.table('rt-nat');
    s.call('AssociateRouteTable', { RouteTableId: rtNat, VSwitchId: s.vswB });
    s.call('EnableVpcIpv4Gateway', { Ipv4GatewayId: igw, RouteTableList: [rtNat] });
    expect(entries(s.cp, rtNat).filter((x) => x.Type === 'Custom').map((x) => [x.DestinationCidrBlock, x.NextHopType])).toEqual([['0.0.0.0/0', 'Ipv4Gateway']]);
    expect(s.sysRows()).toEqual([['0.0.0.0/0', 'NatGateway', s.ngw]]);
    // a second NAT gateway must be NAT mode now
    expectFailure(s.cp, 'CreateNatGateway', { VpcId: s.vpc, VSwitchId: s.vswB }, 'OperationDenied.Ipv4GatewayExist');
  });
});
