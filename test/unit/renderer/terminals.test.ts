// Page-side terminal logic (src/renderer/src/lib/terminals.ts) and the views' order and
// defaults (lib/nav.ts).
import { describe, expect, it } from 'vitest';
import { defaultView, hashView, needsLab, VIEWS, viewFromHash } from '../../../src/renderer/src/lib/nav';
import { terminalTheme } from '../../../src/renderer/src/lib/terminal-theme';
import { paneName, ResizeSync, TerminalRouter } from '../../../src/renderer/src/lib/terminals';

function sink() {
  const got: string[] = [];
  return { got, sink: { data: (d: string) => got.push(d), exit: (c: number | null) => got.push(`exit ${c}`) } };
}

describe('paneName', () => {
  it('names a host’s terminals host, host-2, host-3, reusing the lowest free number', () => {
    expect(paneName([], 'ECS-A')).toBe('ECS-A');
    expect(paneName(['ECS-A'], 'ECS-A')).toBe('ECS-A-2');
    expect(paneName(['ECS-A', 'ECS-A-2', 'ECS-B'], 'ECS-A')).toBe('ECS-A-3');
    expect(paneName(['ECS-A-2'], 'ECS-A')).toBe('ECS-A');
    expect(paneName(['ECS-A', 'ECS-A-3'], 'ECS-A')).toBe('ECS-A-2');
    expect(paneName(['ECS-A'], 'ECS-B')).toBe('ECS-B');
  });
});

describe('TerminalRouter', () => {
  it('delivers output to the pane that attached the id, and nothing to others', () => {
    const r = new TerminalRouter();
    const a = sink();
    const b = sink();
    r.attach('t1', a.sink);
    r.attach('t2', b.sink);
    r.data('t1', 'hello');
    r.data('t2', 'world');
    r.exit('t1', 0);
    expect(a.got).toEqual(['hello', 'exit 0']);
    expect(b.got).toEqual(['world']);
  });

  it('keeps output that comes before the pane knows its id (the first prompt) and hands it over', () => {
    const r = new TerminalRouter();
    r.data('t7', '[root@ECS-A ~]# ');
    r.data('t7', 'x');
    expect(r.waiting).toEqual(['t7']);
    const a = sink();
    r.attach('t7', a.sink);
    expect(a.got).toEqual(['[root@ECS-A ~]# x']);
    expect(r.waiting).toEqual([]);
  });

  it('hands over an early exit after the early output', () => {
    const r = new TerminalRouter();
    r.data('t1', 'bye\r\n');
    r.exit('t1', 127);
    const a = sink();
    r.attach('t1', a.sink);
    expect(a.got).toEqual(['bye\r\n', 'exit 127']);
  });

  it('bounds what it keeps: the latest output per id, the latest ids', () => {
    const r = new TerminalRouter(2, 10);
    r.data('a', '0123456789');
    r.data('a', 'ABCDE');
    r.data('b', 'b');
    r.data('c', 'c');
    expect(r.waiting).toEqual(['b', 'c']);
    r.data('b', 'x'.repeat(3));
    const got = sink();
    r.attach('b', got.sink);
    expect(got.got).toEqual(['bxxx']);

    const r2 = new TerminalRouter(4, 10);
    r2.data('a', '0123456789');
    r2.data('a', 'ABCDE');
    const a = sink();
    r2.attach('a', a.sink);
    expect(a.got).toEqual(['ABCDE']);
  });

  it('drops output for a pane that was closed instead of keeping it for no one', () => {
    const r = new TerminalRouter();
    const a = sink();
    const detach = r.attach('t1', a.sink);
    detach();
    r.data('t1', 'late');
    r.exit('t1', 0);
    expect(a.got).toEqual([]);
    expect(r.waiting).toEqual([]);
  });
});

describe('ResizeSync', () => {
  function fakeTimers() {
    let next: (() => void) | null = null;
    let sets = 0;
    return {
      timers: {
        set: (f: () => void) => {
          next = f;
          sets++;
          return sets as unknown as ReturnType<typeof setTimeout>;
        },
        clear: () => (next = null),
      },
      fire: () => {
        const f = next;
        next = null;
        f?.();
      },
    };
  }

  it('sends only the size a burst of resizes settles on', () => {
    const t = fakeTimers();
    const sent: string[] = [];
    const s = new ResizeSync((c, r) => sent.push(`${c}x${r}`), 100, t.timers);
    s.request(80, 24);
    s.request(90, 24);
    s.request(100, 30);
    expect(sent).toEqual([]);
    t.fire();
    expect(sent).toEqual(['100x30']);
  });

  it('does not send the size the server already has, nor nonsense', () => {
    const t = fakeTimers();
    const sent: string[] = [];
    const s = new ResizeSync((c, r) => sent.push(`${c}x${r}`), 100, t.timers);
    s.known(80, 24);
    s.request(80, 24);
    t.fire();
    s.request(0, 24);
    s.request(Number.NaN, 10);
    t.fire();
    expect(sent).toEqual([]);
    s.request(81, 24);
    s.dispose();
    t.fire();
    expect(sent).toEqual([]);
  });
});

describe('views', () => {
  it('lists the views in the order of the navigation', () => {
    expect(VIEWS.map((v) => v.id)).toEqual(['library', 'guide', 'topology', 'console', 'terminals', 'trace', 'hosts']);
  });

  it('opens the Guide when a lab is up and the Library when none is, unless the hash names a view', () => {
    expect(defaultView(true)).toBe('guide');
    expect(defaultView(false)).toBe('library');
    expect(hashView('#terminals')).toBe('terminals');
    expect(hashView('#/Library')).toBe('library');
    expect(hashView('')).toBeNull();
    expect(viewFromHash('#nope', 'library')).toBe('library');
    expect(needsLab('library')).toBe(false);
    expect(needsLab('terminals')).toBe(true);
  });

  it('gives terminals a palette per theme, dark text on light and light on dark', () => {
    expect(terminalTheme('light').background).not.toBe(terminalTheme('dark').background);
    const lum = (hex: string) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
    expect(lum(terminalTheme('light').foreground!)).toBeLessThan(lum(terminalTheme('light').background!));
    expect(lum(terminalTheme('dark').foreground!)).toBeGreaterThan(lum(terminalTheme('dark').background!));
  });
});
