// Bad input loses nothing (issue 10): unknown parameters are refused with the cloud's code
// and a "did you mean", names that would poison the lab's DNS zone are refused before
// anything starts, long values are cut in messages, and a name two resources share is an
// error that lists both, never a silent pick.

import { describe, expect, it } from 'vitest';
import { actionNames, actionParams, COMMON_PARAMS, ControlPlane, declaredOnly } from '../../../src/main/cloud/control-plane';
import { action } from '../../../src/main/cloud/context';
import { quoted } from '../../../src/main/cloud/errors';
import { resolveName, resolveParams } from '../../../src/main/runtime/scenario-actions';
import { checkZone } from '../../../src/main/runtime/zone';
import { expectFailure, fixture } from './helpers';

describe('unknown parameters', () => {
  it('a parameter an action does not take → UnsupportedParameter naming it, and nothing changes', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/16', Bogus: '1' }, 'UnsupportedParameter', { param: 'Bogus' });
    expect(e.message).toMatch(/^The parameter "Bogus" is not supported by CreateVpc\. It takes CidrBlock, VpcName\.$/);
  });

  it('a misspelt parameter gets a did-you-mean', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/16', VpcNmae: 'x' }, 'UnsupportedParameter', { param: 'VpcNmae' });
    expect(e.message).toContain('(did you mean VpcName?)');
    const r = expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlok: '8.8.8.8/32', NextHopId: 'x' }, 'UnsupportedParameter');
    expect(r.message).toContain('(did you mean DestinationCidrBlock?)');
  });

  it('a misspelt action gets a did-you-mean too', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateRoutEntry', {}, 'InvalidAction.NotFound', { status: 404 });
    expect(e.message).toMatch(/^The action "CreateRoutEntry" does not exist \(did you mean CreateRouteEntry\?\)/);
  });

  it('the common parameters (RegionId, DryRun, ClientToken) are taken by every action', () => {
    const f = fixture();
    f.call('CreateVpc', { CidrBlock: '10.0.0.0/16', RegionId: 'ap-northeast-1', ClientToken: 'abc' });
    expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.1.0.0/16', DryRun: 'true' }, 'DryRunOperation');
    for (const a of actionNames()) expect(actionParams(a)).toEqual(expect.arrayContaining([...COMMON_PARAMS]));
    expect(actionParams('NoSuchAction')).toBeUndefined();
  });

  it('every action declares the parameters it reads: reading an undeclared one is an internal error, not a silent success', () => {
    // The guard the control plane puts around params, seen through a deliberately wrong action.
    const wrong = action(['A'], (_ctx, p) => ({ b: p.B }));
    expect(() => wrong.run({} as never, declaredOnly('Wrong', wrong, { A: '1' }))).toThrow(/^internal: Wrong reads parameter B, which it does not declare$/);
    const right = action(['A'], (_ctx, p) => ({ a: p.A, dry: p.DryRun }));
    expect(right.run({} as never, declaredOnly('Right', right, { A: '1' }))).toEqual({ a: '1', dry: undefined });
    const cp = new ControlPlane('t-declared');
    // Through the control plane every action reads only what it declares; this drives each one
    // with all its declared parameters set to junk and checks none reads anything else.
    for (const a of actionNames()) {
      const junk = Object.fromEntries(actionParams(a)!.filter((k) => k !== 'DryRun').map((k) => [k, 'junk']));
      try {
        cp.invoke(a, junk);
      } catch (e) {
        expect((e as Error).message, a).not.toMatch(/^internal:/);
      }
    }
  });
});

describe('names that reach the DNS zone', () => {
  it('CreateInternetHost with DnsNames "$(id)" → InvalidDomainName.Format, the host is not added', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateInternetHost', { HostName: 'evil', IpAddress: '1.1.1.1', DnsNames: '$(id)' }, 'InvalidDomainName.Format', { param: 'DnsNames' });
    expect(e.message).toContain('"$(id)" is not a domain name');
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'evil', IpAddress: '1.1.1.1', PtrName: 'bad name' }, 'InvalidDomainName.Format', { param: 'PtrName' });
    expect(f.cp.model.internetHosts).toEqual([]);
  });

  it('names are stored lower case without the trailing dot, as the DNS server reads them', () => {
    const f = fixture();
    f.call('CreateInternetHost', { HostName: 'web', IpAddress: '1.1.1.1', DnsNames: 'WWW.Example.com.', PtrName: 'Web.Example.com' });
    expect(f.cp.model.internetHosts[0]).toMatchObject({ DnsNames: ['www.example.com'], PtrName: 'web.example.com' });
  });

  it('CreateCnameRecord checks both names, refuses a name that has an A record, and refuses loops', () => {
    const f = fixture();
    f.call('CreateInternetHost', { HostName: 'web', IpAddress: '1.1.1.1', DnsNames: 'www.example.com' });
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'a b', Target: 'www.example.com' }, 'InvalidDomainName.Format', { param: 'Name' });
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'alias.example.com', Target: '$(id)' }, 'InvalidDomainName.Format', { param: 'Target' });
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'www.example.com', Target: 'other.example.com' }, 'DomainRecordConflict', { param: 'Name' });
    f.call('CreateCnameRecord', { Name: 'a.example.com', Target: 'b.example.com' });
    f.call('CreateCnameRecord', { Name: 'b.example.com', Target: 'c.example.com' });
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'c.example.com', Target: 'a.example.com' }, 'DomainRecordConflict', { param: 'Target' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'b', IpAddress: '1.1.1.2', DnsNames: 'a.example.com' }, 'DomainRecordConflict', { param: 'DnsNames' });
    // What did get in is a zone the DNS servers accept.
    expect(() => checkZone(f.cp.model)).not.toThrow();
  });

  it('checkZone refuses a model whose zone the DNS servers would refuse (the last word, whatever the actions let in)', () => {
    const f = fixture();
    const m = structuredClone(f.cp.model);
    m.cnames.push({ Name: 'x.example.com', Target: 'not a name' });
    expect(() => checkZone(m)).toThrow(/the lab's DNS zone would be invalid: .*not a domain name/);
  });

  it('an http-hello Body with a NUL (which no process argument can carry) → InvalidParameter', () => {
    const f = fixture();
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'boom', VSwitchId: f.vswA, Services: JSON.stringify([{ Kind: 'http-hello', Body: 'a\0b' }]) }, 'InvalidParameter', { param: 'Services' });
  });
});

describe('long values in messages', () => {
  it('quoted() cuts a value past 60 characters and says how long it was', () => {
    expect(quoted('rt-a')).toBe('"rt-a"');
    const q = quoted('x'.repeat(100_000));
    expect(q).toBe(`"${'x'.repeat(60)}"… (100000 characters)`);
  });

  it('a 100,000-character ID is not echoed in full', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'DescribeRouteEntryList', { RouteTableId: 'x'.repeat(100_000) }, 'InvalidRouteTableId.NotFound', { status: 404 });
    expect(e.message.length).toBeLessThan(200);
    const u = expectFailure(f.cp, 'CreateVpc', { ['B'.repeat(100_000)]: '1' }, 'UnsupportedParameter');
    expect(u.message.length).toBeLessThan(300);
  });
});

describe('a name two resources share', () => {
  it('route tables may share a name, as in the cloud; a lookup by that name is an error that lists both IDs', () => {
    const f = fixture();
    const a = f.table('rt-a');
    const b = f.table('rt-a');
    const e = (() => {
      try {
        resolveParams(f.cp.model, { RouteTableId: 'rt-a' });
      } catch (x) {
        return x as Error & { code: string; param: string };
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('InvalidParameter.AmbiguousName');
    expect(e.param).toBe('RouteTableId');
    expect(e.message).toContain(a);
    expect(e.message).toContain(b);
    // IDs still work
    expect(resolveParams(f.cp.model, { RouteTableId: a })).toEqual({ RouteTableId: a });
  });

  it('a name a VPC and a route table share resolves by the parameter it is given for', () => {
    const f = fixture();
    const rt = f.table('vpc-lab'); // the fixture's VPC is named vpc-lab too
    expect(resolveName(f.cp.model, 'vpc-lab', 'RouteTableId')).toBe(rt);
    expect(resolveName(f.cp.model, 'vpc-lab', 'VpcId')).toBe(f.vpc);
    expect(() => resolveName(f.cp.model, 'vpc-lab', 'NextHopId')).toThrow(/names 2 resources/);
  });
});

describe('control characters', () => {
  it('a NUL (or another control character) in any parameter is refused; tabs and line breaks pass', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'a\0b' }, 'InvalidParameter', { param: 'VpcName' });
    expect(e.message).toBe('VpcName: "a\\u0000b" holds a control character (U+0000)');
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h', IpAddress: '1.1.1.1', DnsNames: ['ok.example.com', 'x\u001b[31m'] }, 'InvalidParameter', { param: 'DnsNames' });
    f.call('RunInstances', { InstanceName: 'web', VSwitchId: f.vswA, Services: '[\n {"Kind": "http-hello",\t"Body": "two\\nlines"}\n]' });
  });

  it('a malformed address says why, once', () => {
    const f = fixture();
    const e = expectFailure(f.cp, 'CreateRouteEntry', { RouteTableId: f.systemRt, DestinationCidrBlock: '10.0.0.300/32', NextHopId: 'x' }, 'InvalidCidrBlock.Malformed', { param: 'DestinationCidrBlock' });
    expect(e.message).toMatch(/^DestinationCidrBlock: "10\.0\.0\.300\/32" is not a valid CIDR block \([^"]*300[^"]*\)$/);
  });
});
