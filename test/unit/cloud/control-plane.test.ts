// The control plane as a whole: dispatch, atomicity, DryRun, errors, IDs, parameter reading
// (SEMANTICS A5 error codes, B2 DryRun; control-plane.ts "a failed action changes nothing").

import { describe, expect, it } from 'vitest';
import { ControlPlane, actionNames } from '../../../src/main/cloud/control-plane';
import { ApiError, invalid, missing, notFound } from '../../../src/main/cloud/errors';
import { IdGenerator } from '../../../src/main/cloud/ids';
import { bool, cidr, idList, int, ip, list, name, object, objects, oneOf, reqStr, str } from '../../../src/main/cloud/params';
import { emptyModel, type CloudModel } from '../../../src/main/cloud/model';
import { expectFailure, fixture, instanceIdOf, type Res } from './helpers';

describe('ApiError', () => {
  it('B3: ApiError carries code, message, httpStatus (400 by default) and param, and serialises as the API does', () => {
    const e = new ApiError('InvalidCidrBlock.Malformed', 'bad', undefined, 'CidrBlock');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ApiError');
    expect([e.code, e.message, e.httpStatus, e.param]).toEqual(['InvalidCidrBlock.Malformed', 'bad', 400, 'CidrBlock']);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ Code: 'InvalidCidrBlock.Malformed', Message: 'bad', HttpStatus: 400, Param: 'CidrBlock' });
  });

  it('A5: the helpers build NotFound (404, naming the id), MissingParameter and invalid-parameter errors', () => {
    const nf = notFound('InvalidVpcId.NotFound', 'VpcId', 'vpc-x');
    expect([nf.code, nf.httpStatus, nf.param]).toEqual(['InvalidVpcId.NotFound', 404, 'VpcId']);
    expect(nf.message).toContain('vpc-x');
    const m = missing('VpcId');
    expect([m.code, m.httpStatus, m.param]).toEqual(['MissingParameter', 400, 'VpcId']);
    expect(m.message).toContain('VpcId');
    const i = invalid('InvalidParameter', 'Mode', 'nope');
    expect([i.code, i.httpStatus, i.param, i.message]).toEqual(['InvalidParameter', 400, 'Mode', 'Mode: nope']);
  });
});

describe('dispatch', () => {
  it('A2: an unknown action → InvalidAction.NotFound (404) and nothing changes', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateVpcs', { CidrBlock: '10.0.0.0/8' }, 'InvalidAction.NotFound', { status: 404 });
    expect(e.message).toContain('CreateVpcs');
    expectFailure(f.cp, 'createVpc', { CidrBlock: '10.0.0.0/8' }, 'InvalidAction.NotFound', { status: 404 });
  });

  it('A2: names inherited from Object.prototype are not actions (toString, constructor, __proto__)', () => {
    const f = fixture();
    for (const a of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expectFailure(f.cp, a, {}, 'InvalidAction.NotFound', { status: 404 });
  });

  it('A2: the action list holds every API the lab offers, sorted, and no helpers', () => {
    const names = actionNames();
    expect(names).toEqual([...names].sort());
    for (const a of ['CreateVpc', 'CreateVSwitch', 'DescribeVpcs', 'DescribeVSwitches', 'CreateRouteTable', 'AssociateRouteTable',
      'UnassociateRouteTable', 'CreateRouteEntry', 'DeleteRouteEntry', 'DescribeRouteTableList', 'DescribeRouteEntryList',
      'AllocateEipAddress', 'AssociateEipAddress', 'UnassociateEipAddress', 'ReleaseEipAddress', 'DescribeEipAddresses',
      'RunInstances', 'DeleteInstance', 'DescribeInstances', 'CreateInternetHost', 'DescribeInternetHosts', 'CreateCnameRecord']) {
      expect(names).toContain(a);
    }
    expect(names).not.toContain('NEXT_HOP_TYPES');
    expect(names).not.toContain('MODELLED_NEXT_HOPS');
    expect(names).not.toContain('publicAddressInUse');
  });

  it('A5: a missing mandatory parameter → MissingParameter naming it (err.param), model unchanged', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVpc', {}, 'MissingParameter', { param: 'CidrBlock', status: 400 });
    expectFailure(f.cp, 'CreateVSwitch', { ZoneId: 'z', CidrBlock: '192.168.9.0/24' }, 'MissingParameter', { param: 'VpcId' });
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, CidrBlock: '192.168.9.0/24' }, 'MissingParameter', { param: 'ZoneId' });
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z' }, 'MissingParameter', { param: 'CidrBlock' });
    expectFailure(f.cp, 'CreateRouteTable', {}, 'MissingParameter', { param: 'VpcId' });
    expectFailure(f.cp, 'AssociateRouteTable', { VSwitchId: f.vswA }, 'MissingParameter', { param: 'RouteTableId' });
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.systemRt, NextHopId: 'i-x' }, 'MissingParameter', { param: 'DestinationCidrBlock' });
    expectFailure(f.cp, 'DescribeRouteEntryList', {}, 'MissingParameter', { param: 'RouteTableId' });
    expectFailure(f.cp, 'RunInstances', { VSwitchId: f.vswA }, 'MissingParameter', { param: 'InstanceName' });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'x' }, 'MissingParameter', { param: 'VSwitchId' });
    expectFailure(f.cp, 'AssociateEipAddress', { InstanceId: 'i-x' }, 'MissingParameter', { param: 'AllocationId' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h' }, 'MissingParameter', { param: 'IpAddress' });
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'a.example' }, 'MissingParameter', { param: 'Target' });
  });

  it('A5: an empty string counts as missing', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVpc', { CidrBlock: '' }, 'MissingParameter', { param: 'CidrBlock' });
  });

  it('A5: NotFound errors for unknown resource IDs are 404 and name the parameter', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: 'vpc-nope', ZoneId: 'z', CidrBlock: '192.168.9.0/24' }, 'InvalidVpcId.NotFound', { param: 'VpcId', status: 404 });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: 'vsw-nope' }, 'InvalidVSwitchId.NotFound', { param: 'VSwitchId', status: 404 });
    expectFailure(f.cp, 'DescribeRouteEntryList', { RouteTableId: 'vtb-nope' }, 'InvalidRouteTableId.NotFound', { param: 'RouteTableId', status: 404 });
    expectFailure(f.cp, 'DeleteInstance', { InstanceId: 'i-nope' }, 'InvalidInstanceId.NotFound', { param: 'InstanceId', status: 404 });
    expectFailure(f.cp, 'ReleaseEipAddress', { AllocationId: 'eip-nope' }, 'InvalidAllocationId.NotFound', { param: 'AllocationId', status: 404 });
    expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '8.8.8.8/32', NextHopId: 'i-nope' },
      'InvalidInstanceId.NotFound', { param: 'NextHopId', status: 404 });
  });
});

describe('atomicity and DryRun', () => {
  it('B2: DryRun=true on a valid call → DryRunOperation and the model is unchanged (boolean and string forms)', () => {
    const f = fixture();
    for (const DryRun of [true, 'true'] as const) {
      expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/8', DryRun }, 'DryRunOperation');
      expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.2.0/24', DryRun }, 'DryRunOperation');
      expectFailure(f.cp, 'RunInstances', { InstanceName: 'dry', VSwitchId: f.vswA, DryRun }, 'DryRunOperation');
      expectFailure(f.cp, 'AllocateEipAddress', { DryRun }, 'DryRunOperation');
    }
    expect(f.cp.model.vpcs).toHaveLength(1);
  });

  it('B2: a DryRun of a call that would fail reports the real error, not DryRunOperation', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.0.0/24', DryRun: true }, 'InvalidCidrBlock.Overlapped');
    expectFailure(f.cp, 'CreateVpc', { DryRun: 'true' }, 'MissingParameter', { param: 'CidrBlock' });
  });

  it('B2: DryRun=false (or "false") runs the call for real', () => {
    const f = fixture();
    f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.2.0/24', DryRun: false });
    f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.3.0/24', DryRun: 'false' });
    expect(f.cp.model.vswitches).toHaveLength(4);
  });

  it('B2: DryRun is read like any boolean: "TRUE" is a dry run, a non-boolean value → InvalidParameter (never a real run)', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/8', DryRun: 'TRUE' }, 'DryRunOperation');
    expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/8', DryRun: 'yes' }, 'InvalidParameter', { param: 'DryRun' });
    expect(f.cp.model.vpcs).toHaveLength(1);
  });

  it('A2: a failed action does not consume an ID: the next success gets the ID it would have got anyway', () => {
    const a = fixture('t-same');
    const b = fixture('t-same');
    expectFailure(a.cp, 'CreateVSwitch', { VpcId: a.vpc, ZoneId: 'z', CidrBlock: '192.168.0.0/24' }, 'InvalidCidrBlock.Overlapped');
    expectFailure(a.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/8', DryRun: true }, 'DryRunOperation');
    const idA = a.call('CreateVSwitch', { VpcId: a.vpc, ZoneId: 'z', CidrBlock: '192.168.5.0/24' }).VSwitchId;
    const idB = b.call('CreateVSwitch', { VpcId: b.vpc, ZoneId: 'z', CidrBlock: '192.168.5.0/24' }).VSwitchId;
    expect(idA).toBe(idB);
  });

  it('A2: a successful action replaces the model and notifies listeners; Describe, failures and dry runs do not', () => {
    const f = fixture();
    const seen: string[] = [];
    f.cp.onChange((m, action) => seen.push(`${action}:${m.vswitches.length}`));
    const ref = f.cp.model;
    f.call('DescribeVpcs');
    f.call('DescribeRouteEntryList', { RouteTableId: f.systemRt });
    expect(f.cp.model).toBe(ref);
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '10.0.0.0/24' }, 'InvalidParameter');
    expectFailure(f.cp, 'CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.7.0/24', DryRun: true }, 'DryRunOperation');
    expect(seen).toEqual([]);
    f.call('CreateVSwitch', { VpcId: f.vpc, ZoneId: 'z', CidrBlock: '192.168.7.0/24' });
    expect(seen).toEqual(['CreateVSwitch:3']);
    expect(f.cp.model).not.toBe(ref);
    expect(ref.vswitches).toHaveLength(2); // the old snapshot was not mutated in place
  });

  it('A2: Describe results are copies: mutating them does not touch the model', () => {
    const f = fixture();
    const before = structuredClone(f.cp.model);
    const r = f.call('DescribeVSwitches') as { VSwitches: { VSwitch: { CidrBlock: string }[] } };
    r.VSwitches.VSwitch[0].CidrBlock = '1.2.3.0/24';
    expect(structuredClone(f.cp.model)).toStrictEqual(before);
  });

  it('A2: every response carries a RequestId in UUID form', () => {
    const f = fixture();
    const r = f.call('DescribeVpcs');
    expect(r.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(f.call('DescribeVpcs').RequestId).not.toBe(r.RequestId);
  });

  it('A2: a control plane can start from a restored model and keeps its ID counter', () => {
    const f = fixture('t-restore');
    const saved: CloudModel = JSON.parse(JSON.stringify(f.cp.model));
    const restored = new ControlPlane('t-restore', saved);
    const a = f.call('CreateRouteTable', { VpcId: f.vpc }).RouteTableId;
    const b = restored.invoke('CreateRouteTable', { VpcId: f.vpc }).RouteTableId;
    expect(b).toBe(a);
    const used = new Set([...f.cp.model.vpcs.map((v) => v.VpcId), ...f.cp.model.vswitches.map((v) => v.VSwitchId)]);
    expect(used.has(b as string)).toBe(false);
  });
});

describe('IDs', () => {
  const script = (cp: ControlPlane): string[] => {
    const out: string[] = [];
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    out.push(vpc.VpcId as string, vpc.RouteTableId as string);
    const vsw = cp.invoke('CreateVSwitch', { VpcId: vpc.VpcId as string, ZoneId: 'z', CidrBlock: '192.168.0.0/24' }).VSwitchId as string;
    out.push(vsw);
    out.push(cp.invoke('CreateRouteTable', { VpcId: vpc.VpcId as string }).RouteTableId as string);
    const i = instanceIdOf(cp.invoke('RunInstances', { InstanceName: 'a', VSwitchId: vsw }) as Res);
    out.push(i);
    out.push(cp.invoke('AllocateEipAddress', {}).AllocationId as string);
    out.push(cp.invoke('CreateRouteEntry', { RouteTableId: vpc.RouteTableId as string, DestinationCidrBlock: '8.8.8.8', NextHopId: i }).RouteEntryId as string);
    out.push(cp.invoke('CreateInternetHost', { HostName: 'h', IpAddress: '8.8.4.4' }).HostId as string);
    return out;
  };

  it('A2: IDs are deterministic per lab name: the same calls on two control planes give the same IDs', () => {
    expect(script(new ControlPlane('t-ids'))).toEqual(script(new ControlPlane('t-ids')));
  });

  it('A2: a different lab name gives different IDs', () => {
    const a = script(new ControlPlane('t-ids-a'));
    const b = script(new ControlPlane('t-ids-b'));
    for (let k = 0; k < a.length; k++) expect(a[k]).not.toBe(b[k]);
  });

  it('A2: ID formats are vpc-/vsw-/vtb-/i-/eip-/rte- plus 22 lower-case alphanumerics, all distinct', () => {
    const [vpc, sysRt, vsw, rt, inst, eip, rte, host] = script(new ControlPlane('t-fmt'));
    expect(vpc).toMatch(/^vpc-[a-z0-9]{22}$/);
    expect(sysRt).toMatch(/^vtb-[a-z0-9]{22}$/);
    expect(vsw).toMatch(/^vsw-[a-z0-9]{22}$/);
    expect(rt).toMatch(/^vtb-[a-z0-9]{22}$/);
    expect(inst).toMatch(/^i-[a-z0-9]{22}$/);
    expect(eip).toMatch(/^eip-[a-z0-9]{22}$/);
    expect(rte).toMatch(/^rte-[a-z0-9]{22}$/);
    expect(host).toMatch(/^ih-[a-z0-9]{22}$/);
    expect(new Set([vpc, sysRt, vsw, rt, inst, eip, rte, host]).size).toBe(8);
  });

  it('A2: CreateVpc returns a VRouterId derived from the VPC ID', () => {
    const cp = new ControlPlane('t-vrt');
    const r = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8' });
    expect(r.VRouterId).toBe(`vrt-${(r.VpcId as string).slice(4)}`);
  });

  it('A2: IdGenerator state round-trips, and two generators with the same seed agree', () => {
    const g = new IdGenerator('seed');
    const first = [g.next('vpc'), g.next('vpc')];
    expect(g.state).toBe(2);
    const h = new IdGenerator('seed');
    h.state = 1;
    expect(h.next('vpc')).toBe(first[1]);
    expect(new IdGenerator('other').next('vpc')).not.toBe(first[0]);
  });

  it('A2: the model ID counter counts every issued ID', () => {
    const cp = new ControlPlane('t-count', emptyModel());
    cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/8' }); // VPC + its system table
    expect(cp.model.idCounter).toBe(2);
  });
});

describe('parameter reading', () => {
  it('A5: str/reqStr: strings pass, numbers become strings, empty is absent, a list is InvalidParameter', () => {
    expect(str({ A: 'x' }, 'A')).toBe('x');
    expect(str({ A: 5 }, 'A')).toBe('5');
    expect(str({ A: '' }, 'A')).toBeUndefined();
    expect(str({}, 'A')).toBeUndefined();
    expect(() => str({ A: ['x'] }, 'A')).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'A' }));
    expect(() => reqStr({}, 'A')).toThrow(expect.objectContaining({ code: 'MissingParameter', param: 'A' }));
  });

  it('A5: list accepts arrays and comma-separated strings, trimming blanks', () => {
    expect(list({ L: ['a', 'b'] }, 'L')).toEqual(['a', 'b']);
    expect(list({ L: ' a, b ,,c ' }, 'L')).toEqual(['a', 'b', 'c']);
    expect(list({}, 'L')).toEqual([]);
    expect(list({ L: '' }, 'L')).toEqual([]);
  });

  it('A5: bool reads true/false in any case and refuses anything else', () => {
    expect(bool({ B: 'TRUE' }, 'B', false)).toBe(true);
    expect(bool({ B: false }, 'B', true)).toBe(false);
    expect(bool({}, 'B', true)).toBe(true);
    expect(() => bool({ B: '1' }, 'B', false)).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'B' }));
  });

  it('A5: oneOf applies the default and refuses values outside the set', () => {
    expect(oneOf({}, 'M', ['NAT', 'BINDED'] as const, 'NAT')).toBe('NAT');
    expect(() => oneOf({}, 'M', ['NAT'] as const)).toThrow(expect.objectContaining({ code: 'MissingParameter', param: 'M' }));
    expect(() => oneOf({ M: 'nat' }, 'M', ['NAT'] as const)).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'M' }));
  });

  it('A5: cidr reads a bare IP as /32 and refuses malformed blocks and host bits with InvalidCidrBlock.Malformed', () => {
    expect(cidr({ C: '8.8.8.8' }, 'C')).toMatchObject({ text: '8.8.8.8/32', len: 32 });
    expect(cidr({ C: '10.0.0.0/8' }, 'C')).toMatchObject({ text: '10.0.0.0/8', addr: 0x0a000000, len: 8, mask: 0xff000000 });
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '10.0.0.1/8', '300.0.0.0/8', 'x', '10.0.0.0/', '010.0.0.0/8']) {
      expect(() => cidr({ C: bad }, 'C'), bad).toThrow(expect.objectContaining({ code: 'InvalidCidrBlock.Malformed', param: 'C' }));
    }
  });

  it('A5: ip refuses anything but a strict dotted quad', () => {
    expect(ip({ I: '1.2.3.4' }, 'I')).toEqual({ text: '1.2.3.4', addr: 0x01020304 });
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4/32', '01.2.3.4', ' 1.2.3.4']) {
      expect(() => ip({ I: bad }, 'I'), bad).toThrow(expect.objectContaining({ code: 'InvalidIpAddress.Malformed', param: 'I' }));
    }
  });

  it('A5: int takes numbers and decimal digits in its range only, and applies its default', () => {
    expect(int({ N: 5 }, 'N', 1, 10)).toBe(5);
    expect(int({ N: '10' }, 'N', 1, 10)).toBe(10);
    expect(int({}, 'N', 1, 10, 7)).toBe(7);
    expect(() => int({}, 'N', 1, 10)).toThrow(expect.objectContaining({ code: 'MissingParameter', param: 'N' }));
    for (const bad of ['0x5', '1e1', ' 5', '5.0', 2.5, 0, 11, true, ['5']]) {
      expect(() => int({ N: bad as never }, 'N', 1, 10), String(bad)).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'N' }));
    }
  });

  it('A5: an object or a list of objects is not a single value or a list of values', () => {
    expect(() => str({ A: { x: '1' } }, 'A')).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'A' }));
    expect(() => list({ L: [{ x: '1' }] }, 'L')).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'L' }));
    expect(() => list({ L: { x: '1' } }, 'L')).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'L' }));
  });

  it('A5: objects/object read the JSON value, JSON text and the flat form alike, keyed by the flat names', () => {
    const forms = [{ Z: [{ A: '1', B: 2 }] }, { Z: '[{"A":"1","B":2}]' }, { 'Z.1.A': '1', 'Z.1.B': 2 }];
    for (const p of forms) expect(objects(p, 'Z', ['A', 'B']).map((i) => [i.path, i.p])).toEqual([['Z.1', { 'Z.1.A': '1', 'Z.1.B': 2 }]]);
    expect(objects({}, 'Z', ['A'])).toEqual([]);
    const o = object({ 'H.A': 'x' }, 'H', ['A'])!;
    expect([o.path, o.key('A'), o.p]).toEqual(['H', 'H.A', { 'H.A': 'x' }]);
    expect(object({ H: { A: 'x' } }, 'H', ['A'])!.p).toEqual({ 'H.A': 'x' });
    expect(object({}, 'H', ['A'])).toBeUndefined();
    expect(() => objects({ Z: [{ A: { deep: 1 } }] as never }, 'Z', ['A'])).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'Z.1.A' }));
    expect(() => objects({ Z: [null] as never }, 'Z', ['A'])).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'Z.1' }));
    expect(() => object({ H: '{"A":' }, 'H', ['A'])).toThrow(expect.objectContaining({ code: 'InvalidParameter', param: 'H' }));
  });

  it('A5: idList reads InstanceId.N in order of N, a list, a comma-separated string or a JSON list', () => {
    expect(idList({ 'I.2': 'b', 'I.1': 'a', 'I.10': 'c' }, 'I')).toEqual(['a', 'b', 'c']);
    expect(idList({ I: ['a', 'b'] }, 'I')).toEqual(['a', 'b']);
    expect(idList({ I: 'a,b' }, 'I')).toEqual(['a', 'b']);
    expect(idList({ I: '["a","b"]' }, 'I')).toEqual(['a', 'b']);
    expect(() => idList({ I: '[1]' }, 'I')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
  });

  it('A2: the control plane reads its clock for creation times (default Date.now)', () => {
    const cp = new ControlPlane('t-clock', undefined, { now: () => Date.parse('2030-01-02T03:04:05.678Z') });
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    cp.invoke('CreateIpv4Gateway', { VpcId: vpc });
    expect(cp.model.ipv4Gateways[0].CreationTime).toBe('2030-01-02T03:04:05.678Z');
    expect(new ControlPlane('t-clock').now).toBe(Date.now);
  });

  it('B1: names are 1-128 characters and may not start with http:// or https://', () => {
    expect(name({ N: 'a'.repeat(128) }, 'N', 'Bad')).toHaveLength(128);
    expect(name({}, 'N', 'Bad')).toBeUndefined();
    for (const bad of ['a'.repeat(129), 'http://x', 'https://x']) {
      expect(() => name({ N: bad }, 'N', 'Bad'), bad).toThrow(expect.objectContaining({ code: 'Bad', param: 'N' }));
    }
    const f = fixture();
    expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/8', VpcName: 'http://vpc' }, 'InvalidVpcName.Malformed', { param: 'VpcName' });
    expectFailure(f.cp, 'CreateRouteTable', { VpcId: f.vpc, RouteTableName: 'x'.repeat(129) }, 'InvalidRouteTableName.Malformed', { param: 'RouteTableName' });
  });
});
