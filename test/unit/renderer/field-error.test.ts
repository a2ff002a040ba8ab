// A console form's refusal goes next to the field the API names (lib/field-error.ts), with
// messages as the lab's API phrases them (src/main/cloud/errors.ts), else to the form's top.

import { describe, expect, it } from 'vitest';
import { FailureRouter, failedParam, fieldOf } from '../../../src/renderer/src/lib/field-error';
import { labFailure } from '../../../src/renderer/src/lib/errors';
import { invalid, missing, notFound } from '../../../src/main/cloud/errors';
import { ControlPlane } from '../../../src/main/cloud/control-plane';

/** The failure the page gets for an ApiError: over the preload, only `<Code>: <Message>` crosses. */
const overTheBridge = (e: { code: string; message: string }): ReturnType<typeof labFailure> => labFailure(new Error(`${e.code}: ${e.message}`));

describe('failedParam', () => {
  it("reads the parameter from the API's own phrasing of each kind of error", () => {
    expect(failedParam(overTheBridge(invalid('InvalidCidrBlock', 'DestinationCidrBlock', '192.168.0.0/24 lies inside vsw-1')))).toBe('DestinationCidrBlock');
    expect(failedParam(overTheBridge(missing('VpcId')))).toBe('VpcId');
    expect(failedParam(overTheBridge(notFound('InvalidRouteTableId.NotFound', 'RouteTableId', 'vtb-x')))).toBe('RouteTableId');
  });
  it('prefers the Param the error carries, and names none for a message that does not', () => {
    expect(failedParam(labFailure(Object.assign(new Error('OperationDenied.ConflictOfAllZeroRouting: routetable [vtb-1] exist all-zero route entry'), {
      code: 'OperationDenied.ConflictOfAllZeroRouting', param: 'RouteTableList',
    })))).toBe('RouteTableList');
    expect(failedParam(labFailure(new Error('OperationDenied.ConflictOfAllZeroRouting: routetable [vtb-1] exist all-zero route entry')))).toBeNull();
    expect(failedParam({ code: 'Error', message: 'the connection to the lab closed' })).toBeNull();
  });
  it('reads the real control plane’s refusals', () => {
    const cp = new ControlPlane('t-unit');
    const vpc = cp.invoke('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    cp.invoke('CreateVSwitch', { VpcId: vpc.VpcId as string, ZoneId: 'z', CidrBlock: '192.168.0.0/24' });
    const refusal = (action: string, params: Record<string, string>): string | null => {
      try {
        cp.invoke(action, params);
      } catch (e) {
        return failedParam(overTheBridge(e as { code: string; message: string }));
      }
      throw new Error(`${action} did not fail`);
    };
    expect(refusal('CreateRouteEntry', { RouteTableId: vpc.RouteTableId as string, DestinationCidrBlock: '192.168.0.0/24', NextHopType: 'Instance', NextHopId: 'i-x' })).toBe('DestinationCidrBlock');
    expect(refusal('CreateRouteEntry', { RouteTableId: vpc.RouteTableId as string, DestinationCidrBlock: 'nonsense', NextHopType: 'Instance', NextHopId: 'i-x' })).toBe('DestinationCidrBlock');
    expect(refusal('CreateIpv4Gateway', {})).toBe('VpcId');
  });
});

describe('fieldOf', () => {
  const fields = [['RouteEntryName'], ['DestinationCidrBlock'], ['NextHopType', 'NewNextHopType'], ['NextHopId', 'NewNextHopId']];
  it('names the field that takes the parameter, or -1 for the form top', () => {
    expect(fieldOf({ code: 'InvalidCidrBlock', message: 'DestinationCidrBlock: x' }, fields)).toBe(1);
    expect(fieldOf({ code: 'InvalidInstanceId.NotFound', message: 'NewNextHopId: i-9 is not in vpc-1' }, fields)).toBe(3);
    expect(fieldOf({ code: 'InvalidRouteEntry.NotFound', message: 'RouteEntryId: no route table holds it' }, fields)).toBe(-1);
    expect(fieldOf({ code: 'X', message: 'no parameter here' }, fields)).toBe(-1);
  });
});

describe('FailureRouter', () => {
  it('hands failures to the form that claims them while it submits, else to the page', () => {
    const r = new FailureRouter<string>();
    const got: string[] = [];
    expect(r.route('before')).toBe(false);
    const end = r.claim((f) => got.push(f));
    expect(r.route('during')).toBe(true);
    end();
    expect(r.route('after')).toBe(false);
    expect(got).toEqual(['during']);
  });
  it("an older claim's end does not cut a newer form's claim", () => {
    const r = new FailureRouter<string>();
    const a: string[] = [];
    const b: string[] = [];
    const endA = r.claim((f) => a.push(f));
    const endB = r.claim((f) => b.push(f));
    endA();
    expect(r.route('x')).toBe(true);
    endB();
    expect([a, b]).toEqual([[], ['x']]);
  });
});
