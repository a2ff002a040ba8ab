import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of DESIGN.md, checked on the import lines: a back-edge is easy to add by
// accident and hard to see in review.
const SRC = resolve(__dirname, '../../../src/main');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative module a file imports (including `import type` and re-exports), as src/main paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    out.push(relative(SRC, resolve(dirname(file), m[1])));
  }
  return out;
}

const under = (dir: string) => files(join(SRC, dir)).map((f) => ({ file: relative(SRC, f), imports: importsOf(f) }));

describe('layering', () => {
  it('the scenario layer takes from services only the service table', () => {
    const bad = under('scenario').flatMap((f) => f.imports.filter((i) => i.startsWith('services/') && i !== 'services/kinds').map((i) => `${f.file} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('the cloud does not import the scenario layer (the scenario layer imports the cloud: action names, CIDR rules)', () => {
    const bad = under('cloud').flatMap((f) => f.imports.filter((i) => i.startsWith('scenario/')).map((i) => `${f.file} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('the shared tables and util/ import nothing, so every layer may import them', () => {
    for (const f of ['services/kinds.ts', ...files(join(SRC, 'util')).map((p) => relative(SRC, p))]) {
      expect(importsOf(join(SRC, f)), f).toEqual([]);
    }
  });

  it('the engine imports nothing from the layers above it (util/ is the floor below all)', () => {
    const bad = under('engine').flatMap((f) => f.imports.filter((i) => !i.startsWith('engine/') && !i.startsWith('util/')).map((i) => `${f.file} → ${i}`));
    expect(bad).toEqual([]);
  });

  it('IPv4 text is parsed in one module', () => {
    // The dotted-quad regex or a split into four parts anywhere else is a second parser.
    const parser = /\\d\{1,3\}\)?\\\.|split\('\.'\)[^\n]*length\s*===\s*4|parts\.length\s*(?:!==|===)\s*4/;
    const where = files(SRC).filter((f) => parser.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(where).toEqual(['engine/wire/ipv4-addr.ts']);
  });

  it('the service kinds are declared once', () => {
    const decl = /\b(?:const|let|var)\s+SERVICE_(?:KINDS|PROTOCOLS)\b|\bconst\s+(?:DEFAULT_PORTS|PROTOCOLS)\b|'http-hello'\s*\|\s*'ip-echo'/;
    const where = files(SRC).filter((f) => decl.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(where).toEqual(['services/kinds.ts']);
  });
});
