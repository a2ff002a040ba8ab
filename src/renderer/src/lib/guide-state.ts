// The Guide's picture of what has run: per step, the outcome of its actions and the result
// of each check, filled in live from `check` events (one per check, as it finishes) and
// settled by `step` events and by runTo's own result, whichever arrives first.

import type { ActionOutcome, CheckResult, StepInfo, StepResult } from '../../../main/api/lab-service';

export interface StepRun {
  /** One slot per check of the step, in the step's order; undefined until that check ran. */
  checks: (CheckResult | undefined)[];
  actions?: ActionOutcome[];
  /** Set once the whole step has finished. */
  passed?: boolean;
}

export type StepRuns = Readonly<Record<number, StepRun>>;

/** A check finished in step `step` (1-based). */
export function applyCheck(runs: StepRuns, info: StepInfo | undefined, step: number, result: CheckResult): StepRuns {
  const size = Math.max(info?.checks.length ?? 0, 1);
  const prev = runs[step];
  // A step that had finished and reports checks again was run again: start over.
  const fresh = !prev || prev.passed !== undefined;
  const checks = fresh ? new Array<CheckResult | undefined>(size).fill(undefined) : [...prev.checks];
  while (checks.length < size) checks.push(undefined);
  const byName = checks.findIndex((c, i) => c === undefined && info?.checks[i]?.name === result.name);
  let slot = byName >= 0 ? byName : checks.findIndex((c) => c === undefined);
  if (slot < 0) slot = checks.length;
  checks[slot] = result;
  return { ...runs, [step]: { checks, actions: fresh ? undefined : prev.actions } };
}

/** A step finished: its result replaces whatever the check events built up. */
export function applyStep(runs: StepRuns, result: StepResult): StepRuns {
  return { ...runs, [result.index]: { checks: [...result.checks], actions: result.actions, passed: result.passed } };
}

export type StepPhase = 'done' | 'running' | 'queued' | 'next' | 'pending';

/**
 * Where step `index` stands: run already, running now, waiting behind the running one (a
 * "Run to here" in progress), the next to run, or later.
 */
export function stepPhase(index: number, stepsRun: number, runningTo: number | null): StepPhase {
  if (index <= stepsRun) return 'done';
  if (runningTo !== null && index === stepsRun + 1) return 'running';
  if (runningTo !== null && index <= runningTo) return 'queued';
  return index === stepsRun + 1 ? 'next' : 'pending';
}

export type StepVerdict = 'passed' | 'failed' | 'ran' | 'none';

/** ✓/✗ for a finished step; `ran` when it ran before this page was open (no results kept). */
export function stepVerdict(run: StepRun | undefined, done: boolean): StepVerdict {
  if (run?.passed !== undefined) return run.passed ? 'passed' : 'failed';
  return done ? 'ran' : 'none';
}
