import { JobLockLostError } from '../core/job-lock-lost-error.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * Asked right before each side effect (an Engine update, a state write): stops this run when
 * the worker no longer holds the job. Runs outside a worker (tests, the reconciler) hold no
 * lock and are never stopped.
 */
export async function assertOwnsJob(deps: OperationDeps, before: string): Promise<void> {
  if (deps.ownsJob === undefined || (await deps.ownsJob())) return;
  deps.log.warn({ before }, `job lock lost: stopped before ${before}; another worker runs it`);
  throw new JobLockLostError(`the job's lock was taken over before ${before}`);
}
