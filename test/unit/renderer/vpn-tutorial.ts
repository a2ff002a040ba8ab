// The IPsec-VPN tutorial's cloud (lab-scenarios/ipsec-vpn.yaml) built in-process, no root:
// its topology and its steps' actions through the real control plane, names resolved to IDs as
// the runtime resolves them. The tunnels' live state (the monitor, DescribeVpnGatewayMonitor)
// is the runtime's; tests hand the topology a made-up reading in its shape.

import * as path from 'node:path';
import { ControlPlane } from '../../../src/main/cloud/control-plane';
import { labHosts } from '../../../src/main/cloud/lab-hosts';
import { resolveParams, topologyActions } from '../../../src/main/runtime/scenario-actions';
import { loadScenario } from '../../../src/main/scenario/load';
import type { Invoke } from '../../../src/renderer/src/lib/console-data';

const ROOT = path.resolve(__dirname, '../../..');
export const VPN_TUTORIAL = path.join(ROOT, 'lab-scenarios', 'ipsec-vpn.yaml');

export interface VpnTutorial {
  cp: ControlPlane;
  invoke: Invoke;
  hosts: { name: string; kind: 'ecs' | 'internet' | 'service' | 'idc' | 'idc-gateway' | 'vpn-endpoint'; ip: string }[];
  /** A resource's ID by its name in the tutorial. */
  id(name: string): string;
}

/** How many steps there are up to and including the first whose name starts with `prefix`. */
export function stepsThrough(prefix: string): number {
  const i = loadScenario(VPN_TUTORIAL).steps.findIndex((s) => s.name.startsWith(prefix));
  if (i < 0) throw new Error(`the tutorial has no step named ${prefix}…`);
  return i + 1;
}

/** The tutorial's cloud after its first `steps` steps (every action that is meant to succeed). */
export function vpnTutorial(steps: number): VpnTutorial {
  const cp = new ControlPlane('t-renderer-vpn');
  const s = loadScenario(VPN_TUTORIAL);
  for (const a of topologyActions(s)) cp.invoke(a.action, resolveParams(cp.model, a.params));
  for (const step of s.steps.slice(0, steps)) {
    for (const a of step.actions) {
      if (a.expectError) continue;
      cp.invoke(a.action, resolveParams(cp.model, a.params));
    }
  }
  const names = new Map<string, string>();
  const m = cp.model;
  const put = (name: string, id: string): void => void (name && names.set(name, id));
  for (const x of m.vpcs) put(x.VpcName, x.VpcId);
  for (const x of m.vswitches) put(x.VSwitchName, x.VSwitchId);
  for (const x of m.instances) put(x.InstanceName, x.InstanceId);
  for (const x of m.vpnGateways) put(x.Name, x.VpnGatewayId);
  for (const x of m.customerGateways) put(x.Name, x.CustomerGatewayId);
  for (const x of m.vpnConnections) put(x.Name, x.VpnConnectionId);
  return {
    cp,
    invoke: async (action, params) => cp.invoke(action, resolveParams(cp.model, params)),
    hosts: labHosts(cp.model).map((h) => ({ name: h.name, kind: h.kind, ip: h.ip })),
    id(name) {
      const v = names.get(name);
      if (!v) throw new Error(`the tutorial has no resource named ${name}`);
      return v;
    },
  };
}
