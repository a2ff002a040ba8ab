// Gateway Load Balancer instances and their one listener (GWLB API 2024-04-15, SEMANTICS
// E1/E1a): create (one private address per zone, from that zone's vSwitch), describe, rename,
// delete. Server groups and their servers are in gwlb-server-groups.ts; the endpoint service
// that exposes a GWLB to other VPCs in privatelink.ts.
//
// Error codes: the GWLB API's own where its reference shows them (ResourceNotFound.*,
// ResourceInUse.ServerGroup); where it is silent the lab chose codes in the same family
// (Mismatch.VpcId, Mismatch.ZoneId, DuplicatedParam.ZoneId, ResourceInUse.LoadBalancer,
// ResourceAlreadyExist.Listener), listed in the README.

import { action, type ActionContext } from '../context';
import { invalid, missing, quoted } from '../errors';
import type { GwlbListener, GwlbLoadBalancer, GwlbZoneMapping } from '../model';
import { gwlbName, int, list, objects, oneOf, page, reqStr, str, type Params } from '../params';
import { takePrivateIp } from './addresses';
import { listenerStatus, loadBalancerStatus } from './gwlb-status';

/** CreateLoadBalancer: 1 to 20 zones, one vSwitch each. */
export const MAX_ZONE_MAPPINGS = 20;
/** E8: a flow's idle timeout, seconds. */
export const TCP_IDLE_TIMEOUT = { min: 60, max: 6000, dflt: 350 };

function zoneMappings(ctx: ActionContext, p: Params, vpcId: string): GwlbZoneMapping[] {
  // PrivateIpv4Address: lab-only (the NLB API's ZoneMappings take one; the GWLB's pick it),
  // so a tutorial can give the GWLB the seed's 10.0.1.41.
  const zones = objects(p, 'ZoneMappings', ['ZoneId', 'VSwitchId', 'PrivateIpv4Address']);
  if (zones.length === 0) throw missing('ZoneMappings');
  if (zones.length > MAX_ZONE_MAPPINGS) throw invalid('InvalidParameter', 'ZoneMappings', `at most ${MAX_ZONE_MAPPINGS} zones, got ${zones.length}`);
  const seen = new Map<string, string>();
  return zones.map((z) => {
    const ZoneId = reqStr(z.p, z.key('ZoneId'));
    const vsw = ctx.vswitch(reqStr(z.p, z.key('VSwitchId')), z.key('VSwitchId'));
    const first = seen.get(ZoneId);
    if (first !== undefined) throw invalid('DuplicatedParam.ZoneId', z.key('ZoneId'), `zone ${ZoneId} is given twice (${first} and ${z.path}); a GWLB takes one vSwitch per zone`);
    seen.set(ZoneId, z.path);
    if (vsw.VpcId !== vpcId) throw invalid('Mismatch.VpcId', z.key('VSwitchId'), `${vsw.VSwitchId} is in ${vsw.VpcId}, not in ${vpcId}`);
    if (vsw.ZoneId !== ZoneId) throw invalid('Mismatch.ZoneId', z.key('VSwitchId'), `${vsw.VSwitchId} is in zone ${vsw.ZoneId}, not in ${ZoneId}`);
    // E1: the address the GWLB sends Geneve from and probes backends from (10.0.1.41 in the tutorial).
    const PrivateIpv4Address = takePrivateIp(ctx.model, vsw, z.p, z.key('PrivateIpv4Address'), 'the GWLB', z.key('VSwitchId'));
    // One vSwitch per zone and vSwitches never overlap, so two zones cannot pick the same address.
    return { ZoneId, VSwitchId: vsw.VSwitchId, LoadBalancerAddresses: [{ EniId: ctx.newId('eni'), PrivateIpv4Address }] };
  });
}

export const CreateLoadBalancer = action(['VpcId', 'ZoneMappings', 'LoadBalancerName', 'AddressIpVersion'], (ctx, p) => {
  const vpc = ctx.vpc(reqStr(p, 'VpcId'));
  oneOf(p, 'AddressIpVersion', ['Ipv4'] as const, 'Ipv4');
  const LoadBalancerName = gwlbName(p, 'LoadBalancerName') ?? '';
  const ZoneMappings = zoneMappings(ctx, p, vpc.VpcId);
  const LoadBalancerId = ctx.newId('gwlb');
  ctx.model.gwlbs.push({
    LoadBalancerId, LoadBalancerName, VpcId: vpc.VpcId, AddressIpVersion: 'Ipv4', TrafficMode: 'LoadBalance', ZoneMappings, CreateTime: ctx.isoNow(),
  });
  return { LoadBalancerId };
}, { flat: ['ZoneMappings'] });

function lbView(ctx: ActionContext, lb: GwlbLoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerId: lb.LoadBalancerId,
    LoadBalancerName: lb.LoadBalancerName,
    LoadBalancerStatus: loadBalancerStatus(lb, ctx.now()),
    LoadBalancerBusinessStatus: 'Normal',
    AddressIpVersion: lb.AddressIpVersion,
    TrafficMode: lb.TrafficMode,
    VpcId: lb.VpcId,
    CreateTime: lb.CreateTime,
    ZoneMappings: lb.ZoneMappings,
    Tags: [],
  };
}

export const GetLoadBalancerAttribute = action(['LoadBalancerId'], (ctx, p) => lbView(ctx, ctx.gwlb(reqStr(p, 'LoadBalancerId'))));

export const ListLoadBalancers = action(
  ['LoadBalancerIds', 'LoadBalancerNames', 'LoadBalancerStatus', 'VpcIds', 'ZoneIds', 'MaxResults', 'NextToken'],
  (ctx, p) => {
    const ids = list(p, 'LoadBalancerIds');
    const names = list(p, 'LoadBalancerNames');
    const vpcs = list(p, 'VpcIds');
    const zones = list(p, 'ZoneIds');
    const status = str(p, 'LoadBalancerStatus');
    const all = ctx.model.gwlbs.filter((lb) =>
      (ids.length === 0 || ids.includes(lb.LoadBalancerId)) &&
      (names.length === 0 || names.includes(lb.LoadBalancerName)) &&
      (vpcs.length === 0 || vpcs.includes(lb.VpcId)) &&
      (zones.length === 0 || lb.ZoneMappings.some((z) => zones.includes(z.ZoneId))) &&
      (status === undefined || loadBalancerStatus(lb, ctx.now()) === status));
    const pg = page(p, all, 20);
    return { LoadBalancers: pg.items.map((lb) => lbView(ctx, lb)), TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
  },
);

export const UpdateLoadBalancerAttribute = action(['LoadBalancerId', 'LoadBalancerName'], (ctx, p) => {
  const lb = ctx.gwlb(reqStr(p, 'LoadBalancerId'));
  const n = gwlbName(p, 'LoadBalancerName');
  if (n !== undefined) lb.LoadBalancerName = n;
  return {};
});

/** Refused while its listener or an endpoint service still uses it: traffic would go nowhere. */
export const DeleteLoadBalancer = action(['LoadBalancerId'], (ctx, p) => {
  const lb = ctx.gwlb(reqStr(p, 'LoadBalancerId'));
  const lsn = ctx.model.listeners.find((l) => l.LoadBalancerId === lb.LoadBalancerId);
  if (lsn) throw invalid('ResourceInUse.LoadBalancer', 'LoadBalancerId', `${lb.LoadBalancerId} still has listener ${lsn.ListenerId}; delete it first (DeleteListener)`);
  const svc = ctx.model.endpointServices.find((s) => s.Resources.some((r) => r.ResourceId === lb.LoadBalancerId));
  if (svc) throw invalid('ResourceInUse.LoadBalancer', 'LoadBalancerId', `${lb.LoadBalancerId} is a resource of endpoint service ${svc.ServiceId}; detach it or delete the service first`);
  ctx.model.gwlbs.splice(ctx.model.gwlbs.indexOf(lb), 1);
  return {};
});

// ---------------------------------------------------------------------------------------
// The listener: all traffic of its GWLB to one server group (E1), no port or protocol.

/** 2-256 characters: letters, digits, spaces and , . ; / @ _ - */
function listenerDescription(p: Params): string | undefined {
  const v = str(p, 'ListenerDescription');
  if (v === undefined) return undefined;
  if (!/^[\p{L}\p{N} ,.;/@_-]{2,256}$/u.test(v)) {
    throw invalid('InvalidParameter', 'ListenerDescription', `${quoted(v)} must be 2-256 characters of letters, digits, spaces and , . ; / @ _ -`);
  }
  return v;
}

/** The listener's group must live in the GWLB's VPC: it talks to the backends from its own addresses there. */
function groupFor(ctx: ActionContext, p: Params, lb: GwlbLoadBalancer): string {
  const g = ctx.serverGroup(reqStr(p, 'ServerGroupId'));
  if (g.VpcId !== lb.VpcId) throw invalid('Mismatch.VpcId', 'ServerGroupId', `${g.ServerGroupId} is in ${g.VpcId}, the GWLB ${lb.LoadBalancerId} in ${lb.VpcId}`);
  return g.ServerGroupId;
}

export const CreateListener = action(['LoadBalancerId', 'ServerGroupId', 'ListenerDescription', 'TcpIdleTimeout'], (ctx, p) => {
  const lb = ctx.gwlb(reqStr(p, 'LoadBalancerId'));
  const ServerGroupId = groupFor(ctx, p, lb);
  const ListenerDescription = listenerDescription(p) ?? '';
  const TcpIdleTimeout = int(p, 'TcpIdleTimeout', TCP_IDLE_TIMEOUT.min, TCP_IDLE_TIMEOUT.max, TCP_IDLE_TIMEOUT.dflt);
  // E1: a GWLB instance has exactly one (IP) listener.
  const other = ctx.model.listeners.find((l) => l.LoadBalancerId === lb.LoadBalancerId);
  if (other) throw invalid('ResourceAlreadyExist.Listener', 'LoadBalancerId', `${lb.LoadBalancerId} already has listener ${other.ListenerId}; a GWLB instance takes one listener`);
  const ListenerId = ctx.newId('lsn');
  ctx.model.listeners.push({ ListenerId, LoadBalancerId: lb.LoadBalancerId, ServerGroupId, ListenerDescription, TcpIdleTimeout, CreateTime: ctx.isoNow() });
  return { ListenerId };
});

function listenerView(ctx: ActionContext, l: GwlbListener): Record<string, unknown> {
  return {
    ListenerId: l.ListenerId,
    ListenerDescription: l.ListenerDescription,
    ListenerStatus: listenerStatus(l, ctx.now()),
    LoadBalancerId: l.LoadBalancerId,
    ServerGroupId: l.ServerGroupId,
    TcpIdleTimeout: l.TcpIdleTimeout,
    RegionId: ctx.model.RegionId,
    Tags: [],
  };
}

export const GetListenerAttribute = action(['ListenerId'], (ctx, p) => listenerView(ctx, ctx.listener(reqStr(p, 'ListenerId'))));

export const ListListeners = action(['ListenerIds', 'LoadBalancerIds', 'MaxResults', 'NextToken'], (ctx, p) => {
  const ids = list(p, 'ListenerIds');
  const lbs = list(p, 'LoadBalancerIds');
  const all = ctx.model.listeners.filter((l) => (ids.length === 0 || ids.includes(l.ListenerId)) && (lbs.length === 0 || lbs.includes(l.LoadBalancerId)));
  const pg = page(p, all, 20);
  return { Listeners: pg.items.map((l) => listenerView(ctx, l)), TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
});

export const UpdateListenerAttribute = action(['ListenerId', 'ServerGroupId', 'ListenerDescription', 'TcpIdleTimeout'], (ctx, p) => {
  const l = ctx.listener(reqStr(p, 'ListenerId'));
  const ServerGroupId = str(p, 'ServerGroupId') === undefined ? undefined : groupFor(ctx, p, ctx.gwlb(l.LoadBalancerId));
  const ListenerDescription = listenerDescription(p);
  const timeout = p.TcpIdleTimeout === undefined || p.TcpIdleTimeout === '' ? undefined : int(p, 'TcpIdleTimeout', TCP_IDLE_TIMEOUT.min, TCP_IDLE_TIMEOUT.max);
  if (ServerGroupId !== undefined) l.ServerGroupId = ServerGroupId;
  if (ListenerDescription !== undefined) l.ListenerDescription = ListenerDescription;
  if (timeout !== undefined) l.TcpIdleTimeout = timeout;
  return {};
});

export const DeleteListener = action(['ListenerId'], (ctx, p) => {
  const l = ctx.listener(reqStr(p, 'ListenerId'));
  ctx.model.listeners.splice(ctx.model.listeners.indexOf(l), 1);
  return {};
});
