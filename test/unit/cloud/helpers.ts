// Shared helpers for the control-plane unit tests: a small lab fixture built through
// `invoke`, and `expectFailure`, which checks an action's error code/param AND that the
// failed action left the model untouched (control-plane.ts: a failed action changes nothing).

import { expect } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { ApiError } from '../../../src/main/cloud/errors';
import type { Params } from '../../../src/main/cloud/params';

export type Res = Record<string, unknown>;

export interface Fixture {
  cp: ControlPlane;
  vpc: string;
  systemRt: string;
  vswA: string;
  vswB: string;
  call: (action: string, params?: Params) => Res;
  run: (name: string, vsw: string, ip?: string, extra?: Params) => string;
  table: (name?: string) => string;
  allocate: (ip?: string) => string;
}

/** VPC 192.168.0.0/16 with vSwitch A 192.168.0.0/24 (zone ap-northeast-1a) and vSwitch B 192.168.1.0/24 (zone ap-northeast-1b), seed 004. */
export function fixture(labName = 't-cloud-unit', opts: { now?: () => number } = {}): Fixture {
  const cp = new ControlPlane(labName, undefined, opts);
  const call = (action: string, params: Params = {}): Res => cp.invoke(action, params);
  const v = call('CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'vpc-lab' });
  const vpc = v.VpcId as string;
  const vswA = call('CreateVSwitch', { VpcId: vpc, ZoneId: 'ap-northeast-1a', CidrBlock: '192.168.0.0/24' }).VSwitchId as string;
  const vswB = call('CreateVSwitch', { VpcId: vpc, ZoneId: 'ap-northeast-1b', CidrBlock: '192.168.1.0/24' }).VSwitchId as string;
  const run = (name: string, vsw: string, ip?: string, extra: Params = {}): string =>
    instanceIdOf(call('RunInstances', { InstanceName: name, VSwitchId: vsw, ...(ip ? { PrivateIpAddress: ip } : {}), ...extra }));
  const table = (name?: string): string => call('CreateRouteTable', { VpcId: vpc, ...(name ? { RouteTableName: name } : {}) }).RouteTableId as string;
  const allocate = (ip?: string): string => call('AllocateEipAddress', ip ? { IpAddress: ip } : {}).AllocationId as string;
  return { cp, vpc, systemRt: v.RouteTableId as string, vswA, vswB, call, run, table, allocate };
}

export const instanceIdOf = (r: Res): string => (r.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0];

/** Run `action`, expect an ApiError with `code` (and `param`), and a model identical to before. */
export function expectFailure(
  cp: ControlPlane,
  action: string,
  params: Params,
  code: string,
  opts: { param?: string; status?: number } = {},
): ApiError {
  const ref = cp.model;
  const before = structuredClone(cp.model);
  let err: unknown;
  let ok: unknown;
  try {
    ok = cp.invoke(action, params);
  } catch (e) {
    err = e;
  }
  expect(ok, `${action} unexpectedly succeeded`).toBeUndefined();
  expect(err).toBeInstanceOf(ApiError);
  const e = err as ApiError;
  expect({ code: e.code, message: e.message }).toMatchObject({ code });
  if (opts.param !== undefined) expect(e.param).toBe(opts.param);
  if (opts.status !== undefined) expect(e.httpStatus).toBe(opts.status);
  expect(e.message.length).toBeGreaterThan(0);
  // Atomicity: not even the ID counter moved, and the model object was not swapped.
  expect(structuredClone(cp.model)).toStrictEqual(before);
  expect(cp.model).toBe(ref);
  return e;
}

type EntryRow = { DestinationCidrBlock: string; NextHopType: string; NextHopId: string; Type: string; RouteEntryId?: string; RouteTableId: string };
export function entries(cp: ControlPlane, rt: string): EntryRow[] {
  return ((cp.invoke('DescribeRouteEntryList', { RouteTableId: rt }).RouteEntrys as { RouteEntry: EntryRow[] }).RouteEntry);
}

/** A clock the test steps: `now()` for the control plane, `advance(ms)` to move it. */
export function testClock(start = '2024-04-15T10:00:00.000Z'): { now: () => number; advance: (ms: number) => void; iso: (plusMs?: number) => string } {
  let t = Date.parse(start);
  return { now: () => t, advance: (ms) => void (t += ms), iso: (plusMs = 0) => new Date(t + plusMs).toISOString() };
}

export const ZONE_A = 'ap-northeast-1a';
export const ZONE_B = 'ap-northeast-1b';

export interface GwlbFixture extends Fixture {
  clock: ReturnType<typeof testClock>;
  /** A GWLB in zone A (vSwitch A), or in the zones given. */
  lb: (zones?: { ZoneId: string; VSwitchId: string; PrivateIpv4Address?: string }[], name?: string) => string;
  group: (extra?: Params) => string;
  listener: (lb: string, group: string, extra?: Params) => string;
}

/** The fixture's VPC with a test clock and shorthands for the GWLB calls. */
export function gwlbFixture(labName = 't-gwlb-unit'): GwlbFixture {
  const clock = testClock();
  const f = fixture(labName, { now: clock.now });
  const lb = (zones = [{ ZoneId: ZONE_A, VSwitchId: f.vswA }], name?: string): string =>
    f.call('CreateLoadBalancer', { VpcId: f.vpc, ZoneMappings: zones, ...(name ? { LoadBalancerName: name } : {}) }).LoadBalancerId as string;
  const group = (extra: Params = {}): string => f.call('CreateServerGroup', { VpcId: f.vpc, ...extra }).ServerGroupId as string;
  const listener = (l: string, g: string, extra: Params = {}): string =>
    f.call('CreateListener', { LoadBalancerId: l, ServerGroupId: g, ...extra }).ListenerId as string;
  return { ...f, clock, lb, group, listener };
}
