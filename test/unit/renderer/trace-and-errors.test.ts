// Trace filters, clock times, error codes, themes and views (src/renderer/src/lib/{trace,errors,theme,nav}.ts).
import { describe, expect, it } from 'vitest';
import { labFailure } from '../../../src/renderer/src/lib/errors';
import { viewFromHash } from '../../../src/renderer/src/lib/nav';
import { effectiveTheme, parseTheme, themeButton, toggledTheme } from '../../../src/renderer/src/lib/theme';
import { checkTraceFilter, defaultTraceFilter, filterHost, formatClock, withHost } from '../../../src/renderer/src/lib/trace';

describe('checkTraceFilter', () => {
  it('accepts the lab filter keys in any order, and all', () => {
    expect(checkTraceFilter('  host=ECS-A   proto=icmp ')).toEqual({ ok: true, filter: 'host=ECS-A proto=icmp' });
    expect(checkTraceFilter('addr=8.8.8.8')).toEqual({ ok: true, filter: 'addr=8.8.8.8' });
    expect(checkTraceFilter('ALL')).toEqual({ ok: true, filter: 'all' });
    expect(checkTraceFilter('proto=UDP host=x')).toEqual({ ok: true, filter: 'proto=UDP host=x' });
  });
  it('explains what is wrong', () => {
    const err = (t: string): string => {
      const r = checkTraceFilter(t);
      return r.ok ? '' : r.error;
    };
    expect(err('')).toMatch(/Type a filter/);
    expect(err('ECS-A')).toMatch(/"ECS-A" is not host=/);
    expect(err('port=80')).toMatch(/"port=80" is not host=/);
    expect(err('host=')).toMatch(/host= needs a value/);
    expect(err('host=a host=b')).toMatch(/given twice/);
    expect(err('addr=8.8.8')).toMatch(/not an IPv4 address/);
    expect(err('addr=256.1.1.1')).toMatch(/not an IPv4 address/);
    expect(err('proto=sctp')).toMatch(/icmp, tcp or udp/);
    expect(err('all host=a')).toMatch(/"all" is not/);
  });
});

describe('the filter a lab starts with, and the host picker', () => {
  const hosts = [
    { name: 'google-dns', kind: 'internet' as const },
    { name: 'ECS-1', kind: 'ecs' as const },
    { name: 'ECS-2', kind: 'ecs' as const },
  ];
  it("opens on the tutorial's first ECS, not on a host the tutorial may not have", () => {
    expect(defaultTraceFilter(null, hosts)).toBe('host=ECS-1 proto=icmp');
    expect(defaultTraceFilter(null, [{ name: 'ECS-A', kind: 'ecs' }])).toBe('host=ECS-A proto=icmp');
    expect(defaultTraceFilter(null, [{ name: 'client', kind: 'internet' }])).toBe('host=client proto=icmp');
    expect(defaultTraceFilter(null, [])).toBe('all');
  });
  it("keeps the lab's own filter when one is on", () => {
    expect(defaultTraceFilter('addr=8.8.8.8', hosts)).toBe('addr=8.8.8.8');
  });
  it('reads and replaces host= and keeps the other keys', () => {
    expect(filterHost('proto=icmp host=ECS-2')).toBe('ECS-2');
    expect(filterHost('all')).toBeNull();
    expect(filterHost('host=')).toBeNull();
    expect(withHost('host=ECS-1 proto=icmp', 'ECS-2')).toBe('host=ECS-2 proto=icmp');
    expect(withHost('addr=8.8.8.8', 'ECS-2')).toBe('host=ECS-2 addr=8.8.8.8');
    expect(withHost('all', 'ECS-2')).toBe('host=ECS-2');
    expect(withHost('host=ECS-1 proto=icmp', null)).toBe('proto=icmp');
    expect(withHost('host=ECS-1', null)).toBe('all');
    expect(withHost('', null)).toBe('all');
  });
});

describe('formatClock', () => {
  it('prints hours to milliseconds', () => {
    expect(formatClock(Date.UTC(2024, 0, 1, 7, 44, 12, 381), true)).toBe('07:44:12.381');
    expect(formatClock(Date.UTC(2024, 0, 1, 23, 5, 9, 7), true)).toBe('23:05:09.007');
  });
});

describe('labFailure', () => {
  it('uses the code the browser client attaches, without repeating it', () => {
    const e = Object.assign(new Error('OperationDenied.ConflictOfAllZeroRouting: routetable [vtb-1] exist all-zero route entry'), {
      code: 'OperationDenied.ConflictOfAllZeroRouting',
    });
    expect(labFailure(e)).toEqual({ code: 'OperationDenied.ConflictOfAllZeroRouting', message: 'routetable [vtb-1] exist all-zero route entry' });
  });
  it('reads the code from the preload message `<Code>: <Message>`', () => {
    expect(labFailure(new Error('VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE: vtb-1 already has 8.8.8.8/32'))).toEqual({
      code: 'VPC_ROUTE_ENTRY_CIDR_BLOCK_DUPLICATE', message: 'vtb-1 already has 8.8.8.8/32',
    });
    expect(labFailure(new Error('OperationFailed.Ipv4GatewayAlreadyActive.: it is active')).code).toBe('OperationFailed.Ipv4GatewayAlreadyActive.');
  });
  it('falls back to Error for anything else', () => {
    expect(labFailure(new Error('trace filter: bad'))).toEqual({ code: 'Error', message: 'trace filter: bad' });
    expect(labFailure('boom')).toEqual({ code: 'Error', message: 'boom' });
    expect(labFailure(Object.assign(new Error('x'), { code: '' }))).toEqual({ code: 'Error', message: 'x' });
  });
});

describe('themes and views', () => {
  it('follows the system until the user picks, and toggles', () => {
    expect(effectiveTheme(null, true)).toBe('dark');
    expect(effectiveTheme(null, false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('blue')).toBeNull();
    expect(toggledTheme('dark')).toBe('light');
    expect(toggledTheme('light')).toBe('dark');
  });
  it('the theme button names the theme it switches to, in either theme', () => {
    expect(themeButton('light')).toEqual({ text: 'Dark theme', label: 'Switch to the dark theme', icon: '☾' });
    expect(themeButton('dark')).toEqual({ text: 'Light theme', label: 'Switch to the light theme', icon: '☀' });
  });
  it('opens the view the hash names, else the Guide', () => {
    expect(viewFromHash('#console')).toBe('console');
    expect(viewFromHash('#/Trace')).toBe('trace');
    expect(viewFromHash('')).toBe('guide');
    expect(viewFromHash('#nope')).toBe('guide');
  });
});
