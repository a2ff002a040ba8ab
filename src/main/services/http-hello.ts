// `http-hello`: the web server of the tutorials' ECS instances. Every GET/HEAD gets 200 and
// exactly the configured body (no trailing newline), so checks can compare bytes.

import * as os from 'node:os';
import { startHttp } from './http-server';
import type { ListenOptions, RunningService } from './service';

export interface HttpHelloOptions extends ListenOptions {
  /** Exact response body; default `Hello World ! This is <name>.` */
  body?: string;
  /** The host's lab name (e.g. ECS_B_01), used by the default body. */
  name?: string;
}

export function defaultHelloBody(name: string): string {
  return `Hello World ! This is ${name}.`;
}

export function startHttpHello(opts: HttpHelloOptions): Promise<RunningService> {
  // Without --name, the namespace shares the machine's UTS name; better than nothing.
  const body = opts.body ?? defaultHelloBody(opts.name ?? os.hostname());
  return startHttp('http-hello', opts, (req) => {
    if (req.method === 'GET' || req.method === 'HEAD') return { status: 200, body };
    // A static site answers other methods this way (RFC 9110 §15.5.6 requires Allow).
    return { status: 405, body: '', headers: { Allow: 'GET, HEAD' } };
  });
}
