// Moves packets between the lab's TUN devices and the engine. Each batch read from one
// device is run through the engine; what the engine forwards from that batch's slab is
// gathered per destination port and written back with one writeBatch per port, so the
// hot path makes no per-packet allocation and few crossings into the addon.

import { Drop } from '../engine/counters';
import type { Engine } from '../engine/dataplane';
import type { TunDevice } from '../host/tun-device';

interface Pending {
  offsets: Int32Array;
  lengths: Int32Array;
  count: number;
}

export class PacketLoop {
  private readonly tuns: (TunDevice | undefined)[] = [];
  private readonly pending: (Pending | undefined)[] = [];
  private readonly touched: number[] = [];
  private slab: Buffer | null = null;

  constructor(private readonly engine: Engine) {
    engine.setSink((port, buf, off, len) => this.emit(port, buf, off, len));
  }

  /** Wire a device to a port: from now on its packets enter the engine on that port. */
  attach(port: number, tun: TunDevice): void {
    this.tuns[port] = tun;
    tun.onBatch((slab, lengths, count, slotSize) => {
      this.slab = slab;
      for (let i = 0; i < count; i++) this.engine.process(port, slab, i * slotSize, lengths[i]);
      this.flush(slab);
      this.slab = null;
    });
  }

  detach(port: number): void {
    this.tuns[port] = undefined;
    this.pending[port] = undefined;
  }

  private emit(port: number, buf: Buffer, off: number, len: number): void {
    const tun = this.tuns[port];
    if (tun === undefined) return;
    if (buf !== this.slab) {
      // A packet the engine built itself: write it now.
      if (!tun.write(buf, off, len)) this.txFailed(port);
      return;
    }
    let p = this.pending[port];
    if (p === undefined) {
      p = { offsets: new Int32Array(1024), lengths: new Int32Array(1024), count: 0 };
      this.pending[port] = p;
    }
    if (p.count === p.offsets.length) this.flushPort(port, p, buf);
    if (p.count === 0) this.touched.push(port);
    p.offsets[p.count] = off;
    p.lengths[p.count] = len;
    p.count++;
  }

  private flush(slab: Buffer): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const port = touched[i];
      const p = this.pending[port];
      if (p !== undefined && p.count > 0) this.flushPort(port, p, slab);
    }
    touched.length = 0;
  }

  private flushPort(port: number, p: Pending, slab: Buffer): void {
    const tun = this.tuns[port];
    const n = p.count;
    p.count = 0;
    if (tun === undefined) return;
    const written = tun.writeBatch(slab, p.offsets, p.lengths, n);
    for (let i = written; i < n; i++) this.txFailed(port);
  }

  private txFailed(port: number): void {
    const dev = this.engine.forwarding.ports[port]?.device;
    if (dev !== undefined) this.engine.counters.drop(dev, Drop.TxFailed);
  }
}
