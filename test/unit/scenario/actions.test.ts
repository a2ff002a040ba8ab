import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNames } from '../../../src/main/cloud/control-plane';
import { knownActions, LAB_RUNTIME_ACTIONS } from '../../../src/main/scenario/actions';
import { parseScenario } from '../../../src/main/scenario/load';
import { FILE, errorOf, lines, HOSTS } from './helpers';

// Action names are checked when a scenario is loaded (issue 10): `- CreateRoutEntry: {…}`
// used to pass and fail only mid-run, without a place.






describe('the actions a scenario may call', () => {
  it('are the control plane actions and the lab runtime ones', () => {
    expect([...knownActions()].sort()).toEqual([...actionNames(), ...Object.keys(LAB_RUNTIME_ACTIONS)].sort());
    for (const a of Object.keys(LAB_RUNTIME_ACTIONS)) expect(actionNames()).not.toContain(a);
  });

  it('LAB_RUNTIME_ACTIONS is what runtime/lab.ts answers itself', () => {
    // The runtime answers these before the control plane sees them (`if (action === '…')`).
    const lab = readFileSync(join(__dirname, '../../../src/main/runtime/lab.ts'), 'utf8');
    const handled = [...lab.matchAll(/action === '([A-Za-z]+)'/g)].map((m) => m[1]);
    expect(handled.sort()).toEqual(Object.keys(LAB_RUNTIME_ACTIONS).sort());
  });
});

describe('actions are checked at load', () => {
  it('a misspelled action fails at its place, with a suggestion', () => {
    const e = errorOf(`${HOSTS}steps:\n  - name: s\n    actions:\n      - CreateRoutEntry: { RouteTableId: rt-a }\n`);
    expect(lines(e)).toEqual([`${FILE}:7:9: steps[0].actions[0]: unknown action CreateRoutEntry (did you mean CreateRouteEntry?)`]);
  });

  it('the long form too, at the name', () => {
    const e = errorOf(`${HOSTS}steps:\n  - name: s\n    actions:\n      - action: CreateVpcc\n        params: {}\n`);
    expect(lines(e)).toEqual([`${FILE}:7:17: steps[0].actions[0].action: unknown action CreateVpcc (did you mean CreateVpc?)`]);
  });

  it('a name far from every action says so', () => {
    const e = errorOf(`${HOSTS}steps:\n  - name: s\n    actions:\n      - Frobnicate: {}\n`);
    expect(e.issues[0].problem).toMatch(/^unknown action Frobnicate; the lab has \d+ actions \(README.md, "Control-plane actions"\)$/);
  });

  it('accepts the control plane actions, the runtime-only DescribeNatGatewayMetrics, and a step that expects InvalidAction.NotFound', () => {
    const s = parseScenario(
      `${HOSTS}steps:\n  - name: s\n    actions:\n      - CreateVpc: { CidrBlock: 10.0.0.0/8 }\n      - DescribeNatGatewayMetrics:\n` +
        `      - { action: NoSuchThing, expectError: InvalidAction.NotFound }\n`,
      FILE,
    );
    expect(s.steps[0].actions.map((a) => a.action)).toEqual(['CreateVpc', 'DescribeNatGatewayMetrics', 'NoSuchThing']);
  });

  it('lists a bad action with the other problems, in file order', () => {
    const e = errorOf(`title: t
topology:
  internet: [{ name: h, ip: 8.8.8.300 }]
steps:
  - name: s
    actions:
      - DescribeVpc: {}
    checks:
      - { name: c, host: hh, run: ls }
`);
    expect(lines(e)).toEqual([
      `${FILE}:3:29: topology.internet[0].ip: "8.8.8.300" is not an IPv4 address: 300 is larger than 255`,
      `${FILE}:7:9: steps[0].actions[0]: unknown action DescribeVpc (did you mean DescribeVpcs?)`,
      `${FILE}:9:26: steps[0].checks[0].host: no ECS or Internet host named hh (did you mean h?)`,
    ]);
  });
});

describe('the parameters a scenario step passes', () => {
  it('an unknown or misspelt parameter is refused at load, at its place, with a suggestion', () => {
    const e = errorOf(`${HOSTS}steps:
  - name: s
    actions:
      - CreateVpc: { CidrBlock: 10.0.0.0/16, VpcNmae: x }
      - DescribeNatGatewayMetrics: { NatGatewayID: ngw-1 }
`);
    expect(lines(e)).toEqual([
      `${FILE}:7:55: steps[0].actions[0].CreateVpc.VpcNmae: The parameter "VpcNmae" is not supported by CreateVpc (did you mean VpcName?). It takes CidrBlock, VpcName.`,
      `${FILE}:8:52: steps[0].actions[1].DescribeNatGatewayMetrics.NatGatewayID: The parameter "NatGatewayID" is not supported by DescribeNatGatewayMetrics (did you mean NatGatewayId?). It takes NatGatewayId.`,
    ]);
  });

  it('the common parameters pass', () => {
    expect(() => parseScenario(`${HOSTS}steps:
  - name: s
    actions:
      - CreateVpc: { CidrBlock: 10.0.0.0/16, RegionId: ap-northeast-1, DryRun: true }
`, FILE)).not.toThrow();
  });
});
