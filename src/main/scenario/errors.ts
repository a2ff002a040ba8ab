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

  constructor(issues: ScenarioIssue[]) {
    const lines = issues.slice(0, MAX_LISTED).map(formatIssue);
    if (issues.length > MAX_LISTED) lines.push(`(${issues.length - MAX_LISTED} more errors not shown)`);
    super(lines.join('\n'));
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
