import type { ServiceState } from '../core/ports/container-platform.js';
import type { ServiceChange } from '../core/ports/service-operator.js';
import type { OperationStep } from '../core/requests/operation-request.js';
import { sameImage } from '../lib/same-image.js';
import { rollbackTargetOf } from './step-progress.js';

/** What changed on the service since the card was shown, in words; undefined when nothing did. */
export function driftOf(step: OperationStep, current: ServiceState): string | undefined {
  const changes: string[] = [];
  if (current.image !== step.before.image)
    changes.push(`image ${step.before.imageTag}→${current.imageTag}`);
  if (current.desired !== step.before.desired)
    changes.push(`replicas ${step.before.desired}→${current.desired}`);
  // A rollback planned before targets were recorded goes to the platform's previous image: it
  // must still be what the card showed. One with a target goes there whatever is previous now.
  if (
    step.change.kind === 'rollback' &&
    step.change.target === undefined &&
    current.previous?.image !== step.before.previousImage
  )
    changes.push(
      `previous image ${step.before.previousImage ?? 'none'}→${current.previous?.image ?? 'none'}`,
    );
  if (
    changes.length === 0 &&
    step.before.fingerprint !== '' &&
    current.fingerprint !== step.before.fingerprint
  ) {
    changes.push('update config changed');
  }
  return changes.length ? changes.join(', ') : undefined;
}

/** A task created since the run started (1 s of clock slack, as convergence allows). */
const freshTask = (current: ServiceState, startedAt: Date): boolean =>
  current.tasks.some((t) => t.createdAt.getTime() >= startedAt.getTime() - 1000);

/**
 * The step's own change, when a step still `planned` finds it on the service already: the
 * worker's `applying` write was lost (a Redis crash losing its last acknowledged writes) after
 * the change was sent. Judged by the marker the change leaves and nothing else having moved
 * (driftOf with the step's own field taken as it is now): the target replicas, the target image;
 * a restart: ForceUpdate at or past the planned value AND tasks created since this run started,
 * so a manual `--force` made between the card and the run (its tasks older than the run) is
 * still not taken as ours. Undefined otherwise: then the usual drift check decides, so a
 * different image or other replicas still count as someone else's change.
 */
export function ownChangeOn(
  step: OperationStep,
  current: ServiceState,
  startedAt: Date,
): ServiceChange | undefined {
  const { change, before } = step;
  const moved = { ...before, fingerprint: current.fingerprint ?? before.fingerprint };
  switch (change.kind) {
    case 'restart': {
      const planned = change.forceUpdate ?? before.forceUpdate + 1;
      if ((current.forceUpdate ?? 0) < planned || !freshTask(current, startedAt)) return undefined;
      const sent = { kind: 'restart' as const, forceUpdate: current.forceUpdate ?? planned };
      return driftOf(step, current) === undefined ? sent : undefined;
    }
    case 'scale':
      if (change.replicas === before.desired || current.desired !== change.replicas)
        return undefined;
      return driftOf({ ...step, before: { ...moved, desired: current.desired } }, current) ===
        undefined
        ? change
        : undefined;
    case 'image':
    case 'rollback': {
      const rollback = rollbackTargetOf(step);
      const sent: ServiceChange | undefined =
        change.kind === 'image' ? change : rollback && { kind: 'rollback', target: rollback };
      const target = change.kind === 'image' ? change.image : rollback?.image;
      if (sent === undefined || target === undefined || sameImage(before.image, target))
        return undefined;
      if (!sameImage(current.image, target)) return undefined;
      const image = { image: current.image, imageTag: current.imageTag };
      return driftOf({ ...step, before: { ...moved, ...image } }, current) === undefined
        ? sent
        : undefined;
    }
  }
}
