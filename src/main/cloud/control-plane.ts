// The only writer of the cloud model. Every front end (scenario steps, CLI, UI) calls
// `invoke` with an Alibaba action name; the action runs against a draft, and the draft
// replaces the model only if the action succeeded, so a failed action changes nothing.

import { ActionContext, type Action, type ActionResult } from './context';
import { ApiError } from './errors';
import { requestId } from './ids';
import { emptyModel, type CloudModel } from './model';
import { bool, type Params } from './params';
import * as vpc from './actions/vpc';
import * as routeTable from './actions/route-table';
import * as eip from './actions/eip';
import * as hosts from './actions/hosts';
import * as ipv4Gateway from './actions/ipv4-gateway';
import * as natGateway from './actions/nat-gateway';

const ACTIONS: Record<string, Action> = {
  ...pick(vpc),
  ...pick(routeTable),
  ...pick(eip),
  ...pick(hosts),
  ...pick(ipv4Gateway),
  ...pick(natGateway),
};

/** Exported action functions are the ones whose names start with a capital letter. */
function pick(mod: Record<string, unknown>): Record<string, Action> {
  return Object.fromEntries(Object.entries(mod).filter(([k, v]) => /^[A-Z][a-z]/.test(k) && typeof v === 'function')) as Record<string, Action>;
}

export const actionNames = (): string[] => Object.keys(ACTIONS).sort();

export type ModelListener = (model: CloudModel, action: string) => void;

export class ControlPlane {
  private current: CloudModel;
  private readonly listeners: ModelListener[] = [];

  constructor(readonly labName: string, model: CloudModel = emptyModel()) {
    this.current = model;
  }

  get model(): Readonly<CloudModel> {
    return this.current;
  }

  onChange(l: ModelListener): void {
    this.listeners.push(l);
  }

  /** Run one action. Throws ApiError; on success returns the API's response with a RequestId. */
  invoke(action: string, params: Params = {}): ActionResult {
    const fn = Object.prototype.hasOwnProperty.call(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!fn) throw new ApiError('InvalidAction.NotFound', `The action "${action}" does not exist. Known actions: ${actionNames().join(', ')}.`, 404);
    // Read like any boolean parameter: a value such as "TRUE" must never run the call for real.
    const dryRun = bool(params, 'DryRun', false);
    const draft = structuredClone(this.current);
    const result = fn(new ActionContext(draft, this.labName), params);
    if (dryRun) {
      throw new ApiError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    }
    // Read-only calls (Describe*, Get*, List*) never swap the model or wake the listeners.
    if (!/^(Describe|Get|List)[A-Z]/.test(action)) {
      this.current = draft;
      for (const l of this.listeners) l(this.current, action);
    }
    return { RequestId: requestId(), ...result };
  }
}
