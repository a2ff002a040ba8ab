import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/main/scenario/load';
import { renderSchemaReference } from '../../../src/main/scenario/docs';

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

  it('has an example that loads', () => {
    const text = readFileSync(DOC, 'utf8');
    const m = /```yaml\n([\s\S]*?)```/.exec(text);
    expect(m).not.toBeNull();
    const s = parseScenario(m![1], 'docs/scenario-format.md');
    expect(s.steps.length).toBeGreaterThan(0);
  });
});
