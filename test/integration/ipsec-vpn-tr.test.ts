// Seed 003's recommended model end to end, as root (SEMANTICS F1 model 2, F6, F7, F8): the
// transit-router tutorial through `vpclab check`; then, on a lab left up with the four ECMP
// connections negotiated, a capture at the IDC router's public address during eight parallel
// TCP streams, dissected by tshark — an independent ESP decoder — in which ESP arrives from
// all four of the TR's connections' addresses and no inner address appears; `vpclab status`
// shows the TR; and no charon outlives the lab, even after a kill -9 of the runtime.

import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { isAlive, logsDir, readLabState } from '../../src/main/host/registry';
import { cannotRun, integrationBlocker } from '../support/skip';
import { charonsOf } from '../support/charons';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const SCENARIO = 'lab-scenarios/ipsec-vpn-tr.yaml';
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const vpclab = (lab: string, ...args: string[]) =>
  run(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000, maxBuffer: 64 << 20 });

const labs = ['t-tr-check', 't-tr-up'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});


describe.skipIf(skip)('IPsec-VPN on a transit router (seed 003, the recommended model)', () => {
  it('`vpclab check lab-scenarios/ipsec-vpn-tr.yaml` passes every check with strongSwan, iperf3, curl and ping really run', async () => {
    const { stdout } = await vpclab('t-tr-check', 'check', SCENARIO);
    expect(stdout).toMatch(/^PASS IPsec-VPN on a transit router .*: \d+ checks passed, 0 failed$/m);
    // F6: no 100.64/10 learned; OSS through cloud service access sees the IDC host
    expect(stdout).toMatch(/│ cloud-service routes: 0$/m);
    expect(stdout).toMatch(/│ 100\.118\.28\.0\/24 → VPC Active$/m);
    expect(stdout).toMatch(/│ 172\.16\.0\.10$/m);
    // F7: eight streams over all four members; the 17th refused
    for (const n of [1, 2, 3, 4]) expect(stdout).toMatch(new RegExp(`│ att-ecmp-${n} carried [1-9]\\d* packets$`, 'm'));
    expect(stdout).toMatch(/│ route 17 refused: .*QuotaExceeded\.EcmpRoute/m);
    // F8: the cut connection's Critical alert
    expect(stdout).toMatch(/│ ecmp-4 status 0 Critical: tunnel negotiation status 0$/m);
    // F6: the IDC in 100.64/10 reaches OSS through the PrivateLink endpoint, which OSS sees
    expect(stdout).toMatch(/│ 192\.168\.1\.60$/m);
    expect(await charonsOf('t-tr-check')).toEqual([]);
  }, 600_000);

  it('tshark sees ESP from all four connections during eight streams, nothing inner; status shows the TR; no charon outlives kill -9', async (ctx) => {
    if (cannotRun(__filename, !fs.existsSync('/usr/bin/tshark') && 'tshark is not installed (scripts/install.sh installs it)')) return ctx.skip();
    const lab = 't-tr-up';
    // Through cloud service access: four tunnels negotiated, OSS routed.
    await vpclab(lab, 'check', SCENARIO, '--until', '8', '--keep');
    try {
      const file = path.join(logsDir(lab), 'idc-router-ecmp.pcap');
      const cap = spawn(process.execPath, [cli, '--lab', lab, 'exec', 'idc-router', '--', 'timeout', '7', 'tcpdump', '-U', '-n', '-s', '128', '-i', 'eth0', '-w', file, 'host 203.0.113.10'], { env: { ...process.env, NO_COLOR: '1' } });
      const done = new Promise((r) => cap.on('exit', r));
      await new Promise((r) => setTimeout(r, 1500));
      await vpclab(lab, 'exec', 'ECS-1', '--', 'sh', '-c', 'iperf3 -s -D -1 >/dev/null 2>&1');
      await new Promise((r) => setTimeout(r, 500));
      await vpclab(lab, 'exec', 'idc-host', '--', 'iperf3', '-c', '192.168.1.10', '-R', '-P', '8', '--cport', '46001', '-t', '2');
      await done;
      const fields = await run('tshark', ['-r', file, '-Y', 'esp', '-T', 'fields', '-E', 'separator=|', '-e', 'ip.src', '-e', 'esp.spi'], { maxBuffer: 64 << 20 });
      const rows = fields.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
      const fromCloud = new Map<string, Set<string>>();
      for (const [src, spi] of rows) {
        if (src === '203.0.113.10') continue;
        expect(src).toMatch(/^47\.97\.20\.[1-4]$/);
        fromCloud.set(src, (fromCloud.get(src) ?? new Set()).add(spi));
      }
      // Each of the four connections sent ESP, each with its own SA.
      expect([...fromCloud.keys()].sort()).toEqual(['47.97.20.1', '47.97.20.2', '47.97.20.3', '47.97.20.4']);
      expect(new Set([...fromCloud.values()].flatMap((s) => [...s])).size).toBe(4);
      const inner = await run('tshark', ['-r', file, '-Y', 'ip.addr == 172.16.0.10 || ip.addr == 192.168.1.10 || tcp.port == 5201']);
      expect(inner.stdout.trim()).toBe('');
      const verbose = await run('tshark', ['-r', file, '-Y', 'esp', '-c', '200', '-V'], { maxBuffer: 64 << 20 });
      expect(verbose.stdout).not.toMatch(/Malformed|\[Expert Info \(Error/);

      const status = (await vpclab(lab, 'status')).stdout;
      expect(status).toMatch(/TR\s+tr-\w+\s+tr-hz\s+cn-hangzhou, route table vtb-/);
      expect(status).toMatch(/TRRoute\s+vtb-\w+\s+172\.16\.0\.0\/16\s+→ .*\(ECMP over 4\)/);
      expect(status).toMatch(/IPsec\s+vco-\w+\s+ecmp-1\s+.*tunnel 1 47\.97\.20\.1 ipsec_sa_established, carries traffic/);

      const charons = await charonsOf(lab);
      expect(charons.length).toBe(6); // four TR connections' appliances, the two IDC routers
      const st = readLabState(lab)!;
      process.kill(st.runtimePid, 'SIGKILL');
      for (let i = 0; i < 50 && isAlive(st.runtimePid); i++) await new Promise((r) => setTimeout(r, 50));
      expect(charons.every(isAlive)).toBe(true);
      await vpclab(lab, 'up', SCENARIO);
      expect(charons.some(isAlive)).toBe(false);
      expect((await charonsOf(lab)).length).toBe(2); // the new lab's IDC routers; the TR comes in a step
    } finally {
      await vpclab(lab, 'down').catch(() => undefined);
    }
    expect(await charonsOf(lab)).toEqual([]);
  }, 600_000);
});
