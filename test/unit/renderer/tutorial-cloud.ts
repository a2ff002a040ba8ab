// A tutorial's cloud built in-process, no root: its topology and the actions of its first
// steps (those meant to succeed) through the real control plane, names resolved to IDs as
// the runtime resolves them. The renderer's tests read the Describe answers of this model.

import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { resolveName, resolveParams, topologyActions } from '../../../src/main/runtime/scenario-actions';
import { loadScenario } from '../../../src/main/scenario/load';
import type { HostInfo } from '../../../src/main/api/lab-service';
import type { Invoke } from '../../../src/renderer/src/lib/console-data';

export interface TutorialCloud {
  cp: ControlPlane;
  invoke: Invoke;
  hosts: Pick<HostInfo, 'name' | 'kind' | 'ip'>[];
  /** A resource's ID by its name in the tutorial. */
  id(name: string): string;
}

export interface TutorialOptions {
  /** The control plane's clock (asynchronous statuses derive from it). */
  now?: () => number;
  /** Actions the runtime answers, not the control plane: skipped. */
  runtimeOnly?: ReadonlySet<string>;
}

export function tutorialCloud(file: string, labName: string, steps: number, opts: TutorialOptions = {}): TutorialCloud {
  const cp = new ControlPlane(labName, undefined, opts.now ? { now: opts.now } : {});
  const s = loadScenario(file);
  for (const a of topologyActions(s)) cp.invoke(a.action, resolveParams(cp.model, a.params));
  for (const step of s.steps.slice(0, steps)) {
    for (const a of step.actions) {
      if (a.expectError || opts.runtimeOnly?.has(a.action)) continue;
      cp.invoke(a.action, resolveParams(cp.model, a.params));
    }
  }
  return {
    cp,
    invoke: async (action, params) => cp.invoke(action, resolveParams(cp.model, params)),
    hosts: labHosts(cp.model).map((h) => ({ name: h.name, kind: h.kind, ip: h.ip })),
    id(name) {
      const v = resolveName(cp.model, name);
      if (v === name) throw new Error(`the tutorial has no resource named ${name}`);
      return v;
    },
  };
}
