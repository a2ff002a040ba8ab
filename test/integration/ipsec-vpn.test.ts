// Seed 003 end to end, as root (SEMANTICS F2–F6, F8): the IPsec-VPN tutorial through
// `vpclab check`; then, on a lab left up with both tunnels negotiated, a capture of the IDC
// router's Internet traffic written to a pcap and dissected by tshark — an independent ESP
// and IKEv2 decoder — in which the inner addresses never appear; and the charons: none left
// after `down`, none after a `kill -9` of the runtime and `up` again.

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
const SCENARIO = 'lab-scenarios/ipsec-vpn.yaml';
const skip = cannotRun(__filename, integrationBlocker({ cli: true }));
const vpclab = (lab: string, ...args: string[]) =>
  run(process.execPath, [cli, '--lab', lab, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 400_000, maxBuffer: 64 << 20 });

const labs = ['t-vpn-check', 't-vpn-up'];
afterAll(async () => {
  for (const l of labs) await cleanupLab(l).catch(() => undefined);
});


describe.skipIf(skip)('IPsec-VPN to a VPN gateway (seed 003)', () => {
  it('`vpclab check lab-scenarios/ipsec-vpn.yaml` passes every check, with charon, tcpdump, curl and dig really run', async () => {
    const { stdout } = await vpclab('t-vpn-check', 'check', SCENARIO);
    expect(stdout).toMatch(/^PASS Access Alibaba Cloud services over IPsec-VPN .*: 31 checks passed, 0 failed$/m);
    // F2: the console defaults negotiated by both charons
    expect(stdout).toMatch(/│\s+tun1: #\d+, reqid \d+, INSTALLED, TUNNEL-in-UDP, ESP:AES_CBC-128\/HMAC_SHA1_96$/m);
    // the IDC's router, on the Internet: ESP in UDP 4500 only
    expect(stdout).toMatch(/┆ .* IP 203\.0\.113\.10\.(4500|ipsec-nat-t) > 47\.96\.10\.[12]\.(4500|ipsec-nat-t): UDP-encap: ESP\(spi=0x[0-9a-f]+,seq=0x[0-9a-f]+\)/m);
    // F6: OSS through the advertised 100.64.0.0/10, its name from the VPC's DNS
    expect(stdout).toMatch(/│ OSS internal endpoint \(100\.64\.0\.0\/10\)$/m);
    expect(stdout).toMatch(/│ 100\.118\.28\.10$/m);
    // F3, F8: tunnel 1 lost and restored
    expect(stdout).toMatch(/│ tunnel 2 status 1 carries true$/m);
    expect(stdout).toMatch(/│ tunnel 1: 1 true$/m);
    // a wrong key, in charon's words
    expect(stdout).toMatch(/│ status 0: .*(MAC mismatched|AUTHENTICATION_FAILED)/m);
    expect(await charonsOf('t-vpn-check')).toEqual([]);
  }, 400_000);

  it('tshark decodes the Internet side as ESP and IKEv2 with no malformed packet and no inner address; no charon outlives the lab, even after kill -9', async (ctx) => {
    if (cannotRun(__filename, !fs.existsSync('/usr/bin/tshark') && 'tshark is not installed (scripts/install.sh installs it)')) return ctx.skip();
    const lab = 't-vpn-up';
    // Steps up to "the IDC reaches the service in the VPC": both tunnels negotiated.
    await vpclab(lab, 'check', SCENARIO, '--until', '5', '--keep');
    try {
      const file = path.join(logsDir(lab), 'idc-router-internet.pcap');
      const cap = spawn(process.execPath, [cli, '--lab', lab, 'exec', 'idc-router', '--', 'timeout', '8', 'tcpdump', '-U', '-i', 'eth0', '-w', file, 'host 203.0.113.10'], { env: { ...process.env, NO_COLOR: '1' } });
      const done = new Promise((r) => cap.on('exit', r));
      await new Promise((r) => setTimeout(r, 1500));
      // Data both ways, and a fresh IKE_SA_INIT / IKE_AUTH for tunnel 2 (ISAKMP on 500, then 4500).
      await vpclab(lab, 'exec', 'idc-host', '--', 'curl', '-s', '-m', '5', 'http://192.168.1.50:3306/');
      await vpclab(lab, 'exec', 'idc-host', '--', 'ping', '-c', '3', '-i', '0.2', '-W', '2', '192.168.1.50');
      await vpclab(lab, 'exec', 'idc-router', '--', 'sh', '-c', 'swanctl --terminate --ike tun2 --force >/dev/null; swanctl --initiate --child tun2 >/dev/null');
      await done;

      const fields = await run('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.protocols', '-e', 'esp.spi', '-e', 'isakmp.version', '-e', 'isakmp.exchangetype']);
      const rows = fields.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
      const esp = rows.filter(([protos]) => /:esp$/.test(protos));
      const ike = rows.filter(([protos]) => protos.includes(':isakmp'));
      expect(esp.length).toBeGreaterThan(10);
      for (const [, spi] of esp) expect(spi).toMatch(/^0x[0-9a-f]{8}$/);
      expect(ike.length).toBeGreaterThanOrEqual(4); // IKE_SA_INIT and IKE_AUTH, request and response
      expect(ike.map(([, , version]) => version)).toContain('0x20'); // IKEv2
      const exchanges = new Set(ike.map(([, , , type]) => type));
      expect(exchanges).toContain('34'); // IKE_SA_INIT
      expect(exchanges).toContain('35'); // IKE_AUTH
      const verbose = await run('tshark', ['-r', file, '-V'], { maxBuffer: 64 << 20 });
      expect(verbose.stdout).not.toMatch(/Malformed|\[Expert Info \(Error/);
      // The inner packets are encrypted: neither end's private address is anywhere in the capture.
      const inner = await run('tshark', ['-r', file, '-Y', 'ip.addr == 172.16.0.10 || ip.addr == 192.168.1.50 || tcp.port == 3306']);
      expect(inner.stdout.trim()).toBe('');

      // vpclab status: the ESP backend, both tunnels up
      const status = (await vpclab(lab, 'status')).stdout;
      expect(status).toMatch(/VPNGW\s+vpn-\w+\s+vpn-gw\s+tunnel 1 47\.96\.10\.1 .*; ESP (kernel XFRM|userspace \(kernel-libipsec\))/);
      expect(status).toMatch(/IPsec\s+vco-\w+\s+vco-hz\s+.*tunnel 1 master ipsec_sa_established, carries traffic/);

      // kill -9: the charons outlive the runtime, and `up` again removes them with the rest.
      const charons = await charonsOf(lab);
      expect(charons.length).toBe(4); // two endpoints, two IDC routers
      const st = readLabState(lab)!;
      process.kill(st.runtimePid, 'SIGKILL');
      for (let i = 0; i < 50 && isAlive(st.runtimePid); i++) await new Promise((r) => setTimeout(r, 50));
      expect(charons.every(isAlive)).toBe(true);
      await vpclab(lab, 'up', SCENARIO);
      expect(charons.some(isAlive)).toBe(false);
      expect((await charonsOf(lab)).length).toBe(2); // the new lab's own: its IDC routers (the VPN gateway comes in a step)
    } finally {
      await vpclab(lab, 'down').catch(() => undefined);
    }
    expect(await charonsOf(lab)).toEqual([]);
  }, 400_000);
});
