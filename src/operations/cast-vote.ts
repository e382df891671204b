import type { Identity } from '../core/directory.js';
import { UserError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { OperationRequest } from '../core/requests/operation-request.js';

export type VoteEffect = 'counted' | 'approved' | 'already-counted' | 'rejected';

const STATE_WORDS: Readonly<Record<string, string>> = {
  approved: 'already approved and queued',
  running: 'already running',
  succeeded: 'already done',
  failed: 'already finished (it failed)',
  rejected: 'already rejected',
  expired: 'expired',
  cancelled: 'cancelled',
  drifted: 'void: the service changed after it was shown',
};

/**
 * One approve or reject, by one verified person. The requester can never approve their own
 * request; a second approval from the same person counts once; only the policy's approver
 * roles vote. Pure: the caller stores the result atomically.
 */
export function castVote(
  request: OperationRequest,
  voter: Identity,
  verb: 'approve' | 'reject',
  now: Date,
  reason?: string,
): Result<{ request: OperationRequest; effect: VoteEffect }, UserError> {
  if (request.state !== 'pending')
    return err(
      new UserError(
        'NOT_PENDING',
        `Request ${request.id} is ${STATE_WORDS[request.state] ?? request.state}.`,
      ),
    );
  if (now.getTime() >= Date.parse(request.expiresAt))
    return err(new UserError('NOT_PENDING', `Request ${request.id} has expired.`));
  if (voter.person === request.requester && verb === 'approve') {
    return err(
      new UserError('VOTE_REFUSED', 'You asked for this, so someone else has to approve it.'),
    );
  }
  const mayVote = request.approverRoles.some((role) => voter.roles.has(role));
  if (!mayVote) {
    return err(
      new UserError(
        'VOTE_REFUSED',
        `Only ${request.approverRoles.join(' or ')} may ${verb} this request.`,
      ),
    );
  }
  const at = now.toISOString();
  if (verb === 'reject') {
    const rejection = {
      person: voter.person,
      at,
      ...(reason !== undefined && reason !== '' && { reason }),
    };
    return ok({
      request: { ...request, state: 'rejected', rejection, finishedAt: at },
      effect: 'rejected',
    });
  }
  if (request.approvals.some((vote) => vote.person === voter.person)) {
    return ok({ request, effect: 'already-counted' });
  }
  const approvals = [...request.approvals, { person: voter.person, at }];
  const approved = approvals.length >= request.required;
  return ok({
    request: { ...request, approvals, ...(approved && { state: 'approved' as const }) },
    effect: approved ? 'approved' : 'counted',
  });
}
