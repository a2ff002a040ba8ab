import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/main/scenario/load';
import { FILE, errorOf, lines, HOSTS } from './helpers';

// What the loader's messages repeat of a file (issue 10): a 10 MB value gave a 10 MB message
// with an empty field path, and a NUL or an escape sequence in a title was accepted.






describe('messages', () => {
  it('a long value gives a short message, and the root is named (document)', () => {
    const e = errorOf('x'.repeat(1_000_000));
    expect(e.message).toBe(`${FILE}:1:1: (document): expected a map (Scenario), found the string "${'x'.repeat(60)}"… (1000000 characters)`);
    expect(e.field).toBe('(document)');
  });

  it('long values are clipped wherever a message repeats them', () => {
    const long = 'y'.repeat(100_000);
    const e = errorOf(`title: t\ntopology:\n  ecs: [{ name: ${long}, vswitch: v, ip: 1.2.3.4 }]\n  internet: [{ name: h, ip: "${long}" }]\n` +
      `steps:\n  - name: s\n    checks: [{ name: c, host: h, run: ls, expect: ${long}, output: ["(${long}"] }]\n    actions:\n      - { ${long}: 1, b: 2 }\n`);
    expect(e.message.length).toBeLessThan(3000);
    for (const i of e.issues) expect(`${i.field}: ${i.problem}`.length, i.problem.slice(0, 80)).toBeLessThan(400);
  });

});

describe('control characters', () => {
  it.each([
    ['title', `title: "a\\0b"\ntopology: {}\n`, '1:8: title: "a\\u0000b" contains a control character (U+0000) at character 2; titles and names are one line of printable text'],
    ['title with a newline', `title: "a\\nb"\ntopology: {}\n`, '1:8: title: "a\\nb" contains a line break (U+000A) at character 2; titles and names are one line of printable text'],
    ['source', `title: t\nsource: "s\\e[2J"\ntopology: {}\n`, '2:9: source: "s\\u001b[2J" contains a control character (U+001B) at character 2; titles and names are one line of printable text'],
    ['step name', `${HOSTS}steps:\n  - name: "s\\0"\n`, '5:11: steps[0].name: "s\\u0000" contains a control character (U+0000) at character 2; titles and names are one line of printable text'],
    ['check name', `${HOSTS}steps:\n  - name: s\n    checks: [{ name: "c\\x7f", host: h, run: ls }]\n`, '6:22: steps[0].checks[0].name: "c\\u007f" contains a control character (U+007F) at character 2; titles and names are one line of printable text'],
    ['command', `${HOSTS}steps:\n  - name: s\n    checks: [{ name: c, host: h, run: "ls\\0-l" }]\n`, '6:39: steps[0].checks[0].run: "ls\\u0000-l" contains a control character (U+0000) at character 3; text may hold tabs and newlines but no other control characters'],
    ['description', `${HOSTS}steps:\n  - name: s\n    description: "a\\rb"\n`, '6:18: steps[0].description: "a\\rb" contains a carriage return (U+000D) at character 2; text may hold tabs and newlines but no other control characters'],
    ['host name', `title: t\ntopology:\n  internet: [{ name: "h\\0", ip: 8.8.8.8 }]\n`, '3:22: topology.internet[0].name: "h\\u0000" is not a valid host name (a letter, then up to 30 letters, digits, _ or -)'],
    ['DNS name', `title: t\ntopology:\n  internet: [{ name: h, ip: 8.8.8.8, ptr: "a\\0.com" }]\n`, '3:43: topology.internet[0].ptr: "a\\u0000.com" is not a valid DNS name (like www.aliyun.com, no trailing dot)'],
    ['resource name', `title: t\ntopology:\n  vpcs: [{ name: "v\\0", cidr: 10.0.0.0/8 }]\n`, '3:18: topology.vpcs[0].name: "v\\u0000" is not a valid name (a letter, then letters, digits, ., _ or -; at most 128)'],
  ])('refuses one in a %s', (_what, text, want) => {
    expect(lines(errorOf(text))).toEqual([`${FILE}:${want}`]);
  });

  it('allows tabs and newlines in multi-line text', () => {
    const s = parseScenario(`title: t\nsummary: "a\\tb\\nc"\ntopology: {}\nsteps:\n  - name: s\n    description: |\n      one\n      \ttwo\n`, FILE);
    expect([s.summary, s.steps[0].description]).toEqual(['a\tb\nc', 'one\n\ttwo\n']);
  });
});
