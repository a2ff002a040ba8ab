// ECS power (the fault a trainer injects, SEMANTICS E7/E8: a stopped NVA fails its health
// checks): StopInstances/StartInstances in their batch modes, the single-instance calls, the
// ECS API's own dry-run code, and the lab-only Mtu of RunInstances (E6).

import { describe, expect, it } from 'vitest';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { resolveParams, topologyActions } from '../../../src/main/runtime/scenario-actions';
import { parseScenario } from '../../../src/main/scenario/load';
import { expectFailure, fixture, type Res } from './helpers';

const statusOf = (f: ReturnType<typeof fixture>, id: string): string => f.cp.model.instances.find((i) => i.InstanceId === id)!.Status;
const responses = (r: Res): Res[] => (r.InstanceResponses as { InstanceResponse: Res[] }).InstanceResponse;

describe('E8: StopInstances / StartInstances', () => {
  it('E8: StopInstances stops each listed instance and answers one InstanceResponse per instance; StartInstances starts them again', () => {
    const f = fixture();
    const a = f.run('NVA-1', f.vswA);
    const b = f.run('NVA-2', f.vswA);
    const r = f.call('StopInstances', { InstanceId: [a, b], ForceStop: true, StoppedMode: 'KeepCharging' });
    expect(responses(r)).toEqual([
      { InstanceId: a, Code: '200', Message: 'success', PreviousStatus: 'Running', CurrentStatus: 'Stopped' },
      { InstanceId: b, Code: '200', Message: 'success', PreviousStatus: 'Running', CurrentStatus: 'Stopped' },
    ]);
    expect((f.call('DescribeInstances').Instances as { Instance: Res[] }).Instance.map((i) => i.Status)).toEqual(['Stopped', 'Stopped']);
    const s = f.call('StartInstances', { InstanceId: [a, b] });
    expect(responses(s).map((x) => [x.PreviousStatus, x.CurrentStatus])).toEqual([['Stopped', 'Running'], ['Stopped', 'Running']]);
    expect([statusOf(f, a), statusOf(f, b)]).toEqual(['Running', 'Running']);
  });

  it('E8: InstanceId as the ECS API sends it (InstanceId.1, InstanceId.2), as JSON text, or comma-separated', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    const b = f.run('b', f.vswA);
    f.call('StopInstances', { 'InstanceId.2': b, 'InstanceId.1': a });
    expect([statusOf(f, a), statusOf(f, b)]).toEqual(['Stopped', 'Stopped']);
    expect(responses(f.call('StartInstances', { InstanceId: JSON.stringify([b, a]) })).map((x) => x.InstanceId)).toEqual([b, a]);
    f.call('StopInstances', { InstanceId: `${a}, ${b}` });
    expect([statusOf(f, a), statusOf(f, b)]).toEqual(['Stopped', 'Stopped']);
    expectFailure(f.cp, 'StartInstances', { InstanceId: [a], 'InstanceId.2': b }, 'InvalidParameter', { param: 'InstanceId' });
    expectFailure(f.cp, 'StartInstances', { 'InstanceId.1.X': a }, 'InvalidParameter', { param: 'InstanceId.1.X' });
  });

  it('E8: stopping a stopped instance or starting a running one → IncorrectInstanceStatus (403); AllTogether (the default) then changes none', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    const b = f.run('b', f.vswA);
    f.call('StopInstances', { InstanceId: [b] });
    const e = expectFailure(f.cp, 'StopInstances', { InstanceId: [a, b] }, 'IncorrectInstanceStatus', { param: 'InstanceId', status: 403 });
    expect(e.message).toContain(b);
    expectFailure(f.cp, 'StartInstances', { InstanceId: [b, a], BatchOptimization: 'AllTogether' }, 'IncorrectInstanceStatus', { status: 403 });
    expectFailure(f.cp, 'StopInstance', { InstanceId: b }, 'IncorrectInstanceStatus', { status: 403 });
    expectFailure(f.cp, 'StartInstance', { InstanceId: a }, 'IncorrectInstanceStatus', { status: 403 });
  });

  it('E8: SuccessFirst changes those it can and reports the others in their InstanceResponse', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    const b = f.run('b', f.vswA);
    f.call('StopInstances', { InstanceId: [b] });
    const r = f.call('StopInstances', { InstanceId: [a, b, 'i-nope'], BatchOptimization: 'SuccessFirst' });
    expect(responses(r)).toMatchObject([
      { InstanceId: a, Code: '200', CurrentStatus: 'Stopped' },
      { InstanceId: b, Code: 'IncorrectInstanceStatus', PreviousStatus: 'Stopped', CurrentStatus: 'Stopped' },
      { InstanceId: 'i-nope', Code: 'InvalidInstanceId.NotFound' },
    ]);
    expect(statusOf(f, a)).toBe('Stopped');
  });

  it('E8: a dry run of the batch calls answers DRYRUN.SUCCESS (the ECS API\'s code), of the single ones DryRunOperation', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a], DryRun: true }, 'DRYRUN.SUCCESS');
    expectFailure(f.cp, 'StopInstance', { InstanceId: a, DryRun: 'true' }, 'DryRunOperation');
    f.call('StopInstance', { InstanceId: a });
    expectFailure(f.cp, 'StartInstances', { InstanceId: [a], DryRun: true }, 'DRYRUN.SUCCESS');
    expectFailure(f.cp, 'StartInstance', { InstanceId: a, DryRun: true }, 'DryRunOperation');
    // A dry run of a call that would fail reports the failure.
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a], DryRun: true }, 'IncorrectInstanceStatus');
  });

  it('E8: 1-100 instances, no repeats, known IDs; ForceStop, StoppedMode and BatchOptimization are read as the API takes them', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    expectFailure(f.cp, 'StopInstances', {}, 'MissingParameter', { param: 'InstanceId' });
    expectFailure(f.cp, 'StopInstances', { InstanceId: Array.from({ length: 101 }, (_, i) => `i-${i}`) }, 'InvalidParameter', { param: 'InstanceId' });
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a, a] }, 'InvalidParameter', { param: 'InstanceId' });
    expectFailure(f.cp, 'StopInstances', { InstanceId: ['i-nope'] }, 'InvalidInstanceId.NotFound', { status: 404 });
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a], ForceStop: 'maybe' }, 'InvalidParameter', { param: 'ForceStop' });
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a], StoppedMode: 'Frozen' }, 'InvalidParameter', { param: 'StoppedMode' });
    expectFailure(f.cp, 'StopInstances', { InstanceId: [a], BatchOptimization: 'Some' }, 'InvalidParameter', { param: 'BatchOptimization' });
    f.call('StopInstance', { InstanceId: a, ForceStop: true, StoppedMode: 'StopCharging', ConfirmStop: false });
    f.call('StartInstance', { InstanceId: a, InitLocalDisk: false });
    expect(statusOf(f, a)).toBe('Running');
    expectFailure(f.cp, 'StopInstance', { InstanceId: 'i-nope' }, 'InvalidInstanceId.NotFound', { status: 404 });
  });

  it('E8: a stopped ECS keeps its namespace and may still be deleted', () => {
    const f = fixture();
    const a = f.run('a', f.vswA);
    f.call('StopInstances', { InstanceId: [a] });
    f.call('DeleteInstance', { InstanceId: a });
    expect(f.cp.model.instances).toEqual([]);
  });

  it('E8: InstanceId names an ECS, in a list, in the flat form and as a comma-separated string', () => {
    const f = fixture();
    const a = f.run('NVA-1', f.vswA);
    const b = f.run('NVA-2', f.vswA);
    const m = f.cp.model;
    expect(resolveParams(m, { InstanceId: ['NVA-1', 'NVA-2'] })).toEqual({ InstanceId: [a, b] });
    expect(resolveParams(m, { 'InstanceId.1': 'NVA-2' })).toEqual({ 'InstanceId.1': b });
    f.cp.invoke('StopInstances', resolveParams(m, { InstanceId: 'NVA-1' }));
    expect(statusOf(f, a)).toBe('Stopped');
  });
});

describe('E6: RunInstances Mtu (lab-only)', () => {
  it('E6: 1500 by default, 8500 for a jumbo-frame NIC; DescribeInstances shows it with the Status', () => {
    const f = fixture();
    f.run('app', f.vswA);
    f.run('NVA', f.vswA, undefined, { Mtu: 8500 });
    f.run('NVA-2', f.vswA, undefined, { Mtu: '1500' });
    const list = (f.call('DescribeInstances').Instances as { Instance: Res[] }).Instance;
    expect(list.map((i) => [i.InstanceName, i.Mtu, i.Status])).toEqual([['app', 1500, 'Running'], ['NVA', 8500, 'Running'], ['NVA-2', 1500, 'Running']]);
  });

  it('E6: any other MTU is refused', () => {
    const f = fixture();
    for (const bad of [9000, 1568, '8500 ', 'jumbo', 0]) {
      expectFailure(f.cp, 'RunInstances', { InstanceName: 'x', VSwitchId: f.vswA, Mtu: bad }, 'InvalidParameter', { param: 'Mtu' });
    }
  });
});

describe('E6: a scenario ECS with mtu', () => {
  it('E6: `mtu: 8500` reaches RunInstances as Mtu, and the model holds it; the default is 1500', () => {
    const sc = parseScenario(`title: t
topology:
  vpcs:
    - { name: vpc-lab, cidr: 192.168.0.0/16, vswitches: [{ name: vsw-a, cidr: 192.168.0.0/24 }] }
  ecs:
    - { name: NVA, vswitch: vsw-a, ip: 192.168.0.10, mtu: 8500 }
    - { name: app, vswitch: vsw-a, ip: 192.168.0.11 }
`, 'lab-scenarios/t.yaml');
    const cp = new ControlPlane('t-mtu');
    const runs = topologyActions(sc).filter((a) => a.action === 'RunInstances');
    expect(runs.map((a) => a.params.Mtu)).toEqual([8500, 1500]);
    for (const a of topologyActions(sc)) cp.invoke(a.action, resolveParams(cp.model, a.params));
    expect(cp.model.instances.map((i) => [i.InstanceName, i.Mtu])).toEqual([['NVA', 8500], ['app', 1500]]);
  });
});
