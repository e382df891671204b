import { UserError } from '../core/errors.js';
import type { OperationKind } from '../core/requests/operation-request.js';
import { formatDuration } from '../lib/duration.js';
import type { OperationDeps } from './operation-deps.js';

/** The policy's `budget` (at most N executions per service in a window), checked per service. */
export async function refuseOverBudget(
  deps: OperationDeps,
  environment: string,
  operation: OperationKind,
  services: readonly string[],
): Promise<void> {
  const budget = deps.config.environments[environment]?.policy[operation]?.budget;
  if (budget === undefined) return;
  for (const service of services) {
    const used = await deps.store.executions(
      environment,
      service,
      operation,
      deps.clock.now(),
      budget.per,
    );
    if (used >= budget.max) {
      throw new UserError(
        'BUDGET_SPENT',
        `Budget spent: ${used} ${operation}${used === 1 ? '' : 's'} of ${service} in the last ${formatDuration(budget.per)} (at most ${budget.max}).`,
        ['Something is wrong beyond a restart: look at `logs`, or escalate.'],
      );
    }
  }
}
