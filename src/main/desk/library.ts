// The tutorial library: the scenarios in lab-scenarios/, read with the same loader the lab
// uses, so a file the lab would refuse is listed with its file:line:column error instead
// of failing later at start.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScenarioSummary } from '../api/desk-service';
import { DeskError } from './errors';
import { loadScenario } from '../scenario/load';

export const DEFAULT_TUTORIAL = 'vpc-basics.yaml';

/** A name start() accepts: a plain file name, so no path can leave the directory. */
const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

export function scenariosDir(appRoot: string): string {
  return path.join(appRoot, 'lab-scenarios');
}

export function listScenarios(dir: string, defaultFile = DEFAULT_TUTORIAL): ScenarioSummary[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => SCENARIO_NAME.test(f))
    .sort();
  const out = files.map((file): ScenarioSummary => {
    const isDefault = file === defaultFile;
    try {
      const s = loadScenario(path.join(dir, file));
      return {
        file,
        title: s.title,
        source: s.source,
        summary: s.summary?.trim(),
        steps: s.steps.length,
        checks: s.steps.reduce((n, st) => n + st.checks.length, 0),
        isDefault,
      };
    } catch (e) {
      return { file, title: file, steps: 0, checks: 0, isDefault, error: (e as Error).message };
    }
  });
  // The default first, then the tutorials (they have steps), then free-form labs.
  const rank = (s: ScenarioSummary): number => (s.isDefault ? 0 : s.steps > 0 ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file));
}

/** The path of a library scenario by its file name; anything else is refused. */
export function resolveScenario(dir: string, file: unknown): string {
  if (typeof file !== 'string' || !SCENARIO_NAME.test(file)) {
    throw new DeskError('InvalidParameter.Scenario', `scenario must be a file name from the library (e.g. ${DEFAULT_TUTORIAL}), got ${JSON.stringify(file)}`);
  }
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) throw new DeskError('InvalidScenario.NotFound', `no scenario ${file} in ${dir}`);
  return full;
}
