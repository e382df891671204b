// One chaos iteration's record (what was asked, what each request must end as) and the checks
// run after every iteration against the Engine, the store, the card and the audit trail.
import type { RequestState } from '../../src/core/requests/operation-request.js';
import type { ServiceFacts } from './chaos-engine.js';
import {
  auditChainVerifies,
  eachPersonVotesOnce,
  endsAs,
  engineShowsEachChangeOnce,
  everyRequestFinishes,
  noClaimOutlivesItsRequest,
  noShownVoteLost,
} from './chaos-checks.js';
import type { PlannedChange } from './chaos-operations.js';
import { CHAOS_SERVICES, type ChaosWorld } from './chaos-world.js';

/** How long a request may take to reach a terminal state, faults and recovery included. */
export const FINISH_BOUND_MS = 120_000;

export interface Tally {
  readonly startedAt: number;
  readonly requests: { readonly id: string; readonly ends: readonly RequestState[] }[];
  /** Changes that were approved: each must show exactly once on the Engine. */
  readonly applied: PlannedChange[];
}

export const newTally = (): Tally => ({ startedAt: Date.now(), requests: [], applied: [] });

/** What each service's spec must show: one write per approved change, the last target. */
function expectations(tally: Tally) {
  return CHAOS_SERVICES.map((service) => {
    const changes = tally.applied.filter((c) => c.services.includes(service));
    const final: Partial<ServiceFacts> = {};
    for (const change of changes) Object.assign(final, change.final.get(service));
    return { service, writes: changes.length, final };
  });
}

/** Every promise, in the order a reader would check them; the first broken one throws. */
export async function checkIteration(world: ChaosWorld, tally: Tally): Promise<void> {
  const ids = tally.requests.map((r) => r.id);
  const finished = await everyRequestFinishes(world, ids, FINISH_BOUND_MS);
  for (const { id, ends } of tally.requests) {
    const request = finished.get(id);
    if (request === undefined) continue;
    endsAs(request, ends);
    eachPersonVotesOnce(request);
    await noShownVoteLost(world, id, 5000);
  }
  for (const expected of expectations(tally))
    await engineShowsEachChangeOnce(world, expected, tally.startedAt);
  await noClaimOutlivesItsRequest(world);
  await auditChainVerifies(world);
}
