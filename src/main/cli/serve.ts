// `vpclab serve [scenario] [--port N]`: the renderer and `window.lab` for a browser, on
// 127.0.0.1 only, behind a token printed in the URL (src/main/serve/). `window.lab` is a
// Desk (src/main/desk/): the page can pick another tutorial, stop, reset, open terminals,
// and restart the lab after a crash, so serve runs until Ctrl-C whatever the lab does.
//
// With no lab up, serve starts one (the scenario given, or the default tutorial) and takes
// it down on Ctrl-C. A lab that was already up (`vpclab up`) is served as it is and left up
// on Ctrl-C — unless the page replaced it, in which case the new one is serve's to stop.

import * as path from 'node:path';
import { Desk } from '../desk/desk';
import { attachRunning, superviseRuntime } from '../desk/launchers';
import { scenariosDir } from '../desk/library';
import { packageRoot } from '../paths';
import { loadScenario } from '../scenario/load';
import { startServe } from '../serve/server';
import { dim, red } from './format';
import { UsageError } from './usage-error';

interface ServeArgs {
  port: number;
  scenario?: string;
}

export function parseServeArgs(rest: string[]): ServeArgs {
  const pi = rest.indexOf('--port');
  const portArg = pi >= 0 ? rest[pi + 1] : '0';
  const port = Number(portArg);
  if (!/^\d+$/.test(portArg ?? '') || port > 65535) throw new UsageError('--port needs a number 0..65535 (0: any free port)');
  const args = rest.filter((_a, i) => pi < 0 || (i !== pi && i !== pi + 1));
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`serve: unknown option ${unknown}`);
  if (args.length > 1) throw new UsageError('serve [scenario.yaml] [--port N]');
  return { port, scenario: args[0] };
}

export async function serve(lab: string, rest: string[], defaultScenario: string): Promise<number> {
  const { port, scenario } = parseServeArgs(rest);
  const root = packageRoot();
  const desk = new Desk({
    lab,
    scenariosDir: scenariosDir(root),
    launch: superviseRuntime({ appRoot: root, lab, onLog: (stream, line) => stream === 'stderr' && console.error(dim(`[runtime] ${line}`)) }),
  });
  void desk.subscribe((e) => {
    if (e.type !== 'session') return;
    const s = e.session;
    if (s.state === 'crashed') console.error(red(`lab "${lab}": ${s.error ?? 'the runtime crashed'} — its namespaces were removed; the page can restart it`));
    else if (s.state === 'up') console.error(dim(`lab "${lab}" is up: ${s.title ?? s.scenario ?? ''}`));
    else if (s.state === 'stopped') console.error(dim(`lab "${lab}" is stopped`));
  });

  // Listening from the start: a Ctrl-C while the lab comes up must still take it down.
  const ended = untilSignal();
  let web: Awaited<ReturnType<typeof startServe>> | null = null;
  try {
    const running = await attachRunning(lab);
    if (running) {
      const st = await running.lab.status();
      if (scenario) console.error(dim(`lab "${lab}" is already up: serving it as it is (${scenario} not loaded)`));
      await desk.adopt(running, { path: st.scenario?.file, title: st.scenario?.title }, { keepOnClose: true });
    } else {
      const file = path.resolve(scenario ?? defaultScenario);
      loadScenario(file); // fail fast, with file:line:column, before anything is created
      console.error(dim(`bringing lab "${lab}" up with ${file}…`));
      const started = desk.open(file);
      started.catch(() => undefined); // awaited below, unless a signal comes first
      // A Ctrl-C during start-up still ends with the lab down.
      if ((await Promise.race([started.then(() => 'up' as const), ended.promise])) === 'signal') return await closeDown(desk, lab);
    }
    web = await startServe({ lab: desk, port, onRefused: (what) => console.error(dim(`refused ${what}`)) });
    console.log(web.url);
    console.error(dim(`serving lab "${lab}" on ${web.origin} (loopback only): open the URL above. Ctrl-C stops serving (and a lab serve started).`));
    await ended.promise;
    await web.close();
    return await closeDown(desk, lab);
  } catch (e) {
    await web?.close();
    await desk.close();
    throw e;
  } finally {
    ended.dispose();
  }
}

async function closeDown(desk: Desk, lab: string): Promise<number> {
  const kept = await desk.close();
  console.error(kept ? `stopped serving lab "${lab}"; it is still up` : `lab "${lab}": down`);
  return 0;
}

/** Resolves on the first SIGINT, SIGTERM or SIGHUP from now on. */
function untilSignal(): { promise: Promise<'signal'>; dispose: () => void } {
  let resolve!: (v: 'signal') => void;
  const promise = new Promise<'signal'>((r) => (resolve = r));
  const on = (): void => resolve('signal');
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, on);
  return { promise, dispose: () => signals.forEach((s) => process.off(s, on)) };
}
