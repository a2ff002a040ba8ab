// What an action sees: a draft of the model it may change, an ID source, and finders that
// raise the cloud's NotFound codes. Shared by all action files so each stays a few lines.

import { notFound } from './errors';
import { IdGenerator } from './ids';
import type { CloudModel, Eip, Instance, InternetHost, Ipv4Gateway, RouteTable, VSwitch, Vpc } from './model';
import type { Params } from './params';

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
    const v = this.model.vpcs.find((x) => x.VpcId === id);
    if (!v) throw notFound('InvalidVpcId.NotFound', param, id);
    return v;
  }
  vswitch(id: string, param = 'VSwitchId'): VSwitch {
    const v = this.model.vswitches.find((x) => x.VSwitchId === id);
    if (!v) throw notFound('InvalidVSwitchId.NotFound', param, id);
    return v;
  }
  routeTable(id: string, param = 'RouteTableId'): RouteTable {
    const v = this.model.routeTables.find((x) => x.RouteTableId === id);
    if (!v) throw notFound('InvalidRouteTableId.NotFound', param, id);
    return v;
  }
  instance(id: string, param = 'InstanceId'): Instance {
    const v = this.model.instances.find((x) => x.InstanceId === id);
    if (!v) throw notFound('InvalidInstanceId.NotFound', param, id);
    return v;
  }
  eip(id: string, param = 'AllocationId'): Eip {
    const v = this.model.eips.find((x) => x.AllocationId === id);
    if (!v) throw notFound('InvalidAllocationId.NotFound', param, id);
    return v;
  }
  ipv4Gateway(id: string, param = 'Ipv4GatewayId'): Ipv4Gateway {
    const v = this.model.ipv4Gateways.find((x) => x.Ipv4GatewayId === id);
    if (!v) throw notFound('ResourceNotFound.Ipv4Gateway', param, id);
    return v;
  }
  internetHost(id: string, param = 'HostId'): InternetHost {
    const v = this.model.internetHosts.find((x) => x.HostId === id);
    if (!v) throw notFound('InvalidHostId.NotFound', param, id);
    return v;
  }
}

export type ActionResult = Record<string, unknown>;
export type Action = (ctx: ActionContext, params: Params) => ActionResult;
