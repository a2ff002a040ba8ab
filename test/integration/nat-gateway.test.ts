// The Internet NAT gateway end to end, as root (SEMANTICS D1–D14, A12): seed 002's SNAT and
// DNAT tutorial (lab-scenarios/nat-gateway.yaml) through `vpclab check`, then the lab-only
// DescribeNatGatewayMetrics on a lab left up, to show its figures are the engine's real
// counts: sessions, port-allocation failures, bytes and packets.

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

const vpclab = (lab: string, ...args: string[]) =>
  run(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });

const labs = ['t-nat-check', 't-nat-metrics'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});

interface NatMetrics {
  NatGatewayId: string;
  SessionCount: number;
  NewSessionsPerSecond: number;
  SessionsCreated: number;
  ErrorPortAllocationCount: number;
  BytesIn: number;
  PacketsIn: number;
  BytesOut: number;
  PacketsOut: number;
  Drops: Record<string, number>;
}

async function metrics(lab: string): Promise<NatMetrics> {
  const { stdout } = await vpclab(lab, 'api', 'DescribeNatGatewayMetrics', '--NatGatewayId', 'ngw-lab');
  const r = JSON.parse(stdout.replace(/^[^{]*/, '')) as { Metrics: NatMetrics[] };
  expect(r.Metrics).toHaveLength(1);
  return r.Metrics[0];
}

/**
 * New connections the scenario makes through SNAT: step 1's ping (one ICMP session) and
 * curl from ECS-1, step 2's curls from ECS-2 and ECS-1, step 9's three echo connections.
 * DNS goes to the VPC DNS, ECS-E leaves by its own EIP, ECS-M by its DNAT IP mapping, and
 * Internet clients come in through DNAT: none of those is an SNAT session.
 */
const SCENARIO_SNAT_FLOWS = 7;
const MORE_FLOWS = 20;

describe.skipIf(skip)('Internet NAT gateway (seed 002)', () => {
  it('`vpclab check lab-scenarios/nat-gateway.yaml` passes every check', async () => {
    const { stdout } = await vpclab('t-nat-check', 'check', 'lab-scenarios/nat-gateway.yaml');
    expect(stdout).toMatch(/^PASS Internet NAT gateway .*: 19 checks passed, 0 failed$/m);
    // D10.4: the backend sees the Internet client's own address in the SYN, not the EIP
    expect(stdout).toMatch(/┆ .*IP 47\.83\.10\.59\.\d+ > 192\.168\.1\.100\.80: Flags \[S\],/);
    // D7: the fourth connection's SYN is dropped and counted
    expect(stdout).toMatch(/⋮ +ngw-\w+: drop: no free source port towards 198\.51\.100\.7:7 \(ErrorPortAllocationCount\)$/m);
  }, 90_000);

  it('DescribeNatGatewayMetrics and `vpclab status` report the engine\'s real counts', async () => {
    const lab = 't-nat-metrics';
    await vpclab(lab, 'check', 'lab-scenarios/nat-gateway.yaml', '--keep');
    try {
      const a = await metrics(lab);
      expect(a.NatGatewayId).toMatch(/^ngw-\w{22}$/);
      expect(a.ErrorPortAllocationCount).toBeGreaterThanOrEqual(1); // step 9's fourth connection
      expect(a.Drops['port-allocation']).toBe(a.ErrorPortAllocationCount);
      expect(a.SessionsCreated).toBeGreaterThanOrEqual(SCENARIO_SNAT_FLOWS);
      expect(a.PacketsOut).toBeGreaterThan(0);
      expect(a.PacketsIn).toBeGreaterThan(0);
      expect(a.BytesOut).toBeGreaterThan(0);

      // Step 9 left the lab-only port range at 1025–1027: ECS-2 would get three ports towards
      // ifconfig.me and no more. Back to the real range (D7) before counting new flows.
      await vpclab(lab, 'api', 'ModifyNatGatewayAttribute', '--NatGatewayId', 'ngw-lab', '--LabPortRange=');
      const codes = await vpclab(lab, 'exec', 'ECS-2', '--', 'bash', '-c',
        `for i in $(seq ${MORE_FLOWS}); do curl -s -m 2 -o /dev/null -w '%{http_code}\\n' http://34.160.111.145/; done`);
      expect(codes.stdout.trim().split('\n')).toEqual(Array(MORE_FLOWS).fill('200'));
      const b = await metrics(lab);
      expect(b.SessionsCreated - a.SessionsCreated).toBeGreaterThanOrEqual(MORE_FLOWS);
      // idle TCP sessions last 900 s (D8), closed or not: all twenty are still there
      expect(b.SessionCount).toBeGreaterThanOrEqual(MORE_FLOWS);
      expect(b.PacketsOut).toBeGreaterThan(a.PacketsOut);
      expect(b.PacketsIn).toBeGreaterThan(a.PacketsIn);
      expect(b.BytesOut).toBeGreaterThan(a.BytesOut);
      expect(b.BytesIn).toBeGreaterThan(a.BytesIn);
      expect(b.ErrorPortAllocationCount).toBe(a.ErrorPortAllocationCount);

      // the server sees the EIP of ECS-2's own SNAT entry (D5.2)
      expect((await vpclab(lab, 'exec', 'ECS-2', '--', 'curl', '-s', '-m', '5', 'ifconfig.me')).stdout).toBe('39.96.0.2');

      const status = (await vpclab(lab, 'status')).stdout;
      const row = status.split('\n').find((l) => /^\s*NATGW\s/.test(l));
      expect(row).toMatch(/NATGW\s+ngw-\w{22}\s+ngw-lab\s+.*EIPs 39\.96\.0\.1,39\.96\.0\.2,39\.96\.0\.3;.*sessions (\d+), ErrorPortAllocationCount (\d+)/);
      const [, sessions, errors] = /sessions (\d+), ErrorPortAllocationCount (\d+)/.exec(row!)!;
      expect(Number(sessions)).toBeGreaterThanOrEqual(MORE_FLOWS + 1);
      expect(Number(errors)).toBe(b.ErrorPortAllocationCount);
    } finally {
      await vpclab(lab, 'down');
    }
  }, 90_000);
});
