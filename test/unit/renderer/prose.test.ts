// What the Library and the Guide show of each tutorial (title, source, summary, step names
// and descriptions, check names and what they run) reads in the cloud's words: no rule code
// of the lab's semantics notes, no local seed file name. The Library card's source is the
// public document, linked. Read through the same loaders the app uses.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../../src/main/desk/library';
import { loadScenario } from '../../../src/main/scenario/load';
import { sourceLink } from '../../../src/renderer/src/lib/source-link';
import { internalWords } from '../../e2e/support/internal-words';

const dir = path.resolve(__dirname, '../../../lab-scenarios');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('internalWords', () => {
  it('finds rule codes, SEMANTICS and seed file names, and lets ordinary words pass', () => {
    expect(internalWords('dropped (A9)')).toHaveLength(1);
    expect(internalWords('D10.6 and B5.4')).toHaveLength(2);
    expect(internalWords('SEMANTICS A4–A11')).toHaveLength(3);
    expect(internalWords('seeds/004_72a051a1bed22895.txt')).toHaveLength(2);
    expect(internalWords('../shared/seeds/000_d9e55378e56366bd.txt')).toHaveLength(2);
    expect(internalWords('ECS-A pings 8.8.8.8 in ap-northeast-1a; step 2-3, vsw-b, rt-a, 3-5: ping')).toEqual([]);
  });
});

describe('the tutorials in the cloud’s words', () => {
  it('the Library cards: title, source and summary', () => {
    const list = listScenarios(dir);
    expect(list.length).toBe(files.length);
    expect(list.filter((s) => s.error).map((s) => s.error)).toEqual([]);
    const found = list.flatMap((s) => [s.title, s.source ?? '', s.summary ?? ''].flatMap((t) => internalWords(t).map((w) => `${s.file}: ${w}`)));
    expect(found).toEqual([]);
  });

  it('the Guide: step names and descriptions, actions, checks and what they run', () => {
    const found: string[] = [];
    for (const f of files) {
      const s = loadScenario(path.join(dir, f));
      const shown = s.steps.flatMap((st) => [
        st.name,
        st.description ?? '',
        ...st.actions.map((a) => `${a.action} ${JSON.stringify(a.params)} ${a.expectError ?? ''}`),
        ...st.checks.flatMap((c) => [c.name, c.host, c.run]),
      ]);
      for (const t of shown) found.push(...internalWords(t).map((w) => `${f}: ${w}`));
    }
    expect(found).toEqual([]);
  });

  it('every tutorial that follows a document links its public page', () => {
    for (const s of listScenarios(dir).filter((x) => x.steps > 0)) {
      const link = sourceLink(s.source ?? '');
      expect(link.url, `${s.file}: ${s.source}`).toMatch(/^https:\/\/www\.(alibabacloud\.com\/help\/en\/|softbank\.jp\/)/);
      expect(link.title.length, s.file).toBeGreaterThan(5);
    }
  });
});

describe('sourceLink', () => {
  it('reads `Title — URL`, a bare URL, and plain words', () => {
    expect(sourceLink('IPv4 gateway (docs) — https://www.alibabacloud.com/help/en/vpc/x')).toEqual({
      title: 'IPv4 gateway (docs)', url: 'https://www.alibabacloud.com/help/en/vpc/x',
    });
    expect(sourceLink('https://example.org/a')).toEqual({ title: 'https://example.org/a', url: 'https://example.org/a' });
    expect(sourceLink(' npm run bench (bench/run.ts); not a tutorial ')).toEqual({ title: 'npm run bench (bench/run.ts); not a tutorial', url: null });
    // A dash inside the title stays in it.
    expect(sourceLink('A — B - C — https://x.example/')).toEqual({ title: 'A — B - C', url: 'https://x.example/' });
  });
});
