import type { EnvironmentConfig } from '../../config/schema.js';
import type { ServiceState, TaskSummary } from '../../core/ports/container-platform.js';
import { formatDuration } from '../../lib/duration.js';
import { detectRestartLoop, type RestartLoop } from './detect-restart-loop.js';

export type ServiceHealthState = 'ok' | 'degraded' | 'down' | 'stopped' | 'missing';

/** What exactly is wrong, for renderers and the watcher (the text is in `problem`). */
export type ServiceIssue =
  /** Configured, but the platform has no such service. */
  | 'not-deployed'
  /** Desired replicas 0: stopped on purpose, or by someone's mistake. */
  | 'scaled-to-zero'
  /** Replicas wanted, none running, and no restart loop to blame. */
  | 'no-running-task'
  | 'restart-loop'
  /** Fewer running than desired. */
  | 'partial'
  /** An update or rollback is under way or paused. */
  | 'updating'
  /** A job or one-shot service (tripl's `migrate`) whose last run did not exit 0. */
  | 'job-failed';

export interface ServiceHealth {
  /** Short name (`backend`). */
  readonly name: string;
  readonly health: ServiceHealthState;
  /** Listed in the environment's `services`; false for extras found on the platform. */
  readonly configured: boolean;
  /** Why it is not ok, one line (`scaled to 0`, `restart loop (…)`); empty when ok. */
  readonly problem: string;
  readonly issue?: ServiceIssue;
  readonly restartLoop?: RestartLoop;
  /** What the platform reported; absent when the service is not deployed. */
  readonly state?: ServiceState;
}

const UPDATE_PROBLEMS: Readonly<Record<string, string>> = {
  updating: 'updating',
  paused: 'update paused',
  rollback_started: 'rolling back',
  rollback_paused: 'rollback paused',
};

/** One service's health, from most to least severe: missing, stopped, down, looping, partial, updating. */
export function assessService(
  name: string,
  state: ServiceState | undefined,
  configured: boolean,
  loopConfig: EnvironmentConfig['restartLoop'],
  now: Date,
): ServiceHealth {
  if (state === undefined) {
    return { name, health: 'missing', configured, problem: 'not deployed', issue: 'not-deployed' };
  }
  const restartLoop = detectRestartLoop(state.tasks, {
    failures: loopConfig.failures,
    windowMs: loopConfig.window,
    now,
    countCompleted: state.mode !== 'job',
  });
  const base = { name, configured, restartLoop, state };
  const loop = restartLoop.inLoop ? describeLoop(restartLoop) : undefined;
  if (state.mode === 'job') {
    if (loop !== undefined)
      return { ...base, health: 'degraded', problem: loop, issue: 'restart-loop' };
    const failed = describeFailedRun(state.tasks[0]);
    if (failed !== undefined)
      return { ...base, health: 'degraded', problem: failed, issue: 'job-failed' };
    return { ...base, health: 'ok', problem: '' };
  }
  if (state.desired === 0) {
    const stopping = state.running > 0 ? ` (${state.running} still stopping)` : '';
    return {
      ...base,
      health: 'stopped',
      problem: `scaled to 0${stopping}`,
      issue: 'scaled-to-zero',
    };
  }
  if (state.running === 0) {
    if (loop !== undefined)
      return { ...base, health: 'down', problem: loop, issue: 'restart-loop' };
    return {
      ...base,
      health: 'down',
      problem: describeNewest(state.tasks),
      issue: 'no-running-task',
    };
  }
  if (loop !== undefined)
    return { ...base, health: 'degraded', problem: loop, issue: 'restart-loop' };
  if (state.running < state.desired) {
    const problem = `${state.running} of ${state.desired} running`;
    return { ...base, health: 'degraded', problem, issue: 'partial' };
  }
  const update = state.update === undefined ? undefined : UPDATE_PROBLEMS[state.update.state];
  if (update !== undefined) {
    const message = state.update?.message;
    return {
      ...base,
      health: 'degraded',
      problem: message === undefined ? update : `${update} (${message})`,
      issue: 'updating',
    };
  }
  return { ...base, health: 'ok', problem: '' };
}

function describeLoop(loop: RestartLoop): string {
  const tasks = loop.failures === 1 ? 'task' : 'tasks';
  const head = `restart loop (${loop.failures} failed ${tasks} in ${formatDuration(loop.windowMs)})`;
  return loop.lastError === undefined ? head : `${head}: ${loop.lastError}`;
}

/** Why nothing runs, from the newest task: `no running task: pending (no suitable node …)`. */
function describeNewest(tasks: readonly TaskSummary[]): string {
  const newest = tasks[0];
  if (newest === undefined) return 'no running task';
  const why = newest.error ?? newest.message;
  return `no running task: ${newest.state}${why === '' ? '' : ` (${why})`}`;
}

/** `exited with code 3` when the newest run of a job failed; undefined when it did not. */
function describeFailedRun(newest: TaskSummary | undefined): string | undefined {
  if (newest === undefined || (newest.state !== 'failed' && newest.state !== 'rejected'))
    return undefined;
  const error = newest.error ?? '';
  // The exit code says it already; other errors (OOM killed, no such image) are kept.
  const extra = error === '' || /^(task: )?non-zero exit \(\d+\)$/.test(error) ? '' : ` (${error})`;
  if (newest.exitCode !== undefined) return `exited with code ${newest.exitCode}${extra}`;
  return `last run ${newest.state}${error === '' ? '' : `: ${error}`}`;
}
