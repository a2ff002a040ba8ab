// The wire codecs: checked views over packets in buffers, and small builders.
// One module per protocol, as in smoltcp's src/wire; this file gathers them and names the
// status codes their wrap() methods return.

import { GeneveReason } from './geneve';
import { IcmpReason } from './icmp';
import { Ipv4Reason } from './ipv4';
import { TcpReason } from './tcp';
import { UdpReason } from './udp';

export * from './checksum';
export * from './geneve';
export * from './icmp';
export * from './ipv4';
export * from './tcp';
export * from './udp';

/** Size for a counter array indexed by any wrap() status code (codes are unique below it). */
export const REASON_CODE_LIMIT = 80;

const REASON_NAMES: string[] = [];
function register(prefix: string, reasons: Record<string, number>): void {
  for (const [name, code] of Object.entries(reasons)) if (code !== 0) REASON_NAMES[code] = `${prefix}.${name}`;
}
register('ipv4', Ipv4Reason);
register('icmp', IcmpReason);
register('udp', UdpReason);
register('tcp', TcpReason);
register('geneve', GeneveReason);

/** Stable name of a wrap() status for counters and traces, e.g. "ipv4.BadChecksum"; 0 is "ok". */
export function reasonName(code: number): string {
  if (code === 0) return 'ok';
  return REASON_NAMES[code] ?? `unknown.${code}`;
}
