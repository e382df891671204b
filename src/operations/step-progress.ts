import type { ServiceState } from '../core/ports/container-platform.js';
import type { RollbackTarget, ServiceChange } from '../core/ports/service-operator.js';
import type { EnvironmentConfig } from '../config/schema.js';
import type { OperationStep } from '../core/requests/operation-request.js';
import { sameImage } from '../lib/same-image.js';

type Platform = EnvironmentConfig['platform'];

/**
 * Where a rollback step goes: the target recorded at plan time, or for a request stored before
 * targets existed, the previous image its card showed. Never what the platform holds as
 * previous now, which the rollback itself changes.
 */
export function rollbackTargetOf(step: OperationStep): RollbackTarget | undefined {
  if (step.change.kind !== 'rollback') return undefined;
  if (step.change.target !== undefined) return step.change.target;
  return step.before.previousImage === undefined ? undefined : { image: step.before.previousImage };
}

/**
 * The marker a restart of `state` leaves: ForceUpdate + 1 (ECS: the PRIMARY deployment's
 * creation + 1 ms). On Compose, where it is the earliest container start, one past the latest
 * start, on the Docker host's own clock: a container whose run started at or after it was
 * restarted by this change, so a worker that died half-way restarts only the rest.
 */
export function restartMarker(platform: Platform, state: ServiceState): number {
  const next = (state.forceUpdate ?? 0) + 1;
  if (platform !== 'compose') return next;
  return Math.max(next, ...state.tasks.map((task) => task.createdAt.getTime() + 1));
}

/**
 * The change as it is about to be sent against the live service, stored with `applying` first.
 * A restart's marker moves past a restart someone else (or, on Compose, a restart policy) made
 * since the card, so this one is not taken as done by it; a rollback carries its target.
 */
export function changeToSend(
  step: OperationStep,
  live: ServiceState,
  platform: Platform,
): ServiceChange {
  const { change } = step;
  if (change.kind === 'restart') {
    const planned = change.forceUpdate ?? step.before.forceUpdate + 1;
    return { kind: 'restart', forceUpdate: Math.max(planned, restartMarker(platform, live)) };
  }
  const target = rollbackTargetOf(step);
  return target === undefined ? change : { kind: 'rollback', target };
}

/**
 * Whether the step's change is on the service, judged by the marker the change itself carries
 * (after a crash: was it applied already?). A restart: ForceUpdate (Compose, ECS: the start time)
 * has reached the value sent. If someone else force-updated the service after `applying` was
 * stored and before ours reached the platform, that restart is taken as ours: the service got new
 * tasks after the step started (convergence and verification check exactly that), and a second
 * restart is what this check exists to prevent. A rollback: the service runs the recorded target
 * (ECS: the task definition revision), so a re-run finds it there instead of flipping back.
 */
export function isApplied(step: OperationStep, current: ServiceState): boolean {
  const change = step.sent ?? step.change;
  switch (change.kind) {
    case 'restart':
      return (current.forceUpdate ?? 0) >= (change.forceUpdate ?? step.before.forceUpdate + 1);
    case 'scale':
      return current.desired === change.replicas;
    case 'image':
      return sameImage(current.image, change.image);
    case 'rollback': {
      const target = change.target ?? rollbackTargetOf(step);
      if (target === undefined) return current.image !== step.before.image;
      if (target.taskDefinition !== undefined && current.taskDefinition !== undefined)
        return current.taskDefinition === target.taskDefinition;
      return sameImage(current.image, target.image);
    }
  }
}

export interface Convergence {
  readonly done: boolean;
  /** `converging 1/3` */
  readonly progress: string;
  readonly problem?: string;
}

/**
 * Converged when the replicas run as wanted, the rolling update (if any) has completed, and for
 * a restart every running task is one created after the operation started (the old ones gone).
 * With `updateKnown` false the update status is not fresh and is left out: the answer then says
 * whether the tasks alone look converged.
 */
export function convergence(
  step: OperationStep,
  current: ServiceState,
  startedAt: Date,
  updateKnown = true,
): Convergence {
  const wanted = step.change.kind === 'scale' ? step.change.replicas : current.desired;
  const fresh = current.tasks.filter((t) => t.createdAt.getTime() >= startedAt.getTime() - 1000);
  const runningFresh = fresh.filter((t) => t.state === 'running').length;
  const runningOld = current.tasks.filter(
    (t) => t.state === 'running' && t.createdAt.getTime() < startedAt.getTime() - 1000,
  ).length;
  const updating = updateKnown && isUpdating(current);
  const paused =
    updateKnown &&
    (current.update?.state === 'paused' || current.update?.state === 'rollback_paused');
  if (paused)
    return {
      done: false,
      progress: `update paused: ${current.update?.message ?? ''}`,
      problem: `update paused: ${current.update?.message ?? 'no message'}`,
    };
  const needsFresh = step.change.kind !== 'scale';
  const running = needsFresh ? runningFresh : current.running;
  const done =
    !updating &&
    current.running === wanted &&
    (!needsFresh || runningOld === 0) &&
    (wanted === 0 || running >= wanted);
  return { done, progress: `converging ${Math.min(running, wanted)}/${wanted}` };
}

/** The platform is still rolling the change out (Swarm's UpdateStatus). */
export function isUpdating(current: ServiceState): boolean {
  return current.update?.state === 'updating' || current.update?.state === 'rollback_started';
}

/** A task created since the operation started has failed: the update may have paused. */
export function freshFailure(current: ServiceState, startedAt: Date) {
  return current.tasks.find(
    (t) => t.error !== undefined && t.createdAt.getTime() >= startedAt.getTime() - 1000,
  );
}
