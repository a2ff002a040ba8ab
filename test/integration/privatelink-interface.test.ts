// PrivateLink interface endpoints end to end, as root: a scenario step creates an endpoint to
// the OSS-like cloud service by its managed service name; then real tools in real
// namespaces — curl from an ECS to the endpoint's VPC address gets OSS's answer, tcpdump
// inside the OSS host sees the endpoint's address as the source (never the ECS's), the VPC
// DNS resolves the endpoint's domain to its ENI. The suite's global setup checks that the
// root namespace is unchanged.

import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { cannotRun, integrationBlocker } from '../support/skip';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const SCENARIO = 'test/integration/fixtures/privatelink-interface.yaml';
const LAB = 't-pl-iface';
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const vpclab = (...args: string[]) =>
  run(process.execPath, [cli, '--lab', LAB, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });

afterAll(async () => {
  await cleanupLab(LAB).catch(() => undefined);
});

describe.skipIf(skip)('PrivateLink interface endpoint to a cloud service', () => {
  it('a scenario step creates it by ServiceName; curl, ip-echo and ping through it pass; tcpdump in OSS sees only the ENI address; its domain resolves to the ENI', async () => {
    const { stdout } = await vpclab('check', SCENARIO, '--keep');
    expect(stdout).toMatch(/^PASS PrivateLink interface endpoint to OSS .*: 3 checks passed, 0 failed$/m);
    expect(stdout).toMatch(/│ OSS internal endpoint \(100\.64\.0\.0\/10\)$/m);
    try {
      // -n: the service host has no resolver for reverse names; numbers are what we check.
      const cap = spawn(process.execPath, [cli, '--lab', LAB, 'exec', 'OSS', '--', 'timeout', '4', 'tcpdump', '-n', '-l', '-i', 'eth0', 'tcp port 80'], { env: { ...process.env, NO_COLOR: '1' } });
      let seen = '';
      cap.stdout.on('data', (d: Buffer) => (seen += d.toString()));
      const done = new Promise((r) => cap.on('exit', r));
      await new Promise((r) => setTimeout(r, 1500));
      const curl = await vpclab('exec', 'ECS-APP', '--', 'curl', '-s', '-m', '5', 'http://192.168.1.60/');
      expect(curl.stdout).toBe('OSS internal endpoint (100.64.0.0/10)');
      await done;
      expect(seen).toMatch(/IP 192\.168\.1\.60\.\d+ > 100\.118\.28\.10\.80: Flags \[S\]/);
      expect(seen).toMatch(/IP 100\.118\.28\.10\.80 > 192\.168\.1\.60\.\d+: Flags \[S\.\]/);
      expect(seen).not.toContain('192.168.1.10');

      const ep = JSON.parse((await vpclab('api', 'ListVpcEndpoints', '--EndpointType', 'Interface')).stdout.replace(/^[^{]*/, '')) as { Endpoints: { EndpointDomain: string; EndpointName: string }[] };
      expect(ep.Endpoints.map((e) => e.EndpointName)).toEqual(['ep-oss']);
      const domain = ep.Endpoints[0].EndpointDomain;
      expect(domain).toMatch(/^ep-\w+\.epsrv-\w+\.cn-hangzhou\.privatelink\.aliyuncs\.com$/);
      const dig = await vpclab('exec', 'ECS-APP', '--', 'dig', '+short', domain);
      expect(dig.stdout.trim()).toBe('192.168.1.60');
      const byName = await vpclab('exec', 'ECS-APP', '--', 'curl', '-s', '-m', '5', `http://${domain}:8080/`);
      expect(byName.stdout.trim()).toBe('192.168.1.60');
    } finally {
      await vpclab('down');
    }
  }, 180_000);
});
