// The TUN addon against the real kernel: two lab namespaces, one TUN each, JS forwarding
// every batch from one to the other. Needs root; everything lives in vpclab-t-* namespaces
// and nothing is configured in the root namespace (asserted at the end).

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTun, type LinuxTunDevice } from '../../src/main/host/tun';
import type { BatchHandler } from '../../src/main/host/tun-device';

const isRoot = process.getuid?.() === 0;
const bench = process.env.VPCLAB_TUN_BENCH === '1';
if (!isRoot) console.warn('[tun.test] skipped: needs root to create network namespaces and TUN devices');

const NS_A = 'vpclab-t-tun-a';
const NS_B = 'vpclab-t-tun-b';
const run = promisify(execFile);

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

function delNetns(ns: string): void {
  try {
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    // not there: fine
  }
}

/** What the root namespace looks like; must be identical before and after. */
function rootSnapshot(): string {
  const links = ip('-o', 'link', 'show')
    .split('\n')
    .map((l) => l.split(':').slice(0, 2).join(':'))
    .join('\n');
  return [links, ip('-o', 'addr', 'show'), ip('route', 'show', 'table', 'all'), ip('rule', 'show')].join('\n--\n');
}

function rootTuns(): string {
  return ip('-o', 'link', 'show', 'type', 'tun').trim();
}

function linksIn(ns: string): string {
  return ip('-n', ns, '-o', 'link', 'show');
}

function configure(ns: string, addr: string, dev = 'eth0'): void {
  ip('-n', ns, 'addr', 'add', addr, 'dev', dev);
  ip('-n', ns, 'link', 'set', dev, 'up');
  ip('-n', ns, 'link', 'set', 'lo', 'up');
}

/** Forwards every batch `from` reads to `to`, unchanged, straight from the slab. */
function forward(from: LinuxTunDevice, to: LinuxTunDevice): void {
  const offsets = new Int32Array(from.batch);
  for (let i = 0; i < offsets.length; i++) offsets[i] = i * from.slotSize;
  const handler: BatchHandler = (slab, lengths, count) => {
    to.writeBatch(slab, offsets, lengths, count);
  };
  from.onBatch(handler);
}

describe.skipIf(!isRoot)('TUN addon (root)', () => {
  let before = '';
  const opened: LinuxTunDevice[] = [];
  const open = (netns: string, name: string, extra: { batch?: number; slotSize?: number } = {}) => {
    const dev = openTun({ netns, name, ...extra });
    opened.push(dev);
    return dev;
  };

  beforeAll(() => {
    delNetns(NS_A);
    delNetns(NS_B);
    before = rootSnapshot();
    ip('netns', 'add', NS_A);
    ip('netns', 'add', NS_B);
  });

  afterAll(() => {
    for (const d of opened) d.close();
    delNetns(NS_A);
    delNetns(NS_B);
  });

  describe('forwarding between two namespaces', () => {
    let a: LinuxTunDevice;
    let b: LinuxTunDevice;

    it('creates each TUN inside its namespace and never in the root namespace', () => {
      a = open(NS_A, 'eth0');
      b = open(NS_B, 'eth0');
      expect(a.name).toBe('eth0');
      expect(a.netns).toBe(NS_A);
      expect(linksIn(NS_A)).toMatch(/: eth0: /);
      expect(linksIn(NS_B)).toMatch(/: eth0: /);
      expect(rootTuns()).toBe('');
      configure(NS_A, '10.9.0.1/24');
      configure(NS_B, '10.9.0.2/24');
      expect(rootTuns()).toBe('');
    });

    it('carries ping from one namespace to the other through JS', async () => {
      forward(a, b);
      forward(b, a);
      const { stdout } = await run('ip', ['netns', 'exec', NS_A, 'ping', '-c', '3', '-i', '0.2', '-W', '1', '10.9.0.2']);
      expect(stdout).toMatch(/3 packets transmitted, 3 received/);
      expect(a.stats().rxPackets).toBeGreaterThanOrEqual(3);
      expect(b.stats().txPackets).toBeGreaterThanOrEqual(3);
      expect(b.stats().rxPackets).toBeGreaterThanOrEqual(3);
      expect(a.stats().txPackets).toBeGreaterThanOrEqual(3);
    });

    it('rejects bad options with clear errors', () => {
      expect(() => openTun({ netns: NS_A, name: 'a-name-too-long-x' })).toThrow(/longer than 15/);
      expect(() => openTun({ netns: NS_A, name: 'bad/name' })).toThrow(/interface name/);
      expect(() => openTun({ netns: 'vpclab-t-tun-missing', name: 'eth0' })).toThrow(/does not exist/);
      expect(() => openTun({ netns: '../a', name: 'eth0' })).toThrow(/not a valid name/);
      expect(() => openTun({ netns: NS_A, name: 'eth1', batch: 0 })).toThrow(/batch/);
      expect(() => openTun({ netns: NS_A, name: 'eth0' })).toThrow(/TUNSETIFF.*EBUSY/);
      expect(rootTuns()).toBe('');
    });

    it('survives malformed writes', async () => {
      // First nibble 0: neither IPv4 nor IPv6, so the kernel refuses it (EINVAL).
      const garbage = Buffer.from('\x00 definitely not an IP packet');
      expect(a.write(garbage, 0, garbage.length)).toBe(false);
      expect(a.write(garbage, 0, 0)).toBe(false); // zero-length
      expect(a.write(garbage, 20, 100)).toBe(false); // past the end
      expect(a.write(garbage, -1, 4)).toBe(false);
      // Version nibble 4 but nonsense inside: the kernel takes it and drops it in ip_rcv.
      const bogusV4 = Buffer.alloc(64, 0x45);
      a.write(bogusV4, 0, bogusV4.length);
      const offs = Int32Array.of(0, 5, 1 << 30, 0);
      const lens = Int32Array.of(0, garbage.length, 10, -3);
      expect(a.writeBatch(garbage, offs, lens, 4)).toBe(0);
      expect(() => a.writeBatch(garbage, offs, lens, 5)).toThrow(RangeError);
      expect(() => a.writeBatch('x' as unknown as Buffer, offs, lens, 1)).toThrow(TypeError);
      expect(() => a.writeBatch(garbage, new Uint32Array(4) as unknown as Int32Array, lens, 1)).toThrow(TypeError);
      const s = a.stats();
      expect(s.writeErrors).toBeGreaterThanOrEqual(1);
      expect(s.writeInvalid).toBeGreaterThanOrEqual(7);
      // Still forwarding.
      const { stdout } = await run('ip', ['netns', 'exec', NS_B, 'ping', '-c', '1', '-W', '1', '10.9.0.1']);
      expect(stdout).toMatch(/1 received/);
    });

    it('drops packets larger than a slot instead of overrunning it', async () => {
      const big = open(NS_A, 'big0', { slotSize: 2048, batch: 4 });
      ip('-n', NS_A, 'link', 'set', 'big0', 'mtu', '9000');
      configure(NS_A, '10.9.1.1/24', 'big0');
      const seen: number[] = [];
      big.onBatch((_slab, lengths, count) => {
        for (let i = 0; i < count; i++) seen.push(lengths[i]);
      });
      // 4000-byte ICMP payload routed out of big0: nobody answers, we only look at the reads.
      const pings = ['-c', '2', '-i', '0.2', '-w', '1', '10.9.1.2'];
      await run('ip', ['netns', 'exec', NS_A, 'ping', '-s', '4000', ...pings]).catch(() => undefined);
      await run('ip', ['netns', 'exec', NS_A, 'ping', '-s', '100', ...pings]).catch(() => undefined);
      expect(big.stats().truncated).toBeGreaterThanOrEqual(2);
      expect(seen.every((n) => n > 0 && n <= 2048)).toBe(true);
      expect(seen).toContain(128); // the small ping still came through
      big.close();
    });

    it('close() is idempotent and removes the interface from its namespace', () => {
      a.close();
      a.close();
      expect(linksIn(NS_A)).not.toMatch(/: eth0: /);
      expect(a.write(Buffer.alloc(20), 0, 20)).toBe(false);
      expect(a.stats().open).toBe(false);
      b.close();
      expect(linksIn(NS_B)).not.toMatch(/: eth0: /);
      expect(() => a.onBatch(() => undefined)).toThrow(/after close/);
    });
  });

  describe.skipIf(!bench)('throughput (VPCLAB_TUN_BENCH=1)', () => {
    let server: ChildProcess | undefined;

    afterAll(() => {
      if (server?.exitCode === null) server.kill('SIGKILL');
    });

    async function iperf(clientArgs: string[]): Promise<Record<string, any>> {
      // Our own child (not -D) so it is certain to go away; -1 makes it exit after one test.
      // --forceflush: a piped iperf3 otherwise holds back "Server listening" in its buffer.
      server = spawn(
        'ip',
        ['netns', 'exec', NS_B, 'iperf3', '-s', '-1', '--idle-timeout', '30', '--forceflush', '-B', '10.9.0.2'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('iperf3 server did not start')), 5000);
        server!.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('listening')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const { stdout } = await run(
        'ip',
        ['netns', 'exec', NS_A, 'iperf3', '-c', '10.9.0.2', '-t', '3', '-J', ...clientArgs],
        { maxBuffer: 16 << 20, timeout: 20_000 },
      );
      if (server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
      return JSON.parse(stdout) as Record<string, any>;
    }

    it('prints TCP and 256-byte UDP forwarding rates', { timeout: 60_000 }, async () => {
      const a = open(NS_A, 'eth0');
      const b = open(NS_B, 'eth0');
      configure(NS_A, '10.9.0.1/24');
      configure(NS_B, '10.9.0.2/24');
      forward(a, b);
      forward(b, a);

      // Packets the kernel dropped because we did not read them fast enough (tun queue full).
      const queueDrops = (ns: string): number =>
        (JSON.parse(ip('-n', ns, '-s', '-j', 'link', 'show', 'eth0')) as Array<any>)[0].stats64.tx.dropped;

      const tcp = await iperf([]);
      const gbps = tcp.end.sum_received.bits_per_second / 1e9;
      console.log(`[tun bench] TCP ${gbps.toFixed(2)} Gbit/s, ${tcp.end.sum_sent.retransmits} retransmits`);

      // 256-byte UDP twice: at the 70k pps target, and flat out (what gets through).
      for (const rate of ['143M', '0']) {
        const drops0 = queueDrops(NS_A);
        const udp = await iperf(['-u', '-b', rate, '-l', '256']);
        const sum = udp.end.sum;
        const delivered = (sum.packets - sum.lost_packets) / sum.seconds;
        console.log(
          `[tun bench] UDP 256 B at ${rate === '0' ? 'max' : rate}: sent ${(sum.packets / sum.seconds / 1000).toFixed(0)}k pps, ` +
            `delivered ${(delivered / 1000).toFixed(0)}k pps (${sum.lost_percent.toFixed(1)}% lost, ` +
            `${queueDrops(NS_A) - drops0} dropped in the tun queue)`,
        );
      }
      console.log('[tun bench] a:', JSON.stringify(a.stats()));
      console.log('[tun bench] b:', JSON.stringify(b.stats()));
      a.close();
      b.close();
    });
  });

  it('leaves the root namespace untouched', () => {
    expect(rootTuns()).toBe('');
    expect(rootSnapshot()).toBe(before);
  });
});
