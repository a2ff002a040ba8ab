// Moves packets between the lab's TUN devices and the engine. Each batch read from one
// device is run through the engine; what the engine forwards from that batch's slab is
// gathered per destination port and written back with one writeBatch per port, so the
// hot path makes no per-packet allocation and few crossings into the addon.
//
// A GWLB encapsulates in place: each slot has free headroom before its packet, and the loop
// tells the GWLB when the bytes before a packet are that headroom (or a decapsulated
// datagram's spent outer header), so the Geneve datagram stays in the slab and leaves with
// the batch — no copy. Packets the engine builds elsewhere during a batch (in a scratch
// buffer it reuses for the next one) are copied into the port's staging buffer and written
// with the same one writeBatch, rather than with a call into the addon each. A port's packets leave in the order the engine emitted them: adding
// to one list first writes what the other holds. Outside a batch (timers, RPCs) there is no
// flush to wait for, so those are written at once.

import { Drop } from '../engine/counters';
import type { Engine } from '../engine/dataplane';
import type { TunDevice } from '../host/tun-device';

const MAX_PENDING = 1024;
/** Bytes of staged packets per port: a read batch of 256 Geneve datagrams of 1568 bytes fits. */
const STAGE_BYTES = 512 * 1024;

interface Pending {
  /** Packets still in the batch's slab. */
  offsets: Int32Array;
  lengths: Int32Array;
  count: number;
  /** Copies of packets the engine built, in `stage`. */
  stage: Buffer | null;
  stageOffsets: Int32Array;
  stageLengths: Int32Array;
  staged: number;
  stageBytes: number;
  /** Listed in `touched` for this batch. */
  touched: boolean;
}

export class PacketLoop {
  private readonly tuns: (TunDevice | undefined)[] = [];
  private readonly pending: (Pending | undefined)[] = [];
  private readonly touched: number[] = [];
  private slab: Buffer | null = null;
  private slotSize = 0;

  constructor(private readonly engine: Engine) {
    engine.setSink((port, buf, off, len) => this.emit(port, buf, off, len));
    // Free: the current batch's slab, and nothing of its slot in use before `off` but
    // headroom or the outer headers of a datagram the engine has taken apart.
    engine.gwlb.spareBefore = (buf, off, n) => buf === this.slab && off % this.slotSize >= n;
  }

  /** Wire a device to a port: from now on its packets enter the engine on that port. */
  attach(port: number, tun: TunDevice): void {
    this.tuns[port] = tun;
    tun.onBatch((slab, lengths, count, slotSize, headroom) => {
      this.slab = slab;
      this.slotSize = slotSize;
      const gwlb = this.engine.gwlb;
      gwlb.batchStart();
      try {
        for (let i = 0; i < count; i++) this.engine.process(port, slab, i * slotSize + headroom, lengths[i]);
      } finally {
        gwlb.batchEnd();
      }
      this.flush(slab);
      this.slab = null;
    });
  }

  detach(port: number): void {
    this.tuns[port] = undefined;
    this.pending[port] = undefined;
  }

  private pendingOf(port: number): Pending {
    let p = this.pending[port];
    if (p === undefined) {
      p = {
        offsets: new Int32Array(MAX_PENDING), lengths: new Int32Array(MAX_PENDING), count: 0,
        stage: null, stageOffsets: new Int32Array(MAX_PENDING), stageLengths: new Int32Array(MAX_PENDING), staged: 0, stageBytes: 0,
        touched: false,
      };
      this.pending[port] = p;
    }
    if (!p.touched) {
      p.touched = true;
      this.touched.push(port);
    }
    return p;
  }

  private emit(port: number, buf: Buffer, off: number, len: number): void {
    const tun = this.tuns[port];
    if (tun === undefined) return;
    const slab = this.slab;
    if (buf !== slab) {
      // Outside a batch, or too big to stage: write it now.
      if (slab === null || len > STAGE_BYTES) {
        if (!tun.write(buf, off, len)) this.txFailed(port);
        return;
      }
      const p = this.pendingOf(port);
      if (p.count > 0) this.flushSlab(port, p, slab);
      if (p.staged === MAX_PENDING || p.stageBytes + len > STAGE_BYTES) this.flushStage(port, p);
      const stage = (p.stage ??= Buffer.allocUnsafe(STAGE_BYTES));
      buf.copy(stage, p.stageBytes, off, off + len);
      p.stageOffsets[p.staged] = p.stageBytes;
      p.stageLengths[p.staged] = len;
      p.staged++;
      // 8-byte aligned starts, as in a slab.
      p.stageBytes += (len + 7) & ~7;
      return;
    }
    const p = this.pendingOf(port);
    if (p.staged > 0) this.flushStage(port, p);
    if (p.count === MAX_PENDING) this.flushSlab(port, p, buf);
    p.offsets[p.count] = off;
    p.lengths[p.count] = len;
    p.count++;
  }

  private flush(slab: Buffer): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const port = touched[i];
      const p = this.pending[port];
      if (p === undefined) continue;
      p.touched = false;
      if (p.count > 0) this.flushSlab(port, p, slab);
      if (p.staged > 0) this.flushStage(port, p);
    }
    touched.length = 0;
  }

  private flushSlab(port: number, p: Pending, slab: Buffer): void {
    const n = p.count;
    p.count = 0;
    this.writeBatch(port, slab, p.offsets, p.lengths, n);
  }

  private flushStage(port: number, p: Pending): void {
    const n = p.staged;
    p.staged = 0;
    p.stageBytes = 0;
    if (n > 0) this.writeBatch(port, p.stage!, p.stageOffsets, p.stageLengths, n);
  }

  private writeBatch(port: number, buf: Buffer, offsets: Int32Array, lengths: Int32Array, n: number): void {
    const tun = this.tuns[port];
    if (tun === undefined) return;
    const written = tun.writeBatch(buf, offsets, lengths, n);
    for (let i = written; i < n; i++) this.txFailed(port);
  }

  private txFailed(port: number): void {
    const dev = this.engine.forwarding.ports[port]?.device;
    if (dev !== undefined) this.engine.counters.drop(dev, Drop.TxFailed);
  }
}
