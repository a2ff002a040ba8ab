// GWLB server groups and their servers (GWLB API 2024-04-15, SEMANTICS E1, E7, E8): the
// backends (NVAs) a listener hands Geneve traffic to, how it hashes flows onto them, how it
// probes them, and what happens to flows when one fails or is removed.
//
// Error codes: ResourceInUse.ServerGroup, IncorrectStatus.BackendServer and
// ResourceNotFound.ServerGroup are the API's; the others (Mismatch.VpcId, Mismatch.ServerType,
// DuplicatedParam.Server, ResourceAlreadyExist.Server, ResourceNotFound.BackendServer,
// UnsupportedFeature.*) are the lab's choices in the same family, listed in the README.

import { action, type ActionContext } from '../context';
import { cidrOf, containsIp } from '../cidr';
import { ApiError, invalid, missing } from '../errors';
import type { GwlbHealthCheckConfig, GwlbServer, GwlbServerGroup } from '../model';
import { bool, gwlbName, int, ip, list, object, objects, oneOf, page, reqStr, str, type ParamItem, type Params } from '../params';
import { currentServers, drained, serverGroupStatus } from './gwlb-status';

export const SCHEDULERS = ['5TCH', '3TCH', '2TCH'] as const;
export const FAILOVER_MODES = ['NoRebalance', 'Rebalance'] as const;
/** AddServersToServerGroup / RemoveServersFromServerGroup: servers per call. */
export const MAX_SERVERS_PER_CALL = 200;
/** Geneve (RFC 8926): the only backend port the API takes. */
export const GENEVE_PORT = 6081;
/** E1: the ranges a server of an Ip-type group may have. */
const PRIVATE_RANGES = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'].map(cidrOf);

/** E7: defaults and ranges of the health check, as CreateServerGroup documents them. */
export const HEALTH_CHECK_DEFAULTS: GwlbHealthCheckConfig = {
  HealthCheckEnabled: true, HealthCheckProtocol: 'TCP', HealthCheckConnectPort: 80, HealthCheckConnectTimeout: 5,
  HealthCheckInterval: 10, HealthyThreshold: 2, UnhealthyThreshold: 2,
};
const HEALTH_CHECK_RANGES = {
  HealthCheckConnectPort: [1, 65535], HealthCheckConnectTimeout: [1, 300], HealthCheckInterval: [1, 50],
  HealthyThreshold: [2, 10], UnhealthyThreshold: [2, 10],
} as const;
/** The HTTP-only fields: taken by the API, refused here until HTTP checks are modelled. */
const HTTP_ONLY = ['HealthCheckDomain', 'HealthCheckPath', 'HealthCheckHttpCode'] as const;
const HEALTH_CHECK_FIELDS = ['HealthCheckEnabled', 'HealthCheckProtocol', ...Object.keys(HEALTH_CHECK_RANGES), ...HTTP_ONLY];
/** E8: connection draining, off by default; timeout in seconds. */
export const DRAIN_TIMEOUT = { min: 1, max: 3600, dflt: 300 };

const given = (p: Params, key: string): boolean => p[key] !== undefined && p[key] !== '';

/** The health check after applying `HealthCheckConfig` to `base` (the defaults, or the group's current one). */
function healthCheck(p: Params, base: GwlbHealthCheckConfig): GwlbHealthCheckConfig {
  const hc = object(p, 'HealthCheckConfig', HEALTH_CHECK_FIELDS);
  if (!hc) return base;
  const proto = str(hc.p, hc.key('HealthCheckProtocol'));
  if (proto === 'HTTP') {
    throw new ApiError('UnsupportedFeature.HealthCheckProtocol', 'HTTP health checks are not modelled by this lab yet; use TCP.', 400, hc.key('HealthCheckProtocol'));
  }
  const out = { ...base, HealthCheckProtocol: oneOf(hc.p, hc.key('HealthCheckProtocol'), ['TCP'] as const, base.HealthCheckProtocol) };
  for (const f of HTTP_ONLY) {
    if (given(hc.p, hc.key(f))) throw new ApiError('UnsupportedFeature.HealthCheckProtocol', `${f} is for HTTP health checks, which this lab does not model yet.`, 400, hc.key(f));
  }
  out.HealthCheckEnabled = bool(hc.p, hc.key('HealthCheckEnabled'), base.HealthCheckEnabled);
  for (const [f, [min, max]] of Object.entries(HEALTH_CHECK_RANGES) as [keyof typeof HEALTH_CHECK_RANGES, readonly [number, number]][]) {
    out[f] = int(hc.p, hc.key(f), min, max, base[f]);
  }
  return out;
}

function drainConfig(p: Params, base: GwlbServerGroup['ConnectionDrainConfig']): GwlbServerGroup['ConnectionDrainConfig'] {
  const d = object(p, 'ConnectionDrainConfig', ['ConnectionDrainEnabled', 'ConnectionDrainTimeout']);
  if (!d) return base;
  return {
    ConnectionDrainEnabled: bool(d.p, d.key('ConnectionDrainEnabled'), base.ConnectionDrainEnabled),
    ConnectionDrainTimeout: int(d.p, d.key('ConnectionDrainTimeout'), DRAIN_TIMEOUT.min, DRAIN_TIMEOUT.max, base.ConnectionDrainTimeout),
  };
}

export const CreateServerGroup = action(
  ['VpcId', 'ServerGroupName', 'ServerGroupType', 'Protocol', 'Scheduler', 'ServerFailoverMode', 'HealthCheckConfig', 'ConnectionDrainConfig'],
  (ctx, p) => {
    const vpc = ctx.vpc(reqStr(p, 'VpcId'));
    const ServerGroupName = gwlbName(p, 'ServerGroupName') ?? '';
    const ServerGroupType = oneOf(p, 'ServerGroupType', ['Instance', 'Ip'] as const, 'Instance');
    const Protocol = oneOf(p, 'Protocol', ['GENEVE'] as const, 'GENEVE');
    const Scheduler = oneOf(p, 'Scheduler', SCHEDULERS, '5TCH');
    const ServerFailoverMode = oneOf(p, 'ServerFailoverMode', FAILOVER_MODES, 'NoRebalance');
    const HealthCheckConfig = healthCheck(p, HEALTH_CHECK_DEFAULTS);
    const ConnectionDrainConfig = drainConfig(p, { ConnectionDrainEnabled: false, ConnectionDrainTimeout: DRAIN_TIMEOUT.dflt });
    const ServerGroupId = ctx.newId('sgp');
    ctx.model.serverGroups.push({
      ServerGroupId, ServerGroupName, ServerGroupType, Protocol, Scheduler, ServerFailoverMode, VpcId: vpc.VpcId,
      HealthCheckConfig, ConnectionDrainConfig, Servers: [], CreateTime: ctx.isoNow(),
    });
    return { ServerGroupId };
  },
  { flat: ['HealthCheckConfig', 'ConnectionDrainConfig'] },
);

/** A group about to change: servers whose drain has ended are dropped for good first. */
function groupToChange(ctx: ActionContext, p: Params): GwlbServerGroup {
  const g = ctx.serverGroup(reqStr(p, 'ServerGroupId'));
  g.Servers = g.Servers.filter((s) => !drained(s, ctx.now()));
  return g;
}

export const UpdateServerGroupAttribute = action(
  ['ServerGroupId', 'ServerGroupName', 'Scheduler', 'ServerFailoverMode', 'HealthCheckConfig', 'ConnectionDrainConfig'],
  (ctx, p) => {
    const g = groupToChange(ctx, p);
    const name = gwlbName(p, 'ServerGroupName');
    const Scheduler = oneOf(p, 'Scheduler', SCHEDULERS, g.Scheduler);
    const ServerFailoverMode = oneOf(p, 'ServerFailoverMode', FAILOVER_MODES, g.ServerFailoverMode);
    const HealthCheckConfig = healthCheck(p, g.HealthCheckConfig);
    const ConnectionDrainConfig = drainConfig(p, g.ConnectionDrainConfig);
    Object.assign(g, { Scheduler, ServerFailoverMode, HealthCheckConfig, ConnectionDrainConfig });
    if (name !== undefined) g.ServerGroupName = name;
    return {};
  },
  { flat: ['HealthCheckConfig', 'ConnectionDrainConfig'] },
);

export const DeleteServerGroup = action(['ServerGroupId'], (ctx, p) => {
  const g = ctx.serverGroup(reqStr(p, 'ServerGroupId'));
  const l = ctx.model.listeners.find((x) => x.ServerGroupId === g.ServerGroupId);
  if (l) throw invalid('ResourceInUse.ServerGroup', 'ServerGroupId', `${g.ServerGroupId} is used by listener ${l.ListenerId} of ${l.LoadBalancerId}`);
  ctx.model.serverGroups.splice(ctx.model.serverGroups.indexOf(g), 1);
  return {};
});

function groupView(ctx: ActionContext, g: GwlbServerGroup): Record<string, unknown> {
  return {
    ServerGroupId: g.ServerGroupId,
    ServerGroupName: g.ServerGroupName,
    ServerGroupStatus: serverGroupStatus(g, ctx.now()),
    ServerGroupType: g.ServerGroupType,
    Protocol: g.Protocol,
    Scheduler: g.Scheduler,
    ServerFailoverMode: g.ServerFailoverMode,
    ServerCount: currentServers(g, ctx.now()).length,
    VpcId: g.VpcId,
    CreateTime: g.CreateTime,
    // A group may serve several GWLB instances, one listener each.
    RelatedLoadBalancerIds: [...new Set(ctx.model.listeners.filter((l) => l.ServerGroupId === g.ServerGroupId).map((l) => l.LoadBalancerId))],
    HealthCheckConfig: g.HealthCheckConfig,
    ConnectionDrainConfig: g.ConnectionDrainConfig,
    Tags: [],
  };
}

export const ListServerGroups = action(['ServerGroupIds', 'ServerGroupNames', 'ServerGroupType', 'VpcId', 'MaxResults', 'NextToken'], (ctx, p) => {
  const ids = list(p, 'ServerGroupIds');
  const names = list(p, 'ServerGroupNames');
  const type = str(p, 'ServerGroupType');
  const vpcId = str(p, 'VpcId');
  const all = ctx.model.serverGroups.filter((g) =>
    (ids.length === 0 || ids.includes(g.ServerGroupId)) && (names.length === 0 || names.includes(g.ServerGroupName)) &&
    (type === undefined || g.ServerGroupType === type) && (vpcId === undefined || g.VpcId === vpcId));
  const pg = page(p, all, 20);
  return { ServerGroups: pg.items.map((g) => groupView(ctx, g)), TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults };
});

// ---------------------------------------------------------------------------------------
// Servers

const SERVER_FIELDS = ['ServerId', 'ServerType', 'ServerIp', 'Port'];

function serverItems(p: Params): ParamItem[] {
  const items = objects(p, 'Servers', SERVER_FIELDS);
  if (items.length === 0) throw missing('Servers');
  if (items.length > MAX_SERVERS_PER_CALL) throw invalid('InvalidParameter', 'Servers', `at most ${MAX_SERVERS_PER_CALL} servers per call, got ${items.length}`);
  return items;
}

/** One server of an Add call, checked against the group (E1: Instance → ECS of its VPC; Ip → a private address). */
function newServer(ctx: ActionContext, g: GwlbServerGroup, s: ParamItem): GwlbServer {
  const ServerType = reqStr(s.p, s.key('ServerType'));
  if (ServerType === 'Eni' || ServerType === 'Eci') {
    throw new ApiError('UnsupportedFeature.ServerType', `Servers of type ${ServerType} are not modelled by this lab; add the ECS (Ecs) or its address (Ip).`, 400, s.key('ServerType'));
  }
  const type = oneOf(s.p, s.key('ServerType'), ['Ecs', 'Ip'] as const);
  const wanted = g.ServerGroupType === 'Instance' ? 'Ecs' : 'Ip';
  if (type !== wanted) throw invalid('Mismatch.ServerType', s.key('ServerType'), `${g.ServerGroupId} is of type ${g.ServerGroupType}: its servers are of type ${wanted}`);
  int(s.p, s.key('Port'), GENEVE_PORT, GENEVE_PORT, GENEVE_PORT);
  let ServerId: string;
  let ServerIp: string;
  if (type === 'Ecs') {
    const inst = ctx.instance(reqStr(s.p, s.key('ServerId')), s.key('ServerId'));
    if (inst.VpcId !== g.VpcId) throw invalid('Mismatch.VpcId', s.key('ServerId'), `${inst.InstanceId} is in ${inst.VpcId}, the server group ${g.ServerGroupId} in ${g.VpcId}`);
    ServerId = inst.InstanceId;
    ServerIp = inst.PrivateIpAddress;
  } else {
    // For an Ip group the server's ID is its address.
    const a = ip(s.p, s.key('ServerId'), 'InvalidParameter');
    if (!PRIVATE_RANGES.some((c) => containsIp(c, a.addr))) {
      throw invalid('InvalidParameter', s.key('ServerId'), `${a.text} is not a private address (10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12 or 192.168.0.0/16)`);
    }
    ServerId = ServerIp = a.text;
  }
  const asked = str(s.p, s.key('ServerIp'));
  if (asked !== undefined && asked !== ServerIp) throw invalid('InvalidParameter', s.key('ServerIp'), `${ServerId} has address ${ServerIp}, not ${asked}`);
  return { ServerId, ServerIp, ServerType: type, Port: GENEVE_PORT, Status: 'Available' };
}

export const AddServersToServerGroup = action(['ServerGroupId', 'Servers'], (ctx, p) => {
  const g = groupToChange(ctx, p);
  const items = serverItems(p);
  const added: GwlbServer[] = [];
  items.forEach((it) => {
    const s = newServer(ctx, g, it);
    if (added.some((x) => x.ServerId === s.ServerId)) throw invalid('DuplicatedParam.Server', it.key('ServerId'), `${s.ServerId} is given twice`);
    const cur = g.Servers.find((x) => x.ServerId === s.ServerId);
    if (cur) throw invalid('ResourceAlreadyExist.Server', it.key('ServerId'), `${s.ServerId} is already a server of ${g.ServerGroupId} (${cur.Status})`);
    added.push(s);
  });
  g.Servers.push(...added);
  return {};
}, { flat: ['Servers'] });

/**
 * E8: with connection draining on, a removed server stays `Draining` (no new flows; its
 * flows are cut at DrainEndTime, when it is gone); with it off, it goes at once and its
 * flows live on until their idle timeout (the data plane's part).
 */
export const RemoveServersFromServerGroup = action(['ServerGroupId', 'Servers'], (ctx, p) => {
  const g = groupToChange(ctx, p);
  const items = serverItems(p);
  const ids: string[] = [];
  for (const it of items) {
    const id = reqStr(it.p, it.key('ServerId'));
    // The other fields may be given as in Add; they must then describe the server.
    oneOf(it.p, it.key('ServerType'), ['Ecs', 'Ip'] as const, g.ServerGroupType === 'Instance' ? 'Ecs' : 'Ip');
    int(it.p, it.key('Port'), GENEVE_PORT, GENEVE_PORT, GENEVE_PORT);
    if (ids.includes(id)) throw invalid('DuplicatedParam.Server', it.key('ServerId'), `${id} is given twice`);
    const s = g.Servers.find((x) => x.ServerId === id);
    if (!s) throw new ApiError('ResourceNotFound.BackendServer', `${id} is not a server of ${g.ServerGroupId}.`, 404, it.key('ServerId'));
    if (s.Status === 'Draining') throw invalid('IncorrectStatus.BackendServer', it.key('ServerId'), `${id} is already being removed (Draining until ${s.DrainEndTime})`);
    const ipGiven = str(it.p, it.key('ServerIp'));
    if (ipGiven !== undefined && ipGiven !== s.ServerIp) throw invalid('InvalidParameter', it.key('ServerIp'), `${id} has address ${s.ServerIp}, not ${ipGiven}`);
    ids.push(id);
  }
  const { ConnectionDrainEnabled, ConnectionDrainTimeout } = g.ConnectionDrainConfig;
  if (ConnectionDrainEnabled) {
    const DrainEndTime = new Date(ctx.now() + ConnectionDrainTimeout * 1000).toISOString();
    for (const s of g.Servers) if (ids.includes(s.ServerId)) Object.assign(s, { Status: 'Draining', DrainEndTime });
  } else {
    g.Servers = g.Servers.filter((s) => !ids.includes(s.ServerId));
  }
  return {};
}, { flat: ['Servers'] });

export const ListServerGroupServers = action(['ServerGroupId', 'ServerIds', 'ServerIps', 'MaxResults', 'NextToken'], (ctx, p) => {
  const g = ctx.serverGroup(reqStr(p, 'ServerGroupId'));
  const ids = list(p, 'ServerIds');
  const ips = list(p, 'ServerIps');
  const all = currentServers(g, ctx.now()).filter((s) => (ids.length === 0 || ids.includes(s.ServerId)) && (ips.length === 0 || ips.includes(s.ServerIp)));
  const pg = page(p, all, 20);
  return {
    Servers: pg.items.map((s) => ({ ServerGroupId: g.ServerGroupId, ServerId: s.ServerId, ServerIp: s.ServerIp, ServerType: s.ServerType, Port: s.Port, Status: s.Status })),
    TotalCount: pg.TotalCount, NextToken: pg.NextToken, MaxResults: pg.MaxResults,
  };
});
