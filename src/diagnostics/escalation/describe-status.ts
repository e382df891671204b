import type { EnvironmentConfig } from '../../config/schema.js';
import type { TaskSummary } from '../../core/ports/container-platform.js';
import type { Redactor } from '../../lib/redact.js';
import { cut } from '../logs/format-log-line.js';
import type { ServiceHealth, StatusSnapshot } from '../status/check-status.js';
import type { FailedTaskReport, ProbeReport, ServiceReport } from './escalation-report.js';
import { REPORT_BUDGETS } from './report-budgets.js';

const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'rejected', 'complete']);

/** Each service with its replicas, image, problem and restart history (`docker service ls` and `ps`). */
export function describeServices(snapshot: StatusSnapshot): ServiceReport[] {
  return snapshot.services.map(describeService);
}

function describeService(service: ServiceHealth): ServiceReport {
  const state = service.state;
  const loop = service.restartLoop;
  const running = state?.tasks.find((task) => task.state === 'running');
  const update =
    state?.update === undefined
      ? undefined
      : [state.update.state, state.update.message].filter(Boolean).join(': ');
  return {
    name: service.name,
    health: service.health,
    configured: service.configured,
    replicas: state === undefined ? 'not deployed' : `${state.running}/${state.desired}`,
    ...(state !== undefined && { image: state.image }),
    problem: service.problem,
    ...(running !== undefined && { runningSince: running.createdAt.toISOString() }),
    ...(update !== undefined && { update }),
    restartHistory: {
      inLoop: loop?.inLoop ?? false,
      failuresInWindow: loop?.failures ?? 0,
      windowMs: loop?.windowMs ?? 0,
      ...(loop?.lastError !== undefined && { lastError: loop.lastError }),
      recentFailures: (state?.tasks ?? [])
        .filter((task) => FAILED_STATES.has(task.state))
        .slice(0, REPORT_BUDGETS.failedTasks)
        .map(failedTask),
    },
  };
}

function failedTask(task: TaskSummary): FailedTaskReport {
  return {
    at: task.timestamp.toISOString(),
    state: task.state,
    ...(task.error !== undefined && { error: task.error }),
    ...(task.exitCode !== undefined && { exitCode: task.exitCode }),
  };
}

/** Every probe's result with the start of its body (the output of the status routes). */
export function describeProbes(
  snapshot: StatusSnapshot,
  env: EnvironmentConfig,
  redact: Redactor,
): ProbeReport[] {
  const serviceOf = new Map(env.probes.map((probe) => [probe.name, probe.service]));
  return snapshot.probes.map((probe) => {
    const service = serviceOf.get(probe.name);
    return {
      name: probe.name,
      target: probe.target,
      outcome: probe.outcome,
      severity: probe.severity,
      ...(probe.status !== undefined && { status: probe.status }),
      latencyMs: probe.latencyMs,
      detail: probe.detail,
      ...(service !== undefined && { service }),
      // Redacted before the cut, so a secret crossing the budget's end goes whole.
      ...(probe.body !== undefined && {
        body: cut(redact(probe.body), REPORT_BUDGETS.probeBody),
      }),
    };
  });
}
