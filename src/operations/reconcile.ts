import type { OperationDeps } from './operation-deps.js';
import { findDisagreements, type Disagreement } from './reconcile-findings.js';

/**
 * What one tick passes to the next: each disagreement it saw by key, and whether it repaired
 * it. Kept by the scheduler between ticks, whichever worker runs them.
 */
export type ReconcileMemory = Readonly<Record<string, 'seen' | 'repaired'>>;

/**
 * One tick of the reconciler: finds requests whose state, queue, claims or card disagree and
 * repairs each, with an audit line saying what was found and what was done. A disagreement is
 * repaired only when the previous tick saw it too: the normal path passes through short
 * disagreements of its own (a vote is stored a moment before its job is queued, a card is edited
 * a moment after the state it shows), which the next tick no longer finds. Every repair is
 * idempotent, so two ticks running at once at worst repeat one.
 */
export async function reconcile(
  deps: OperationDeps,
  previous: ReconcileMemory,
): Promise<ReconcileMemory> {
  const next: Record<string, 'seen' | 'repaired'> = {};
  for (const disagreement of await findDisagreements(deps)) {
    const { key } = disagreement;
    const before = previous[key];
    if (before === undefined || (before === 'repaired' && disagreement.retry)) {
      next[key] = 'seen';
    } else if (before === 'repaired') {
      next[key] = 'repaired';
    } else {
      next[key] = (await repair(deps, disagreement)) ? 'repaired' : 'seen';
    }
  }
  return next;
}

/** Runs one repair and audits it; a repair that fails is tried again on the next tick. */
async function repair(deps: OperationDeps, disagreement: Disagreement): Promise<boolean> {
  const {
    found,
    repair: what,
    environment,
    requestId,
    operation,
    service,
    approvals,
  } = disagreement;
  try {
    await disagreement.fix(deps);
  } catch (error) {
    deps.log.warn({ err: error, requestId, found }, 'reconciler: repair failed; tried again');
    return false;
  }
  deps.log.info({ requestId, found, repair: what }, 'reconciler repaired a request');
  await deps.audit
    .append({
      kind: 'repair',
      environment,
      actor: 'system',
      ...(requestId !== undefined && { requestId }),
      ...(operation !== undefined && { operation }),
      service,
      summary: `${what}: ${found}`,
      details: { found, repair: what, ...(approvals !== undefined && { approvals }) },
    })
    .catch((error: unknown) =>
      deps.log.error({ err: error, requestId, found }, 'reconciler: repair not audited'),
    );
  return true;
}
