// LabService: the one typed API every front end uses — the CLI over a Unix socket, the
// desktop app over IPC, the browser over a WebSocket. Methods are plain JSON in and out.

import type { DeviceCounters } from '../engine/counters';
import type { TraceRecord } from '../engine/trace';
import { methodNames } from './methods';

export interface HostInfo {
  name: string;
  kind: 'ecs' | 'internet' | 'service' | 'idc' | 'idc-gateway' | 'vpn-endpoint';
  ip: string;
  eip?: string;
  netns: string;
  instanceId?: string;
  vswitch?: string;
}

export interface ResourceInfo {
  type: string;
  id: string;
  name: string;
  detail: string;
}

export interface LabStatus {
  lab: string;
  pid: number;
  scenario?: { file: string; title: string };
  hosts: HostInfo[];
  resources: ResourceInfo[];
  /** Steps already run (1-based count), when a scenario is loaded. */
  stepsRun: number;
  trace: string | null;
}

export interface ExecReply {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface CheckResult {
  name: string;
  host: string;
  command: string;
  passed: boolean;
  /** What was expected, in words, when it failed. */
  reasons: string[];
  exitCode: number | null;
  output: string;
  capture?: { host: string; filter: string; text: string };
  /** The engine's trace of the host's packets during the command, when the check asked. */
  trace?: string;
  durationMs: number;
}

export interface ActionOutcome {
  action: string;
  params: Record<string, unknown>;
  ok: boolean;
  /** Passed means: succeeded, or failed with the expected error code. */
  passed: boolean;
  result?: Record<string, unknown>;
  error?: { Code: string; Message: string };
  expectError?: string;
}

export interface StepInfo {
  index: number; // 1-based
  name: string;
  description?: string;
  actions: { action: string; params: Record<string, unknown>; expectError?: string }[];
  checks: { name: string; host: string; run: string; expect: string }[];
  /** What the step gave, once it has run (also for steps run before the page opened). */
  result?: StepResult;
}

export interface StepResult {
  index: number;
  name: string;
  passed: boolean;
  actions: ActionOutcome[];
  checks: CheckResult[];
}

export type LabEvent =
  | { type: 'trace'; record: TraceRecord }
  | { type: 'step'; result: StepResult }
  | { type: 'check'; step: number; result: CheckResult }
  | { type: 'model'; action: string };

export interface LabService {
  status(): Promise<LabStatus>;
  /** A control-plane action by its Alibaba name. Rejects with {Code, Message}. */
  invoke(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  exec(host: string, command: string, timeoutSec?: number): Promise<ExecReply>;
  /** argv that opens an interactive shell in the host (the caller owns the TTY). */
  shellArgv(host: string): Promise<string[]>;
  steps(): Promise<StepInfo[]>;
  /** Run the next steps up to and including `index` (1-based). */
  runTo(index: number): Promise<StepResult[]>;
  counters(): Promise<DeviceCounters[]>;
  /** `host=ECS-A addr=8.8.8.8 proto=icmp`, `all`, or null to stop tracing. */
  setTrace(filter: string | null): Promise<void>;
  /** Tear the lab down; the runtime exits afterwards. */
  shutdown(): Promise<void>;
}

const LAB_SERVICE = {
  status: true, invoke: true, exec: true, shellArgv: true, steps: true, runTo: true, counters: true, setTrace: true, shutdown: true,
} as const satisfies Record<keyof LabService, true>;

export const LAB_SERVICE_METHODS = methodNames<LabService>(LAB_SERVICE);
