// Micro-benchmark of the wire codecs on the forwarding hot path (not a test; not part of
// `npm run bench`'s table). It runs what an SNAT hop does to each packet: wrap the IPv4
// and UDP/TCP views over a slab slot, rewrite source address and port with incremental
// checksums, decrement the TTL. Prints ns/packet; budget: 125k packets/s on one core is
// 8000 ns per packet for everything, so the codecs should be a small fraction of that.
//
//   npx tsc -p tsconfig.node.json && node dist/bench/wire-micro.js

import {
  emitIpv4,
  emitTcp,
  emitUdp,
  IpProtocol,
  Ipv4View,
  parseIp,
  TcpFlags,
  TcpView,
  UdpView,
} from '../src/main/engine/wire';

const PACKETS = 1_000_000;
const SLOTS = 256;
const SLOT = 2048;
const SIZE = 256; // bytes per packet, the size of the TUN pps figures in DESIGN.md

function buildSlab(): Buffer {
  const slab = Buffer.alloc(SLOTS * SLOT);
  const src = parseIp('192.168.0.10');
  const dst = parseIp('8.8.8.8');
  for (let i = 0; i < SLOTS; i++) {
    const off = i * SLOT;
    const l4 = SIZE - 20;
    if (i % 2 === 0) {
      emitUdp(slab, off + 20, { srcPort: 40000 + i, dstPort: 53, payloadLength: l4 - 8, src, dst });
      emitIpv4(slab, off, { src, dst, protocol: IpProtocol.Udp, payloadLength: l4 });
    } else {
      emitTcp(slab, off + 20, {
        srcPort: 40000 + i,
        dstPort: 80,
        seq: i,
        ack: 1,
        flags: TcpFlags.Ack,
        payloadLength: l4 - 20,
        src,
        dst,
      });
      emitIpv4(slab, off, { src, dst, protocol: IpProtocol.Tcp, payloadLength: l4 });
    }
  }
  return slab;
}

const ip = new Ipv4View();
const udp = new UdpView();
const tcp = new TcpView();

type Step = (slab: Buffer, off: number, n: number) => number;

const wrapOnly: Step = (slab, off) => ip.wrap(slab, off, SIZE) + ip.dst;

const wrapVerify: Step = (slab, off) => ip.wrap(slab, off, SIZE, true) + ip.dst;

const wrapRewriteSrc: Step = (slab, off, n) => {
  if (ip.wrap(slab, off, SIZE) !== 0) return 0;
  ip.rewriteSrc(0x2f000000 + (n & 0xffff));
  return 1;
};

/** The whole SNAT hop: addresses, port, TTL. */
const snatHop: Step = (slab, off, n) => {
  if (ip.wrap(slab, off, SIZE) !== 0) return 0;
  const p = ip.payloadOffset;
  const len = ip.payloadLength;
  const port = 1024 + (n & 0x7fff);
  if (ip.protocol === IpProtocol.Udp) {
    if (udp.wrap(slab, p, len) !== 0) return 0;
    udp.setSrcPort(port);
  } else {
    if (tcp.wrap(slab, p, len) !== 0) return 0;
    tcp.setSrcPort(port);
  }
  ip.rewriteSrc(0x2f000000 + (n & 0xffff));
  if (ip.ttl <= 1) ip.setTtl(64);
  else ip.decrementTtl();
  return 1;
};

function run(name: string, step: Step, slab: Buffer): number {
  let sink = 0;
  for (let n = 0; n < 200_000; n++) sink += step(slab, (n % SLOTS) * SLOT, n); // warm-up for the JIT
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < PACKETS; n++) sink += step(slab, (n % SLOTS) * SLOT, n);
  const ns = Number(process.hrtime.bigint() - t0) / PACKETS;
  console.log(`${name.padEnd(40)} ${ns.toFixed(1).padStart(7)} ns/packet  ${(1000 / ns).toFixed(2).padStart(6)} Mpps  (sink ${sink % 10})`);
  return ns;
}

function checkSlab(slab: Buffer): void {
  for (let i = 0; i < SLOTS; i++) {
    const off = i * SLOT;
    if (ip.wrap(slab, off, SIZE, true) !== 0) throw new Error(`slot ${i}: IP header checksum broken`);
    const ok =
      ip.protocol === IpProtocol.Udp
        ? udp.wrap(slab, ip.payloadOffset, ip.payloadLength) === 0 && udp.verifyChecksum(ip.src, ip.dst)
        : tcp.wrap(slab, ip.payloadOffset, ip.payloadLength) === 0 && tcp.verifyChecksum(ip.src, ip.dst);
    if (!ok) throw new Error(`slot ${i}: L4 checksum broken`);
  }
}

function main(): void {
  const slab = buildSlab();
  console.log(`wire codecs, ${PACKETS} packets of ${SIZE} bytes over ${SLOTS} slab slots, node ${process.version}`);
  run('wrap (no checksum check)', wrapOnly, slab);
  run('wrap + verify IP header checksum', wrapVerify, slab);
  run('wrap + rewriteSrc (IP + L4 csum)', wrapRewriteSrc, slab);
  run('SNAT hop: wrap IP+L4, addr, port, TTL', snatHop, slab);
  checkSlab(slab);
  console.log('checksums still verify after all rewrites');
}

main();
