// The IPsec-VPN tutorial's cloud (lab-scenarios/ipsec-vpn.yaml) built in-process, no root:
// its topology and its steps' actions through the real control plane, names resolved to IDs as
// the runtime resolves them. The tunnels' live state (the monitor, DescribeVpnGatewayMonitor)
// is the runtime's; tests hand the topology a made-up reading in its shape.

import * as path from 'node:path';
import { loadScenario } from '../../../src/main/scenario/load';
import { tutorialCloud, type TutorialCloud } from './tutorial-cloud';

const ROOT = path.resolve(__dirname, '../../..');
export const VPN_TUTORIAL = path.join(ROOT, 'lab-scenarios', 'ipsec-vpn.yaml');

export type VpnTutorial = TutorialCloud;

/** How many steps there are up to and including the first whose name starts with `prefix`. */
export function stepsThrough(prefix: string): number {
  const i = loadScenario(VPN_TUTORIAL).steps.findIndex((s) => s.name.startsWith(prefix));
  if (i < 0) throw new Error(`the tutorial has no step named ${prefix}…`);
  return i + 1;
}

/** The tutorial's cloud after its first `steps` steps (every action that is meant to succeed). */
export function vpnTutorial(steps: number): VpnTutorial {
  return tutorialCloud(VPN_TUTORIAL, 't-renderer-vpn', steps);
}
