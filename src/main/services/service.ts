// What every service program shares: a handle the entry point can close on SIGTERM, and the
// way a service reports one event to its log (one line on stdout, which the lab shows).

import type { ServiceKind } from './kinds';

export type Logger = (line: string) => void;

export interface RunningService {
  readonly kind: ServiceKind;
  /** The port actually bound (differs from the requested one only when 0 was asked for). */
  readonly port: number;
  /** Stop listening and drop open connections. Idempotent. */
  close(): Promise<void>;
}

/** Common options; `host` is for tests (loopback) — the lab always binds 0.0.0.0. */
export interface ListenOptions {
  port: number;
  host?: string;
  log: Logger;
}

export const DEFAULT_HOST = '0.0.0.0';

/**
 * The peer's IPv4 address as the lab shows it. Sockets bound to 0.0.0.0 report plain IPv4,
 * but a dual-stack listener would report `::ffff:a.b.c.d`; both print as `a.b.c.d`.
 */
export function clientIp(remoteAddress: string | undefined): string {
  if (!remoteAddress) return '-';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

/** `<ISO time> <ip>:<port>` — the start of every log line, so lines from all services read alike. */
export function logPrefix(remoteAddress: string | undefined, remotePort: number | undefined): string {
  return `${new Date().toISOString()} ${clientIp(remoteAddress)}:${remotePort ?? '-'}`;
}
