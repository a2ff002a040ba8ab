// The lab runtime process: owns the TUN file descriptors, the engine and the namespaces of
// one lab, and serves LabService on /run/vpclab/<lab>.sock. Started in the background by
// `vpclab up`/`check` (or by the desktop app); prints `ready <socket>` when the lab is up.
//
//   node dist/src/main/runtime/main.js --lab NAME [--scenario FILE]

import * as fs from 'node:fs';
import * as path from 'node:path';
import { labSlug } from '../host/netns';
import { labRegistry, isAlive, readLabState, runDir, ensureRunDir } from '../host/registry';
import { cleanupLab } from '../host/cleanup';
import { loadScenario } from '../scenario/load';
import { Lab } from './lab';
import { serve } from './server';

export function socketPathFor(lab: string): string {
  return path.join(runDir(), `${labSlug(lab)}.sock`);
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const labName = arg('--lab') ?? 'default';
  const scenarioFile = arg('--scenario');
  const prev = readLabState(labName);
  if (prev && prev.runtimePid !== process.pid && isAlive(prev.runtimePid)) {
    throw new Error(`lab "${labName}" is already running (pid ${prev.runtimePid}); use \`vpclab down\` first`);
  }
  // Leftovers of a crashed runtime of the same lab go first (`vpclab up` removed them
  // already; the desktop app and tests start us directly). The log we write to stays.
  if (prev) await cleanupLab(labName, { keepRuntimeLog: true });
  ensureRunDir();
  const scenario = scenarioFile ? loadScenario(scenarioFile) : undefined;
  const lab = new Lab(labName);
  const registry = labRegistry(labName);
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await lab.shutdown().catch((e) => console.error(`shutdown: ${(e as Error).message}`));
      await cleanupLab(labName).catch(() => undefined);
      fs.rmSync(socketPathFor(labName), { force: true });
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGHUP', () => undefined);
  process.on('uncaughtException', (e) => {
    console.error(`runtime crashed: ${e.stack ?? e.message}`);
    void stop(1);
  });
  try {
    if (scenario) await lab.loadScenario(scenario);
    else await lab.reconcile();
    const socketPath = socketPathFor(labName);
    await serve(lab, socketPath, () => void stop(0));
    registry.setSocketPath(socketPath);
    console.log(`ready ${socketPath}`);
  } catch (e) {
    console.error((e as Error).message);
    await stop(1);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
