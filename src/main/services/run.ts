// Entry point of the service programs the lab runtime starts inside a host's namespace:
//   ip netns exec <ns> node dist/src/main/services/run.js <kind> [options]
// Contract with the runtime: "ready <kind> <port>" on stdout once listening; one log line
// per request/query on stdout; SIGTERM/SIGINT → close, exit 0; bad options → stderr, exit 2;
// cannot listen (port in use…) → stderr, exit 1. SIGHUP makes `dns` re-read its zone file.

import { ServiceArgs, USAGE, parseArgs } from './args';
import { startDns, DnsService } from './dns';
import { startHttpHello } from './http-hello';
import { startIpEcho } from './ip-echo';
import { DEFAULT_HOST, type Logger, type RunningService } from './service';
import { startTcpEcho } from './tcp-echo';
import { startUdpEcho } from './udp-echo';
import { ZoneError, loadZone } from './zone';
import { checkIp } from '../engine/wire/ipv4-addr';

/** Whoever reads our stdout may go away; a log line is not worth dying for (EPIPE). */
process.stdout.on('error', () => undefined);
const log: Logger = (line) => {
  process.stdout.write(line + '\n');
};

/**
 * Where to listen: 0.0.0.0 in the lab. Tests that run this program in the root namespace set
 * VPCLAB_SERVICE_HOST=127.0.0.1 so nothing listens beyond loopback; not part of the lab's CLI.
 */
const HOST_ENV = 'VPCLAB_SERVICE_HOST';

function start(a: ServiceArgs, host: string): Promise<RunningService> {
  const base = { port: a.port, host, log };
  switch (a.kind) {
    case 'http-hello':
      return startHttpHello({ ...base, body: a.body, name: a.name });
    case 'ip-echo':
      return startIpEcho(base);
    case 'dns':
      return startDns({ ...base, zone: loadZone(a.zone!) });
    case 'tcp-echo':
      return startTcpEcho(base);
    case 'udp-echo':
      return startUdpEcho(base);
  }
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`run.js: ${parsed.error}\n${USAGE}\n`);
    process.exit(2);
  }
  if ('help' in parsed) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const a = parsed.args;
  const host = process.env[HOST_ENV] || DEFAULT_HOST;
  const hostIp = checkIp(host);
  if (!hostIp.ok) {
    process.stderr.write(`run.js: ${HOST_ENV} must be an IPv4 address, got ${JSON.stringify(host)} (${hostIp.why})\n`);
    process.exit(2);
  }
  // Handlers go in before we listen: a signal during start-up must not take the default
  // action (SIGHUP would kill us while the runtime rewrites the zone).
  let service: RunningService | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!service) process.exit(0); // not listening yet: nothing to close
    log(`${new Date().toISOString()} ${a.kind} stopping on ${signal}`);
    // Open connections are destroyed by close(); the timer is a last resort, not the plan.
    setTimeout(() => process.exit(0), 2000).unref();
    service.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  let reloadPending = false;
  const reload = () => {
    if (a.kind !== 'dns') return;
    if (!service) {
      reloadPending = true; // the file may have changed after start-up read it
      return;
    }
    try {
      (service as DnsService).setZone(loadZone(a.zone!));
      log(`${new Date().toISOString()} dns zone reloaded from ${a.zone}`);
    } catch (err) {
      process.stderr.write(`run.js dns: zone not reloaded, keeping the old one: ${(err as Error).message}\n`);
    }
  };
  process.on('SIGHUP', reload);

  try {
    service = await start(a, host);
  } catch (err) {
    // A bad zone file is a bad option (exit 2); a busy port is a failure to run (exit 1).
    const bad = err instanceof ZoneError;
    process.stderr.write(`run.js ${a.kind}: ${bad ? '' : 'cannot listen: '}${(err as Error).message}\n`);
    process.exit(bad ? 2 : 1);
  }
  if (stopping) {
    await service.close();
    process.exit(0);
  }
  if (reloadPending) reload();

  log(`ready ${a.kind} ${service.port}`);
}

void main(process.argv.slice(2));
