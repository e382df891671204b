import type { AuditEntry } from '../../audit/audit-entry.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { groupOperations, type OperationRecord } from '../../audit/group-operations.js';
import type { ChangeReport } from './escalation-report.js';
import { REPORT_BUDGETS } from './report-budgets.js';

/** Entries read from the tail of the trail; a few per operation, so ~20 operations back. */
const SCAN = 200;

export interface RecentChanges {
  readonly operations: readonly ChangeReport[];
  /** Set when the trail could not be read (or there is none): why the list is empty. */
  readonly unavailable?: string;
  /** The newest escalation of this environment, if the trail has one. */
  readonly previousEscalation?: AuditEntry;
}

/**
 * Privileged operations from the audit trail, newest first: restarts, scales, stops and starts,
 * rollbacks, with who asked, who approved, when and how it ended. The trail only knows what
 * went through the bot.
 */
export async function collectRecentChanges(
  audit: AuditLog | undefined,
  environment: string,
): Promise<RecentChanges> {
  if (audit === undefined)
    return { operations: [], unavailable: 'there is no audit trail (the bot runs without Redis)' };
  try {
    const entries = await audit.recent(SCAN, { environment });
    const previousEscalation = entries.find((entry) => entry.kind === 'escalation');
    return {
      operations: groupOperations(entries).slice(0, REPORT_BUDGETS.operations).map(toChange),
      ...(previousEscalation !== undefined && { previousEscalation }),
    };
  } catch (error) {
    return {
      operations: [],
      unavailable: `the audit trail could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function toChange({ opening, entries }: OperationRecord): ChangeReport {
  const approvedBy = [
    ...new Set(entries.filter((e) => e.kind === 'vote').map((e) => e.actor)),
  ].reverse();
  return {
    at: opening.at,
    operation: opening.operation ?? opening.kind,
    ...(opening.service !== undefined && { service: opening.service }),
    requestedBy: opening.kind === 'break-glass' ? `${opening.actor} (break-glass)` : opening.actor,
    approvedBy,
    outcome: outcomeOf(entries),
    ...(opening.requestId !== undefined && { requestId: opening.requestId }),
  };
}

/** Where the operation ended, from its newest decisive entry (entries are newest first). */
function outcomeOf(entries: readonly AuditEntry[]): string {
  const newest = (kind: AuditEntry['kind']) => entries.find((entry) => entry.kind === kind);
  const result = newest('result');
  if (result !== undefined) {
    const verified = newest('verification')?.details?.ok;
    const ok = result.details?.ok;
    const head = typeof ok === 'boolean' ? (ok ? 'succeeded' : 'failed') : result.summary;
    return verified === false
      ? `${head} (verification failed)`
      : verified === true
        ? `${head} (verified)`
        : head;
  }
  const reject = newest('reject');
  if (reject !== undefined) return `rejected by ${reject.actor}`;
  if (newest('expire') !== undefined) return 'expired';
  const cancel = newest('cancel');
  if (cancel !== undefined) return `cancelled by ${cancel.actor}`;
  if (newest('start') !== undefined) return 'running';
  if (newest('drift') !== undefined) return 'changed since requested';
  return 'awaiting approval';
}
