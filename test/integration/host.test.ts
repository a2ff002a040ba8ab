// The host runtime against the real kernel: namespaces, TUNs, services, exec, capture and
// cleanup (also after `kill -9`). Needs root. Every lab here is `t-hostrt-<run>-…`, so its
// namespaces are `vpclab-t-hostrt-<run>-…`; nothing is configured in the root namespace
// (asserted at the end, and again by test/global-setup.ts).

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll, cleanupLab, leftovers } from '../../src/main/host/cleanup';
import { execInHost, shellCommand } from '../../src/main/host/exec';
import { startCapture } from '../../src/main/host/capture';
import { createHost, destroyHost, serviceScript, startService, type Host, type OpenTunFn } from '../../src/main/host/host';
import { MAX_NS_NAME, etcNetnsDir, listNetns, nsName } from '../../src/main/host/netns';
import { isAlive, readLabState, stateFile } from '../../src/main/host/registry';
import type { BatchHandler, TunDevice } from '../../src/main/host/tun-device';
import { diffSnapshots, snapshotRootNs, type RootNsSnapshot } from '../support/rootns';
import { cannotRun, integrationBlocker } from '../support/skip';

const skip = cannotRun(__filename, integrationBlocker({ cli: false }));

const ROOT = path.resolve(__dirname, '../..');
const RUN = randomBytes(3).toString('hex');
const LAB_PREFIX = `t-hostrt-${RUN}`;
const NS_PREFIX = `vpclab-${LAB_PREFIX}-`;
const lab = (what: string) => `${LAB_PREFIX}-${what}`;

describe('namespace names', () => {
  it('are vpclab-<lab>-<host>, sanitised', () => {
    expect(nsName('t-demo', 'ECS-A')).toBe('vpclab-t-demo-ecs-a');
    expect(nsName('My Lab!', 'web_1')).toBe('vpclab-my-lab-web-1');
    expect(nsName('t', '--')).toBe('vpclab-t-x');
  });
  it('stay within 60 chars and unique when truncated', () => {
    const long = 'a'.repeat(80);
    const a = nsName('t-lab', `${long}1`);
    const b = nsName('t-lab', `${long}2`);
    expect(a.length).toBeLessThanOrEqual(MAX_NS_NAME);
    expect(b.length).toBeLessThanOrEqual(MAX_NS_NAME);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^vpclab-t-lab-a+-[0-9a-f]{6}$/);
  });
  it('an interactive shell shows the host name and cannot be injected through it', () => {
    const argv = shellCommand('vpclab-t-x-ecs-a', 'ECS-A$(reboot)');
    expect(argv.slice(0, 4)).toEqual(['ip', 'netns', 'exec', 'vpclab-t-x-ecs-a']);
    expect(argv).toContain('PS1=[root@ECS-A--reboot- \\W]# ');
    expect(() => shellCommand('not-ours', 'x')).toThrow(/not a vpclab namespace/);
  });
});

describe('root namespace snapshots', () => {
  it('diff names the section and the lines that appeared or vanished', () => {
    const a = { 'ip -o addr': 'lo inet 127.0.0.1/8', 'ip rule': '0: from all lookup local' };
    expect(diffSnapshots(a, { ...a })).toBe('');
    const b = { ...a, 'ip -o addr': 'lo inet 127.0.0.1/8\neth9 inet 8.8.8.8/32' };
    expect(diffSnapshots(a, b)).toBe('== ip -o addr\n+ eth9 inet 8.8.8.8/32');
    expect(diffSnapshots(b, a)).toBe('== ip -o addr\n- eth9 inet 8.8.8.8/32');
  });
});

/** Stand-in for the TUN addon: a persistent tuntap made *inside* the namespace with `ip -n`. */
const fakeOpenTun: OpenTunFn = (netns, name) => {
  execFileSync('ip', ['-n', netns, 'tuntap', 'add', 'dev', name, 'mode', 'tun']);
  let closed = false;
  const dev: TunDevice = {
    name,
    netns,
    onBatch() {},
    writeBatch: () => 0,
    write: () => false,
    close() {
      if (closed) return;
      closed = true;
      try {
        execFileSync('ip', ['-n', netns, 'link', 'del', name], { stdio: 'ignore' });
      } catch {
        /* namespace already gone */
      }
    },
  };
  return dev;
};

/** The real addon, loaded only when it is needed (it may not be built on every machine). */
async function realOpenTun(): Promise<OpenTunFn> {
  const { openTun } = await import('../../src/main/host/tun');
  return (netns, name) => openTun({ netns, name });
}

/** The lab's wire, minus the cloud: every packet from one TUN goes to the other. */
function bridge(a: TunDevice, b: TunDevice): void {
  const pipe = (from: TunDevice, to: TunDevice): BatchHandler => {
    let offsets = new Int32Array(0);
    return (slab, lengths, count, slotSize, headroom) => {
      if (offsets.length < count) {
        offsets = new Int32Array(count);
        for (let i = 0; i < count; i++) offsets[i] = i * slotSize + headroom;
      }
      to.writeBatch(slab, offsets, lengths, count);
    };
  };
  a.onBatch(pipe(a, b));
  b.onBatch(pipe(b, a));
}

const sh = (ns: string, line: string, timeoutMs = 10_000) => execInHost(ns, { shell: line }, { timeoutMs });

describe.skipIf(skip)('host runtime (root)', () => {
  let before: RootNsSnapshot;
  const hosts: Host[] = [];

  beforeAll(async () => {
    before = await snapshotRootNs();
    // Service programs run from dist/. Other files may still have type errors while the
    // tree is being written; tsc emits anyway, and the check below is what matters.
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.node.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      /* see above */
    }
    expect(fs.existsSync(serviceScript()), `${serviceScript()} should be built`).toBe(true);
  });

  afterAll(async () => {
    for (const h of hosts) await destroyHost(h).catch(() => {});
    await cleanupAll({ labPrefix: LAB_PREFIX, stopRuntime: false });
    const left = await leftovers(NS_PREFIX);
    expect(left).toEqual({ namespaces: [], netnsDirs: [], pids: [] });
    expect(diffSnapshots(before, await snapshotRootNs())).toBe('');
  });

  it('builds a host around an injected TUN: addresses, route, sysctls, resolv.conf, state file', async () => {
    const h = await createHost({
      lab: lab('fake'),
      name: 'ECS-A',
      kind: 'ecs',
      addresses: [{ ip: '172.16.0.1', prefixLen: 24 }],
      gateway: '172.16.0.253',
      resolvers: ['100.100.2.136'],
      mtu: 1500,
      ipForward: false,
      openTun: fakeOpenTun,
    });
    hosts.push(h);
    expect(h.netns).toBe(`${NS_PREFIX}fake-ecs-a`);

    const addr = await sh(h.netns, 'ip -o -4 addr show dev eth0');
    expect(addr.stdout).toContain('inet 172.16.0.1/24');
    const link = await sh(h.netns, 'ip -o link show dev eth0');
    expect(link.stdout).toMatch(/mtu 1500/);
    expect(link.stdout).toMatch(/<[^>]*\bUP\b/);
    expect((await sh(h.netns, 'ip route show default')).stdout).toMatch(/^default via 172\.16\.0\.253 dev eth0/);
    expect((await sh(h.netns, 'ip -o -6 addr')).stdout.trim()).toBe('');

    const sysctls = await execInHost(h.netns, [
      'sysctl',
      '-n',
      'net.ipv4.ip_forward',
      'net.ipv4.conf.all.accept_redirects',
      'net.ipv4.conf.eth0.accept_redirects',
      'net.ipv4.conf.all.send_redirects',
      'net.ipv4.conf.eth0.send_redirects',
      'net.ipv6.conf.all.disable_ipv6',
      'net.ipv6.conf.eth0.disable_ipv6',
    ]);
    expect(sysctls.stdout.trim().split('\n')).toEqual(['0', '0', '0', '0', '0', '1', '1']);

    const resolv = await sh(h.netns, 'cat /etc/resolv.conf');
    expect(resolv.stdout).toBe('nameserver 100.100.2.136\noptions timeout:1 attempts:2\n');

    const state = readLabState(lab('fake'))!;
    expect(state.namespaces).toEqual([h.netns]);
    expect(state.netnsDirs).toEqual([etcNetnsDir(h.netns)]);
    expect(state.runtimePid).toBe(process.pid);
    // global-setup tags this run's labs so that its teardown spares concurrent runs.
    expect(process.env.VPCLAB_OWNER_TAG).toMatch(/^vitest-/);
    expect(state.ownerTag).toBe(process.env.VPCLAB_OWNER_TAG);
    expect(fs.statSync(path.dirname(stateFile(lab('fake')))).mode & 0o777).toBe(0o700);

    // Nothing of the host is visible from the root namespace.
    expect(execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' })).not.toContain('172.16.0.1');

    await destroyHost(h);
    expect(await listNetns()).not.toContain(h.netns);
    expect(fs.existsSync(etcNetnsDir(h.netns))).toBe(false);
    expect(fs.existsSync(stateFile(lab('fake')))).toBe(false);
  });

  it('an internet host without a gateway routes `default dev eth0`, with ip_forward as asked', async () => {
    const h = await createHost({
      lab: lab('fake'),
      name: 'dns-google',
      kind: 'internet',
      addresses: [{ ip: '8.8.8.8', prefixLen: 32 }],
      ipForward: true,
      resolvers: [],
      openTun: fakeOpenTun,
    });
    hosts.push(h);
    // (`linkdown` too: the stand-in TUN has no reader, so no carrier.)
    expect((await sh(h.netns, 'ip route show default')).stdout.trim()).toMatch(/^default dev eth0 scope link\b/);
    expect((await execInHost(h.netns, ['sysctl', '-n', 'net.ipv4.ip_forward'])).stdout.trim()).toBe('1');
    await destroyHost(h);
  });

  it('a second host of the same name is refused without harming the first', async () => {
    const spec = {
      lab: lab('dup'),
      name: 'web',
      kind: 'service' as const,
      addresses: [{ ip: '10.8.0.1', prefixLen: 24 }],
      openTun: fakeOpenTun,
    };
    const h = await createHost(spec);
    hosts.push(h);
    await expect(createHost(spec)).rejects.toThrow(/already exists/);
    expect(await listNetns()).toContain(h.netns);
    expect(readLabState(lab('dup'))!.namespaces).toEqual([h.netns]);
    expect((await sh(h.netns, 'ip -o -4 addr show dev eth0')).stdout).toContain('10.8.0.1/24');
    await destroyHost(h);
    expect(await listNetns()).not.toContain(h.netns);
  });

  it('a failed creation leaves nothing behind', async () => {
    await expect(
      createHost({
        lab: lab('fail'),
        name: 'broken',
        kind: 'ecs',
        addresses: [{ ip: '10.9.0.1', prefixLen: 24 }],
        openTun: () => {
          throw new Error('no TUN today');
        },
      }),
    ).rejects.toThrow(/no TUN today/);
    expect((await leftovers(`${NS_PREFIX}fail-`)).namespaces).toEqual([]);
    expect(readLabState(lab('fail'))?.namespaces ?? []).toEqual([]);
    await cleanupLab(lab('fail'));
  });

  describe('two hosts on real TUNs, bridged in JS', () => {
    let a: Host;
    let b: Host;

    beforeAll(async () => {
      const openTun = await realOpenTun();
      a = await createHost({
        lab: lab('tun'),
        name: 'ECS-A',
        kind: 'ecs',
        addresses: [{ ip: '10.0.0.1', prefixLen: 24 }],
        gateway: '10.0.0.253',
        openTun,
      });
      hosts.push(a);
      b = await createHost({
        lab: lab('tun'),
        name: 'ECS-B',
        kind: 'ecs',
        addresses: [{ ip: '10.0.0.2', prefixLen: 24 }],
        gateway: '10.0.0.253',
        openTun,
      });
      hosts.push(b);
      bridge(a.tun, b.tun);
    });

    it('ping crosses the bridge, and tcpdump in the other host sees it', async () => {
      const cap = await startCapture(b.netns, 'icmp');
      const ping = await sh(a.netns, 'ping -c 2 -i 0.2 -W 2 10.0.0.2');
      expect(ping.code, ping.stdout + ping.stderr).toBe(0);
      await cap.waitForLine(/10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request/);
      await cap.waitForLine(/10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply, id \d+, seq 2/);
      const res = await cap.stop();
      expect(res.lines.filter((l) => /ICMP echo request/.test(l)), res.text).toHaveLength(2);
      expect(res.lines.filter((l) => /10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply/.test(l))).toHaveLength(2);
      expect(res.stderr).toMatch(/listening on eth0/);
    });

    it('capture filters are argv words, never shell', async () => {
      const cap = await startCapture(b.netns, 'udp port 9 or icmp', { numeric: true });
      await sh(a.netns, 'ping -c 1 -W 2 10.0.0.2');
      await cap.waitForLine(/ICMP echo request/);
      expect((await cap.stop()).text).toMatch(/10\.0\.0\.1 > 10\.0\.0\.2/);
      await expect(startCapture(b.netns, 'icmp; touch /tmp/pwned')).rejects.toThrow(/tcpdump/);
      expect(fs.existsSync('/tmp/pwned')).toBe(false);
    });

    it('services answer over lo, their own address, and across the bridge', async () => {
      const http = await startService(b, 'http-hello', { port: 8080, body: 'Hello from B' });
      expect(http.port).toBe(8080);
      expect(isAlive(http.pid)).toBe(true);
      expect(readLabState(lab('tun'))!.processes.map((p) => p.pid)).toContain(http.pid);

      for (const url of ['http://127.0.0.1:8080/', 'http://10.0.0.2:8080/']) {
        const r = await sh(b.netns, `curl -s -m 5 ${url}`);
        expect(r.stdout, `${url}: ${r.stderr}`).toBe('Hello from B');
      }
      const across = await sh(a.netns, 'curl -s -m 5 http://10.0.0.2:8080/');
      expect(across.stdout).toBe('Hello from B');

      const echo = await startService(b, 'tcp-echo', { port: 7 });
      const r = await execInHost(a.netns, ['bash', '-c', 'exec 3<>/dev/tcp/10.0.0.2/7 && echo ping-7 >&3 && head -n1 <&3'], {
        timeoutMs: 5000,
      });
      expect(r.stdout.trim()).toBe('ping-7');

      const log = fs.readFileSync(http.log, 'utf8');
      expect(log).toMatch(/^ready http-hello 8080$/m);
      await echo.stop();
      expect(echo.running).toBe(false);
      expect(isAlive(echo.pid)).toBe(false);
      expect(readLabState(lab('tun'))!.processes.map((p) => p.pid)).not.toContain(echo.pid);
      expect(b.services.map((s) => s.kind)).toEqual(['http-hello']);
    });

    it('a service that cannot listen fails clearly', async () => {
      await expect(startService(b, 'http-hello', { port: 8080, readyTimeoutMs: 5000 })).rejects.toThrow(/http-hello in ECS-B: exit 1/);
    });

    it('exec timeout kills the whole process group', async () => {
      const r = await execInHost(a.netns, { shell: 'sleep 30 & sleep 31; echo never' }, { timeoutMs: 500 });
      expect(r.timedOut).toBe(true);
      expect(r.stdout).not.toContain('never');
      expect(r.durationMs).toBeLessThan(5000);
      await new Promise((res) => setTimeout(res, 200));
      const left = execFileSync('ip', ['netns', 'pids', a.netns], { encoding: 'utf8' }).trim();
      expect(left).toBe('');
    });

    it('exec reports exit codes and output', async () => {
      const r = await execInHost(a.netns, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
      expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    });

    it('the interactive shell shows the host name in its prompt', async () => {
      const argv = shellCommand(a.netns, a.name);
      const r = await new Promise<string>((resolve) => {
        const p = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let all = '';
        p.stdout.on('data', (d) => (all += d));
        p.stderr.on('data', (d) => (all += d));
        p.on('close', () => resolve(all));
        p.stdin.end('ip -o -4 addr show dev eth0\nexit\n');
      });
      expect(r).toContain('[root@ECS-A ');
      expect(r).toContain('10.0.0.1/24');
    });

    it('cleanupLab removes namespaces, /etc/netns, processes and state', async () => {
      const svc = await startService(a, 'udp-echo', { port: 7 });
      const report = await cleanupLab(lab('tun'), { stopRuntime: false });
      expect(report.namespaces.sort()).toEqual([a.netns, b.netns].sort());
      expect(report.killed).toContain(svc.pid);
      expect(isAlive(svc.pid)).toBe(false);
      expect(await leftovers(`${NS_PREFIX}tun-`)).toEqual({ namespaces: [], netnsDirs: [], pids: [] });
      expect(fs.existsSync(stateFile(lab('tun')))).toBe(false);
      // destroyHost after cleanup is harmless and does not bring the state file back.
      await destroyHost(a);
      await destroyHost(b);
      expect(fs.existsSync(stateFile(lab('tun')))).toBe(false);
    });
  });

  it('after kill -9 of the runtime, cleanupAll restores a clean state from the state file and prefix', async () => {
    const crashLab = lab('crash');
    const dist = path.join(ROOT, 'dist', 'src', 'main', 'host');
    const script = `
      const { createHost, startService } = require(${JSON.stringify(path.join(dist, 'host.js'))});
      const { openTun } = require(${JSON.stringify(path.join(dist, 'tun.js'))});
      (async () => {
        const h = await createHost({ lab: ${JSON.stringify(crashLab)}, name: 'victim', kind: 'ecs',
          addresses: [{ ip: '192.168.7.1', prefixLen: 24 }], gateway: '192.168.7.253',
          openTun: (netns, name) => openTun({ netns, name }) });
        const s = await startService(h, 'tcp-echo', { port: 7 });
        console.log('up ' + h.netns + ' ' + s.pid);
        setInterval(() => {}, 1000);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const up = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (/^up .*\n/m.test(out)) resolve(out);
      });
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (c) => reject(new Error(`runtime child exited ${c}: ${err}`)));
    });
    const [, ns, svcPid] = /^up (\S+) (\d+)/m.exec(up)!;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    // The runtime is gone; what it made is not.
    expect(await listNetns()).toContain(ns);
    expect(isAlive(Number(svcPid))).toBe(true);
    expect(readLabState(crashLab)!.namespaces).toEqual([ns]);
    // A namespace no state file knows about (a crash before the record): the prefix finds it.
    const orphan = `${NS_PREFIX}crash-orphan`;
    execFileSync('ip', ['netns', 'add', orphan]);

    const report = await cleanupAll({ labPrefix: LAB_PREFIX });
    expect(report.labs).toContain(crashLab);
    expect(report.namespaces.sort()).toEqual([ns, orphan].sort());
    expect(report.killed).toContain(Number(svcPid));
    expect(report.errors).toEqual([]);
    expect(isAlive(Number(svcPid))).toBe(false);
    expect(await leftovers(NS_PREFIX)).toEqual({ namespaces: [], netnsDirs: [], pids: [] });
    expect(fs.existsSync(stateFile(crashLab))).toBe(false);
    expect(fs.existsSync(path.join('/run/vpclab', crashLab))).toBe(false);
  });
});
