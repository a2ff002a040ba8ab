import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_FILE_BYTES, MAX_ISSUES } from '../../../src/main/scenario/limits';
import { loadScenario, parseScenario, ScenarioError } from '../../../src/main/scenario/load';
import { FILE, errorOf, lines, timed, HOSTS } from './helpers';

// Files that make a loader do too much (issue 10): alias bombs, huge or deeply nested files,
// many keys, keys named like Object.prototype's members. Each must end fast in a
// ScenarioError naming file:line:column. The limits are pinned here as documented.



const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'vpclab-limits-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});




it('the limits are the documented ones', () => {
  expect([MAX_FILE_BYTES, MAX_DEPTH, MAX_ALIAS_EXPANSION, MAX_ISSUES]).toEqual([1024 * 1024, 64, 10_000, 200]);
});

describe('large topologies load in linear time', () => {
  // Pairwise checks made these quadratic: 20,000 vSwitches or a 20,000-long CNAME chain
  // took over 15 s. What is left is mostly yaml's own parse (~2 µs a byte).
  it('20,000 vSwitches in one VPC, with route entries checked against them', () => {
    const vsw = Array.from({ length: 20_000 }, (_, i) => `{name: s${i}, cidr: 10.${i >> 8}.${i & 255}.0/24}`).join(',');
    const routes = Array.from({ length: 150 }, (_, i) => `{destination: 11.0.${i}.0/24, nextHop: x, nextHopType: NatGateway}`).join(',');
    const text = `title: t\ntopology:\n  vpcs:\n    - name: v\n      cidr: 10.0.0.0/8\n      vswitches: [${vsw}, {name: clash, cidr: 10.3.4.0/25}]\n      systemRoutes: [${routes}, {destination: 10.1.2.3/32, nextHop: x, nextHopType: NatGateway}]\n`;
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(8000); // ~2 s here; the pairwise checks took over 15 s
    expect(e!.issues.map((i) => i.problem)).toEqual([
      '10.3.4.0/25 overlaps vSwitch s772 (10.3.4.0/24) at topology.vpcs[0].vswitches[772].cidr (line 6)',
      '10.1.2.3/32 is inside vSwitch s258 (10.1.2.0/24); a custom entry may contain a vSwitch CIDR block but not equal it or lie inside it',
    ]);
  });

  it('a 20,000-long CNAME chain, and a loop at its end', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `{name: a${i}.com, target: a${i + 1}.com}`).join(',');
    const text = `title: t\ntopology:\n  cnames: [${chain}, {name: a20000.com, target: a19999.com}]\n`;
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(8000); // ~2 s here; the pairwise checks took over 15 s
    expect(e!.issues.map((i) => `${i.field}: ${i.problem}`)).toEqual([
      'topology.cnames[19999].target: CNAME loop: a19999.com leads back to itself',
      'topology.cnames[20000].target: CNAME loop: a20000.com leads back to itself',
    ]);
  });
});

describe('problems are counted up to a limit', () => {
  it('stops looking after 200, fast, and says so (a did-you-mean per mistake among many names)', () => {
    const hosts = Array.from({ length: 900 }, (_, i) => `{ name: host-${i}, ip: 8.${i >> 8}.${i & 255}.1 }`).join(', ');
    const checks = Array.from({ length: 3000 }, (_, i) => `{ name: c, host: qost-${i % 900}, run: ls }`).join(', ');
    const text = `title: t\ntopology:\n  internet: [${hosts}]\nsteps:\n  - name: s\n    checks: [${checks}]\n`;
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(2000);
    expect(e!.issues).toHaveLength(200);
    expect(e!.complete).toBe(false);
    expect(e!.issues[0].problem).toBe('no ECS or Internet host named qost-0 (did you mean host-0?)');
    expect(lines(e!).at(-1)).toBe('(180 more errors not shown; the loader stopped looking after 200)');
  });

  it('a complete list says nothing more', () => {
    const e = errorOf(`title: t\ntopology: {}\nzzz: 1\n`);
    expect([e.complete, lines(e)]).toEqual([true, [`${FILE}:3:1: zzz: unknown field; Scenario fields are title, source, summary, topology, steps`]]);
  });
});

describe('YAML aliases are bounded', () => {
  it('refuses a 20 KB file repeating an anchor 2,000 × 2,000 times fast, at the alias that crossed the limit', () => {
    const x2000 = Array.from({ length: 2000 }, () => 'x').join(',');
    const uses = Array.from({ length: 2000 }, () => '*c').join(',');
    const text = `${HOSTS}steps:\n  - name: s\n    checks: [&c { name: c, host: h, run: ls, output: [${x2000}] }, ${uses}]\n`;
    expect(text.length).toBeLessThan(20_000);
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(2000);
    expect(e!.issues).toHaveLength(1);
    const m = /^lab-scenarios\/bad\.yaml:6:(\d+): steps\[0\]\.checks\[(\d+)\]: aliases expand to more than 10000 values by here; a file may repeat only so much through anchors \(&name \/ \*name\)$/.exec(e!.message);
    expect(m).not.toBeNull();
    // Each use costs ~2,000 values, so the fifth alias (checks[5]; checks[0] is the anchor)
    // crosses 10,000, and the column is that alias's.
    const [column, index] = [Number(m![1]), Number(m![2])];
    expect(index).toBe(5);
    const line6 = text.split('\n')[5];
    let at = -1;
    for (let n = 0; n < index; n++) at = line6.indexOf('*c', at + 1);
    expect(column).toBe(at + 1);
  });

  it('refuses a billion laughs (1,000 × 1,000 × 1,000 through three anchors) fast', () => {
    const k = (v: string) => Array.from({ length: 1000 }, () => v).join(',');
    const text = `${HOSTS}steps:\n  - &s\n    name: s\n    checks: [&c { name: c, host: h, run: ls, output: [${k('x')}] }, ${k('*c')}]\n  - ${k('*s').split(',').join('\n  - ')}\n`;
    expect(text.length).toBeLessThan(30_000);
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(2000);
    expect(e!.issues.map((i) => i.problem)).toEqual([
      'aliases expand to more than 10000 values by here; a file may repeat only so much through anchors (&name / *name)',
    ]);
  });

  it('still resolves ordinary reuse, and names an alias without an anchor', () => {
    const ok = parseScenario(`title: t\ntopology:\n  internet:\n    - { name: a, ip: 8.8.8.8, services: &s [dns] }\n    - { name: b, ip: 8.8.4.4, services: *s }\n`, FILE);
    expect(ok.internet[1].services).toEqual([{ kind: 'dns', port: 53 }]);
    expect(lines(errorOf(`title: *nope\ntopology: {}\n`))).toEqual([
      `${FILE}:1:8: title: *nope refers to no anchor: an alias repeats a value marked &nope earlier in the file`,
    ]);
  });
});

describe('size and depth are bounded', () => {
  it('refuses a file over 1 MiB before reading it, naming the file', () => {
    const dir = tempDir();
    const path = join(dir, 'huge.yaml');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3); // 2 GiB, sparse: reading it whole would take seconds and 2 GB
    closeSync(fd);
    let e: unknown;
    const ms = timed(() => {
      try {
        loadScenario(path);
      } catch (err) {
        e = err;
      }
    });
    expect(ms).toBeLessThan(500);
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).message).toBe(
      `${path}:1:1: (document): the file is 2147483648 bytes; a scenario file may be at most 1048576 bytes (1 MiB)`,
    );
  });

  it('accepts a file of exactly 1 MiB as far as size goes', () => {
    const text = `title: t\ntopology: {}\n# ${'x'.repeat(1024 * 1024 - 25)}\n`;
    expect(Buffer.byteLength(text)).toBe(1024 * 1024);
    expect(parseScenario(text, FILE).title).toBe('t');
    expect(() => parseScenario(text + ' ', FILE)).toThrow('a scenario file may be at most 1048576 bytes (1 MiB)');
  });

  it('refuses what is not a regular file without waiting on it', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadScenario(fifo)).toThrow(`${fifo}:1:1: (document): is not a regular file`);
    expect(() => loadScenario('/dev/zero')).toThrow('/dev/zero:1:1: (document): is not a regular file');
  });

  it('a 10 MB value is refused by size', () => {
    const e = errorOf('x'.repeat(10 * 1024 * 1024));
    expect(e.message).toBe(`${FILE}:1:1: (document): the file is 10485760 bytes; a scenario file may be at most 1048576 bytes (1 MiB)`);
  });

  it.each([
    ['flow lists', `title: t\ntopology: {}\nsteps: ${'['.repeat(100_000)}\n`, '3:71'],
    ['flow maps', `title: t\ntopology: {}\nsteps: ${'{a: '.repeat(100_000)}\n`, '3:260'],
    ['block lists', `title: t\ntopology: {}\nsteps:\n${'- '.repeat(100_000)}x\n`, '4:127'],
  ])('refuses %s nested 100,000 deep with a depth limit, not a stack overflow', (_name, text, at) => {
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(2000);
    expect(lines(e!)).toEqual([`${FILE}:${at}: (document): nested deeper than 64 levels (lists and maps inside each other)`]);
  });

  it('refuses a second YAML document, at its start', () => {
    expect(lines(errorOf(`title: t\ntopology: {}\n---\ntitle: u\n`))).toEqual([
      `${FILE}:3:1: (syntax): a scenario file holds one YAML document; another starts here`,
    ]);
  });

  it("draws the line at 64 levels (the document's map is the first)", () => {
    const nest = (n: number) => `title: t\ntopology: {}\nsteps: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(errorOf(nest(63)).issues[0].problem).toBe('expected a map (Step), found a list');
    expect(errorOf(nest(64)).issues[0].problem).toBe('nested deeper than 64 levels (lists and maps inside each other)');
  });

  it('20,000 keys in one map load in under 2 s (duplicate keys are found linearly; yaml\'s uniqueKeys took ~7 s)', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `K${i}: 1`).join(', ');
    // An action the step expects to be refused: its parameters are not checked against it.
    const text = `${HOSTS}steps:\n  - name: s\n    actions:\n      - { action: NoSuchAction, expectError: InvalidAction.NotFound, params: { ${keys}, K7: 2 } }\n`;
    expect(text.length).toBeLessThan(1024 * 1024);
    let e: ScenarioError | undefined;
    const ms = timed(() => (e = errorOf(text)));
    expect(ms).toBeLessThan(2000);
    const line7 = text.split('\n')[6];
    const [first, dup] = [line7.indexOf('K7: 1') + 1, line7.indexOf('K7: 2') + 1];
    expect(lines(e!)).toEqual([`${FILE}:7:${dup}: steps[0].actions[0].params.K7: duplicate key, first at line 7 column ${first} (keys of a map must be unique)`]);
  });
});

describe('keys that are also Object.prototype names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('%s is an unknown field, not a crash', (key) => {
    const e = errorOf(`title: t\ntopology: {}\n${key}: 1\n`);
    expect(lines(e)).toEqual([`${FILE}:3:1: ${key}: unknown field; Scenario fields are title, source, summary, topology, steps`]);
  });
});
