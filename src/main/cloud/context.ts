// What an action sees: a draft of the model it may change, an ID source, the clock, and
// finders that raise the cloud's NotFound codes. Shared by all action files so each stays a
// few lines.

import { ApiError, notFound, quoted } from './errors';
import { IdGenerator } from './ids';
import type {
  CloudModel, Eip, GwlbListener, GwlbLoadBalancer, GwlbServerGroup, Instance, InternetHost, Ipv4Gateway, NatGateway, RouteTable, VSwitch,
  Vpc, VpcEndpoint, VpcEndpointService,
} from './model';
import { flatName, type Params } from './params';

/** `v`, or the cloud's NotFound error `code` for `id` given as `param`. */
function found<T>(v: T | undefined, code: string, param: string, id: string): T {
  if (!v) throw notFound(code, param, id);
  return v;
}

/** PrivateLink answers a missing service or endpoint with 400, not 404 (DeleteVpcEndpointService). */
const privateLinkNotFound = (code: string, what: string, param: string, id: string): ApiError =>
  new ApiError(code, `The specified ${what} ${quoted(id)} does not exist.`, 400, param);

export class ActionContext {
  readonly ids: IdGenerator;
  /**
   * `now`: milliseconds since the epoch. Injected (ControlPlane's `now` option) so that
   * creation times, and the statuses derived from them (actions/gwlb-status.ts), are
   * deterministic in tests.
   */
  constructor(readonly model: CloudModel, labName: string, readonly now: () => number = Date.now) {
    this.ids = new IdGenerator(labName);
    this.ids.state = model.idCounter;
  }

  /** The current time as the API writes it (ISO 8601, UTC). */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  newId(prefix: string): string {
    const id = this.ids.next(prefix);
    this.model.idCounter = this.ids.state;
    return id;
  }

  vpc(id: string, param = 'VpcId'): Vpc {
    return found(this.model.vpcs.find((x) => x.VpcId === id), 'InvalidVpcId.NotFound', param, id);
  }
  vswitch(id: string, param = 'VSwitchId'): VSwitch {
    return found(this.model.vswitches.find((x) => x.VSwitchId === id), 'InvalidVSwitchId.NotFound', param, id);
  }
  routeTable(id: string, param = 'RouteTableId'): RouteTable {
    return found(this.model.routeTables.find((x) => x.RouteTableId === id), 'InvalidRouteTableId.NotFound', param, id);
  }
  instance(id: string, param = 'InstanceId'): Instance {
    return found(this.model.instances.find((x) => x.InstanceId === id), 'InvalidInstanceId.NotFound', param, id);
  }
  eip(id: string, param = 'AllocationId'): Eip {
    return found(this.model.eips.find((x) => x.AllocationId === id), 'InvalidAllocationId.NotFound', param, id);
  }
  ipv4Gateway(id: string, param = 'Ipv4GatewayId'): Ipv4Gateway {
    return found(this.model.ipv4Gateways.find((x) => x.Ipv4GatewayId === id), 'ResourceNotFound.Ipv4Gateway', param, id);
  }
  natGateway(id: string, param = 'NatGatewayId'): NatGateway {
    return found(this.model.natGateways.find((x) => x.NatGatewayId === id), 'InvalidNatGatewayId.NotFound', param, id);
  }
  internetHost(id: string, param = 'HostId'): InternetHost {
    return found(this.model.internetHosts.find((x) => x.HostId === id), 'InvalidHostId.NotFound', param, id);
  }
  gwlb(id: string, param = 'LoadBalancerId'): GwlbLoadBalancer {
    return found(this.model.gwlbs.find((x) => x.LoadBalancerId === id), 'ResourceNotFound.LoadBalancer', param, id);
  }
  serverGroup(id: string, param = 'ServerGroupId'): GwlbServerGroup {
    return found(this.model.serverGroups.find((x) => x.ServerGroupId === id), 'ResourceNotFound.ServerGroup', param, id);
  }
  listener(id: string, param = 'ListenerId'): GwlbListener {
    return found(this.model.listeners.find((x) => x.ListenerId === id), 'ResourceNotFound.Listener', param, id);
  }
  endpointService(id: string, param = 'ServiceId'): VpcEndpointService {
    const s = this.model.endpointServices.find((x) => x.ServiceId === id);
    if (!s) throw privateLinkNotFound('EndpointServiceNotFound', 'endpoint service', param, id);
    return s;
  }
  endpoint(id: string, param = 'EndpointId'): VpcEndpoint {
    const e = this.model.endpoints.find((x) => x.EndpointId === id);
    if (!e) throw privateLinkNotFound('EndpointNotFound', 'endpoint', param, id);
    return e;
  }
}

export type ActionResult = Record<string, unknown>;
export type ActionFn = (ctx: ActionContext, params: Params) => ActionResult;

/**
 * An action and the request parameters it takes, declared next to the code that reads them:
 * the control plane refuses any other parameter (a typo such as `--VpcNmae` must not be
 * silently dropped), and an action that reads a parameter it did not declare is a bug that
 * the tests catch.
 */
export interface Action {
  readonly params: readonly string[];
  readonly run: ActionFn;
  /**
   * Declared parameters that also arrive in the API's flat RPC form: `ZoneMappings.1.ZoneId`
   * for a list of objects, `HealthCheckConfig.HealthCheckInterval` for an object,
   * `InstanceId.1` for a list (params.ts `objects`, `object`, `idList`).
   */
  readonly flat: readonly string[];
  /** The code a passed dry run answers: `DryRunOperation` (default), or ECS's batch calls' `DRYRUN.SUCCESS`. */
  readonly dryRunCode?: DryRunCode;
}

export type DryRunCode = 'DryRunOperation' | 'DRYRUN.SUCCESS';

export interface ActionOptions {
  flat?: readonly string[];
  dryRunCode?: DryRunCode;
}

export function action(params: readonly string[], run: ActionFn, opts: ActionOptions = {}): Action {
  const flat = opts.flat ?? [];
  for (const f of flat) if (!params.includes(f)) throw new Error(`internal: flat parameter ${f} is not declared`);
  return Object.freeze({ params: Object.freeze([...params]), run, flat: Object.freeze([...flat]), dryRunCode: opts.dryRunCode });
}

/** Whether `key` is one of the action's declared parameters in the API's flat form. */
export function isFlatForm(a: Pick<Action, 'params' | 'flat'>, key: string): boolean {
  const f = flatName(key);
  return f !== undefined && a.flat.includes(f.base);
}
