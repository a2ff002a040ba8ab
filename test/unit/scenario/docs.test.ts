import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/main/scenario/load';
import { LAB_RUNTIME_ACTIONS } from '../../../src/main/scenario/actions';
import { renderSchemaReference } from '../../../src/main/scenario/docs';
import { MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_FILE_BYTES, MAX_ISSUES } from '../../../src/main/scenario/limits';
import { QUOTE_MAX } from '../../../src/main/util/quote';

// docs/scenario-format.md embeds the tables generated from the schema between two markers.
// To regenerate after changing the schema: UPDATE_DOCS=1 npx vitest run test/unit/scenario
const DOC = join(__dirname, '../../../docs/scenario-format.md');
const BEGIN = '<!-- BEGIN GENERATED: renderSchemaReference() in src/main/scenario/docs.ts -->';
const END = '<!-- END GENERATED -->';

describe('docs/scenario-format.md', () => {
  it('carries the reference generated from the schema', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const generated = `${BEGIN}\n\n${renderSchemaReference()}\n${END}`;
    const current = text.slice(start, end + END.length);
    if (process.env.UPDATE_DOCS && current !== generated) {
      writeFileSync(DOC, text.slice(0, start) + generated + text.slice(end + END.length));
      return;
    }
    expect(current).toBe(generated);
  });

  it('states the loader limits as limits.ts has them', () => {
    const text = readFileSync(DOC, 'utf8').replace(/\s+/g, ' ');
    expect(MAX_FILE_BYTES).toBe(1024 * 1024);
    expect(text).toContain('a file is at most 1 MiB (1,048,576 bytes)');
    expect(text).toContain(`nest at most ${MAX_DEPTH} levels deep`);
    expect(text).toContain(`at most ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values`);
    expect(text).toContain(`up to ${MAX_ISSUES} problems`);
    expect(text).toContain(`cut after ${QUOTE_MAX} characters`);
    for (const a of Object.keys(LAB_RUNTIME_ACTIONS)) expect(text).toContain(`\`${a}\``);
  });

  it('has an example that loads', () => {
    const text = readFileSync(DOC, 'utf8');
    const m = /```yaml\n([\s\S]*?)```/.exec(text);
    expect(m).not.toBeNull();
    const s = parseScenario(m![1], 'docs/scenario-format.md');
    expect(s.steps.length).toBeGreaterThan(0);
  });
});
