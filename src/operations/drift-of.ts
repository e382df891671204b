import type { ServiceState } from '../core/ports/container-platform.js';
import type { OperationStep } from '../core/requests/operation-request.js';

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
