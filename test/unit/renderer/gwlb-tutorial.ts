// The GWLB tutorial's cloud (lab-scenarios/gwlb-firewall.yaml) built in-process, no root: its
// topology and its steps' actions through the real control plane, as the runtime runs them
// (names resolved to IDs), and the real trace records captured from a lab of that tutorial
// (fixtures/gwlb-traces.json) with that lab's IDs replaced by this model's, name for name.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { resolveParams, topologyActions } from '../../../src/main/runtime/scenario-actions';
import { loadScenario } from '../../../src/main/scenario/load';
import type { Invoke } from '../../../src/renderer/src/lib/console-data';

const ROOT = path.resolve(__dirname, '../../..');
export const GWLB_TUTORIAL = path.join(ROOT, 'lab-scenarios', 'gwlb-firewall.yaml');

/** Served by the runtime (the engine's health), not the control plane. */
const RUNTIME_ONLY = new Set(['GetListenerHealthStatus']);

export interface GwlbTutorial {
  cp: ControlPlane;
  clock: { now: number };
  invoke: Invoke;
  hosts: { name: string; kind: 'ecs' | 'internet' | 'service'; ip: string }[];
  /** A resource's ID by its name in the tutorial. */
  id(name: string): string;
}

/** The tutorial's cloud after its first `steps` steps (every action that is meant to succeed), one second later. */
export function gwlbTutorial(steps: number): GwlbTutorial {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const cp = new ControlPlane('t-renderer-gwlb', undefined, { now: () => clock.now });
  const s = loadScenario(GWLB_TUTORIAL);
  for (const a of topologyActions(s)) cp.invoke(a.action, resolveParams(cp.model, a.params));
  for (const step of s.steps.slice(0, steps)) {
    for (const a of step.actions) {
      if (a.expectError || RUNTIME_ONLY.has(a.action)) continue;
      cp.invoke(a.action, resolveParams(cp.model, a.params));
    }
  }
  // The asynchronous statuses settle (Provisioning → Active) after a second.
  clock.now += 1500;
  const names = new Map<string, string>();
  const m = cp.model;
  const put = (name: string, id: string): void => void (name && names.set(name, id));
  for (const x of m.vpcs) put(x.VpcName, x.VpcId);
  for (const x of m.vswitches) put(x.VSwitchName, x.VSwitchId);
  for (const x of m.routeTables) put(x.RouteTableName, x.RouteTableId);
  for (const x of m.instances) put(x.InstanceName, x.InstanceId);
  for (const x of m.ipv4Gateways) put(x.Ipv4GatewayName, x.Ipv4GatewayId);
  for (const x of m.gwlbs) put(x.LoadBalancerName, x.LoadBalancerId);
  for (const x of m.serverGroups) put(x.ServerGroupName, x.ServerGroupId);
  for (const x of m.endpoints) put(x.EndpointName, x.EndpointId);
  for (const x of m.endpointServices) put(x.ServiceDescription, x.ServiceId);
  return {
    cp,
    clock,
    invoke: async (action, params) => cp.invoke(action, resolveParams(cp.model, params)),
    hosts: labHosts(cp.model).map((h) => ({ name: h.name, kind: h.kind, ip: h.ip })),
    id(name) {
      const v = names.get(name);
      if (!v) throw new Error(`the tutorial has no resource named ${name}`);
      return v;
    },
  };
}

interface TraceFixture {
  ids: Record<string, string>;
  records: Record<'inboundSyn' | 'outboundSynAck' | 'outboundEcho' | 'inboundEchoReply' | 'tooBig', TraceRecord>;
}

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'gwlb-traces.json'), 'utf8')) as TraceFixture;

/** A captured trace record, speaking of `lab`'s resources: each captured ID replaced by the ID `lab` gave the same name. */
export function capturedTrace(lab: GwlbTutorial, which: keyof TraceFixture['records']): TraceRecord {
  let text = JSON.stringify(FIXTURE.records[which]);
  for (const [name, id] of Object.entries(FIXTURE.ids)) text = text.split(id).join(lab.id(name));
  return JSON.parse(text) as TraceRecord;
}
