import type { EngineService, EngineTask } from './engine-types.js';

export type ServiceStatus = Required<NonNullable<EngineService['ServiceStatus']>>;

/**
 * The counts `GET /services?status=true` adds to a service, from the service and all of its
 * tasks, computed as the Engine computes them (swarmkit's ListServiceStatuses, unchanged since
 * jobs came in Engine 20.10): desired is the replicas of a replicated service and the
 * `MaxConcurrent` of a replicated job; for a global service or job, the tasks the orchestrator
 * wants (desired state running, or complete and not complete yet). Running counts tasks in
 * state running, whatever their desired state; a job counts only the tasks of its current run.
 * The listing asks the Engine for the tasks anyway; counting them here spares the Engine the
 * same walk over the tasks for `status=true`.
 */
export function serviceStatusOf(
  service: EngineService,
  tasks: readonly EngineTask[],
): ServiceStatus {
  const mode = service.Spec?.Mode ?? {};
  const global = mode.Replicated === undefined && mode.ReplicatedJob === undefined;
  const run =
    service.JobStatus === undefined ? undefined : (service.JobStatus.JobIteration?.Index ?? 0);
  const status = {
    RunningTasks: 0,
    DesiredTasks: mode.Replicated?.Replicas ?? mode.ReplicatedJob?.MaxConcurrent ?? 0,
    CompletedTasks: 0,
  };
  for (const task of tasks) {
    const state = task.Status?.State;
    if (run !== undefined) {
      if (task.JobIteration === undefined || (task.JobIteration.Index ?? 0) !== run) continue;
      if (state === 'complete') status.CompletedTasks += 1;
    }
    if (state === 'running') status.RunningTasks += 1;
    if (!global) continue;
    if (task.DesiredState === 'running') status.DesiredTasks += 1;
    if (state !== 'complete' && task.DesiredState === 'complete') status.DesiredTasks += 1;
  }
  return status;
}
