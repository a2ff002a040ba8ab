// What `vpclab counters` and `vpclab exec` show a user (issue 10), with real tools as root:
// a packet whose IPv4 header checksum is wrong is dropped at the engine and counted (tcpdump
// on the receiver sees only the intact one); route tables, the Internet and the engine count
// packets and bytes; `$VPCLAB_LOG_DIR` is set for `vpclab exec` as for scenario checks.

import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { logsDir } from '../../src/main/host/registry';
import { cannotRun, integrationBlocker } from '../support/skip';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const sendIcmp = path.join(root, 'test', 'support', 'tools', 'send-icmp.py');
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const LAB = 't-counters';
const vpclab = (...args: string[]) => run(process.execPath, [cli, '--lab', LAB, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });

describe.skipIf(skip)('counters and exec (root)', () => {
  beforeAll(async () => {
    await cleanupLab(LAB);
    await vpclab('up', 'lab-scenarios/vpc-basics.yaml');
  }, 120_000);
  afterAll(async () => {
    await vpclab('down').catch(() => undefined);
    await cleanupLab(LAB);
  });

  it('a bad IPv4 header checksum is dropped and counted; the same packet intact is delivered', async () => {
    // tcpdump -v prints "bad cksum" for a header that does not verify: it must never see one.
    const cap = spawn(process.execPath, [cli, '--lab', LAB, 'exec', 'ECS-B', '--', 'timeout', '6', 'tcpdump', '-n', '-v', '-i', 'eth0', 'icmp[icmptype] == icmp-echo'], { env: { ...process.env, NO_COLOR: '1' } });
    let seen = '';
    cap.stdout.on('data', (d) => (seen += d));
    const done = new Promise((r) => cap.on('exit', r));
    await new Promise((r) => setTimeout(r, 1500));
    await vpclab('exec', 'ECS-A', '--', 'python3', sendIcmp, '192.168.0.1', '192.168.1.1', 'bad');
    await vpclab('exec', 'ECS-A', '--', 'python3', sendIcmp, '192.168.0.1', '192.168.1.1', 'good');
    await done;
    expect(seen).toMatch(/192\.168\.0\.1 > 192\.168\.1\.1: ICMP echo request, id 31249, seq 1, length 23/);
    expect(seen.match(/ICMP echo request/g)).toHaveLength(1);
    expect(seen).not.toMatch(/bad cksum/);
    const counters = (await vpclab('counters')).stdout;
    expect(counters).toMatch(/^ECS-A\s+rx .*drops bad-checksum=1/m);
  }, 60_000);

  it('route tables, the Internet and the engine show packets and bytes', async () => {
    await vpclab('exec', 'ECS-A', '--', 'ping', '-c', '2', '-W', '1', '192.168.1.1');
    await vpclab('exec', 'ECS-A', '--', 'ping', '-c', '2', '-W', '1', '8.8.8.8');
    const counters = (await vpclab('counters')).stdout;
    const row = (label: RegExp): { rx: number; rxB: number; tx: number; txB: number } => {
      const m = new RegExp(`^${label.source}\\s+rx\\s+(\\d+) pkts\\s+(\\d+) B\\s+tx\\s+(\\d+) pkts\\s+(\\d+) B`, 'm').exec(counters);
      expect(m, `${label} in\n${counters}`).not.toBeNull();
      return { rx: Number(m![1]), rxB: Number(m![2]), tx: Number(m![3]), txB: Number(m![4]) };
    };
    const rtA = row(/vtb-\w+ \(rt-a\)/);
    expect(rtA.rx).toBeGreaterThanOrEqual(2); // ECS-A's pings to ECS-B looked up in rt-a
    expect(rtA.txB).toBeGreaterThanOrEqual(2 * 84);
    const internet = row(/Internet/);
    expect(internet.rx).toBeGreaterThanOrEqual(4); // to 8.8.8.8 and the replies to the EIP
    expect(internet.tx).toBeGreaterThanOrEqual(4);
    const engine = row(/engine/);
    expect(engine.rx).toBeGreaterThanOrEqual(8);
    expect(engine.rxB).toBeGreaterThan(engine.rx * 20);
  }, 60_000);

  it('vpclab exec sets $VPCLAB_LOG_DIR, where the services log', async () => {
    const r = await vpclab('exec', 'ECS-B', '--', 'sh', '-c', 'echo "$VPCLAB_LOG_DIR"; ls "$VPCLAB_LOG_DIR"');
    const [dir, ...files] = r.stdout.trim().split('\n');
    expect(dir).toBe(logsDir(LAB));
    expect(files).toContain('ecs-b.http-hello.80.log');
  }, 30_000);
});
