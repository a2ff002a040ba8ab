// An independent decoder reads what the GWLB emits (SEMANTICS E3.2, E5): the engine's
// datagrams to an NVA, written to a pcap, dissected by Wireshark's tshark — Geneve with VNI
// 0, protocol 0x0800, three options of class 0x0108, the inner packet, and no dissection
// error or malformed-packet warning anywhere.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGwlbLab, CLIENT, EIP, GWLB_IP, hostOf } from '../../support/gwlb-lab';
import { icmpEcho } from '../../support/packets';
import { writePcap } from '../../support/pcap';
import { cannotRun } from '../../support/skip';
import { emitIpv4, IpProtocol, parseIp } from '../../../src/main/engine/wire/ipv4';
import { emitTcp, TcpFlags } from '../../../src/main/engine/wire/tcp';

const noTshark = cannotRun(__filename, !!spawnSync('tshark', ['--version'], { stdio: 'ignore' }).error && 'tshark is not installed (Debian package tshark; scripts/install.sh installs it)');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpclab-tshark-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tsharkText(file: string, ...args: string[]): string {
  const r = spawnSync('tshark', ['-r', file, '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe.skipIf(noTshark)('tshark dissects the GWLB datagrams', () => {
  it('inbound TCP and ICMP to the NVA: Geneve, VNI 0, IPv4 inside, three options of class 0x0108, inner headers intact', () => {
    const lab = buildGwlbLab({ healthEnabled: false });
    const syn = Buffer.alloc(44);
    emitIpv4(syn, 0, { src: parseIp(CLIENT), dst: parseIp(EIP.ECS_B_01), protocol: IpProtocol.Tcp, payloadLength: 24 });
    emitTcp(syn, 20, { srcPort: 59927, dstPort: 80, seq: 2485172945, flags: TcpFlags.Syn, mss: 1460, src: parseIp(CLIENT), dst: parseIp(EIP.ECS_B_01) });
    lab.send('client', syn);
    lab.send('client', icmpEcho(CLIENT, EIP.ECS_B_01, { id: 9, seq: 8 }));
    expect(lab.out.map((o) => hostOf(lab, o.port)).every((h) => h === 'ECS_01' || h === 'ECS_02')).toBe(true);
    const file = path.join(dir, 'gwlb.pcap');
    writePcap(file, lab.out.map((o) => o.bytes));

    const fields = tsharkText(file, '-T', 'fields', '-E', 'separator=|',
      '-e', 'ip.src', '-e', 'udp.dstport', '-e', 'geneve.version', '-e', 'geneve.vni', '-e', 'geneve.proto_type', '-e', 'geneve.option.class', '-e', 'geneve.option.type', '-e', 'geneve.option.length', '-e', 'tcp.dstport', '-e', 'icmp.type')
      .trim().split('\n').map((l) => l.split('|'));
    expect(fields).toHaveLength(2);
    for (const f of fields) {
      // the outer source is the GWLB's address; tshark reports the inner ip.src too
      expect(f[0].split(',')[0]).toBe(GWLB_IP);
      expect(f[1]).toBe('6081');
      expect(f[2]).toBe('0');
      expect(Number(f[3])).toBe(0);
      expect(Number(f[4])).toBe(0x0800);
      expect(f[5].split(',').map(Number)).toEqual([0x0108, 0x0108, 0x0108]);
      expect(f[6].split(',').map(Number)).toEqual([1, 2, 3]);
      // tshark: 32 bytes of options in all (tcpdump's `options [32 bytes]`, G1), then each
      // option with its 4-byte header: 4 + 8, 4 + 8, 4 + 4
      expect(f[7].split(',').map(Number)).toEqual([32, 12, 12, 8]);
    }
    expect(fields[0][8]).toBe('80');
    expect(fields[1][9]).toBe('8');
    const verbose = tsharkText(file, '-V');
    expect(verbose).toMatch(/Generic Network Virtualization Encapsulation/);
    expect(verbose).not.toMatch(/Malformed|\[Expert Info \((Error|Warning)/);
  });
});
