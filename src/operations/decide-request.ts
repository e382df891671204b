import type { Identity } from '../core/directory.js';
import { UserError } from '../core/errors.js';
import type { Reply } from '../core/reply.js';
import { castVote, type VoteEffect } from './cast-vote.js';
import type { OperationDeps } from './operation-deps.js';
import type { OperationRequest } from '../core/requests/operation-request.js';

function noSuchRequest(id: string): UserError {
  return new UserError('NOT_FOUND', `There is no request \`${id}\`.`, [
    '`/tas jobs` lists the open ones.',
  ]);
}

const ANSWERS: Readonly<Record<VoteEffect, (r: OperationRequest, person: string) => string>> = {
  counted: (r) => `Approval counted for ${r.id}: ${r.approvals.length} of ${r.required}.`,
  approved: (r) =>
    `Approved ${r.id}; ${r.operation} ${r.target} is queued. Progress follows in the thread.`,
  'already-counted': (r, person) =>
    `${person}, your approval of ${r.id} is already counted (${r.approvals.length} of ${r.required}).`,
  rejected: (r) => `Rejected ${r.id}; nothing will run.`,
};

/**
 * `/tas approve|reject <id>` and the card's buttons: one path. The vote is applied atomically
 * in the store; the first approval that completes the count enqueues the job (job id = request
 * id, so a racing duplicate cannot enqueue twice).
 */
export async function decideRequest(
  deps: OperationDeps,
  id: string,
  voter: Identity,
  verb: 'approve' | 'reject',
  reason?: string,
): Promise<Reply> {
  let refusal: UserError | undefined;
  const updated = await deps.store.update(id, (current) => {
    const vote = castVote(current, voter, verb, deps.clock.now(), reason);
    if (!vote.ok) {
      refusal = vote.error;
      return undefined;
    }
    return vote.value.effect === 'already-counted'
      ? undefined
      : { request: vote.value.request, result: vote.value.effect };
  });
  if (updated === undefined) throw noSuchRequest(id);
  if (refusal !== undefined) {
    // An approval whose enqueue failed (Redis went away between the two writes) is repaired by
    // the reconciler within two ticks; a click in between repairs it sooner. Enqueueing is
    // idempotent, the job id being the request id.
    if (updated.request.state === 'approved') await deps.queue.execute(id);
    throw refusal;
  }
  const { request } = updated;
  const effect = updated.result ?? 'already-counted';
  if (effect !== 'already-counted') {
    await deps.audit.append({
      kind: verb === 'approve' ? 'vote' : 'reject',
      environment: request.environment,
      actor: voter.person,
      requestId: request.id,
      operation: request.operation,
      service: request.target,
      summary:
        verb === 'approve'
          ? `approved (${request.approvals.length} of ${request.required})`
          : `rejected${reason ? `: ${reason}` : ''}`,
      ...(reason && { details: { reason } }),
    });
    if (effect === 'approved') await deps.queue.execute(request.id);
    await deps.notifier.card(request);
  }
  return {
    title: ANSWERS[effect](request, voter.person),
    blocks: [],
    ephemeral: effect === 'already-counted',
    data: { request },
  };
}

/** `/tas cancel <id>`: the requester or an approver, while nothing has started. */
export async function cancelRequest(
  deps: OperationDeps,
  id: string,
  who: Identity,
): Promise<Reply> {
  let refusal: UserError | undefined;
  const updated = await deps.store.update(id, (current) => {
    const mayCancel =
      current.requester === who.person || current.approverRoles.some((r) => who.roles.has(r));
    if (!mayCancel)
      refusal = new UserError(
        'FORBIDDEN',
        `Only ${current.requester} or ${current.approverRoles.join(', ')} may cancel ${id}.`,
      );
    else if (current.state !== 'pending' && current.state !== 'approved')
      refusal = new UserError(
        'NOT_PENDING',
        `${id} is ${current.state}; it can no longer be cancelled.`,
      );
    if (refusal !== undefined) return undefined;
    const at = deps.clock.now().toISOString();
    return {
      request: { ...current, state: 'cancelled', cancelledBy: who.person, finishedAt: at },
      result: true,
    };
  });
  if (updated === undefined) throw noSuchRequest(id);
  if (refusal !== undefined) throw refusal;
  const { request } = updated;
  await deps.audit.append({
    kind: 'cancel',
    environment: request.environment,
    actor: who.person,
    requestId: id,
    operation: request.operation,
    service: request.target,
    summary: 'cancelled',
  });
  await deps.notifier.card(request);
  return { title: `Cancelled ${id}; nothing will run.`, blocks: [], data: { request } };
}

/** The delayed expiry job: only a request still pending expires; anything decided is left alone. */
export async function expireRequest(deps: OperationDeps, id: string): Promise<void> {
  const now = deps.clock.now();
  const updated = await deps.store.update(id, (current) =>
    current.state === 'pending' && now.getTime() >= Date.parse(current.expiresAt)
      ? { request: { ...current, state: 'expired', finishedAt: now.toISOString() }, result: true }
      : undefined,
  );
  if (updated?.result !== true) return;
  const { request } = updated;
  await deps.audit.append({
    kind: 'expire',
    environment: request.environment,
    actor: 'system',
    requestId: id,
    operation: request.operation,
    service: request.target,
    summary: `expired with ${request.approvals.length} of ${request.required} approvals`,
  });
  await deps.notifier.card(request);
}

/**
 * At worker start: re-enqueue approved and running requests and re-schedule pending expiries. All
 * are idempotent (fixed job ids). The reconciler closes the same gap while workers run; this only
 * saves its first two ticks after a restart.
 */
export async function resumeOpenRequests(deps: OperationDeps): Promise<number> {
  const open = await deps.store.open();
  for (const request of open) {
    if (request.state === 'approved') await deps.queue.execute(request.id);
    else if (request.state === 'running') {
      // One whose job failed for good is the reconciler's to end as failed, not to run again.
      const job = await deps.queue.executionJob(request.id);
      if (job.state !== 'failed') await deps.queue.execute(request.id);
    } else if (request.state === 'pending')
      await deps.queue.scheduleExpiry(request.id, new Date(request.expiresAt));
  }
  return open.length;
}
