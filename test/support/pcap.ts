// A classic pcap file of raw IPv4 packets (LINKTYPE_RAW, 101), so tshark can read what the
// engine emitted without a capture on a real interface.

import * as fs from 'node:fs';

export function writePcap(file: string, packets: readonly Buffer[]): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // magic: microsecond timestamps, this byte order
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snaplen
  header.writeUInt32LE(101, 20); // LINKTYPE_RAW: the packet starts with its IP header
  const parts = [header];
  packets.forEach((p, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(p.length, 8);
    rec.writeUInt32LE(p.length, 12);
    parts.push(rec, p);
  });
  fs.writeFileSync(file, Buffer.concat(parts));
}
