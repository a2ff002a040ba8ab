// Reads a scenario file into its typed form (types.ts), or throws one ScenarioError
// (errors.ts) that lists every problem found. The steps: the file within MAX_FILE_BYTES,
// YAML to a syntax tree within MAX_DEPTH (yaml.ts), the tree against the schema
// (shape.ts, validator.ts), then the cross-field rules (rules.ts).

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ScenarioError } from './errors';
import { MAX_FILE_BYTES, MAX_ISSUES } from './limits';
import { Rules, type RawScenario } from './rules';
import { SCENARIO } from './shape';
import type { Scenario } from './types';
import { ROOT, TooManyIssues, Validator, type Issue } from './validator';
import { parseYaml } from './yaml';

export { ScenarioError, type ScenarioIssue } from './errors';

export function loadScenario(path: string): Scenario {
  return parseScenario(readBounded(path), path);
}

/**
 * The file's text, refused before it is read when it is not a regular file (a FIFO or
 * /dev/zero would block or never end) or is larger than MAX_FILE_BYTES. O_NONBLOCK keeps
 * the open itself from waiting for a FIFO's writer; it changes nothing for a file.
 */
function readBounded(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fileError(path, 'is not a regular file');
    if (st.size > MAX_FILE_BYTES) throw fileError(path, tooLarge(st.size));
    // One byte more than allowed, so a file that grew after fstat is still caught.
    const buf = Buffer.alloc(MAX_FILE_BYTES + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > MAX_FILE_BYTES) throw fileError(path, tooLarge(n, 'at least '));
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(bytes: number, prefix = ''): string {
  return `the file is ${prefix}${bytes} bytes; a scenario file may be at most ${MAX_FILE_BYTES} bytes (1 MiB)`;
}

function fileError(file: string, problem: string): ScenarioError {
  return new ScenarioError([{ file, line: 1, column: 1, field: ROOT, problem }]);
}

/** `file` is only used in messages and in `Scenario.file`. */
export function parseScenario(text: string, file: string): Scenario {
  if (text.length > MAX_FILE_BYTES || Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw fileError(file, tooLarge(Buffer.byteLength(text)));
  }
  const fail = (issues: Issue[]): never => {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column).slice(0, MAX_ISSUES);
    throw new ScenarioError(
      sorted.map((i) => ({ file, line: i.line, column: i.column, field: i.path, problem: i.message })),
      { complete: issues.length < MAX_ISSUES },
    );
  };

  const parsed = parseYaml(text);
  if (!parsed.ok) return fail(parsed.issues);
  const { doc, lines } = parsed;

  const v = new Validator(doc, lines, file);
  let top: RawScenario | undefined;
  try {
    top = v.value(doc.contents, { type: 'object', object: SCENARIO }, '', { line: 1, column: 1 }) as RawScenario | undefined;
    if (top) new Rules(v, top).run();
  } catch (e) {
    if (!(e instanceof TooManyIssues)) throw e;
  }
  if (v.issues.length > 0 || !top) fail(v.issues);

  const t = top!;
  const scenario: Scenario = {
    file,
    title: t.title,
    vpcs: t.topology.vpcs,
    ecs: t.topology.ecs,
    internet: t.topology.internet,
    idcs: t.topology.idcs,
    cloudServices: t.topology.cloudServices,
    cnames: t.topology.cnames,
    securityGroups: t.topology.securityGroups,
    networkAcls: t.topology.networkAcls,
    steps: t.steps,
  };
  if (t.source !== undefined) scenario.source = t.source;
  if (t.summary !== undefined) scenario.summary = t.summary;
  return scenario;
}
