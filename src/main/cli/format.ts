// How results read in a terminal: a step, its actions in console words, each check with
// the real command output, and the reason when a check fails.

import type { ActionOutcome, CheckResult, StepInfo, StepResult } from '../api/lab-service';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = (s: string): string => paint(32, s);
export const red = (s: string): string => paint(31, s);
export const dim = (s: string): string => paint(2, s);
export const bold = (s: string): string => paint(1, s);

const indent = (text: string, pad: string): string => text.split('\n').map((l) => pad + l).join('\n');

/** As `vpclab api` takes them: lists of strings joined by commas, objects (ZoneMappings, Servers…) as JSON. */
export function params(p: Record<string, unknown>): string {
  const value = (v: unknown): string =>
    Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null) ? v.join(',') : typeof v === 'object' && v !== null ? `'${JSON.stringify(v)}'` : String(v);
  return Object.entries(p).map(([k, v]) => `--${k} ${value(v)}`).join(' ');
}

export function formatAction(a: ActionOutcome): string {
  const mark = a.passed ? green('✓') : red('✗');
  let line = `  ${mark} ${a.action} ${dim(params(a.params))}`;
  if (a.ok && a.result) {
    const ids = Object.entries(a.result).filter(([k]) => k !== 'RequestId');
    if (ids.length) line += dim(` → ${ids.map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}`);
  }
  if (a.error) line += `\n      ${a.passed ? dim('error as expected:') : red('error:')} ${a.error.Code}: ${a.error.Message}`;
  if (a.ok && a.expectError) line += `\n      ${red(`expected error ${a.expectError}, the action succeeded`)}`;
  return line;
}

export function formatCheck(c: CheckResult): string {
  const mark = c.passed ? green('✓') : red('✗');
  const lines = [`  ${mark} ${c.name}  ${dim(`[${c.host}]$ ${c.command}`)}`];
  if (c.output) lines.push(indent(c.output, '      │ '));
  if (c.capture) {
    lines.push(`      ${dim(`tcpdump on ${c.capture.host} (${c.capture.filter}):`)}${c.capture.text ? '' : dim(' (nothing)')}`);
    if (c.capture.text) lines.push(indent(c.capture.text, '      ┆ '));
  }
  if (c.trace !== undefined) {
    lines.push(`      ${dim('trace:')}${c.trace ? '' : dim(' (no packets)')}`);
    if (c.trace) lines.push(indent(c.trace, '      ⋮ '));
  }
  for (const r of c.reasons) lines.push(`      ${red(r)}`);
  return lines.join('\n');
}

export function formatStepHeader(s: StepInfo | StepResult, total: number): string {
  return bold(`Step ${s.index}/${total}: ${s.name}`);
}

export function formatStep(r: StepResult, total: number): string {
  return [formatStepHeader(r, total), formatStepBody(r)].join('\n');
}

export function formatStepBody(r: StepResult): string {
  return [...r.actions.map(formatAction), ...r.checks.map(formatCheck)].join('\n');
}

/** What a step is about to do, before it runs: its actions and the commands it will check. */
export function formatStepPlan(s: StepInfo): string {
  return [
    ...s.actions.map((a) => `  → ${a.action} ${dim(params(a.params))}${a.expectError ? dim(` (expect ${a.expectError})`) : ''}`),
    ...s.checks.map((c) => `  ? ${c.name}  ${dim(`[${c.host}]$ ${c.run}${c.expect === 'failure' ? '   (must fail)' : ''}`)}`),
  ].join('\n');
}
