import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import type { OperationRequest } from '../core/requests/operation-request.js';
import { formatDuration } from '../lib/duration.js';
import { claimLifetimeMs } from './claim-lifetime.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * Stores the new request and claims every service it touches, in one atomic store call: one
 * operation at a time per service. When another open request holds one of them nothing is
 * stored, and the answer is BUSY, naming that request, who asked and how long ago it began.
 */
export async function storeClaimed(
  deps: OperationDeps,
  env: EnvironmentConfig,
  request: OperationRequest,
): Promise<void> {
  const claimMs = claimLifetimeMs(env, deps.timings, request, deps.clock.now());
  const busy = await deps.store.createClaimed(request, claimMs);
  if (busy === undefined) return;
  const other = await deps.store.get(busy.holder);
  const since = other?.startedAt ?? other?.createdAt;
  const ago = since
    ? `, ${other?.startedAt ? 'started' : 'asked'} ${formatDuration(deps.clock.now().getTime() - Date.parse(since))} ago`
    : '';
  throw new UserError(
    'BUSY',
    `Busy: ${other?.operation ?? 'an operation'} of ${busy.service} by ${other?.requester ?? 'someone'}${ago} [${busy.holder}].`,
    ['One operation at a time per service; try again when it has finished, or cancel it.'],
  );
}
