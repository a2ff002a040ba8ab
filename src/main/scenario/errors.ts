// What the loader throws: one error listing every problem of a file, each as
// `file:line:column: field.path: what is wrong`, so an author fixes a file in one pass.

/** At most this many problems are spelled out in the message (all are in `issues`). */
const MAX_LISTED = 20;

export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  field: string;
  problem: string;
}

/** A scenario file is not valid. The location fields describe the first problem. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  /** Every problem found, in file order. */
  readonly issues: ScenarioIssue[];
  /** False when the loader stopped looking (MAX_ISSUES): there may be more. */
  readonly complete: boolean;

  constructor(issues: ScenarioIssue[], opts: { complete?: boolean } = {}) {
    const complete = opts.complete ?? true;
    const lines = issues.slice(0, MAX_LISTED).map(formatIssue);
    const stopped = complete ? '' : `; the loader stopped looking after ${issues.length}`;
    if (issues.length > MAX_LISTED) lines.push(`(${issues.length - MAX_LISTED} more errors not shown${stopped})`);
    else if (!complete) lines.push(`(the loader stopped looking after ${issues.length} errors)`);
    super(lines.join('\n'));
    this.complete = complete;
    this.name = 'ScenarioError';
    const first = issues[0];
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.field = first.field;
    this.issues = issues;
  }
}

function formatIssue(i: ScenarioIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.field}: ${i.problem}`;
}
