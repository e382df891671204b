import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import { planDigest } from '../core/requests/plan-digest.js';
import type { OperationRequest } from '../core/requests/operation-request.js';
import { refuseRepositoryChange } from './image-change.js';

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

/**
 * Why the worker must not act on a stored request, or undefined when it may: the plan it would
 * carry out has to be the one the card showed (its digest recomputed from the stored steps
 * equals the one taken at request time), and an image may still only move to a repository the
 * config allows. Either failing means the stored request was altered after the card was shown.
 */
export function planRefusal(env: EnvironmentConfig, request: OperationRequest): string | undefined {
  if (request.planDigest === undefined)
    return 'the request carries no plan digest, so what was approved cannot be checked; nothing was applied, ask again';
  const recomputed = planDigest(request);
  if (recomputed !== request.planDigest)
    return `the stored plan (${short(recomputed)}) is not the one the card showed (${short(request.planDigest)}); nothing was applied`;
  for (const step of request.steps) {
    const target =
      step.change.kind === 'image'
        ? step.change.image
        : step.change.kind === 'rollback'
          ? step.before.previousImage
          : undefined;
    if (target === undefined) continue;
    try {
      refuseRepositoryChange(env, request.environment, step.service, step.before.image, target);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return `${error.message} Nothing was applied.`;
    }
  }
  return undefined;
}
