// The only writer of the cloud model. Every front end (scenario steps, CLI, UI) calls
// `invoke` with an Alibaba action name; the action runs against a draft, and the draft
// replaces the model only if the action succeeded, so a failed action changes nothing.

import { ActionContext, isFlatForm, type Action, type ActionResult } from './context';
import { ApiError, quoted } from './errors';
import { suggest } from '../util/did-you-mean';
import { requestId } from './ids';
import { emptyModel, type CloudModel } from './model';
import { bool, type Params } from './params';
import * as vpc from './actions/vpc';
import * as routeTable from './actions/route-table';
import * as eip from './actions/eip';
import * as hosts from './actions/hosts';
import * as ipv4Gateway from './actions/ipv4-gateway';
import * as natGateway from './actions/nat-gateway';
import * as gwlb from './actions/gwlb';
import * as gwlbServerGroups from './actions/gwlb-server-groups';
import * as privatelink from './actions/privatelink';
import * as privatelinkServices from './actions/privatelink-services';
import * as idc from './actions/idc';
import * as cloudServices from './actions/cloud-services';
import * as vpnGateway from './actions/vpn-gateway';
import * as vpnCustomerGateway from './actions/vpn-customer-gateway';
import * as vpnConnection from './actions/vpn-connection';
import * as vpnRoutes from './actions/vpn-routes';
import * as vpnConfig from './actions/vpn-config';
import * as vpnAttachment from './actions/vpn-attachment';
import * as cen from './actions/cen';
import * as trAttachments from './actions/tr-attachments';
import * as trRouteEntries from './actions/tr-route-entries';
import * as cenRouteService from './actions/cen-route-service';
import * as securityGroup from './actions/security-group';
import * as securityGroupRules from './actions/security-group-rules';
import * as networkAcl from './actions/network-acl';

const ACTIONS: Record<string, Action> = {
  ...pick(vpc),
  ...pick(routeTable),
  ...pick(eip),
  ...pick(hosts),
  ...pick(ipv4Gateway),
  ...pick(natGateway),
  ...pick(gwlb),
  ...pick(gwlbServerGroups),
  ...pick(privatelink),
  ...pick(privatelinkServices),
  ...pick(idc),
  ...pick(cloudServices),
  ...pick(vpnGateway),
  ...pick(vpnCustomerGateway),
  ...pick(vpnConnection),
  ...pick(vpnRoutes),
  ...pick(vpnConfig),
  ...pick(vpnAttachment),
  ...pick(cen),
  ...pick(trAttachments),
  ...pick(trRouteEntries),
  ...pick(cenRouteService),
  ...pick(securityGroup),
  ...pick(securityGroupRules),
  ...pick(networkAcl),
};

const actionNamed = (name: string): Action | undefined => (Object.prototype.hasOwnProperty.call(ACTIONS, name) ? ACTIONS[name] : undefined);

/** Exported actions are the ones whose names start with a capital letter. */
function pick(mod: Record<string, unknown>): Record<string, Action> {
  return Object.fromEntries(
    Object.entries(mod).filter(([k, v]) => /^[A-Z][a-z]/.test(k) && typeof (v as Partial<Action>)?.run === 'function'),
  ) as Record<string, Action>;
}

/** Taken by every action, as by the cloud's API: its region, a dry run, an idempotence token. */
export const COMMON_PARAMS: readonly string[] = ['RegionId', 'DryRun', 'ClientToken'];

export const actionNames = (): string[] => Object.keys(ACTIONS).sort();

/** The request parameters `action` takes (its own and the common ones), or undefined if there is no such action. */
export function actionParams(action: string): readonly string[] | undefined {
  const a = actionNamed(action);
  return a && [...a.params, ...COMMON_PARAMS];
}

/**
 * The cloud's UnsupportedParameter for `param` when `action` (taking `own` and the common
 * parameters) does not take it, with the closest one it does take; null when it does. A
 * structured parameter the action declares is also taken in the flat RPC form
 * (`ZoneMappings.1.ZoneId`); its fields are checked when the action reads them.
 */
export function unsupportedParam(action: string, own: readonly string[], param: string): ApiError | null {
  if (own.includes(param) || COMMON_PARAMS.includes(param)) return null;
  const a = actionNamed(action);
  if (a && isFlatForm({ params: own, flat: a.flat.filter((f) => own.includes(f)) }, param)) return null;
  const hint = suggest(param, own);
  return new ApiError(
    'UnsupportedParameter',
    `The parameter ${quoted(param)} is not supported by ${action}${hint ? ` (did you mean ${hint}?)` : ''}. ` +
      (own.length ? `It takes ${own.join(', ')}.` : 'It takes no parameters of its own.'),
    400,
    param,
  );
}

/** Refuses the first parameter the action does not take. */
export function checkParamNames(action: string, own: readonly string[], params: Params): void {
  for (const k of Object.keys(params)) {
    const e = unsupportedParam(action, own, k);
    if (e) throw e;
  }
}

/** The parameters as the action sees them: reading one it did not declare is a bug in the lab. */
export function declaredOnly(action: string, a: Action, params: Params): Params {
  const known = new Set([...a.params, ...COMMON_PARAMS]);
  return new Proxy(params, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !known.has(key) && !isFlatForm(a, key)) throw new Error(`internal: ${action} reads parameter ${key}, which it does not declare`);
      return Reflect.get(target, key, receiver);
    },
  });
}

/** An action run on a draft of the model, not yet the model: see ControlPlane.plan. */
export interface Plan {
  readonly action: string;
  /** The model the action ran on: a plan commits only on top of it. */
  readonly base: CloudModel;
  readonly draft: CloudModel;
  readonly result: ActionResult;
  /** Describe*, Get*, List*, Download*: nothing to commit. */
  readonly readOnly: boolean;
}

export type ModelListener = (model: CloudModel, action: string) => void;

export interface ControlPlaneOptions {
  /**
   * The clock, in milliseconds since the epoch (default Date.now): creation times and the
   * asynchronous statuses derived from them (Provisioning → Active) read it, so tests can
   * step it.
   */
  now?: () => number;
}

export class ControlPlane {
  private current: CloudModel;
  private readonly listeners: ModelListener[] = [];
  readonly now: () => number;

  constructor(readonly labName: string, model: CloudModel = emptyModel(), opts: ControlPlaneOptions = {}) {
    this.current = model;
    this.now = opts.now ?? Date.now;
  }

  get model(): Readonly<CloudModel> {
    return this.current;
  }

  onChange(l: ModelListener): void {
    this.listeners.push(l);
  }

  /** Run one action and commit it. Throws ApiError; on success returns the API's response with a RequestId. */
  invoke(action: string, params: Params = {}): ActionResult {
    const plan = this.plan(action, params);
    this.commit(plan);
    return plan.result;
  }

  /**
   * Run one action on a draft of the model and return it without committing, so that a
   * caller with side effects (the lab's namespaces and processes) can make them first and
   * commit only if they worked. Throws ApiError, changing nothing.
   */
  plan(action: string, params: Params = {}): Plan {
    const a = actionNamed(action);
    if (!a) {
      const hint = suggest(action, actionNames());
      throw new ApiError('InvalidAction.NotFound', `The action ${quoted(action)} does not exist${hint ? ` (did you mean ${hint}?)` : ''}. Known actions: ${actionNames().join(', ')}.`, 404);
    }
    checkParamNames(action, a.params, params);
    // Read like any boolean parameter: a value such as "TRUE" must never run the call for real.
    const dryRun = bool(params, 'DryRun', false);
    const draft = structuredClone(this.current);
    const result = a.run(new ActionContext(draft, this.labName, this.now), declaredOnly(action, a, params));
    if (dryRun) {
      throw a.dryRunCode === 'DRYRUN.SUCCESS'
        ? new ApiError('DRYRUN.SUCCESS', 'This request is a dryrun request with successful result.')
        : new ApiError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    }
    return { action, base: this.current, draft, result: { RequestId: requestId(), ...result }, readOnly: /^(Describe|Get|List|Download)[A-Z]/.test(action) };
  }

  /** Make a plan's draft the model (read-only calls never swap it or wake the listeners). */
  commit(plan: Plan): void {
    if (plan.readOnly) return;
    // Another action committed in between: this draft would silently undo it.
    if (plan.base !== this.current) throw new Error(`internal: ${plan.action} was planned on a model that has changed since`);
    this.current = plan.draft;
    for (const l of this.listeners) l(this.current, plan.action);
  }
}
