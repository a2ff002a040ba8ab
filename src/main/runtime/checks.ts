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
  const captures: { host: string; capture: Capture }[] = [];
  if (c.capture) for (const host of c.capture.hosts) captures.push({ host, capture: await startCapture(nsOf(host), c.capture.filter) });
  let r;
  try {
    r = await execInHost(nsOf(c.host), { shell: c.run }, { timeoutMs: c.timeoutSec * 1000, env });
  } finally {
    if (captures.length) await sleep(CAPTURE_SETTLE_MS);
  }
  const captured = captures.length ? await joinCaptures(captures) : undefined;
  const where = c.capture?.hosts.join(', ') ?? '';
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
      if (!new RegExp(re, 'm').test(captured.text)) reasons.push(`expected tcpdump on ${where} to show /${re}/`);
    }
    for (const re of c.capture.absent) {
      if (new RegExp(re, 'm').test(captured.text)) reasons.push(`expected tcpdump on ${where} not to show /${re}/`);
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
    capture: c.capture && captured ? { host: where, filter: c.capture.filter, text: captured.text.trimEnd() } : undefined,
    durationMs: Date.now() - started,
  };
}

/**
 * The output of several captures as one text: one host's alone as it is; several, each
 * after a `tcpdump on <host>:` line, so regexes over consecutive lines stay within one host.
 */
async function joinCaptures(list: { host: string; capture: Capture }[]): Promise<{ text: string }> {
  const texts = await Promise.all(list.map(async ({ host, capture }) => ({ host, text: (await capture.stop()).text })));
  if (texts.length === 1) return { text: texts[0].text };
  return { text: texts.map((t) => `tcpdump on ${t.host}:\n${t.text.trimEnd()}`).join('\n') + '\n' };
}

/** A command expected to fail may fail by timing out: that is the failure it was after. */
function onlyExitReasons(reasons: string[], timedOut: boolean): boolean {
  return timedOut && reasons.every((x) => x.startsWith('timed out'));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
