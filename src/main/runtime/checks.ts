// A check runs a real command in a host and judges what really happened: its exit status,
// its output, and optionally what tcpdump on another host saw while it ran.

import type { CheckResult } from '../api/lab-service';
import { startCapture, type Capture } from '../host/capture';
import { execInHost } from '../host/exec';
import type { CheckSpec } from '../scenario/types';

/** tcpdump prints a packet after the kernel hands it over; give late lines a moment. */
const CAPTURE_SETTLE_MS = 700;

/** Starts collecting the engine's trace of a host's packets; the returned function stops it. */
export type TraceTap = (host: string) => () => string;

export async function runCheck(c: CheckSpec, nsOf: (host: string) => string, tap: TraceTap, env: Record<string, string> = {}): Promise<CheckResult> {
  const started = Date.now();
  const stopTrace = c.trace ? tap(c.host) : undefined;
  let capture: Capture | undefined;
  if (c.capture) capture = await startCapture(nsOf(c.capture.host), c.capture.filter);
  let r;
  try {
    r = await execInHost(nsOf(c.host), { shell: c.run }, { timeoutMs: c.timeoutSec * 1000, env });
  } finally {
    if (capture) await sleep(CAPTURE_SETTLE_MS);
  }
  const captured = capture ? await capture.stop() : undefined;
  const traced = stopTrace?.();
  const output = (r.stdout + (r.stderr ? (r.stdout.endsWith('\n') || !r.stdout ? '' : '\n') + r.stderr : '')).trimEnd();
  const reasons: string[] = [];
  const ok = r.code === 0 && !r.timedOut;
  if (r.timedOut) reasons.push(`timed out after ${c.timeoutSec} s`);
  if (c.expect === 'success' && !ok) reasons.push(`expected success, the command exited with ${r.code ?? 'a signal'}`);
  if (c.expect === 'failure' && ok) reasons.push('expected the command to fail, it succeeded');
  for (const re of c.output) if (!new RegExp(re, 'm').test(output)) reasons.push(`expected output to match /${re}/`);
  for (const re of c.notOutput) if (new RegExp(re, 'm').test(output)) reasons.push(`expected output not to match /${re}/`);
  if (c.capture && captured) {
    for (const re of c.capture.expect) {
      if (!new RegExp(re, 'm').test(captured.text)) reasons.push(`expected tcpdump on ${c.capture.host} to show /${re}/`);
    }
    for (const re of c.capture.absent) {
      if (new RegExp(re, 'm').test(captured.text)) reasons.push(`expected tcpdump on ${c.capture.host} not to show /${re}/`);
    }
  }
  if (c.trace && traced !== undefined) {
    for (const re of c.trace.expect) if (!new RegExp(re, 'm').test(traced)) reasons.push(`expected the trace of ${c.host} to show /${re}/`);
    for (const re of c.trace.absent) if (new RegExp(re, 'm').test(traced)) reasons.push(`expected the trace of ${c.host} not to show /${re}/`);
  }
  return {
    name: c.name, host: c.host, command: c.run, passed: reasons.length === 0 || (c.expect === 'failure' && onlyExitReasons(reasons, r.timedOut)),
    reasons: c.expect === 'failure' && onlyExitReasons(reasons, r.timedOut) ? [] : reasons,
    exitCode: r.code, output,
    trace: traced,
    capture: c.capture && captured ? { host: c.capture.host, filter: c.capture.filter, text: captured.text.trimEnd() } : undefined,
    durationMs: Date.now() - started,
  };
}

/** A command expected to fail may fail by timing out: that is the failure it was after. */
function onlyExitReasons(reasons: string[], timedOut: boolean): boolean {
  return timedOut && reasons.every((x) => x.startsWith('timed out'));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
