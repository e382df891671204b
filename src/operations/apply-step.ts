import { DependencyError, PermanentJobError, PlatformConflictError } from '../core/errors.js';
import type { ServiceLook } from '../core/ports/service-operator.js';
import type { OperationRequest, OperationStep } from '../core/requests/operation-request.js';
import { assertOwnsJob } from './job-lock.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * The step's change, against the inspect the drift check just read: the replica count a stop
 * takes away is remembered first, and the execution counted against the budget. A refusal by
 * the platform is permanent; an unreachable one is retried by the queue.
 */
export async function applyStep(
  deps: OperationDeps,
  request: OperationRequest,
  step: OperationStep,
  look: ServiceLook,
): Promise<void> {
  const current = look.state;
  if (step.change.kind === 'scale' && step.change.replicas === 0 && current.desired > 0) {
    await deps.store.saveReplicas(request.environment, step.service, current.desired);
  }
  const budget = deps.config.environments[request.environment]?.policy[request.operation]?.budget;
  if (budget !== undefined) {
    await deps.store.countExecution(
      request.environment,
      step.service,
      request.operation,
      deps.clock.now(),
      budget.per,
      request.id,
    );
  }
  await assertOwnsJob(deps, `the update of ${step.service}`);
  try {
    await look.apply(step.change);
  } catch (error) {
    if (error instanceof DependencyError) throw error; // transient: retried with backoff
    if (error instanceof PlatformConflictError)
      throw new PermanentJobError(error.message, { cause: error });
    throw new PermanentJobError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
