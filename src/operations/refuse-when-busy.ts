import { UserError } from '../core/errors.js';
import type { OperationRequest } from '../core/requests/operation-request.js';
import { formatDuration } from '../lib/duration.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * Claims every service of the request, or none: one operation at a time per service. A service
 * another open request holds is answered BUSY, naming that request and how long ago it began.
 */
export async function refuseWhenBusy(
  deps: OperationDeps,
  request: OperationRequest,
): Promise<void> {
  const claimed: string[] = [];
  for (const step of request.steps) {
    const holder = await deps.store.claimService(request.environment, step.service, request.id);
    if (holder === undefined) {
      claimed.push(step.service);
      continue;
    }
    for (const service of claimed)
      await deps.store.releaseService(request.environment, service, request.id);
    const other = await deps.store.get(holder);
    const since = other?.startedAt ?? other?.createdAt;
    const ago = since
      ? `, ${other?.startedAt ? 'started' : 'asked'} ${formatDuration(deps.clock.now().getTime() - Date.parse(since))} ago`
      : '';
    throw new UserError(
      'BUSY',
      `Busy: ${other?.operation ?? 'an operation'} of ${step.service} by ${other?.requester ?? 'someone'}${ago} [${holder}].`,
      ['One operation at a time per service; try again when it has finished, or cancel it.'],
    );
  }
}
