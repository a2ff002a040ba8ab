// Security groups and network ACLs end to end, as root (SEMANTICS H1–H5, docs/security-rules.md):
// the tutorial lab-scenarios/security-groups.yaml through `vpclab check` — real curl, nc and ping
// in the hosts, each failure explained by the trace — then, on a lab left up, the rules' hit
// counters in `vpclab counters`, a rule changed under an established TCP connection carrying
// data (kept while a rule still accepts it, cut when none does) and a refused action that
// changes nothing.

import { execFile } from 'node:child_process';
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
const api = async (lab: string, ...args: string[]): Promise<Record<string, unknown>> =>
  JSON.parse((await vpclab(lab, 'api', ...args)).stdout.replace(/^[^{]*/, '')) as Record<string, unknown>;

const labs = ['t-sg-check', 't-sg-live'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});

describe.skipIf(skip)('security groups and network ACLs', () => {
  it('`vpclab check lab-scenarios/security-groups.yaml` passes every check', async () => {
    const { stdout } = await vpclab('t-sg-check', 'check', 'lab-scenarios/security-groups.yaml');
    expect(stdout).toMatch(/^PASS Security groups and network ACLs .*: 12 checks passed, 0 failed$/m);
    // H5: the web server saw the Internet client's own address behind its EIP.
    expect(stdout).toMatch(/│ 47\.83\.1\.59$/m);
  }, 150_000);

  it('on a lab left up: hit counters per rule, an established connection across rule changes, a refusal that changes nothing', async () => {
    const lab = 't-sg-live';
    await vpclab(lab, 'check', 'lab-scenarios/security-groups.yaml', '--until', '1', '--keep');
    try {
      // The curl of step 1 was decided by sg-web's HTTP rule: that rule's counter moved.
      const counters = (await vpclab(lab, 'counters')).stdout;
      const http = counters.split('\n').find((l) => /^sg-\w+ inbound sgr-\w+/.test(l) && /rx\s+[1-9]\d* pkts/.test(l));
      expect(http, counters).toBeDefined();
      // A long TCP connection: web → db:3306 (tcp-echo), a line every 0.2 s, the echoes counted in a file.
      await vpclab(lab, 'exec', 'web', '--', 'sh', '-c', "((while :; do echo ping; sleep 0.2; done) | nc 192.168.2.20 3306 > /tmp/echoes 2>&1 &) ; exit 0");
      const echoes = async (): Promise<number> => Number((await vpclab(lab, 'exec', 'web', '--', 'sh', '-c', 'wc -l < /tmp/echoes')).stdout.trim());
      const grows = async (): Promise<boolean> => {
        const n0 = await echoes();
        await new Promise((r) => setTimeout(r, 1500));
        return (await echoes()) > n0;
      };
      expect(await grows()).toBe(true);
      const ingress = async (group: string) =>
        ((await api(lab, 'DescribeSecurityGroupAttribute', '--SecurityGroupId', group, '--Direction', 'ingress')).Permissions as { Permission: { SecurityGroupRuleId: string; SourceGroupId: string; SourceCidrIp: string }[] }).Permission;
      const byGroup = (await ingress('sg-db')).find((r) => r.SourceGroupId !== '')!;
      // H3/SG7: another rule that also accepts it, then the first revoked: the connection goes on.
      await api(lab, 'AuthorizeSecurityGroup', '--SecurityGroupId', 'sg-db', '--IpProtocol', 'tcp', '--PortRange', '3306/3306', '--SourceCidrIp', '192.168.1.10/32', '--Priority', '50');
      await api(lab, 'RevokeSecurityGroup', '--SecurityGroupId', 'sg-db', '--SecurityGroupRuleId', byGroup.SecurityGroupRuleId);
      expect(await grows()).toBe(true);
      // No rule accepts it any more: its next packets are dropped at db, the echoes stop.
      const byCidr = (await ingress('sg-db')).find((r) => r.SourceCidrIp === '192.168.1.10/32')!;
      await api(lab, 'RevokeSecurityGroup', '--SecurityGroupId', 'sg-db', '--SecurityGroupRuleId', byCidr.SecurityGroupRuleId);
      await new Promise((r) => setTimeout(r, 500));
      expect(await grows()).toBe(false);
      const db = (await vpclab(lab, 'counters')).stdout.split('\n').find((l) => /^db\s/.test(l));
      expect(db ?? '').toMatch(/security-group=\d+/);
      // A refused action changes nothing: a priority out of range, named by its parameter.
      const before = await api(lab, 'DescribeSecurityGroupAttribute', '--SecurityGroupId', 'sg-web');
      const bad = await vpclab(lab, 'api', 'AuthorizeSecurityGroup', '--SecurityGroupId', 'sg-web', '--IpProtocol', 'tcp', '--PortRange', '22/22', '--SourceCidrIp', '0.0.0.0/0', '--Priority', '101').catch((e: { stderr: string }) => e);
      expect('stderr' in bad ? bad.stderr : '').toMatch(/Priority/);
      const after = await api(lab, 'DescribeSecurityGroupAttribute', '--SecurityGroupId', 'sg-web');
      expect({ ...after, RequestId: '' }).toEqual({ ...before, RequestId: '' });
    } finally {
      await vpclab(lab, 'down');
    }
  }, 150_000);
});
