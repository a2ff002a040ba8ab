// Scenario steps in the words of the Alibaba console and API: an action is its Alibaba name
// and its parameters as the user would fill them in (names such as rt-a stand for IDs, as
// everywhere in the lab), a check is "on this host, run this, expect that".

import type { ActionOutcome } from '../../../main/api/lab-service';

export interface ActionSpec {
  action: string;
  params: Record<string, unknown>;
  expectError?: string;
}

/** `CreateRouteEntry — RouteTableId rt-a, DestinationCidrBlock 8.8.8.8/32, NextHop ECS-B` */
export function formatAction(a: ActionSpec): string {
  const words = paramWords(a.params);
  return words.length > 0 ? `${a.action} — ${words.join(', ')}` : a.action;
}

/**
 * One `Name value` per parameter, in the order given. NextHopType and NextHopId read as one
 * `NextHop`: an ECS instance (the default type) by its name alone, other types named first
 * (`NextHop Ipv4Gateway igw-tokyo`), as the console's next-hop column shows them.
 */
export function paramWords(params: Record<string, unknown>): string[] {
  const out: string[] = [];
  let hopDone = false;
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (k === 'NextHopType' || k === 'NextHopId') {
      if (hopDone) continue;
      hopDone = true;
      out.push(`NextHop ${nextHopWords(params.NextHopType, params.NextHopId)}`);
      continue;
    }
    out.push(`${k} ${formatValue(v)}`);
  }
  return out;
}

function nextHopWords(type: unknown, id: unknown): string {
  const t = type === undefined || type === null || type === '' ? undefined : formatValue(type);
  const i = id === undefined || id === null || id === '' ? undefined : formatValue(id);
  if (i === undefined) return t ?? '-';
  if (t === undefined || t === 'Instance') return i;
  return `${t} ${i}`;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${formatValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

export interface CheckSpecLike {
  host: string;
  run: string;
  expect: string;
}

export function expectWords(expect: string): string {
  return expect === 'failure' ? 'expected to fail' : 'expected to succeed';
}

/** `on ECS-A: ping -c 2 -W 1 8.8.4.4 (expected to succeed)` */
export function formatCheck(c: CheckSpecLike): string {
  return `on ${c.host}: ${c.run} (${expectWords(c.expect)})`;
}

export interface OutcomeWords {
  passed: boolean;
  text: string;
}

/** What an action did when its step ran, in one line. */
export function formatOutcome(o: ActionOutcome): OutcomeWords {
  if (o.ok && o.passed) return { passed: true, text: resultSummary(o.result) || 'done' };
  if (o.ok) return { passed: false, text: `succeeded, but was expected to fail with ${o.expectError}` };
  const err = `${o.error?.Code ?? 'Error'}: ${o.error?.Message ?? ''}`;
  if (o.passed) return { passed: true, text: `refused as expected — ${err}` };
  return { passed: false, text: o.expectError ? `${err} (expected ${o.expectError})` : err };
}

/**
 * An API response in a line: its scalar fields (`RouteEntryId rte-…`), and for a list the
 * number of items (`RouteEntry ×3`). Empty strings and the RequestId are left out.
 */
export function resultSummary(result: Record<string, unknown> | undefined, max = 10): string {
  if (!result) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    // Every response carries a RequestId; it says nothing about what happened.
    if (v === '' || v === undefined || v === null || k === 'RequestId') continue;
    if (typeof v !== 'object') parts.push(`${k} ${formatValue(v)}`);
    else if (Array.isArray(v)) parts.push(`${k} ×${v.length}`);
    else {
      // The API's wrappers: {RouteEntrys: {RouteEntry: [...]}}
      const inner = Object.entries(v as Record<string, unknown>);
      if (inner.length === 1 && Array.isArray(inner[0][1])) parts.push(`${inner[0][0]} ×${(inner[0][1] as unknown[]).length}`);
    }
  }
  return parts.length > max ? `${parts.slice(0, max).join(', ')}, …` : parts.join(', ');
}

/**
 * A scenario description as paragraphs: YAML block text keeps the file's line breaks, which
 * are only wrapping; blank lines separate paragraphs.
 */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

export interface TextSegment {
  code: boolean;
  text: string;
}

/** Scenario descriptions mark commands and routes with backticks: split them out. */
export function inlineCode(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  const parts = text.split('`');
  // An unmatched last backtick is just a character.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`);
  parts.forEach((p, i) => {
    if (p !== '') out.push({ code: i % 2 === 1, text: p });
  });
  return out;
}
