// `udp-echo` (RFC 862 on UDP): each datagram goes back to its sender, from the address it
// was sent to (see udp-bind.ts).

import { DEFAULT_HOST, ListenOptions, RunningService, logPrefix } from './service';
import { bindUdp } from './udp-bind';

export async function startUdpEcho(opts: ListenOptions): Promise<RunningService> {
  const udp = await bindUdp(
    opts.host ?? DEFAULT_HOST,
    opts.port,
    (sock, msg, rinfo) => {
      opts.log(`${logPrefix(rinfo.address, rinfo.port)} udp ${msg.length} bytes echoed`);
      sock.send(msg, rinfo.port, rinfo.address, () => undefined);
    },
    (err) => process.stderr.write(`udp-echo: ${String(err)}\n`),
  );
  return { kind: 'udp-echo', port: udp.port, close: () => udp.close() };
}
