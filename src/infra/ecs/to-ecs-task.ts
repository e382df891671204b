import type { Task } from '@aws-sdk/client-ecs';
import type { TaskSummary } from '../../core/ports/container-platform.js';

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
const STOPPING = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED', 'DELETED']);
/** ECS stopped it on purpose (deployment, scale-in, StopTask): not a failure of the task. */
const ORDERED = new Set([
  'ServiceSchedulerInitiated',
  'UserInitiated',
  'SpotInterruption',
  'TerminationNotice',
]);

/**
 * One ECS task → the port's task. Starting tasks are `pending`/`starting`; a task stopped by the
 * scheduler (a deployment replacing it, a scale-in) is `shutdown`; one whose essential container
 * exited non-zero is `failed`; one that never started (`TaskFailedToStart`) is `rejected`.
 */
export function toEcsTask(task: Task, essential: string | undefined): TaskSummary {
  const status = task.lastStatus ?? 'UNKNOWN';
  const container = task.containers?.find((c) => c.name === essential) ?? task.containers?.[0];
  const exitCode = container?.exitCode;
  const createdAt = task.createdAt ?? task.startedAt ?? new Date(0);
  const base = {
    id: (task.taskArn ?? '').split('/').pop() ?? '',
    desiredState: (task.desiredStatus ?? 'unknown').toLowerCase(),
    createdAt,
    timestamp: task.stoppedAt ?? task.startedAt ?? createdAt,
  };
  if (STARTING.has(status))
    return { ...base, state: status === 'ACTIVATING' ? 'starting' : 'pending', message: status };
  if (!STOPPING.has(status)) {
    const health =
      task.healthStatus === undefined || task.healthStatus === 'UNKNOWN'
        ? ''
        : ` (${task.healthStatus.toLowerCase()})`;
    return {
      ...base,
      state: status === 'RUNNING' ? 'running' : status.toLowerCase(),
      message: `${status}${health}`,
    };
  }
  const reason = [task.stoppedReason, container?.reason]
    .filter((r) => r !== undefined && r !== '')
    .join('; ');
  const message = `${status}${reason === '' ? '' : `: ${reason}`}`;
  const withExit = exitCode === undefined ? {} : { exitCode };
  if (task.stopCode === 'TaskFailedToStart')
    return {
      ...base,
      state: 'rejected',
      message,
      error: reason || 'task failed to start',
      ...withExit,
    };
  if (ORDERED.has(task.stopCode ?? '') || (task.stopCode === undefined && exitCode === undefined)) {
    return { ...base, state: 'shutdown', message, ...withExit };
  }
  if (exitCode === 0) return { ...base, state: 'complete', message, ...withExit };
  return {
    ...base,
    state: 'failed',
    message,
    error: reason || `non-zero exit (${exitCode ?? '?'})`,
    ...withExit,
  };
}
