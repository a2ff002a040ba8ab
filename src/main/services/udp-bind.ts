// UDP servers must answer from the address the query was sent to, or the client drops the
// reply. A socket bound to 0.0.0.0 replies from whatever source the route picks, which is
// wrong on a host with several addresses (e.g. a resolver that is also 100.100.2.136), and
// Node's dgram cannot read IP_PKTINFO. So, as BIND does, we also bind each local address:
// Linux delivers a datagram to the most specific bound socket, and replies from it carry
// that address. The wildcard socket still catches addresses added later.

import * as dgram from 'node:dgram';
import * as os from 'node:os';

export type DatagramHandler = (socket: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo) => void;

export interface UdpBinding {
  port: number;
  sockets: dgram.Socket[];
  close(): Promise<void>;
}

/** Non-loopback IPv4 addresses of this namespace. */
export function localIPv4Addresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out;
}

function bindOne(host: string, port: number, reuse: boolean, onMessage: DatagramHandler, onError: (e: Error) => void): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: reuse });
    s.once('error', reject);
    s.on('message', (msg, rinfo) => onMessage(s, msg, rinfo));
    s.bind({ port, address: host, exclusive: true }, () => {
      s.off('error', reject);
      s.on('error', onError);
      resolve(s);
    });
  });
}

/**
 * Binds `host:port` and, when `host` is the wildcard and there is more than one local
 * address (`extra`, default: this namespace's), each address too, on the same port.
 */
export async function bindUdp(
  host: string,
  port: number,
  onMessage: DatagramHandler,
  onError: (e: Error) => void,
  extra: string[] = localIPv4Addresses(),
): Promise<UdpBinding> {
  const perAddress = host === '0.0.0.0' && extra.length > 1;
  const sockets: dgram.Socket[] = [];
  const close = () =>
    Promise.all(sockets.splice(0).map((s) => new Promise<void>((done) => s.close(() => done())))).then(() => undefined);
  try {
    sockets.push(await bindOne(host, port, perAddress, onMessage, onError));
    const bound = sockets[0].address().port;
    if (perAddress) for (const a of extra) sockets.push(await bindOne(a, bound, true, onMessage, onError));
    return { port: bound, sockets, close };
  } catch (err) {
    await close();
    throw err;
  }
}
