// The Guide's step results, built from check/step events and runTo answers (src/renderer/src/lib/guide-state.ts).
import { describe, expect, it } from 'vitest';
import type { CheckResult, StepInfo, StepResult } from '../../../src/main/api/lab-service';
import { applyCheck, applyStep, stepPhase, stepVerdict } from '../../../src/renderer/src/lib/guide-state';

const check = (name: string, passed = true): CheckResult => ({
  name, host: 'ECS-A', command: 'ping', passed, reasons: passed ? [] : ['expected output to match /2 received/'], exitCode: passed ? 0 : 1, output: '', durationMs: 10,
});
const info: StepInfo = {
  index: 3, name: 'step three', actions: [],
  checks: [
    { name: 'first', host: 'ECS-A', run: 'ping', expect: 'success' },
    { name: 'second', host: 'ECS-A', run: 'ping', expect: 'failure' },
  ],
};

describe('applyCheck', () => {
  it('fills the slot of the check by name, leaving the others empty', () => {
    const runs = applyCheck({}, info, 3, check('second'));
    expect(runs[3].checks).toEqual([undefined, check('second')]);
    expect(runs[3].passed).toBeUndefined();
    const both = applyCheck(runs, info, 3, check('first', false));
    expect(both[3].checks.map((c) => c?.name)).toEqual(['first', 'second']);
  });

  it('takes the next free slot when the name is unknown, and does not touch other steps', () => {
    const runs = applyCheck({ 1: { checks: [], passed: true } }, undefined, 3, check('x'));
    expect(runs[3].checks).toEqual([check('x')]);
    expect(runs[1]).toEqual({ checks: [], passed: true });
  });

  it('starts over when a finished step reports checks again', () => {
    const done = applyStep({}, { index: 3, name: 's', passed: true, actions: [], checks: [check('first'), check('second')] });
    const again = applyCheck(done, info, 3, check('first', false));
    expect(again[3].passed).toBeUndefined();
    expect(again[3].checks).toEqual([check('first', false), undefined]);
  });
});

describe('applyStep', () => {
  it('replaces what the check events built with the step result', () => {
    const partial = applyCheck({}, info, 3, check('first'));
    const result: StepResult = { index: 3, name: 's', passed: false, actions: [], checks: [check('first'), check('second', false)] };
    const runs = applyStep(partial, result);
    expect(runs[3]).toEqual({ checks: result.checks, actions: [], passed: false });
    expect(partial[3].passed).toBeUndefined(); // not mutated
  });
});

describe('stepPhase and stepVerdict', () => {
  it('places each step relative to the steps run and a run in flight', () => {
    expect([1, 2, 3, 4].map((i) => stepPhase(i, 1, null))).toEqual(['done', 'next', 'pending', 'pending']);
    expect([1, 2, 3, 4].map((i) => stepPhase(i, 1, 3))).toEqual(['done', 'running', 'queued', 'pending']);
  });
  it('says passed/failed from results, ran for steps run before the page opened', () => {
    expect(stepVerdict({ checks: [], passed: true }, true)).toBe('passed');
    expect(stepVerdict({ checks: [], passed: false }, true)).toBe('failed');
    expect(stepVerdict(undefined, true)).toBe('ran');
    expect(stepVerdict({ checks: [check('a')] }, false)).toBe('none');
  });
});
