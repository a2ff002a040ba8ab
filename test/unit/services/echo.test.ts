// tcp-echo and udp-echo in-process, and the per-address UDP binding that makes replies come
// from the address the client sent to.

import type * as dgram from 'node:dgram';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { udpRoundTrip } from '../../support/udp';
import type { RunningService } from '../../../src/main/services/service';
import { clientIp } from '../../../src/main/services/service';
import { startTcpEcho } from '../../../src/main/services/tcp-echo';
import { bindUdp } from '../../../src/main/services/udp-bind';
import { startUdpEcho } from '../../../src/main/services/udp-echo';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('tcp-echo', () => {
  it('echoes every byte and closes after the client half-closes', async () => {
    const logs: string[] = [];
    const s: RunningService = await startTcpEcho({ port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    running.push(s);
    const payload = Buffer.alloc(200_000).map((_, i) => i & 0xff);
    const got = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const sock = net.connect({ port: s.port, host: '127.0.0.1', allowHalfOpen: true }, () => sock.end(payload));
      sock.on('data', (d: Buffer) => chunks.push(d));
      sock.on('end', () => resolve(Buffer.concat(chunks)));
      sock.on('error', reject);
    });
    expect(got.equals(payload)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(logs[0]).toMatch(/^\S+ 127\.0\.0\.1:\d+ tcp connected$/);
    expect(logs[1]).toMatch(/^\S+ 127\.0\.0\.1:\d+ tcp closed, 200000 bytes echoed$/);
  });
});

describe('udp-echo', () => {
  it('sends each datagram back', async () => {
    const logs: string[] = [];
    const s = await startUdpEcho({ port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    running.push(s);
    const payload = Buffer.from([0x70, 0x69, 0x6e, 0x67, 0x20, 0x00, 0xff]);
    const { msg } = await udpRoundTrip(s.port, payload);
    expect(msg.equals(payload)).toBe(true);
    expect(logs[0]).toMatch(/^\S+ 127\.0\.0\.1:\d+ udp 7 bytes echoed$/);
  });
});

describe('bindUdp', () => {
  const echo = (sock: dgram.Socket, msg: Buffer, r: dgram.RemoteInfo) => sock.send(msg, r.port, r.address);

  it('with several local addresses, replies come from the address that was asked', async () => {
    // 127.0.0.2 is local on Linux (127/8 on lo): stands in for a secondary address.
    const b = await bindUdp('0.0.0.0', 0, echo, () => undefined, ['127.0.0.1', '127.0.0.2']);
    running.push(b);
    expect(b.sockets).toHaveLength(3);
    expect((await udpRoundTrip(b.port, Buffer.from('a'), '127.0.0.2')).from).toBe('127.0.0.2');
    expect((await udpRoundTrip(b.port, Buffer.from('b'), '127.0.0.1')).from).toBe('127.0.0.1');
  });

  it('with one address, the wildcard socket alone', async () => {
    const b = await bindUdp('0.0.0.0', 0, echo, () => undefined, ['10.1.2.3']);
    running.push(b);
    expect(b.sockets).toHaveLength(1);
    expect((await udpRoundTrip(b.port, Buffer.from('c'))).msg.toString()).toBe('c');
  });

  it('clientIp strips the IPv4-mapped prefix', () => {
    expect(clientIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1')).toBe('10.0.0.1');
    expect(clientIp(undefined)).toBe('-');
  });
});
