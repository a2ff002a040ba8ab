// Terminals with a fake PTY: the host's shell argv is what runs, output is coalesced into
// `terminal` events, sizes and writes are checked, and hang-ups are reported once.

import { describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../../src/main/api/desk-service';
import { Terminals } from '../../../src/main/desk/terminals';
import { fakePtys, tick } from './fakes';

function setup(max?: number) {
  const events: DeskEvent[] = [];
  const ptys = fakePtys();
  const terms = new Terminals((e) => events.push(e), ptys.spawn, max);
  return { events, ptys, terms };
}

describe('Terminals', () => {
  it('runs the given argv on a PTY with a terminal environment', () => {
    const { ptys, terms } = setup();
    const t = terms.start('ECS-A', ['ip', 'netns', 'exec', 'vpclab-x-ecs-a', 'bash', '-i'], 100, 30);
    expect(t).toEqual({ id: 'term-1', host: 'ECS-A' });
    expect(ptys.made[0].file).toBe('ip');
    expect(ptys.made[0].args).toEqual(['netns', 'exec', 'vpclab-x-ecs-a', 'bash', '-i']);
    expect(ptys.made[0].env.TERM).toBe('xterm-256color');
    expect(terms.start('ECS-B', ['bash'], 80, 24).id).toBe('term-2');
  });

  it('sends output as few events, in order, and the exit once', async () => {
    const { events, ptys, terms } = setup();
    const { id } = terms.start('ECS-A', ['bash'], 80, 24);
    ptys.made[0].out('[root@ECS-A ~]# ');
    ptys.made[0].out('ping');
    await tick();
    ptys.made[0].out(' -c 1');
    ptys.made[0].exit(0);
    expect(events).toEqual([
      { type: 'terminal', id, data: '[root@ECS-A ~]# ping' },
      { type: 'terminal', id, data: ' -c 1' },
      { type: 'terminal-exit', id, code: 0 },
    ]);
    expect(terms.count).toBe(0);
    expect(() => terms.write(id, 'x')).toThrow(expect.objectContaining({ code: 'InvalidTerminalId.NotFound' }));
  });

  it('writes keystrokes and resizes, refusing what is not a terminal size or text', () => {
    const { ptys, terms } = setup();
    const { id } = terms.start('ECS-A', ['bash'], 80, 24);
    terms.write(id, 'ls\r');
    terms.resize(id, 120, 40);
    expect(ptys.made[0].written).toEqual(['ls\r']);
    expect(ptys.made[0].sizes).toEqual([[120, 40]]);
    expect(() => terms.resize(id, 0, 40)).toThrow(expect.objectContaining({ code: 'InvalidParameter.Size' }));
    expect(() => terms.resize(id, 80.5, 40)).toThrow(expect.objectContaining({ code: 'InvalidParameter.Size' }));
    expect(() => terms.start('ECS-A', ['bash'], 'wide', 24)).toThrow(expect.objectContaining({ code: 'InvalidParameter.Size' }));
    expect(() => terms.write(id, 42)).toThrow(expect.objectContaining({ code: 'InvalidParameter.Data' }));
    expect(() => terms.write(id, 'x'.repeat(70_000))).toThrow(expect.objectContaining({ code: 'InvalidParameter.Data' }));
    expect(() => terms.write('term-99', 'x')).toThrow(expect.objectContaining({ code: 'InvalidTerminalId.NotFound' }));
    expect(ptys.made).toHaveLength(1); // the refused start made no PTY
  });

  it('hangs up on close, reporting the exit once, and closes all', () => {
    const { events, ptys, terms } = setup();
    const a = terms.start('ECS-A', ['bash'], 80, 24);
    terms.start('ECS-B', ['bash'], 80, 24);
    terms.close(a.id);
    expect(ptys.made[0].killed).toEqual(['SIGHUP']);
    ptys.made[0].exit(129); // the shell's own exit after the hang-up is not reported again
    terms.closeAll();
    expect(ptys.made[1].killed).toEqual(['SIGHUP']);
    expect(events.filter((e) => e.type === 'terminal-exit')).toEqual([
      { type: 'terminal-exit', id: 'term-1', code: null },
      { type: 'terminal-exit', id: 'term-2', code: null },
    ]);
  });

  it('has a quota', () => {
    const { terms } = setup(2);
    terms.start('A', ['bash'], 80, 24);
    terms.start('B', ['bash'], 80, 24);
    expect(() => terms.start('C', ['bash'], 80, 24)).toThrow(expect.objectContaining({ code: 'QuotaExceeded.Terminal' }));
  });
});
