// `vpclab --lab <lab> serve …` as a child process, for the tests that drive it (integration
// and e2e): resolved once it printed its URL, with its stderr kept for failure messages.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'bin', 'vpclab');

export interface ServeProcess {
  lab: string;
  child: ChildProcess;
  /** http://127.0.0.1:<port>/?token=<32 hex> */
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnServe(lab: string, args: string[]): Promise<ServeProcess> {
  if (!lab.startsWith('t-')) throw new Error(`test labs are named t-…, not ${lab}`);
  const child = spawn(process.execPath, [cli, '--lab', lab, 'serve', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 120 s\n${out}\n${err}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ lab, child, url: m[1], stderr: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before printing its URL\n${out}\n${err}`));
    });
  });
}
