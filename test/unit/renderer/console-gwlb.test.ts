// The Console's GWLB rows, read from the real control plane's answers for the GWLB tutorial's
// cloud (no root, no lab): instances with their zone addresses, the listener, the server
// group with its servers, the endpoint service, the endpoints with their zone, and the
// GatewayLoadBalancerEndpoint next hops of the route forms. The health rows come from the
// API's GetListenerHealthStatus shape, which the runtime serves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EMPTY_CONSOLE, GATEWAY_NEXT_HOP_TYPES, healthIndex, healthWords, loadConsoleData, loadHealth, nameIndex, nextHopChoices, nextHopLabel,
  ROUTE_NEXT_HOP_TYPES, routeEntryRows,
} from '../../../src/renderer/src/lib/console-data';
import { fieldOf } from '../../../src/renderer/src/lib/field-error';
import { poll } from '../../../src/renderer/src/lib/poll';
import { gwlbTutorial } from './gwlb-tutorial';

describe('loadConsoleData on the GWLB tutorial', () => {
  it('lists the GWLB with its zone addresses, its listener, the server group with both appliances', async () => {
    const lab = gwlbTutorial(7);
    const d = await loadConsoleData(lab.invoke);
    expect(d.gwlbs).toEqual([
      expect.objectContaining({
        LoadBalancerId: lab.id('gwlb-fw'), LoadBalancerName: 'gwlb-fw', VpcId: lab.id('vpc-sec'), LoadBalancerStatus: 'Active',
        Zones: [
          { ZoneId: 'cn-wulanchabu-b', VSwitchId: lab.id('vsw-sec-b'), PrivateIpv4Address: '10.0.1.41' },
          { ZoneId: 'cn-wulanchabu-c', VSwitchId: lab.id('vsw-sec-c'), PrivateIpv4Address: '10.0.3.41' },
        ],
      }),
    ]);
    expect(d.listeners).toEqual([
      expect.objectContaining({ LoadBalancerId: lab.id('gwlb-fw'), ServerGroupId: lab.id('nva-group'), ListenerStatus: 'Running', TcpIdleTimeout: 350 }),
    ]);
    expect(d.serverGroups).toHaveLength(1);
    const g = d.serverGroups[0];
    expect(g).toMatchObject({
      ServerGroupName: 'nva-group', ServerGroupStatus: 'Available', Protocol: 'GENEVE', Scheduler: '5TCH', ServerFailoverMode: 'Rebalance',
      RelatedLoadBalancerIds: [lab.id('gwlb-fw')],
      HealthCheck: { Enabled: true, Protocol: 'TCP', Port: 80, Interval: 2, Timeout: 1, Healthy: 2, Unhealthy: 2 },
      Drain: { Enabled: false, Timeout: 300 },
    });
    expect(g.Servers).toEqual([
      { ServerId: lab.id('ECS_01'), ServerIp: '10.0.1.11', ServerType: 'Ecs', Port: 6081, Status: 'Available' },
      { ServerId: lab.id('ECS_02'), ServerIp: '10.0.3.12', ServerType: 'Ecs', Port: 6081, Status: 'Available' },
    ]);
  });

  it('lists the endpoint service and both GWLB endpoints, Connected, each in its zone\'s vSwitch', async () => {
    const lab = gwlbTutorial(7);
    const d = await loadConsoleData(lab.invoke);
    expect(d.endpointServices).toEqual([
      expect.objectContaining({
        ServiceDescription: 'fw-service', ServiceStatus: 'Active', ServiceResourceType: 'gwlb', AutoAcceptEnabled: true, Zones: ['cn-wulanchabu-b', 'cn-wulanchabu-c'],
      }),
    ]);
    expect(d.endpoints.map((e) => [e.EndpointName, e.EndpointType, e.EndpointStatus, e.ConnectionStatus, e.ZoneId, e.VSwitchId, e.ZoneStatus])).toEqual([
      ['GWLBe_01', 'GatewayLoadBalancer', 'Active', 'Connected', 'cn-wulanchabu-b', lab.id('vsw-gwlbe-b'), 'Connected'],
      ['GWLBe_02', 'GatewayLoadBalancer', 'Active', 'Connected', 'cn-wulanchabu-c', lab.id('vsw-gwlbe-c'), 'Connected'],
    ]);
    expect(d.endpoints[0].EniIp).toMatch(/^192\.168\.10\.\d+$/);
  });

  it('shows the statuses of the first second as the cloud reports them: Provisioning, Creating', async () => {
    const lab = gwlbTutorial(7);
    lab.clock.now -= 1500;
    const d = await loadConsoleData(lab.invoke);
    expect(d.gwlbs[0].LoadBalancerStatus).toBe('Provisioning');
    expect(d.serverGroups[0].ServerGroupStatus).toBe('Creating');
    expect(d.endpoints[0].EndpointStatus).toBe('Creating');
    expect(d.endpoints[0].ZoneStatus).toBe('Creating');
  });

  it('reads an ECS instance stopped by StopInstances as Stopped', async () => {
    const lab = gwlbTutorial(7);
    await lab.invoke('StopInstances', { InstanceId: ['ECS_01'] });
    const d = await loadConsoleData(lab.invoke);
    expect(d.instances.find((i) => i.InstanceName === 'ECS_01')?.Status).toBe('Stopped');
    expect(d.instances.find((i) => i.InstanceName === 'ECS_02')?.Status).toBe('Running');
  });

  it('names GWLB endpoints as next hops, and offers them in Add Route Entry and the gateway table\'s Modify', async () => {
    const lab = gwlbTutorial(7);
    const d = await loadConsoleData(lab.invoke);
    const names = nameIndex(d);
    expect(names.get(lab.id('GWLBe_01'))).toBe('GWLBe_01');
    expect(names.get(lab.id('gwlb-fw'))).toBe('gwlb-fw');
    expect(names.get(lab.id('nva-group'))).toBe('nva-group');
    const entries = routeEntryRows(await lab.invoke('DescribeRouteEntryList', { RouteTableId: 'rt-igw' }));
    const e = entries.find((x) => x.DestinationCidrBlock === '192.168.1.0/24')!;
    expect(e).toMatchObject({ NextHopType: 'GatewayLoadBalancerEndpoint', Type: 'Custom' });
    expect(nextHopLabel(e, names)).toBe(`GWLB Endpoint GWLBe_01 (${lab.id('GWLBe_01')})`);

    expect(ROUTE_NEXT_HOP_TYPES.map((t) => t.value)).toContain('GatewayLoadBalancerEndpoint');
    expect(GATEWAY_NEXT_HOP_TYPES.map((t) => t.value)).toEqual(['Instance', 'GatewayLoadBalancerEndpoint']);
    expect(nextHopChoices(d, lab.id('vpc-biz'), 'GatewayLoadBalancerEndpoint')).toEqual([
      { value: lab.id('GWLBe_01'), label: `GWLBe_01 (${lab.id('GWLBe_01')}, cn-wulanchabu-b, Connected)` },
      { value: lab.id('GWLBe_02'), label: `GWLBe_02 (${lab.id('GWLBe_02')}, cn-wulanchabu-c, Connected)` },
    ]);
    // The endpoints live in the business VPC: the security VPC has none to offer.
    expect(nextHopChoices(d, lab.id('vpc-sec'), 'GatewayLoadBalancerEndpoint')).toEqual([]);
  });

  it('a lab without GWLB reads as empty lists, not as an error', async () => {
    const lab = gwlbTutorial(1);
    const d = await loadConsoleData(lab.invoke);
    expect([d.gwlbs, d.serverGroups, d.listeners, d.endpointServices, d.endpoints]).toEqual([[], [], [], [], []]);
    expect(Object.keys(EMPTY_CONSOLE).sort()).toEqual(Object.keys(d).sort());
  });
});

describe('backend health (GetListenerHealthStatus)', () => {
  const answer = (servers: Record<string, unknown>[]) => ({
    RequestId: 'x',
    TotalCount: servers.length,
    ListenerHealthStatus: [{ ListenerId: 'lsn-1', ServerGroupInfos: [{ ServerGroupId: 'sgp-1', HealthCheckEnabled: true, Servers: servers }] }],
  });

  it('indexes each group\'s servers with their status and the reason the API gives', () => {
    const h = healthIndex([
      answer([
        { ServerId: 'i-1', ServerIp: '10.0.1.11', Port: 6081, Status: 'Unhealthy', Reason: { ReasonCode: 'CONNECT_TIMEOUT' } },
        { ServerId: 'i-2', ServerIp: '10.0.3.12', Port: 6081, Status: 'Healthy' },
      ]),
    ]);
    expect(h.get('sgp-1')?.get('i-1')).toEqual({ ServerId: 'i-1', ServerIp: '10.0.1.11', Status: 'Unhealthy', ReasonCode: 'CONNECT_TIMEOUT' });
    expect(healthWords(h.get('sgp-1')?.get('i-1'))).toEqual({ text: 'Unhealthy (CONNECT_TIMEOUT)', tone: 'bad' });
    expect(healthWords(h.get('sgp-1')?.get('i-2'))).toEqual({ text: 'Healthy', tone: 'ok' });
    expect(healthWords({ ServerId: 'i', ServerIp: '', Status: 'Initial', ReasonCode: '' }).tone).toBe('warn');
    expect(healthWords(undefined)).toEqual({ text: '-', tone: 'idle' });
    expect(healthIndex([{}, null, { ListenerHealthStatus: 'x' }]).size).toBe(0);
  });

  it('asks once per listener, with its ID', async () => {
    const calls: [string, Record<string, unknown>][] = [];
    const h = await loadHealth(async (a, p) => {
      calls.push([a, p]);
      return answer([{ ServerId: 'i-1', Status: 'Healthy' }]);
    }, [{ ListenerId: 'lsn-1', LoadBalancerId: 'gwlb-1', ServerGroupId: 'sgp-1', ListenerStatus: 'Running', ListenerDescription: '', TcpIdleTimeout: 350 }]);
    expect(calls).toEqual([['GetListenerHealthStatus', { ListenerId: 'lsn-1' }]]);
    expect(h.get('sgp-1')?.get('i-1')?.Status).toBe('Healthy');
    expect((await loadHealth(async () => ({}), [])).size).toBe(0);
  });
});

describe('poll', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('reads every interval while in sight, never two readings at once, and not after stop', async () => {
    let shown = true;
    let reads = 0;
    let release: (() => void) | null = null;
    const p = poll(() => {
      reads++;
      return new Promise<void>((r) => (release = r));
    }, 2000, () => shown);
    await vi.advanceTimersByTimeAsync(1999);
    expect(reads).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toBe(1);
    // The first reading is still under way: the next tick waits for it.
    await vi.advanceTimersByTimeAsync(2000);
    expect(reads).toBe(1);
    release!();
    await vi.advanceTimersByTimeAsync(2000);
    expect(reads).toBe(2);
    release!();
    shown = false;
    await vi.advanceTimersByTimeAsync(6000);
    expect(reads).toBe(2);
    p.now();
    expect(reads).toBe(3);
    release!();
    shown = true;
    p.stop();
    await vi.advanceTimersByTimeAsync(6000);
    expect(reads).toBe(3);
  });

  it('keeps polling after a reading fails', async () => {
    let reads = 0;
    const p = poll(async () => {
      reads++;
      throw new Error('gone');
    }, 1000, () => true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(3);
    p.stop();
  });
});

describe('fieldOf and list parameters', () => {
  it('shows a refusal of one server of a list next to the field that sets the list', () => {
    const fields = [['ServerGroupId'], ['Servers']];
    expect(fieldOf({ code: 'ResourceAlreadyExist.Server', message: 'x', param: 'Servers.1.ServerId' }, fields)).toBe(1);
    expect(fieldOf({ code: 'X', message: 'x', param: 'ServersX' }, fields)).toBe(-1);
    expect(fieldOf({ code: 'X', message: 'x', param: 'ServerGroupId' }, fields)).toBe(0);
  });
});
