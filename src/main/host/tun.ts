// Linux TunDevice on top of the native addon (native/tun.cc). This file only validates,
// loads the addon on first use (so code that never opens a TUN does not need it built)
// and passes the addon's slab and lengths straight through: no copies, no per-packet
// allocation.

import * as fs from 'node:fs';
import { addonPath } from '../paths';
import type { BatchHandler, OpenTunOptions, TunDevice } from './tun-device';

/** Bytes per slab slot: any packet up to the 8500-byte appliance MTU fits. */
export const TUN_SLOT_SIZE = 16384;
export const TUN_DEFAULT_BATCH = 64;
/**
 * Free bytes at the start of each slot, before the packet: a GWLB prepends its 68-byte
 * Geneve encapsulation there in place, so the datagram leaves from the slab with the
 * batch instead of being copied out. A slot holds slotSize - headroom bytes of packet.
 */
export const TUN_HEADROOM = 128;
export const TUN_MAX_BATCH = 1024;
/** Longest interface name Linux accepts (IFNAMSIZ - 1). */
export const IFNAME_MAX = 15;
const NETNS_DIR = '/var/run/netns';

/** Counters kept by the addon; they only grow. */
export interface TunStats {
  rxPackets: number;
  rxBytes: number;
  rxBatches: number;
  /** read() failures other than EAGAIN; polling stops after one (see lastError). */
  readErrors: number;
  /** Packets longer than a slot, dropped on read. */
  truncated: number;
  /** Poll errors (the interface vanished, e.g. its namespace was deleted); polling stops. */
  pollErrors: number;
  txPackets: number;
  txBytes: number;
  /** Writes refused for lack of room (EAGAIN/ENOBUFS). */
  writeDrops: number;
  /** Writes refused otherwise: not IPv4/IPv6 (EINVAL), interface down (EIO), gone (EBADFD). */
  writeErrors: number;
  /** Writes not attempted: empty, or offset/length outside the buffer. */
  writeInvalid: number;
  lastError: string | null;
  lastWriteError: string | null;
  open: boolean;
  polling: boolean;
}

export interface LinuxTunDevice extends TunDevice {
  readonly slotSize: number;
  readonly batch: number;
  readonly headroom: number;
  stats(): TunStats;
}

export interface LinuxOpenTunOptions extends OpenTunOptions {
  /** Bytes per slot, a multiple of 8 in 2048..65536. Default TUN_SLOT_SIZE. */
  slotSize?: number;
  /** Free bytes before each packet in its slot, a multiple of 8 up to slotSize / 4. Default TUN_HEADROOM. */
  headroom?: number;
}

interface NativeTun {
  readonly slab: Buffer;
  readonly lengths: Int32Array;
  readonly slotSize: number;
  readonly batch: number;
  readonly headroom: number;
  readonly name: string;
  start(callback: (count: number) => void): void;
  writeBatch(buf: Buffer, offsets: Int32Array, lengths: Int32Array, count: number): number;
  write(buf: Buffer, offset: number, length: number): boolean;
  close(): void;
  stats(): TunStats;
}

interface NativeAddon {
  Tun: new (netns: string, name: string, batch: number, slotSize: number, headroom: number) => NativeTun;
}

let addon: NativeAddon | undefined;

function loadAddon(): NativeAddon {
  if (addon === undefined) {
    const file = addonPath();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      addon = require(file) as NativeAddon;
    } catch (err) {
      throw new Error(
        `cannot load the TUN addon ${file}: ${(err as Error).message}. Build it with \`node scripts/build-native.js\`.`,
        { cause: err },
      );
    }
  }
  return addon;
}

/** Why `name` is not a usable interface name, or undefined if it is. */
export function ifnameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (Buffer.byteLength(name) > IFNAME_MAX) return `is longer than ${IFNAME_MAX} bytes`;
  if (name === '.' || name === '..') return 'is reserved';
  // Kernel rule (dev_valid_name) plus '%', which would let the kernel pick the name.
  if (/[/:%\s\x00-\x1f\x7f]/.test(name)) return "contains '/', ':', '%', a space or a control character";
  return undefined;
}

function netnsProblem(netns: string): string | undefined {
  if (netns.length === 0 || netns === '.' || netns === '..' || /[/\x00]/.test(netns)) return 'is not a valid name';
  if (!fs.existsSync(`${NETNS_DIR}/${netns}`)) return `does not exist (no ${NETNS_DIR}/${netns})`;
  return undefined;
}

class Tun implements LinuxTunDevice {
  readonly name: string;
  readonly netns: string;
  readonly slotSize: number;
  readonly batch: number;
  readonly headroom: number;
  private handler: BatchHandler | undefined;
  private closed = false;

  constructor(private readonly native: NativeTun, netns: string) {
    this.name = native.name;
    this.netns = netns;
    this.slotSize = native.slotSize;
    this.batch = native.batch;
    this.headroom = native.headroom;
  }

  onBatch(handler: BatchHandler): void {
    if (this.closed) throw new Error(`tun ${this.netns}/${this.name}: onBatch after close`);
    if (this.handler !== undefined) throw new Error(`tun ${this.netns}/${this.name}: onBatch handler already set`);
    this.handler = handler;
    const { slab, lengths, slotSize, headroom } = this.native;
    this.native.start((count) => handler(slab, lengths, count, slotSize, headroom));
  }

  writeBatch(buf: Buffer, offsets: Int32Array, lengths: Int32Array, count: number): number {
    return this.native.writeBatch(buf, offsets, lengths, count);
  }

  write(buf: Buffer, offset: number, length: number): boolean {
    return this.native.write(buf, offset, length);
  }

  stats(): TunStats {
    return this.native.stats();
  }

  close(): void {
    this.closed = true;
    this.native.close();
  }
}

/**
 * Creates TUN `opts.name` inside network namespace `opts.netns` (it never exists in the
 * namespace this process runs in). Packets are delivered once `onBatch` is called.
 */
export function openTun(opts: LinuxOpenTunOptions): LinuxTunDevice {
  const { netns, name } = opts;
  const batch = opts.batch ?? TUN_DEFAULT_BATCH;
  const slotSize = opts.slotSize ?? TUN_SLOT_SIZE;
  const nameIssue = ifnameProblem(name);
  if (nameIssue !== undefined) throw new Error(`openTun: interface name "${name}" ${nameIssue}`);
  const nsIssue = netnsProblem(netns);
  if (nsIssue !== undefined) throw new Error(`openTun: network namespace "${netns}" ${nsIssue}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > TUN_MAX_BATCH) {
    throw new Error(`openTun: batch must be an integer in 1..${TUN_MAX_BATCH}, got ${batch}`);
  }
  const { Tun: NativeTunCtor } = loadAddon();
  let native: NativeTun;
  try {
    native = new NativeTunCtor(netns, name, batch, slotSize, opts.headroom ?? TUN_HEADROOM);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = e.code === 'EBUSY' ? ` (an interface named ${name} already exists there)` : '';
    const wrapped = new Error(`openTun ${netns}/${name}: ${e.message}${hint}`, { cause: err }) as NodeJS.ErrnoException;
    if (e.code !== undefined) wrapped.code = e.code;
    throw wrapped;
  }
  return new Tun(native, netns);
}
