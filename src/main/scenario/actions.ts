// Which calls a scenario step may make, judged when the file is loaded: a misspelled action
// (`- CreateRoutEntry: …`) used to pass the loader and fail mid-run with no place in the
// file. The names are the control plane's (actionNames) plus the few that the lab runtime
// answers itself. Parameter checks, once the control plane declares each action's
// parameters, belong in checkAction beside the name check, reporting `{ param }`.

import { actionNames } from '../cloud/control-plane';
import { didYouMean } from '../util/did-you-mean';
import { clip } from '../util/quote';

/**
 * Actions served by the lab runtime (src/main/runtime/lab.ts `invoke`) rather than the
 * control plane, because they read the engine. test/unit/scenario/actions.test.ts checks
 * this list against that file.
 */
export const LAB_RUNTIME_ACTIONS: readonly string[] = ['DescribeNatGatewayMetrics'];

let known: ReadonlySet<string> | undefined;

/** Every action a step may name. */
export function knownActions(): ReadonlySet<string> {
  known ??= new Set([...actionNames(), ...LAB_RUNTIME_ACTIONS]);
  return known;
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
  return [];
}
