// Which calls a scenario step may make, judged when the file is loaded: a misspelled action
// (`- CreateRoutEntry: …`) or parameter used to pass the loader and fail mid-run with no
// place in the file. The names are the control plane's (actionNames, actionParams) plus the
// few that the lab runtime answers itself.

import { actionNames, actionParams, COMMON_PARAMS, unsupportedParam } from '../cloud/control-plane';
import { didYouMean } from '../util/did-you-mean';
import { clip } from '../util/quote';

/**
 * Actions served by the lab runtime (src/main/runtime/lab.ts `invoke`) rather than the
 * control plane, because they read the engine. test/unit/scenario/actions.test.ts checks
 * this list against that file.
 */
export const LAB_RUNTIME_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  DescribeNatGatewayMetrics: ['NatGatewayId'],
  GetListenerHealthStatus: ['ListenerId'],
  DescribeVpnGatewayMonitor: ['VpnGatewayId'],
  DescribeVpnAttachmentMonitor: ['TransitRouterId', 'VpnConnectionId'],
};

let known: ReadonlySet<string> | undefined;

/** Every action a step may name. */
export function knownActions(): ReadonlySet<string> {
  known ??= new Set([...actionNames(), ...Object.keys(LAB_RUNTIME_ACTIONS)]);
  return known;
}

/** The parameters an action takes (its own, without the common ones), control plane or runtime. */
export function ownParams(action: string): readonly string[] | undefined {
  const runtime = Object.prototype.hasOwnProperty.call(LAB_RUNTIME_ACTIONS, action) ? LAB_RUNTIME_ACTIONS[action] : undefined;
  return runtime ?? actionParams(action)?.filter((p) => !COMMON_PARAMS.includes(p));
}

/** A problem with a call: with the action name, or with one of its parameters. */
export type ActionProblem = { message: string } | { param: string; message: string };

/** What is wrong with a call, as far as can be told without making it (`params`: for the parameter checks to come). */
export function checkAction(action: string, params: Readonly<Record<string, unknown>>): ActionProblem[] {
  const names = knownActions();
  if (!names.has(action)) {
    const hint = didYouMean(action, names) || `; the lab has ${names.size} actions (README.md, "Control-plane actions")`;
    return [{ message: `unknown action ${clip(action)}${hint}` }];
  }
  const problems: ActionProblem[] = [];
  for (const param of Object.keys(params)) {
    const e = unsupportedParam(action, ownParams(action) ?? [], param);
    if (e) problems.push({ param, message: e.message });
  }
  return problems;
}
