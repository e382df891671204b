import { createHash } from 'node:crypto';
import type { ServiceChange } from '../ports/service-operator.js';
import type { OperationRequest } from './operation-request.js';

/** The change's own fields in a fixed order, so the same change always serialises the same. */
function canonicalChange(change: ServiceChange): readonly unknown[] {
  switch (change.kind) {
    // The marker and the target are part of what was approved; requests stored without them
    // digest as before.
    case 'restart':
      return change.forceUpdate === undefined ? [change.kind] : [change.kind, change.forceUpdate];
    case 'rollback':
      return change.target === undefined
        ? [change.kind]
        : [change.kind, change.target.image, change.target.taskDefinition ?? null];
    case 'scale':
      return [change.kind, change.replicas];
    case 'image':
      return [change.kind, change.image];
  }
}

/**
 * sha256 over what the approvers agree to: the operation, environment and target, and for each
 * step the service, the change (the image's full reference, the replicas), the line the card
 * shows and the state it was planned against. Arrays in a fixed order, not object keys, so a
 * stored request read back in another key order digests the same. Execution bookkeeping (step
 * state, notes, baselines, votes) is left out: it changes while the plan must not.
 */
export function planDigest(
  request: Pick<OperationRequest, 'operation' | 'environment' | 'target' | 'steps'>,
): string {
  const material = JSON.stringify([
    'tas-plan-1',
    request.operation,
    request.environment,
    request.target,
    request.steps.map((step) => [
      step.service,
      canonicalChange(step.change),
      step.describe,
      step.before.image,
      step.before.previousImage ?? null,
      step.before.desired,
      step.before.version,
      step.before.fingerprint,
      step.before.forceUpdate,
    ]),
  ]);
  return `sha256:${createHash('sha256').update(material).digest('hex')}`;
}
