// What the scenario loader tests share: the file name errors name, the error a text must
// give, its message lines, a timer, and a topology with one host to hang steps on.

import { parseScenario, ScenarioError } from '../../../src/main/scenario/load';

export const FILE = 'lab-scenarios/bad.yaml';

/** Parses `text` and returns the ScenarioError it must throw. */
export function errorOf(text: string, file = FILE): ScenarioError {
  try {
    parseScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

export const lines = (e: ScenarioError): string[] => e.message.split('\n');

/** Runs `f`, returning how long it took in ms. */
export function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

export const HOSTS = `title: t
topology:
  internet: [{ name: h, ip: 8.8.8.8 }]
`;
