// Both IPv4-gateway tutorials end to end with real tools (SEMANTICS B1–B9, C3): seed 004's
// ladder (ipv4-gateway-proxy.yaml) and seed 000's walkthrough (ipv4-gateway.yaml), each
// through `vpclab check`, which exits non-zero if any check or expected error fails.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { cannotRun, integrationBlocker } from '../support/skip';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));

const check = (lab: string, file: string) =>
  run(process.execPath, [cli, '--lab', lab, 'check', file], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });

afterAll(async () => {
  for (const l of ['t-igw-proxy', 't-igw-doc']) await cleanupLab(l).catch(() => undefined);
});

describe.skipIf(skip)('IPv4 gateway tutorials', () => {
  it('seed 004 (B5.4): every rung of the ladder, with tcpdump on ECS-B and traceroute', async () => {
    const { stdout } = await check('t-igw-proxy', 'lab-scenarios/ipv4-gateway-proxy.yaml');
    expect(stdout).toMatch(/^PASS IPv4 gateway .*: 11 checks passed, 0 failed$/m);
    // B5.1: before any route to the gateway, 8.8.8.8 reaches ECS-B but gets no reply
    expect(stdout).toMatch(/┆ .* IP 192\.168\.0\.1 > dns\.google: ICMP echo request/);
    // B5.3 with a gateway table: the reply crosses ECS-B
    expect(stdout).toMatch(/┆ .* IP dns\.google > 192\.168\.0\.1: ICMP echo reply/);
    expect(stdout).toMatch(/│\s+1 {2}192\.168\.1\.1 /);
  }, 300_000);

  it('seed 000: activation, inbound through a gateway table, revert, public and private deletion', async () => {
    const { stdout } = await check('t-igw-doc', 'lab-scenarios/ipv4-gateway.yaml');
    expect(stdout).toMatch(/^PASS IPv4 gateway .*: 22 checks passed, 0 failed$/m);
    expect(stdout).toMatch(/error as expected: OperationDenied\.ConflictOfAllZeroRouting: routetable \[vtb-\w+\] exist all-zero route entry/);
    expect(stdout).toMatch(/ConsoleStatus=Active/);
  }, 300_000);
});
