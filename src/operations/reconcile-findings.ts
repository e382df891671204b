import type { ExecutionJob } from '../core/ports/operation-queue.js';
import { isFinished, type OperationRequest } from '../core/requests/operation-request.js';
import { cardDigest } from './card-digest.js';
import { expireRequest } from './decide-request.js';
import { giveUpOperation } from './execute-operation.js';
import type { OperationDeps } from './operation-deps.js';

/** One place where a request's state, its queue, its claims or its card disagree. */
export interface Disagreement {
  /** The same while the disagreement is the same one: what, which request, what was found. */
  readonly key: string;
  /** What was found, for the audit line: `approved, but its job is gone`. */
  readonly found: string;
  /** What the repair does: `queued its execution again`. */
  readonly repair: string;
  readonly environment: string;
  readonly requestId?: string;
  readonly operation?: string;
  readonly service: string;
  /** Who had approved it, for the audit: a vote whose own audit line was lost is named here. */
  readonly approvals?: readonly string[];
  /** Repaired again on a later tick while it lasts (a re-queue); else repaired once. */
  readonly retry: boolean;
  readonly fix: (deps: OperationDeps) => Promise<void>;
}

const about = (request: OperationRequest) => ({
  environment: request.environment,
  requestId: request.id,
  operation: request.operation,
  service: request.target,
  approvals: request.approvals.map((vote) => vote.person),
});

const JOB_WORDS: Readonly<Record<ExecutionJob['state'], string>> = {
  live: 'queued',
  missing: 'no job is queued',
  completed: 'its job ended without finishing it',
  failed: 'its job failed',
};

/**
 * A pending request past its expiry (its expiry job lost), an approved one with no live job (the
 * enqueue after the vote failed), a running one with no live job: a job that failed for good
 * whose give-up could not be stored ends the request as failed with the job's reason (retrying
 * would repeat what the queue already gave up on), and a job that is gone or ended without
 * finishing the request is queued again, its steps carrying on from their stored states, each
 * checked against the service before it is applied.
 */
async function stateVersusQueue(
  deps: OperationDeps,
  request: OperationRequest,
): Promise<Disagreement | undefined> {
  const { id, state } = request;
  if (state === 'pending') {
    if (deps.clock.now().getTime() < Date.parse(request.expiresAt)) return undefined;
    return {
      ...about(request),
      key: `expire:${id}`,
      found: 'pending past its expiry',
      repair: 'expired it',
      retry: true,
      fix: (d) => expireRequest(d, id),
    };
  }
  if (state !== 'approved' && state !== 'running') return undefined;
  const job = await deps.queue.executionJob(id);
  if (job.state === 'live') return undefined;
  const found = `${state}, but ${JOB_WORDS[job.state]}`;
  if (job.state === 'failed' && state === 'running')
    return {
      ...about(request),
      key: `give-up:${id}`,
      found: `${found} (${job.reason})`,
      repair: 'ended it as failed',
      retry: true,
      fix: (d) => giveUpOperation(d, id, job.reason),
    };
  return {
    ...about(request),
    key: `requeue:${id}`,
    found,
    repair: 'queued its execution again',
    retry: true,
    fix: (d) => d.queue.execute(id),
  };
}

/** A card whose recorded digest is not that of the stored request: rendered again from the store. */
function staleCard(request: OperationRequest): Disagreement | undefined {
  const { cardRef, cardShows } = request.origin;
  if (cardRef === undefined || cardShows === undefined) return undefined;
  const current = cardDigest(request);
  if (cardShows === current) return undefined;
  return {
    ...about(request),
    key: `card:${request.id}:${current}`,
    found: 'its card shows an older state than the store',
    repair: 'rendered its card again from the store',
    retry: false,
    fix: (d) => d.notifier.card(request),
  };
}

/** Claims whose holder is finished or gone: they block nothing, but nothing else frees them. */
async function deadClaims(deps: OperationDeps): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const claim of await deps.store.claims()) {
    const holder = await deps.store.get(claim.holder);
    if (holder !== undefined && !isFinished(holder)) continue;
    found.push({
      environment: claim.environment,
      service: claim.service,
      requestId: claim.holder,
      key: `claim:${claim.environment}:${claim.service}:${claim.holder}`,
      found: `claim on ${claim.service} held by ${claim.holder}, which is ${holder?.state ?? 'not stored'}`,
      repair: 'released the claim',
      retry: true,
      fix: (d) => d.store.releaseClaim(claim.environment, claim.service, claim.holder),
    });
  }
  return found;
}

/** Every disagreement between the store, the queue, the claims and the cards, as of now. */
export async function findDisagreements(deps: OperationDeps): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  for (const request of await deps.store.open()) {
    const queued = await stateVersusQueue(deps, request);
    if (queued !== undefined) found.push(queued);
    const card = staleCard(request);
    if (card !== undefined) found.push(card);
  }
  found.push(...(await deadClaims(deps)));
  return found;
}
