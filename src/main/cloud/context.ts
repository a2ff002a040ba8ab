// What an action sees: a draft of the model it may change, an ID source, and finders that
// raise the cloud's NotFound codes. Shared by all action files so each stays a few lines.

import { notFound } from './errors';
import { IdGenerator } from './ids';
import type { CloudModel, Eip, Instance, InternetHost, Ipv4Gateway, NatGateway, RouteTable, VSwitch, Vpc } from './model';
import type { Params } from './params';

/** `v`, or the cloud's NotFound error `code` for `id` given as `param`. */
function found<T>(v: T | undefined, code: string, param: string, id: string): T {
  if (!v) throw notFound(code, param, id);
  return v;
}

export class ActionContext {
  readonly ids: IdGenerator;
  constructor(readonly model: CloudModel, labName: string) {
    this.ids = new IdGenerator(labName);
    this.ids.state = model.idCounter;
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
}

export const action = (params: readonly string[], run: ActionFn): Action => Object.freeze({ params: Object.freeze([...params]), run });
