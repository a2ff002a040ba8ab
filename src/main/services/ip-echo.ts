// `ip-echo`: what `curl ifconfig.me` shows — the address the request arrived from, i.e. the
// public address after SNAT/EIP, which is the point of the NAT tutorials.

import { startHttp } from './http-server';
import type { ListenOptions, RunningService } from './service';

export function startIpEcho(opts: ListenOptions): Promise<RunningService> {
  // Like ifconfig.me: any method, any path, just the address and no newline.
  return startHttp('ip-echo', opts, (_req, ip) => ({ status: 200, body: ip }));
}
