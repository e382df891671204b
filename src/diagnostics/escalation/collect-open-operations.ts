import type { RequestStore } from '../../core/ports/request-store.js';
import type { OpenOperationReport } from './escalation-report.js';
import { REPORT_BUDGETS } from './report-budgets.js';

/** Requests not finished yet (waiting for approval, queued, running): who is already acting. */
export async function collectOpenOperations(
  requests: RequestStore | undefined,
  environment: string,
): Promise<{ operations: OpenOperationReport[]; unavailable?: string }> {
  if (requests === undefined)
    return {
      operations: [],
      unavailable: 'unknown: there is no request store (the bot runs without Redis)',
    };
  try {
    const open = await requests.open(environment);
    return {
      operations: open.slice(0, REPORT_BUDGETS.openOperations).map((request) => ({
        id: request.id,
        operation: request.operation,
        target: request.target,
        state: request.state,
        requester: request.requester,
        approvals: request.approvals.map((vote) => vote.person),
        createdAt: request.createdAt,
      })),
    };
  } catch (error) {
    return {
      operations: [],
      unavailable: `unknown: open requests could not be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
