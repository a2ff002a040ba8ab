// Scenario actions and checks in console words (src/renderer/src/lib/console-words.ts).
import { describe, expect, it } from 'vitest';
import { formatAction, formatCheck, formatOutcome, formatValue, inlineCode, paragraphs, paramWords, resultSummary } from '../../../src/renderer/src/lib/console-words';

describe('formatAction', () => {
  it('reads like the console: action, then each parameter, next hop as one', () => {
    expect(formatAction({ action: 'CreateRouteEntry', params: { RouteTableId: 'rt-a', DestinationCidrBlock: '8.8.8.8/32', NextHopType: 'Instance', NextHopId: 'ECS-B' } }))
      .toBe('CreateRouteEntry — RouteTableId rt-a, DestinationCidrBlock 8.8.8.8/32, NextHop ECS-B');
  });

  it('names the next-hop type when it is not an ECS instance', () => {
    expect(paramWords({ RouteTableId: 'rt-a', DestinationCidrBlock: '8.8.4.4/32', NextHopType: 'Ipv4Gateway', NextHopId: 'igw-tokyo' }))
      .toEqual(['RouteTableId rt-a', 'DestinationCidrBlock 8.8.4.4/32', 'NextHop Ipv4Gateway igw-tokyo']);
    expect(paramWords({ NextHopId: 'ECS-B' })).toEqual(['NextHop ECS-B']);
    expect(paramWords({ GatewayRouteTableId: 'rt-igw', NextHopType: 'Local' })).toEqual(['GatewayRouteTableId rt-igw', 'NextHop Local']);
  });

  it('is just the action name without parameters', () => {
    expect(formatAction({ action: 'DescribeVpcs', params: {} })).toBe('DescribeVpcs');
  });

  it('writes lists, objects, booleans and empty strings readably', () => {
    expect(formatValue(['rt-a', 'rt-b'])).toBe('[rt-a, rt-b]');
    expect(formatValue({ a: 1, b: true })).toBe('{a 1, b true}');
    expect(formatValue('')).toBe('""');
    expect(formatValue(null)).toBe('-');
    expect(paramWords({ A: undefined, B: false })).toEqual(['B false']);
  });
});

describe('formatCheck', () => {
  it('says where, what and what is expected', () => {
    expect(formatCheck({ host: 'ECS-A', run: 'ping -c 2 -W 1 8.8.4.4', expect: 'failure' })).toBe('on ECS-A: ping -c 2 -W 1 8.8.4.4 (expected to fail)');
    expect(formatCheck({ host: 'ECS-B', run: 'true', expect: 'success' })).toBe('on ECS-B: true (expected to succeed)');
  });
});

describe('formatOutcome', () => {
  const base = { action: 'CreateIpv4Gateway', params: {} };
  it('shows a success by its result', () => {
    expect(formatOutcome({ ...base, ok: true, passed: true, result: { Ipv4GatewayId: 'ipv4gw-1' } })).toEqual({ passed: true, text: 'Ipv4GatewayId ipv4gw-1' });
    expect(formatOutcome({ ...base, ok: true, passed: true, result: {} })).toEqual({ passed: true, text: 'done' });
  });
  it('counts an expected refusal as passed and shows the code', () => {
    const o = formatOutcome({ ...base, ok: false, passed: true, error: { Code: 'OperationDenied.VpcExistIpv4Gateway', Message: 'one per VPC' }, expectError: 'OperationDenied.VpcExistIpv4Gateway' });
    expect(o.passed).toBe(true);
    expect(o.text).toBe('refused as expected — OperationDenied.VpcExistIpv4Gateway: one per VPC');
  });
  it('explains a failure, and a success that should have failed', () => {
    expect(formatOutcome({ ...base, ok: false, passed: false, error: { Code: 'InvalidCidrBlock', Message: 'inside vsw-1' } })).toEqual({ passed: false, text: 'InvalidCidrBlock: inside vsw-1' });
    expect(formatOutcome({ ...base, ok: false, passed: false, error: { Code: 'A', Message: 'm' }, expectError: 'B' }).text).toBe('A: m (expected B)');
    expect(formatOutcome({ ...base, ok: true, passed: false, result: {}, expectError: 'B' })).toEqual({ passed: false, text: 'succeeded, but was expected to fail with B' });
  });
});

describe('resultSummary', () => {
  it('lists scalars, counts wrapped lists, skips empties', () => {
    expect(resultSummary({ RequestId: 'ABC-1', RouteEntryId: 'rte-1' })).toBe('RouteEntryId rte-1');
    expect(resultSummary({ RouteEntrys: { RouteEntry: [{}, {}, {}] } })).toBe('RouteEntry ×3');
    expect(resultSummary({ Ipv4GatewayRouteTableId: '', Enabled: false, Ids: ['a'] })).toBe('Enabled false, Ids ×1');
    expect(resultSummary(undefined)).toBe('');
  });
  it('stops after the first few fields', () => {
    const r = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`K${i}`, i]));
    expect(resultSummary(r, 3)).toBe('K0 0, K1 1, K2 2, …');
  });
});

describe('inlineCode', () => {
  it('splits backticked spans out of a description', () => {
    expect(inlineCode('add `0.0.0.0/0 → Ipv4Gateway` to it')).toEqual([
      { code: false, text: 'add ' },
      { code: true, text: '0.0.0.0/0 → Ipv4Gateway' },
      { code: false, text: ' to it' },
    ]);
  });
  it('keeps an unmatched backtick as text', () => {
    expect(inlineCode('a `b` c `d')).toEqual([
      { code: false, text: 'a ' },
      { code: true, text: 'b' },
      { code: false, text: ' c `d' },
    ]);
    expect(inlineCode('plain')).toEqual([{ code: false, text: 'plain' }]);
  });
});

describe('paragraphs', () => {
  it('joins wrapped lines and splits on blank lines', () => {
    expect(paragraphs('No IPv4 gateway yet: the VPC is\nin the default mode.\n\n  Second\n  paragraph.\n')).toEqual([
      'No IPv4 gateway yet: the VPC is in the default mode.',
      'Second paragraph.',
    ]);
    expect(paragraphs('  \n')).toEqual([]);
  });
});
