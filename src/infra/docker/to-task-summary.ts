import type { TaskSummary } from '../../core/ports/container-platform.js';
import type { EngineTask } from './engine-types.js';

/** States in which a task's container has exited, so its exit code means something. */
const TERMINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned']);

/** One Engine task → the port's summary. Running tasks report ExitCode -1; it is dropped. */
export function toTaskSummary(task: EngineTask): TaskSummary {
  const status = task.Status ?? {};
  const state = status.State ?? 'unknown';
  const container = status.ContainerStatus;
  // Rejected tasks carry `{ContainerID: "", ExitCode: 0}`: no container ever ran.
  const exitCode =
    TERMINAL.has(state) && container?.ContainerID !== undefined && container.ContainerID !== ''
      ? container.ExitCode
      : undefined;
  const createdAt = parseDate(task.CreatedAt);
  return {
    id: task.ID ?? '',
    ...(typeof task.Slot === 'number' && task.Slot > 0 ? { slot: task.Slot } : {}),
    state,
    desiredState: task.DesiredState ?? 'unknown',
    message: status.Message ?? '',
    ...(status.Err !== undefined && status.Err !== '' ? { error: status.Err } : {}),
    ...(exitCode === undefined ? {} : { exitCode }),
    timestamp: status.Timestamp === undefined ? createdAt : parseDate(status.Timestamp),
    createdAt,
  };
}

function parseDate(text: string | undefined): Date {
  const date = new Date(text ?? 0);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

/** Newest first: by creation (the order Swarm replaces tasks in), then by last state change. */
export function newestFirst(a: TaskSummary, b: TaskSummary): number {
  return (
    b.createdAt.getTime() - a.createdAt.getTime() || b.timestamp.getTime() - a.timestamp.getTime()
  );
}
