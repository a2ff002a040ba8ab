// The GWLB tutorial's cloud (lab-scenarios/gwlb-firewall.yaml) built in-process, no root: its
// topology and its steps' actions through the real control plane, as the runtime runs them
// (names resolved to IDs), and the real trace records captured from a lab of that tutorial
// (fixtures/gwlb-traces.json) with that lab's IDs replaced by this model's, name for name.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TraceRecord } from '../../../src/main/engine/trace';
import { tutorialCloud, type TutorialCloud } from './tutorial-cloud';

const ROOT = path.resolve(__dirname, '../../..');
export const GWLB_TUTORIAL = path.join(ROOT, 'lab-scenarios', 'gwlb-firewall.yaml');

/** Served by the runtime (the engine's health), not the control plane. */
const RUNTIME_ONLY = new Set(['GetListenerHealthStatus']);

export interface GwlbTutorial extends TutorialCloud {
  clock: { now: number };
}

/** The tutorial's cloud after its first `steps` steps (every action that is meant to succeed), one second later. */
export function gwlbTutorial(steps: number): GwlbTutorial {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const lab = tutorialCloud(GWLB_TUTORIAL, 't-renderer-gwlb', steps, { now: () => clock.now, runtimeOnly: RUNTIME_ONLY });
  // The asynchronous statuses settle (Provisioning → Active) after a second.
  clock.now += 1500;
  return { ...lab, clock };
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
