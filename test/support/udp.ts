// One UDP datagram out and the first one back, for the service tests; fails after 2 s.

import * as dgram from 'node:dgram';

export function udpRoundTrip(port: number, payload: Buffer, to = '127.0.0.1'): Promise<{ msg: Buffer; from: string }> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error('no UDP answer within 2 s'));
    }, 2000);
    s.on('message', (msg, rinfo) => {
      clearTimeout(timer);
      s.close();
      resolve({ msg, from: rinfo.address });
    });
    s.send(payload, port, to);
  });
}
