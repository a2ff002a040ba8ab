// The whole TUN surface the rest of vpclab sees, in the spirit of wireguard-go's tun.Device:
// read a batch, write a batch, MTU, name, close. The platform (an N-API addon polling a
// non-blocking fd with uv_poll) hides behind it.

/**
 * Called from the event loop each time the device has packets. The packets sit in `slab`,
 * packet i at byte offset `i * slotSize + headroom` with length `lengths[i]`; the `headroom`
 * bytes before each are free, for a header prepended in place. Both arrays are reused by the
 * next batch: handlers must finish with (or copy) the packets before returning. Packets may
 * be rewritten in place and written to another device from the slab.
 */
export type BatchHandler = (slab: Buffer, lengths: Int32Array, count: number, slotSize: number, headroom: number) => void;

export interface TunDevice {
  /** Interface name inside its namespace (e.g. `eth0`). */
  readonly name: string;
  /** Network namespace name (as in `ip netns list`) the device was created in. */
  readonly netns: string;
  /** Start delivering batches; one handler per device. */
  onBatch(handler: BatchHandler): void;
  /**
   * Write `count` packets from `buf`, packet i at `offsets[i]` with length `lengths[i]`.
   * Returns how many the kernel accepted; the rest are dropped (counted by the caller).
   */
  writeBatch(buf: Buffer, offsets: Int32Array, lengths: Int32Array, count: number): number;
  /** Write one packet; false if the kernel refused it. */
  write(buf: Buffer, offset: number, length: number): boolean;
  /** Stop polling and close the fd; the kernel removes the interface. Idempotent. */
  close(): void;
}

export interface OpenTunOptions {
  /** Namespace name under /var/run/netns; the TUN is created inside it, never in the root namespace. */
  netns: string;
  /** Interface name inside the namespace. */
  name: string;
  /** Packets per batch (slab slots). Default 64. */
  batch?: number;
}
