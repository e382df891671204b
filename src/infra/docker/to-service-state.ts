import type { ServiceState, TaskSummary } from '../../core/ports/container-platform.js';
import type { EngineService } from './engine-types.js';
import { serviceFingerprint } from './service-fingerprint.js';
import { splitImage } from './split-image.js';

/**
 * One Engine service (with its ServiceStatus: from `status=true`, or counted from its tasks by
 * serviceStatusOf) plus its tasks, newest first → the port's state. `running` is RunningTasks,
 * never more than the tasks seen running with desired state running: a task on its way out is
 * no replica, and when the counts come from another call than the tasks, under-reporting in
 * that race beats showing a phantom replica.
 */
export function toServiceState(
  service: EngineService,
  shortName: string,
  tasks: readonly TaskSummary[],
): ServiceState {
  const spec = service.Spec ?? {};
  const container = spec.TaskTemplate?.ContainerSpec ?? {};
  const mode = modeOf(service);
  // A task on its way out (desired shutdown/remove after a scale-down or update) may still be
  // running for a moment; it is not a replica.
  const runningTasks = tasks.filter(
    (task) => task.state === 'running' && task.desiredState === 'running',
  ).length;
  const reported = service.ServiceStatus?.RunningTasks;
  const update = service.UpdateStatus;
  return {
    id: service.ID ?? '',
    name: shortName,
    fullName: spec.Name ?? shortName,
    ...splitImage(container.Image ?? ''),
    desired: desiredOf(service, mode),
    running: reported === undefined ? runningTasks : Math.min(reported, runningTasks),
    mode,
    ...(update?.State === undefined
      ? {}
      : {
          update: {
            state: update.State,
            ...(update.Message === undefined ? {} : { message: update.Message }),
          },
        }),
    tasks,
    tty: container.TTY === true,
    version: service.Version?.Index ?? 0,
    fingerprint: serviceFingerprint(spec),
    forceUpdate: spec.TaskTemplate?.ForceUpdate ?? 0,
    ...(service.PreviousSpec?.TaskTemplate?.ContainerSpec?.Image !== undefined && {
      previous: {
        ...splitImage(service.PreviousSpec.TaskTemplate.ContainerSpec.Image),
        ...(service.PreviousSpec.Mode?.Replicated?.Replicas !== undefined && {
          desired: service.PreviousSpec.Mode.Replicated.Replicas,
        }),
      },
    }),
  };
}

function modeOf(service: EngineService): ServiceState['mode'] {
  const mode = service.Spec?.Mode ?? {};
  if (mode.Global !== undefined) return 'global';
  if (mode.ReplicatedJob !== undefined || mode.GlobalJob !== undefined) return 'job';
  return 'replicated';
}

function desiredOf(service: EngineService, mode: ServiceState['mode']): number {
  const replicas = service.Spec?.Mode?.Replicated?.Replicas;
  if (mode === 'replicated' && replicas !== undefined) return replicas;
  // Global services and jobs: the Engine counts the tasks it wants (one per eligible node).
  return service.ServiceStatus?.DesiredTasks ?? 0;
}
