import type { ServiceState } from '../core/ports/container-platform.js';
import type { OperationStep } from '../core/requests/operation-request.js';
import { normaliseImage } from '../lib/image-reference.js';

/**
 * Whether the service runs the planned image. Platforms report the reference without the digest
 * they pinned, and may keep Docker Hub names short (`redis:7`), so both sides are normalised and
 * compared without the digest.
 */
function sameImage(running: string, planned: string): boolean {
  const withoutDigest = (image: string) => normaliseImage(image.replace(/@.*$/, ''));
  return withoutDigest(running) === withoutDigest(planned);
}

/** Whether the step's change is visible on the service (after a crash: was it applied already?). */
export function isApplied(step: OperationStep, current: ServiceState): boolean {
  switch (step.change.kind) {
    case 'restart':
      return (current.forceUpdate ?? 0) > step.before.forceUpdate;
    case 'scale':
      return current.desired === step.change.replicas;
    case 'image':
      return sameImage(current.image, step.change.image);
    case 'rollback':
      return (
        current.image !== step.before.image ||
        (current.fingerprint ?? '') !== step.before.fingerprint
      );
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
