// labHosts(model): the namespaces a model implies (SEMANTICS A1 gateway, F6 VPC DNS).

import { describe, expect, it } from 'vitest';
import { labHosts, PUBLIC_DNS, serviceHostName, VPC_DNS } from '../../../src/main/cloud/lab-hosts';
import { emptyModel } from '../../../src/main/cloud/model';
import { buildLab } from '../../support/lab-model';
import { fixture } from './helpers';

describe('labHosts', () => {
  it('A1: each ECS gets its vSwitch gateway (.253 of a /24), prefix length, ip_forward, services and the VPC resolver', () => {
    const { cp, ids } = buildLab();
    const hosts = labHosts(cp.model);
    const a = hosts.find((h) => h.name === 'ECS-A')!;
    expect(a).toEqual({
      name: 'ECS-A', kind: 'ecs', ip: '192.168.0.1', prefixLen: 24, gateway: '192.168.0.253',
      ipForward: false, resolvers: ['100.100.2.136'], services: [], vpcId: ids.vpc, mtu: 1500,
    });
    expect(hosts.find((h) => h.name === 'ECS-B')).toMatchObject({ ip: '192.168.1.1', gateway: '192.168.1.253', prefixLen: 24 });
    expect(hosts.find((h) => h.name === 'ECS-C')).toMatchObject({ ip: '192.168.1.2', gateway: '192.168.1.253' });
    expect(VPC_DNS).toBe('100.100.2.136');
  });

  it('A1: the gateway follows the vSwitch size (/16 → x.x.255.253, /29 → base+5) and is never a host address', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const big = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '10.1.0.0/16' }).VSwitchId as string;
    const small = f.call('CreateVSwitch', { VpcId: other, ZoneId: 'z', CidrBlock: '10.2.0.8/29' }).VSwitchId as string;
    f.run('big', big, undefined, { IpForward: true, Services: 'ip-echo:8080' });
    f.run('small', small);
    const hosts = labHosts(f.cp.model);
    expect(hosts.find((h) => h.name === 'big')).toMatchObject({ ip: '10.1.0.1', prefixLen: 16, gateway: '10.1.255.253', ipForward: true, services: [{ Kind: 'ip-echo', Port: 8080 }], vpcId: other });
    expect(hosts.find((h) => h.name === 'small')).toMatchObject({ ip: '10.2.0.9', prefixLen: 29, gateway: '10.2.0.13' });
    for (const h of hosts.filter((x) => x.kind === 'ecs')) expect(h.gateway).not.toBe(h.ip);
  });

  it('F6: Internet hosts are /32 with resolver 8.8.8.8 and no gateway or VPC', () => {
    const { cp } = buildLab();
    const g = labHosts(cp.model).find((h) => h.name === 'google-dns')!;
    expect(g).toEqual({ name: 'google-dns', kind: 'internet', ip: '8.8.8.8', prefixLen: 32, ipForward: false, resolvers: ['8.8.8.8'], services: [{ Kind: 'dns', Port: 53 }], mtu: 1500 });
    expect(PUBLIC_DNS).toBe('8.8.8.8');
    expect(labHosts(cp.model).filter((h) => h.kind === 'internet').map((h) => h.name)).toEqual(['google-dns', 'google-dns2', 'client']);
  });

  it('F6: one vpcdns service host per VPC at 100.100.2.136, serving DNS', () => {
    const f = fixture();
    const other = f.call('CreateVpc', { CidrBlock: '10.0.0.0/8' }).VpcId as string;
    const svc = labHosts(f.cp.model).filter((h) => h.kind === 'service');
    expect(svc).toEqual([
      { name: 'vpcdns-1', kind: 'service', ip: '100.100.2.136', prefixLen: 32, ipForward: false, resolvers: ['100.100.2.136'], services: [{ Kind: 'dns', Port: 53 }], vpcId: f.vpc, mtu: 1500 },
      { name: 'vpcdns-2', kind: 'service', ip: '100.100.2.136', prefixLen: 32, ipForward: false, resolvers: ['100.100.2.136'], services: [{ Kind: 'dns', Port: 53 }], vpcId: other, mtu: 1500 },
    ]);
    expect(serviceHostName(f.cp.model, other)).toBe('vpcdns-2');
  });

  it('E6: an ECS run with Mtu 8500 (an appliance behind a GWLB) gets a jumbo-frame TUN; a model without Mtu means 1500', () => {
    const f = fixture();
    f.run('NVA', f.vswA, undefined, { Mtu: 8500 });
    f.run('app', f.vswB);
    const hosts = labHosts(f.cp.model);
    expect(hosts.find((h) => h.name === 'NVA')?.mtu).toBe(8500);
    expect(hosts.find((h) => h.name === 'app')?.mtu).toBe(1500);
    const old = structuredClone(f.cp.model);
    for (const i of old.instances) delete i.Mtu;
    expect(labHosts(old).filter((h) => h.kind === 'ecs').map((h) => h.mtu)).toEqual([1500, 1500]);
  });

  it('F6: host names are unique across the whole list (ECS, Internet and service hosts)', () => {
    const { cp } = buildLab();
    const names = labHosts(cp.model).map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['ECS-A', 'ECS-B', 'ECS-C', 'google-dns', 'google-dns2', 'client', 'vpcdns-1']);
  });

  it('A1: an empty model implies no hosts', () => {
    expect(labHosts(emptyModel())).toEqual([]);
  });
});
