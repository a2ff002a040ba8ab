// Lab-only cloud services in 100.64.0.0/10 (SEMANTICS F6.1.2, OSS-like and SLS-like): the
// action's checks, the internal name in the lab's zone, and the engine's path both ways —
// an ECS reaches one by its VPC's 100.64/10 system route (A4) and the answer comes back.

import { describe, expect, it } from 'vitest';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { zoneOf } from '../../../src/main/runtime/zone';
import { buildLab, engineFor } from '../../support/lab-model';
import { icmpEcho } from '../../support/packets';
import { expectFailure } from './helpers';

const OSS = { HostName: 'oss', IpAddress: '100.118.28.1', DomainNames: 'oss-cn-hangzhou-internal.aliyuncs.com', Services: 'http-hello' };

describe('CreateCloudService', () => {
  it('F6: a service in 100.64/10 with its internal name in the zone', () => {
    const l = buildLab();
    l.cp.invoke('CreateCloudService', OSS);
    expect(zoneOf(l.cp.model).records).toContainEqual({ name: 'oss-cn-hangzhou-internal.aliyuncs.com', type: 'A', value: '100.118.28.1' });
    expect(labHosts(l.cp.model).find((h) => h.name === 'oss')).toMatchObject({ kind: 'service', ip: '100.118.28.1', prefixLen: 32 });
  });

  it('refuses an address outside 100.64/10, the VPC DNS, a used one, a bad name, and changes nothing', () => {
    const l = buildLab();
    expectFailure(l.cp, 'CreateCloudService', { ...OSS, IpAddress: '8.8.8.9' }, 'InvalidIpAddress.Malformed', { param: 'IpAddress' });
    expectFailure(l.cp, 'CreateCloudService', { ...OSS, IpAddress: '100.100.2.136' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    expectFailure(l.cp, 'CreateCloudService', { ...OSS, DomainNames: '$(id)' }, 'InvalidDomainName.Format', { param: 'DomainNames' });
    expectFailure(l.cp, 'CreateCloudService', { ...OSS, HostName: 'client' }, 'InvalidInstanceName.Duplicated');
    l.cp.invoke('CreateCloudService', OSS);
    expectFailure(l.cp, 'CreateCloudService', { ...OSS, HostName: 'sls' }, 'InvalidIpAddress.AlreadyUsed', { param: 'IpAddress' });
    expectFailure(l.cp, 'CreateCnameRecord', { Name: 'oss-cn-hangzhou-internal.aliyuncs.com', Target: 'x.example.com' }, 'DomainRecordConflict', { param: 'Name' });
  });
});

describe('the engine: a regional service answers the VPC that asked', () => {
  it('A4/F6: ECS → 100.118.28.1 by the 100.64/10 system route, and the reply back', () => {
    const l = buildLab();
    l.cp.invoke('CreateCloudService', OSS);
    l.ports.clear();
    labHosts(l.cp.model).forEach((h, i) => l.ports.set(h.name, i + 1));
    const e = engineFor(l);
    const ask = icmpEcho('192.168.1.1', '100.118.28.1');
    e.engine.process(l.ports.get('ECS-B')!, ask, 0, ask.length);
    expect(e.out.map((o) => o.port)).toEqual([l.ports.get('oss')]);
    const reply = icmpEcho('100.118.28.1', '192.168.1.1', { type: 0 });
    e.engine.process(l.ports.get('oss')!, reply, 0, reply.length);
    expect(e.out.map((o) => o.port)).toEqual([l.ports.get('oss'), l.ports.get('ECS-B')]);
    // Nobody asked from here: nowhere to answer.
    const stray = icmpEcho('100.118.28.1', '192.168.1.2', { type: 0 });
    e.engine.process(l.ports.get('oss')!, stray, 0, stray.length);
    expect(e.out).toHaveLength(2);
  });
});
