// The charon processes of a lab: those whose network namespace is one of the lab's. The IPsec
// integration tests count them to prove none outlives `down` or a kill -9 of the runtime.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function charonsOf(lab: string): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args=']);
  const pids: number[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m || !m[2].includes('/usr/lib/ipsec/charon')) continue;
    const ns = await run('ip', ['netns', 'identify', m[1]]).then((r) => r.stdout.trim(), () => '');
    if (ns.startsWith(`vpclab-${lab}-`)) pids.push(Number(m[1]));
  }
  return pids;
}
