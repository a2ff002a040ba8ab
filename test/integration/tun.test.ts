// The TUN addon against the real kernel: two lab namespaces, one TUN each, JS forwarding
// every batch from one to the other. Needs root; everything lives in vpclab-t-* namespaces
// and nothing is configured in the root namespace (asserted at the end).

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTun, type LinuxTunDevice } from '../../src/main/host/tun';
import type { BatchHandler } from '../../src/main/host/tun-device';
import { cannotRun, integrationBlocker } from '../support/skip';

const skip = cannotRun(__filename, integrationBlocker({ cli: false }));

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
  for (let i = 0; i < offsets.length; i++) offsets[i] = i * from.slotSize + from.headroom;
  const handler: BatchHandler = (slab, lengths, count) => {
    to.writeBatch(slab, offsets, lengths, count);
  };
  from.onBatch(handler);
}

describe.skipIf(skip)('TUN addon (root)', () => {
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

  it('leaves the root namespace untouched', () => {
    expect(rootTuns()).toBe('');
    expect(rootSnapshot()).toBe(before);
  });
});
