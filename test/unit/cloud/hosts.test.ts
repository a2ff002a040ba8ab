// Lab hosts: RunInstances addressing (SEMANTICS A1), CreateInternetHost (public addresses
// only, C1 address uniqueness), the lab-only Services parameter, DeleteInstance, CNAMEs.

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { expectFailure, fixture, instanceIdOf } from './helpers';

const ipOf = (f: ReturnType<typeof fixture>, id: string): string => f.cp.model.instances.find((i) => i.InstanceId === id)!.PrivateIpAddress;

describe('A1: RunInstances addressing', () => {
  it('A1: an ECS gets the requested private IP in its vSwitch and VPC', () => {
    const f = fixture();
    const id = f.run('ECS-A', f.vswA, '192.168.0.1', { IpForward: 'true', Services: 'http-hello:80' });
    expect(f.cp.model.instances[0]).toEqual({
      InstanceId: id, InstanceName: 'ECS-A', VpcId: f.vpc, VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1',
      IpForward: true, Services: [{ Kind: 'http-hello', Port: 80 }], Status: 'Running', Mtu: 1500,
      // H1: no group named → the VPC's lab default group.
      SecurityGroupIds: [f.cp.model.securityGroups.find((g) => g.VpcId === f.vpc && g.LabDefault)!.SecurityGroupId],
    });
  });

  it('A1: RunInstances with a reserved address (.0, .253, .254, .255 of a /24) → InvalidPrivateIpAddress.Malformed', () => {
    const f = fixture();
    for (const last of [0, 253, 254, 255]) {
      expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, PrivateIpAddress: `192.168.0.${last}` }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
    }
    // the addresses next to them are fine
    f.run('lo', f.vswA, '192.168.0.1');
    f.run('hi', f.vswA, '192.168.0.252');
  });

  it('A1: reserved addresses of a /29 are its first and last three', () => {
    const cp = new ControlPlane('t-29');
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const vsw = cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '10.0.0.8/29' }).VSwitchId as string;
    for (const last of [8, 13, 14, 15]) {
      expectFailure(cp, 'RunInstances', { InstanceName: 'x', VSwitchId: vsw, PrivateIpAddress: `10.0.0.${last}` }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
    }
    cp.invoke('RunInstances', { InstanceName: 'ok', VSwitchId: vsw, PrivateIpAddress: '10.0.0.12' });
  });

  it('A1: an address outside the vSwitch (even inside the VPC) → InvalidPrivateIpAddress.Malformed', () => {
    const f = fixture();
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, PrivateIpAddress: '192.168.1.10' }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, PrivateIpAddress: '10.0.0.1' }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
  });

  it('A1: a malformed private IP → InvalidPrivateIpAddress.Malformed', () => {
    const f = fixture();
    for (const bad of ['192.168.0', '192.168.0.1/24', '192.168.0.01', 'me']) {
      expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, PrivateIpAddress: bad }, 'InvalidPrivateIpAddress.Malformed', { param: 'PrivateIpAddress' });
    }
  });

  it('A1: a duplicate private IP in the VPC → InvalidPrivateIpAddress.Duplicated; the same IP in another VPC is fine', () => {
    const f = fixture();
    f.run('ECS-A', f.vswA, '192.168.0.1');
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'ECS-A2', VSwitchId: f.vswA, PrivateIpAddress: '192.168.0.1' }, 'InvalidPrivateIpAddress.Duplicated', { param: 'PrivateIpAddress' });
    const other = f.call('CreateVpc', { CidrBlock: '192.168.0.0/16' }).VpcId as string;
    const vsw = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '192.168.0.0/24' }).VSwitchId as string;
    f.run('twin', vsw, '192.168.0.1');
  });

  it('A1: automatic address allocation skips reserved and used addresses', () => {
    const f = fixture();
    expect(ipOf(f, f.run('auto1', f.vswA))).toBe('192.168.0.1'); // .0 is reserved
    f.run('manual', f.vswA, '192.168.0.2');
    expect(ipOf(f, f.run('auto2', f.vswA))).toBe('192.168.0.3');
    expect(ipOf(f, f.run('autoB', f.vswB))).toBe('192.168.1.1');
  });

  it('A1: automatic allocation never hands out .253-.255, and a full vSwitch → InvalidVSwitchId.IpNotEnough', () => {
    const cp = new ControlPlane('t-full');
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16' }).VpcId as string;
    const vsw = cp.invoke('CreateVSwitch', { VpcId: vpc, ZoneId: 'z', CidrBlock: '10.0.0.0/29' }).VSwitchId as string;
    const got: string[] = [];
    for (let k = 0; k < 4; k++) {
      const id = instanceIdOf(cp.invoke('RunInstances', { InstanceName: `h${k}`, VSwitchId: vsw }));
      got.push(cp.model.instances.find((i) => i.InstanceId === id)!.PrivateIpAddress);
    }
    expect(got).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expectFailure(cp, 'RunInstances', { InstanceName: 'h4', VSwitchId: vsw }, 'InvalidVSwitchId.IpNotEnough', { param: 'VSwitchId' });
  });

  it('A8: IpForward defaults to false; a non-boolean → InvalidParameter', () => {
    const f = fixture();
    f.run('a', f.vswA);
    expect(f.cp.model.instances[0].IpForward).toBe(false);
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'b', VSwitchId: f.vswA, IpForward: 'on' }, 'InvalidParameter', { param: 'IpForward' });
  });

  it('A1: instance names: letters first, 1-31 of [A-Za-z0-9_-]; bad → InvalidInstanceName.Malformed', () => {
    const f = fixture();
    for (const bad of ['1abc', '-a', 'a b', 'a.b', 'a'.repeat(32), 'ECS/A']) {
      expectFailure(f.cp, 'RunInstances', { InstanceName: bad, VSwitchId: f.vswA }, 'InvalidInstanceName.Malformed', { param: 'InstanceName' });
    }
    f.run('a'.repeat(31), f.vswA);
    f.run('ECS_B-01', f.vswA);
  });

  it('A1: names are unique across ECS and Internet hosts → InvalidInstanceName.Duplicated', () => {
    const f = fixture();
    f.run('ECS-A', f.vswA);
    f.call('CreateInternetHost', { HostName: 'client', IpAddress: '47.83.1.59' });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'ECS-A', VSwitchId: f.vswB }, 'InvalidInstanceName.Duplicated', { param: 'InstanceName' });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'client', VSwitchId: f.vswB }, 'InvalidInstanceName.Duplicated', { param: 'InstanceName' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'ECS-A', IpAddress: '47.83.1.60' }, 'InvalidInstanceName.Duplicated', { param: 'HostName' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'client', IpAddress: '47.83.1.60' }, 'InvalidInstanceName.Duplicated', { param: 'HostName' });
  });

  it('F6: host names of the per-VPC DNS service hosts (vpcdns-N) are reserved', () => {
    const f = fixture();
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'vpcdns-1', VSwitchId: f.vswA }, 'InvalidInstanceName.Duplicated', { param: 'InstanceName' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'vpcdns-2', IpAddress: '47.83.1.60' }, 'InvalidInstanceName.Duplicated', { param: 'HostName' });
    f.run('vpcdns', f.vswA); // only the exact service-host pattern is reserved
  });
});

describe('C1: CreateInternetHost', () => {
  it('C1: an Internet host gets its public address, DNS names and PTR name', () => {
    const f = fixture();
    const r = f.call('CreateInternetHost', { HostName: 'google-dns', IpAddress: '8.8.8.8', Services: 'dns', DnsNames: 'dns.google,google-dns.example', PtrName: 'dns.google' });
    expect(r.HostId).toMatch(/^ih-[a-z0-9]{22}$/);
    expect(f.cp.model.internetHosts).toEqual([
      { HostId: r.HostId, HostName: 'google-dns', IpAddress: '8.8.8.8', Services: [{ Kind: 'dns', Port: 53 }], DnsNames: ['dns.google', 'google-dns.example'], PtrName: 'dns.google' },
    ]);
    type R = { TotalCount: number; InternetHosts: { InternetHost: { HostName: string }[] } };
    expect((f.call('DescribeInternetHosts') as R).InternetHosts.InternetHost.map((h) => h.HostName)).toEqual(['google-dns']);
  });

  it('C1: CreateInternetHost refuses private and special addresses (InvalidIpAddress.Malformed)', () => {
    const f = fixture();
    for (const addr of ['192.168.0.5', '10.0.0.1', '172.20.0.1', '100.100.2.136', '127.0.0.1', '224.0.0.5', '0.0.0.0']) {
      expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h', IpAddress: addr }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    }
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h', IpAddress: '8.8.8' }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
  });

  it('C1: an Internet host may not reuse another host\'s or an EIP\'s address → InvalidIpAddress.AlreadyUsed', () => {
    const f = fixture();
    f.call('CreateInternetHost', { HostName: 'a', IpAddress: '8.8.8.8' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'b', IpAddress: '8.8.8.8' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    const eip = f.allocate('47.91.0.10');
    const e = expectFailure(f.cp, 'CreateInternetHost', { HostName: 'b', IpAddress: '47.91.0.10' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    expect(e.message).toContain(eip);
  });

  it('C1: HostName and IpAddress are mandatory', () => {
    const f = fixture();
    expectFailure(f.cp, 'CreateInternetHost', { IpAddress: '8.8.8.8' }, 'MissingParameter', { param: 'HostName' });
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h' }, 'MissingParameter', { param: 'IpAddress' });
  });
});

describe('G2: the Services parameter', () => {
  const svc = (Services: string | string[]) => {
    const f = fixture();
    f.call('CreateInternetHost', { HostName: 'h', IpAddress: '47.83.1.59', Services });
    return f.cp.model.internetHosts[0].Services;
  };
  const bad = (Services: string) => {
    const f = fixture();
    expectFailure(f.cp, 'CreateInternetHost', { HostName: 'h', IpAddress: '47.83.1.59', Services }, 'InvalidParameter', { param: 'Services' });
    expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, Services }, 'InvalidParameter', { param: 'Services' });
  };

  it('G2: "http-hello:8080,dns" gives two services; an absent port is the kind\'s default', () => {
    expect(svc('http-hello:8080,dns')).toEqual([{ Kind: 'http-hello', Port: 8080 }, { Kind: 'dns', Port: 53 }]);
  });

  it('G2: two services on one port and protocol are refused, as in scenario files', () => {
    bad('http-hello,ip-echo');
    bad('dns,udp-echo:53');
    expect(svc('dns,tcp-echo:7,udp-echo:7').map((s) => s.Port)).toEqual([53, 7, 7]);
  });

  it('G2: every kind is accepted; a list value works like the comma form; absent means none', () => {
    expect(svc('http-hello,ip-echo:8080,dns,tcp-echo:7,udp-echo:7').map((s) => s.Kind)).toEqual(['http-hello', 'ip-echo', 'dns', 'tcp-echo', 'udp-echo']);
    expect(svc(['dns', 'tcp-echo:9000'])).toEqual([{ Kind: 'dns', Port: 53 }, { Kind: 'tcp-echo', Port: 9000 }]);
    const f = fixture();
    f.call('CreateInternetHost', { HostName: 'h', IpAddress: '47.83.1.59' });
    expect(f.cp.model.internetHosts[0].Services).toEqual([]);
  });

  it('G2: the JSON form carries an http-hello Body (commas and "!" intact)', () => {
    const body = 'Hello World ! This is ECS_B_01.';
    expect(svc(JSON.stringify([{ Kind: 'http-hello', Port: 80, Body: body }, { Kind: 'dns' }]))).toEqual([
      { Kind: 'http-hello', Port: 80, Body: body },
      { Kind: 'dns', Port: 53 },
    ]);
    expect(svc('[{"Kind":"http-hello","Body":"a, b, c"}]')).toEqual([{ Kind: 'http-hello', Body: 'a, b, c', Port: 80 }]);
    expect(svc('  [{"Kind":"udp-echo","Port":"5353"}]')).toEqual([{ Kind: 'udp-echo', Port: 5353 }]);
  });

  it('G2: an unknown kind → InvalidParameter (comma form and JSON form)', () => {
    bad('http,dns');
    bad('HTTP-HELLO');
    bad('[{"Kind":"ftp"}]');
    bad('[{"Port":80}]');
  });

  it('G2: a bad port (0, 65536, not an integer, not decimal digits) → InvalidParameter', () => {
    for (const p of ['0', '65536', '80.5', 'http', '', '-1', '0x50', '1e3', '+80']) bad(`http-hello:${p}`);
    bad('http-hello:80:90');
    bad('[{"Kind":"http-hello","Port":0}]');
    bad('[{"Kind":"http-hello","Port":"0x50"}]');
    bad('[{"Kind":"http-hello","Port":80.5}]');
  });

  it('G2: JSON errors → InvalidParameter: bad JSON, not a list, items that are not objects, Body on a non-http kind', () => {
    bad('[{"Kind":');
    bad('[null]');
    bad('["dns"]');
    bad('[[]]');
    bad('[{"Kind":"dns","Body":"x"}]');
    bad('[{"Kind":"http-hello","Body":{"a":1}}]');
  });

  it('G2: a JSON Kind may not smuggle a second service or a port ("dns,http-hello", "http-hello:80")', () => {
    bad('[{"Kind":"dns,http-hello"}]');
    bad('[{"Kind":"http-hello:80"}]');
    bad('[{"Kind":"http-hello","Port":"80,dns"}]');
  });
});

describe('DeleteInstance / DescribeInstances / CNAMEs', () => {
  it('A1: DeleteInstance removes the ECS and frees its address for reuse', () => {
    const f = fixture();
    const id = f.run('ECS-A', f.vswA, '192.168.0.1');
    f.call('DeleteInstance', { InstanceId: id });
    expect(f.cp.model.instances).toEqual([]);
    expect(ipOf(f, f.run('again', f.vswA))).toBe('192.168.0.1');
  });

  it('A1: DescribeInstances filters by VpcId', () => {
    const f = fixture();
    f.run('ECS-A', f.vswA);
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    type R = { TotalCount: number; Instances: { Instance: { InstanceName: string }[] } };
    expect((f.call('DescribeInstances', { VpcId: f.vpc }) as R).TotalCount).toBe(1);
    expect((f.call('DescribeInstances', { VpcId: other }) as R).TotalCount).toBe(0);
  });

  it('G3: CreateCnameRecord stores lower-cased names and refuses a second CNAME for a name (DomainRecordDuplicate)', () => {
    const f = fixture();
    f.call('CreateCnameRecord', { Name: 'WWW.aliyun.com', Target: 'www.aliyun.com.w.CDNGSLB.com' });
    expect(f.cp.model.cnames).toEqual([{ Name: 'www.aliyun.com', Target: 'www.aliyun.com.w.cdngslb.com' }]);
    expectFailure(f.cp, 'CreateCnameRecord', { Name: 'www.aliyun.com', Target: 'x.example' }, 'DomainRecordDuplicate', { param: 'Name' });
  });
});
