// The command line of the service programs, as the lab runtime calls them inside a host:
//   run.js <kind> [--port N] [--body TEXT] [--zone FILE] [--name HOST]
// Kept apart from run.ts so it can be tested without starting anything.

import { DEFAULT_PORTS, OWN_SERVICE_KINDS, type OwnServiceKind } from './kinds';

export interface ServiceArgs {
  kind: OwnServiceKind;
  port: number;
  body?: string;
  zone?: string;
  name?: string;
}

export const USAGE = `usage: run.js <kind> [--port N] [--body TEXT] [--zone FILE] [--name HOST]
kinds:
  http-hello  HTTP on port 80: 200 and exactly --body (default "Hello World ! This is <--name>.")
  ip-echo     HTTP on port 80: the client's IPv4 address, like ifconfig.me
  dns         DNS on UDP+TCP port 53 answering from --zone FILE (JSON, required)
  tcp-echo    TCP echo on port 7
  udp-echo    UDP echo on port 7
--port 0 binds a free port; the "ready <kind> <port>" line tells which.`;

/** Which options each kind takes: a misplaced option is a runtime bug worth failing loudly on. */
const ALLOWED: Record<OwnServiceKind, readonly string[]> = {
  'http-hello': ['port', 'body', 'name'],
  'ip-echo': ['port', 'name'],
  dns: ['port', 'zone', 'name'],
  'tcp-echo': ['port', 'name'],
  'udp-echo': ['port', 'name'],
};

export type ParsedArgs = { ok: true; args: ServiceArgs } | { ok: true; help: true } | { ok: false; error: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv[0] === '--help' || argv[0] === '-h') return { ok: true, help: true };
  const [kind, ...rest] = argv;
  if (kind === undefined) return { ok: false, error: 'missing service kind' };
  if (!(OWN_SERVICE_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, error: `unknown service kind ${JSON.stringify(kind)} (expected ${OWN_SERVICE_KINDS.join(', ')})` };
  }
  const k = kind as OwnServiceKind;
  const opts = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) return { ok: false, error: `unexpected argument ${JSON.stringify(a)}` };
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= rest.length) return { ok: false, error: `--${key} needs a value` };
      value = rest[++i];
    }
    if (!['port', 'body', 'zone', 'name'].includes(key)) return { ok: false, error: `unknown option --${key}` };
    if (!ALLOWED[k].includes(key)) return { ok: false, error: `--${key} does not apply to ${k}` };
    if (opts.has(key)) return { ok: false, error: `--${key} given twice` };
    opts.set(key, value);
  }
  let port = DEFAULT_PORTS[k];
  const p = opts.get('port');
  if (p !== undefined) {
    if (!/^[0-9]{1,5}$/.test(p) || Number(p) > 65535) return { ok: false, error: `--port must be 0..65535, got ${JSON.stringify(p)}` };
    port = Number(p);
  }
  const zone = opts.get('zone');
  if (k === 'dns' && (zone === undefined || zone === '')) return { ok: false, error: 'dns needs --zone FILE' };
  const name = opts.get('name');
  if (name !== undefined && name === '') return { ok: false, error: '--name must not be empty' };
  const args: ServiceArgs = { kind: k, port };
  if (opts.has('body')) args.body = opts.get('body');
  if (zone !== undefined) args.zone = zone;
  if (name !== undefined) args.name = name;
  return { ok: true, args };
}
