// Reads a scenario file into its typed form (types.ts), or throws one ScenarioError
// (errors.ts) that lists every problem found. The steps: YAML to a syntax tree, the tree
// against the schema (shape.ts, validator.ts), then the cross-field rules (rules.ts).

import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError } from './errors';
import { Rules, type RawScenario } from './rules';
import { SCENARIO } from './shape';
import type { Scenario } from './types';
import { Validator, type Issue } from './validator';

export { ScenarioError, type ScenarioIssue } from './errors';

export function loadScenario(path: string): Scenario {
  return parseScenario(readFileSync(path, 'utf8'), path);
}

/** `file` is only used in messages and in `Scenario.file`. */
export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (issues: Issue[]): never => {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ScenarioError(
      sorted.map((i) => ({ file, line: i.line, column: i.column, field: i.path, problem: i.message })),
    );
  };

  if (doc.errors.length > 0) {
    fail(
      doc.errors.map((e) => {
        const p = lines.linePos(e.pos[0]);
        return { line: p.line, column: p.col, path: '(syntax)', message: e.message };
      }),
    );
  }

  const v = new Validator(doc, lines, file);
  const top = v.value(doc.contents, { type: 'object', object: SCENARIO }, '', { line: 1, column: 1 }) as
    | RawScenario
    | undefined;
  if (top) new Rules(v, top).run();
  if (v.issues.length > 0 || !top) fail(v.issues);

  const t = top!;
  const scenario: Scenario = {
    file,
    title: t.title,
    vpcs: t.topology.vpcs,
    ecs: t.topology.ecs,
    internet: t.topology.internet,
    cnames: t.topology.cnames,
    steps: t.steps,
  };
  if (t.source !== undefined) scenario.source = t.source;
  if (t.summary !== undefined) scenario.summary = t.summary;
  return scenario;
}
