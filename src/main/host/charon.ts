// strongSwan's IKE daemon, charon, as a service of a lab host: the VPN gateway's tunnel
// appliances and an IDC's customer gateway run one each. IKE and ESP are strongSwan's, never
// ours; the engine only routes to and from the host.
//
// Several charons on one machine: each runs in its host's namespace and in a mount
// namespace of its own whose /run is a folder of the lab (charon keeps its pid file and
// vici socket in /run, so two would collide). The host's /etc/strongswan.conf (under
// /etc/netns/<ns>/) tells charon where its socket is inside, and swanctl — from the lab or
// from a user's shell in the host — where it is outside, so a plain `swanctl --list-sas` in
// the host just works.
//
// ESP: the kernel's XFRM where it has it (a user's laptop); else charon's userspace ESP
// (kernel-libipsec: a TUN `ipsec0` in the host's namespace, routes to it in table 220).
// Which one is decided once per runtime, by trying to add an ESP SA in a lab namespace.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Host, HostService } from './host';
import { startProgram } from './host';
import { execInHost, netnsArgv } from './exec';
import { etcNetnsDir, sanitizeName, writeEtcNetnsFile } from './netns';
import { ensureLabDir } from './registry';
import { sh } from './sh';
import { parseIp } from '../engine/wire/ipv4';

export const CHARON = '/usr/lib/ipsec/charon';

const SWANCTL_DIRS = ['x509', 'x509ca', 'x509ocsp', 'x509aa', 'x509ac', 'x509crl', 'pubkey', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12'];

/** How ESP is done on this machine. */
export type EspBackend = 'kernel XFRM' | 'userspace (kernel-libipsec)';

let backend: Promise<EspBackend> | null = null;

/**
 * Does this kernel do ESP? Asked inside `ns` (a lab namespace), never in the root one: add a
 * throwaway ESP SA and remove it. "Requested type not found" means no esp4/xfrm modules.
 */
export function espBackend(ns: string): Promise<EspBackend> {
  backend ??= (async () => {
    const key = '0x00112233445566778899aabbccddeeff';
    const add = await sh(netnsArgv(ns, ['ip', 'xfrm', 'state', 'add', 'src', '192.0.2.1', 'dst', '192.0.2.2', 'proto', 'esp', 'spi', '0x100', 'mode', 'tunnel',
      'enc', 'cbc(aes)', key, 'auth-trunc', 'hmac(sha1)', `${key}00112233`, '96']), { allowFail: true });
    if (add.code !== 0) return 'userspace (kernel-libipsec)';
    await sh(netnsArgv(ns, ['ip', 'xfrm', 'state', 'flush']), { allowFail: true });
    return 'kernel XFRM';
  })();
  return backend;
}

/** The folder bound over the daemon's /run: its pid file, vici socket and log. */
export function charonRunDir(host: Pick<Host, 'lab' | 'name'>): string {
  return path.join(ensureLabDir(host.lab), 'charon', sanitizeName(host.name));
}

function strongswanConf(runDir: string, esp: EspBackend): string {
  return [
    '# Written by vpclab for this lab host. charon runs with this folder bound over /run:',
    `#   ${runDir}`,
    'charon {',
    '  load_modular = yes',
    // A lost peer is given up after about 5 s (1 + 1.5 + 2.25 s) rather than charon's
    // default 165 s, so a failed zone is seen while a trainer watches; DPD probes likewise.
    '  retransmit_tries = 2',
    '  retransmit_timeout = 1.0',
    '  retransmit_base = 1.5',
    // The VPN API offers IKEv1 aggressive mode with a pre-shared key (F2); charon refuses it
    // unless told that the weaker mode is wanted.
    '  i_dont_care_about_security_and_use_aggressive_mode_psk = yes',
    '  plugins {',
    '    include strongswan.d/charon/*.conf',
    ...(esp === 'kernel XFRM' ? [] : ['    kernel-libipsec {', '      load = yes', '    }']),
    '    vici {',
    '      socket = unix:///run/charon.vici',
    '    }',
    '  }',
    '  filelog {',
    '    lab {',
    '      path = /run/charon.log',
    '      time_format = %H:%M:%S',
    '      default = 1',
    '      ike = 2',
    '      cfg = 1',
    '      flush_line = yes',
    '    }',
    '  }',
    '}',
    'swanctl {',
    // The plugins swanctl needs here, named, so it does not complain about the absent ones
    // of its built-in list each time a user runs it.
    '  load = random nonce openssl pem pkcs1 pkcs8 pgp x509 pubkey constraints revocation',
    `  socket = unix://${runDir}/charon.vici`,
    '}',
    '',
  ].join('\n');
}

export interface Charon extends HostService {
  readonly esp: EspBackend;
  /** Its log: IKE negotiation in charon's own words. */
  readonly ikeLog: string;
  /** Replace the host's /etc/swanctl/swanctl.conf and load it (connections and secrets). */
  load(swanctlConf: string): Promise<string>;
  /**
   * Userspace ESP routes a child SA only from a local address inside its local selector
   * (kernel-libipsec's install_route gives up otherwise, and the child fails). For each
   * selector without one, the host holds the selector's network address on `lo` (/32): a
   * vSwitch's first address is reserved (SEMANTICS A1), so no host of the VPC uses it.
   */
  anchorSelectors(cidrs: readonly string[]): Promise<void>;
  /** `swanctl --list-sas --raw`, parsed. */
  sas(): Promise<SaState[]>;
  /** Any swanctl command against this daemon. */
  swanctl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** An IKE SA and its child SAs, as `swanctl --list-sas --raw` gives them. */
export interface SaState {
  name: string;
  state: string;
  children: { name: string; state: string; spiIn?: string; spiOut?: string; bytesIn: number; bytesOut: number; packetsIn: number; packetsOut: number }[];
}

export async function startCharon(host: Host): Promise<Charon> {
  if (!fs.existsSync(CHARON)) throw new Error(`${CHARON} is missing (Debian package strongswan-charon; scripts/install.sh installs it)`);
  const esp = await espBackend(host.netns);
  const run = charonRunDir(host);
  fs.rmSync(run, { recursive: true, force: true });
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  writeEtcNetnsFile(host.netns, 'strongswan.conf', strongswanConf(run, esp));
  // As Debian ships it: the files of conf.d/ are read too, so a router holding several
  // connections (a transit router's ECMP group) can keep one downloaded file per connection.
  writeEtcNetnsFile(host.netns, 'swanctl/swanctl.conf', 'connections {\n}\ninclude conf.d/*.conf\n', 0o600);
  // The folders swanctl --load-all reads credentials from: absent, it warns about each one.
  for (const d of [...SWANCTL_DIRS, 'conf.d']) fs.mkdirSync(path.join(etcNetnsDir(host.netns), 'swanctl', d), { recursive: true, mode: 0o700 });
  const vici = path.join(run, 'charon.vici');
  const svc = await startProgram(host, {
    kind: 'strongswan',
    // `exec`: the daemon is the recorded pid, so stopping it stops charon itself.
    argv: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount --bind '${run}' /run && exec ${CHARON}`],
    logName: `${sanitizeName(host.name)}.strongswan.500.log`,
    port: 500,
    ready: async (_log, _offset, exitReason) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (fs.existsSync(vici) && (await swanctl(host, ['--stats'])).code === 0) return 500;
        const why = exitReason();
        if (why) throw new Error(`charon ended (${why}) before its vici socket was up; see ${path.join(run, 'charon.log')}`);
        if (Date.now() > deadline) throw new Error(`charon's vici socket ${vici} did not come up within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  });
  const anchored = new Set<string>();
  return Object.assign(svc, {
    esp,
    async anchorSelectors(cidrs: readonly string[]): Promise<void> {
      if (esp === 'kernel XFRM') return;
      const own = (await execInHost(host.netns, ['ip', '-4', '-o', 'addr', 'show'], { timeoutMs: 5000 })).stdout;
      const addrs = [...own.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((x) => parseIp(x[1]));
      for (const c of cidrs) {
        const [net, len] = c.split('/');
        const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
        const base = parseIp(net);
        if (anchored.has(net) || addrs.some((a) => ((a & mask) >>> 0) === base)) continue;
        const r = await execInHost(host.netns, ['ip', 'addr', 'add', `${net}/32`, 'dev', 'lo'], { timeoutMs: 5000 });
        if (r.code !== 0 && !/exists/i.test(r.stderr)) throw new Error(`ip addr add ${net}/32 dev lo in ${host.name}: ${r.stderr.trim()}`);
        anchored.add(net);
      }
    },
    ikeLog: path.join(run, 'charon.log'),
    async load(conf: string): Promise<string> {
      writeEtcNetnsFile(host.netns, 'swanctl/swanctl.conf', conf, 0o600);
      const r = await swanctl(host, ['--load-all', '--noprompt']);
      if (r.code !== 0) throw new Error(`swanctl --load-all in ${host.name}: ${(r.stderr || r.stdout).trim()}`);
      return r.stdout;
    },
    async sas(): Promise<SaState[]> {
      const r = await swanctl(host, ['--list-sas', '--raw']);
      return r.code === 0 ? parseSas(r.stdout) : [];
    },
    swanctl: (args: string[]) => swanctl(host, args),
  }) as Charon;
}

/** swanctl in the host's namespace; its strongswan.conf names the daemon's socket. */
async function swanctl(host: Host, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!fs.existsSync(etcNetnsDir(host.netns))) return { code: 1, stdout: '', stderr: 'host is gone' };
  const r = await execInHost(host.netns, ['swanctl', ...args], { timeoutMs: 10_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `swanctl --list-sas --raw` prints one vici message per IKE SA, braces and `key=value`:
 *   list-sa event {tun1 {uniqueid=1 version=2 state=ESTABLISHED … child-sas {net-2 {name=net
 *   state=INSTALLED spi-in=c1a2… bytes-in=0 packets-in=0 …}}}}
 * Values never hold spaces or braces for the keys read here.
 */
export function parseSas(raw: string): SaState[] {
  const out: SaState[] = [];
  for (const line of raw.split('\n')) {
    const m = /^list-sa event \{(.*)\}\s*$/.exec(line.trim());
    if (!m) continue;
    const top = parseBlock(m[1]);
    for (const [name, value] of Object.entries(top)) {
      if (typeof value !== 'object' || Array.isArray(value)) continue;
      const ike: Block = value;
      const sas = ike['child-sas'];
      const children = typeof sas === 'object' && !Array.isArray(sas) ? Object.values(sas) : [];
      out.push({
        name,
        state: String(ike.state ?? ''),
        children: children.filter((c): c is Block => typeof c === 'object' && !Array.isArray(c)).map((c) => ({
          name: String(c.name ?? ''),
          state: String(c.state ?? ''),
          spiIn: c['spi-in'] as string | undefined,
          spiOut: c['spi-out'] as string | undefined,
          bytesIn: Number(c['bytes-in'] ?? 0),
          bytesOut: Number(c['bytes-out'] ?? 0),
          packetsIn: Number(c['packets-in'] ?? 0),
          packetsOut: Number(c['packets-out'] ?? 0),
        })),
      });
    }
  }
  return out;
}

type Block = { [k: string]: string | string[] | Block };

/** `a=1 b {c=2} d [x y]` → { a: '1', b: { c: '2' }, d: ['x', 'y'] }. */
function parseBlock(text: string): Block {
  const tokens = text.match(/[{}[\]]|[^\s{}[\]=]+=[^\s{}[\]]*|[^\s{}[\]]+/g) ?? [];
  let i = 0;
  const block = (): Block => {
    const b: Block = {};
    while (i < tokens.length && tokens[i] !== '}') {
      const t = tokens[i++];
      const eq = t.indexOf('=');
      if (eq > 0) {
        b[t.slice(0, eq)] = t.slice(eq + 1);
      } else if (tokens[i] === '{') {
        i++;
        b[t] = block();
        i++; // '}'
      } else if (tokens[i] === '[') {
        i++;
        const list: string[] = [];
        while (i < tokens.length && tokens[i] !== ']') list.push(tokens[i++]);
        i++;
        b[t] = list;
      }
    }
    return b;
  };
  return block();
}
