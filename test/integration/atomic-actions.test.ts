// A failed action changes nothing — model and OS (issue 10). In a real lab (root): names
// that would poison the DNS zone are refused and later changes of names still reach the DNS
// servers; an action whose namespace or service cannot be made is undone, leaving neither a
// model entry nor a namespace, a process or a state-file record behind.

import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/main/cloud/errors';
import { cleanupLab } from '../../src/main/host/cleanup';
import { listNetns, nsName } from '../../src/main/host/netns';
import { readLabState } from '../../src/main/host/registry';
import { sh } from '../../src/main/host/sh';
import { Lab } from '../../src/main/runtime/lab';
import { loadScenario } from '../../src/main/scenario/load';
import { cannotRun, integrationBlocker } from '../support/skip';

// A service that cannot start, for the host named `boom` only: the OS failure an action must undo.
vi.mock('../../src/main/host/host', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/host/host')>();
  return {
    ...real,
    startService: async (...args: Parameters<typeof real.startService>) => {
      if (args[0].name === 'boom') throw new Error('http-hello in boom: exit 1 before it was ready');
      return real.startService(...args);
    },
  };
});

const skip = cannotRun(__filename, integrationBlocker({ cli: false }));
const LAB = 't-atomic';
const root = path.resolve(__dirname, '../..');

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('the action succeeded');
}

describe.skipIf(skip)('a failed action changes nothing (root)', () => {
  let lab: Lab;
  beforeAll(async () => {
    await cleanupLab(LAB);
    lab = new Lab(LAB);
    await lab.loadScenario(loadScenario(path.join(root, 'lab-scenarios', 'vpc-basics.yaml')));
  }, 120_000);
  afterAll(async () => {
    await lab?.shutdown().catch(() => undefined);
    await cleanupLab(LAB);
  });

  const dig = async (name: string): Promise<string> => (await lab.exec('ECS-A', `dig +short +time=2 +tries=1 @8.8.8.8 ${name}`, 10)).stdout.trim();
  const vpcCount = async (): Promise<number> => (await lab.invoke('DescribeVpcs', {})).TotalCount as number;

  it('a DNS name the servers would refuse is refused, and the zone keeps taking new names', async () => {
    const e = await failure(lab.invoke('CreateInternetHost', { HostName: 'evil', IpAddress: '1.1.1.1', DnsNames: '$(id)' }));
    expect(e.code).toBe('InvalidDomainName.Format');
    expect((await lab.status()).hosts.map((h) => h.name)).not.toContain('evil');
    expect(await listNetns()).not.toContain(nsName(LAB, 'evil'));

    await lab.invoke('CreateCnameRecord', { Name: 'alias.aliyun.com', Target: 'aliyun.com' });
    // The DNS servers reloaded the zone: the new name answers, through its CNAME.
    await expect.poll(() => dig('alias.aliyun.com'), { timeout: 5000 }).toMatch(/^aliyun\.com\.\n124\.238\.245\.100$/);

    const before = await vpcCount();
    await lab.invoke('CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'vpc-two' });
    expect(await vpcCount()).toBe(before + 1);
    const dns2 = (await lab.status()).hosts.find((h) => h.name === 'vpcdns-2');
    expect(dns2?.kind).toBe('service');
    expect((readLabState(LAB)?.processes ?? []).some((p) => p.host === 'vpcdns-2' && p.kind === 'dns')).toBe(true);
  }, 60_000);

  it('an ECS whose service cannot start is not added: no model entry, namespace, process or record', async () => {
    const e = await failure(lab.invoke('RunInstances', { InstanceName: 'boom', VSwitchId: 'vsw-a', PrivateIpAddress: '192.168.0.77', Services: 'http-hello' }));
    expect(e.code).toBe('InternalError');
    expect(e.httpStatus).toBe(500);
    expect(e.message).toMatch(/^RunInstances could not make what it needs in the lab, so nothing was changed: .*boom/);
    const inst = (await lab.invoke('DescribeInstances', {})) as { Instances: { Instance: { InstanceName: string }[] } };
    expect(inst.Instances.Instance.map((i) => i.InstanceName)).not.toContain('boom');
    expect(await listNetns()).not.toContain(nsName(LAB, 'boom'));
    const st = readLabState(LAB)!;
    expect(st.namespaces).not.toContain(nsName(LAB, 'boom'));
    expect(st.processes.filter((p) => p.host === 'boom')).toEqual([]);
    // The address it would have taken is free: the same call without the service works.
    await lab.invoke('RunInstances', { InstanceName: 'fine', VSwitchId: 'vsw-a', PrivateIpAddress: '192.168.0.77' });
    expect((await lab.exec('ECS-A', 'ping -c 1 -W 2 192.168.0.77', 10)).code).toBe(0);
  }, 60_000);

  it('a VPC whose DNS host cannot be made is not created (its namespace name is taken)', async () => {
    const before = await vpcCount();
    const squatter = nsName(LAB, `vpcdns-${before + 1}`);
    await sh(['ip', 'netns', 'add', squatter]);
    try {
      const e = await failure(lab.invoke('CreateVpc', { CidrBlock: '10.9.0.0/16', VpcName: 'vpc-nope' }));
      expect(e.code).toBe('InternalError');
      expect(e.message).toContain('already exists');
      expect(await vpcCount()).toBe(before);
      expect(readLabState(LAB)!.namespaces).not.toContain(squatter); // not ours: neither recorded…
      expect(await listNetns()).toContain(squatter); // …nor removed
    } finally {
      await sh(['ip', 'netns', 'del', squatter]);
    }
    // With the name free again, the same call works.
    await lab.invoke('CreateVpc', { CidrBlock: '10.9.0.0/16', VpcName: 'vpc-nope' });
    expect(await vpcCount()).toBe(before + 1);
  }, 60_000);

  it('an unknown parameter is refused before anything starts, with the parameter named', async () => {
    const e = await failure(lab.invoke('CreateVpc', { CidrBlock: '10.20.0.0/16', Bogus: '1' }));
    expect(e.code).toBe('UnsupportedParameter');
    expect(e.param).toBe('Bogus');
  });
});
