import { createHash } from 'node:crypto';
import type { OperationRequest } from '../core/requests/operation-request.js';

/**
 * What a request's card tells its readers, in 16 hex digits: the state, the votes, who rejected
 * or cancelled it and the outcome. Step progress is left out: the card is re-rendered when the
 * request starts and ends, not at each step, so a running card is allowed to lag its steps. A
 * vote lost from the store changes the digest as surely as one added.
 */
export function cardDigest(request: OperationRequest): string {
  const shown = {
    state: request.state,
    votes: request.approvals.map((vote) => vote.person),
    required: request.required,
    rejectedBy: request.rejection?.person,
    cancelledBy: request.cancelledBy,
    outcome: request.outcome?.summary,
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
}
