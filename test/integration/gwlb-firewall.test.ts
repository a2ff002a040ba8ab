// Seed 001 end to end, as root (SEMANTICS E1–E12, G1–G3): the GWLB firewall tutorial through
// `vpclab check`, then, on a lab left up after the routes are in place, a capture on the
// appliances written to a pcap and dissected by tshark — an independent Geneve decoder —
// and the health of each backend through GetListenerHealthStatus and `vpclab status`.

import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupLab } from '../../src/main/host/cleanup';
import { logsDir } from '../../src/main/host/registry';
import { cannotRun, integrationBlocker } from '../support/skip';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');
const SCENARIO = 'lab-scenarios/gwlb-firewall.yaml';
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const vpclab = (lab: string, ...args: string[]) =>
  run(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000, maxBuffer: 64 << 20 });

const labs = ['t-gwlb-check', 't-gwlb-up'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});

describe.skipIf(skip)('GWLB firewall (seed 001)', () => {
  it('`vpclab check lab-scenarios/gwlb-firewall.yaml` passes every check, with G1 lines from real tcpdump', async () => {
    const { stdout } = await vpclab('t-gwlb-check', 'check', SCENARIO);
    expect(stdout).toMatch(/^PASS Internet boundary firewall .*: 33 checks passed, 0 failed$/m);
    // G1: the GWLB → appliance line and the appliance → GWLB line with the same source port
    const pair = /IP (10\.0\.[13]\.41)\.(\d+) > (10\.0\.\d+\.\d+)\.(?:geneve|6081): Geneve, Flags \[none\], vni 0x0, options \[32 bytes\]: (IP 47\.83\.10\.59\.\d+ > 192\.168\.1\.153\.http: .+)\n.*IP \3\.\2 > \1\.(?:geneve|6081): Geneve, Flags \[none\], vni 0x0, options \[32 bytes\]: \4$/m;
    expect(stdout).toMatch(pair);
    // G2: the exact bodies
    expect(stdout).toMatch(/│ Hello World ! This is ECS_B_01\.$/m);
    expect(stdout).toMatch(/│ Hello World ! This is ECS_C_01\.$/m);
    // G3: the name through its CNAME
    expect(stdout).toMatch(/│ PING www\.aliyun\.com\.w\.cdngslb\.com \(124\.238\.245\.100\) 56\(84\) bytes of data\.$/m);
    // E6: the trace names the limit
    expect(stdout).toMatch(/dropped at ep-\w+: 2028-byte packet: a GWLB carries at most 1500 bytes/);
  }, 300_000);

  it('tshark decodes a real capture on the appliances as Geneve with VNI 0, IPv4 inside, three options of class 0x0108; backends report Healthy', async (ctx) => {
    if (cannotRun(__filename, !fs.existsSync('/usr/bin/tshark') && 'tshark is not installed (scripts/install.sh installs it)')) return ctx.skip();
    const lab = 't-gwlb-up';
    // Steps 1–7: the firewall in place, inbound verified.
    await vpclab(lab, 'check', SCENARIO, '--until', '7', '--keep');
    try {
      const dir = logsDir(lab);
      const captures = ['ECS_01', 'ECS_02'].map((nva) => {
        const file = path.join(dir, `${nva}.pcap`);
        const p = spawn(process.execPath, [cli, '--lab', lab, 'exec', nva, '--', 'timeout', '6', 'tcpdump', '-U', '-i', 'eth0', '-w', file, 'udp port 6081'], { env: { ...process.env, NO_COLOR: '1' } });
        return { file, done: new Promise((r) => p.on('exit', r)) };
      });
      await new Promise((r) => setTimeout(r, 1500));
      for (let i = 0; i < 3; i++) await vpclab(lab, 'exec', 'client', '--', 'curl', '-s', '-m', '5', 'http://8.130.10.130/');
      await vpclab(lab, 'exec', 'ECS_C_01', '--', 'ping', '-c', '2', '-W', '2', '124.238.245.100');
      await Promise.all(captures.map((c) => c.done));
      let packets = 0;
      for (const { file } of captures) {
        const fields = await run('tshark', ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|',
          '-e', 'geneve.version', '-e', 'geneve.vni', '-e', 'geneve.proto_type', '-e', 'geneve.option.class', '-e', 'geneve.option.type', '-e', 'ip.src', '-e', 'ip.dst']);
        for (const line of fields.stdout.trim().split('\n').filter(Boolean)) {
          const [ver, vni, proto, classes, types, srcs] = line.split('|');
          expect([ver, Number(vni), Number(proto)]).toEqual(['0', 0, 0x0800]);
          expect(classes.split(',').map(Number)).toEqual([0x0108, 0x0108, 0x0108]);
          expect(types.split(',').map(Number)).toEqual([1, 2, 3]);
          expect(srcs.split(',')).toHaveLength(2); // outer and inner IPv4
          packets++;
        }
        const verbose = await run('tshark', ['-r', file, '-V'], { maxBuffer: 64 << 20 });
        // Encoding errors (malformed, bad checksums) fail the test; TCP sequence notes do not: a
        // capture that starts mid-connection makes tshark warn "previous segment not captured".
        expect(verbose.stdout.split('\n').filter((l) => /Malformed|\[Expert Info \((Error|Warning)\/(?!Sequence)/.test(l))).toEqual([]);
      }
      expect(packets).toBeGreaterThan(10); // three HTTP exchanges and two pings, each packet twice
      const health = JSON.parse((await vpclab(lab, 'api', 'GetListenerHealthStatus', '--ListenerId', 'gwlb-fw')).stdout.replace(/^[^{]*/, ''));
      const servers = health.ListenerHealthStatus[0].ServerGroupInfos[0].Servers as { ServerIp: string; Status: string }[];
      expect(servers.map((s) => [s.ServerIp, s.Status])).toEqual([['10.0.1.11', 'Healthy'], ['10.0.3.12', 'Healthy']]);
      // ListServerGroupServers: membership and, from the lab, the same health
      const members = JSON.parse((await vpclab(lab, 'api', 'ListServerGroupServers', '--ServerGroupId', 'nva-group')).stdout.replace(/^[^{]*/, ''));
      expect((members.Servers as { Status: string; HealthStatus: string }[]).map((s) => [s.Status, s.HealthStatus])).toEqual([['Available', 'Healthy'], ['Available', 'Healthy']]);
      const status = (await vpclab(lab, 'status')).stdout;
      expect(status).toMatch(/ServerGroup\s+sgp-\w+\s+nva-group\s+Available 5TCH Rebalance; servers ECS_01 10\.0\.1\.11 Healthy, ECS_02 10\.0\.3\.12 Healthy/);
    } finally {
      await vpclab(lab, 'down').catch(() => undefined);
    }
  }, 300_000);
});
