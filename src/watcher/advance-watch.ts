import type { WatchState } from '../core/ports/watch-state-store.js';
import type { Verdict } from '../core/reply.js';
import type { Advance, Observation, WatchPolicy } from './watch-event.js';
import {
  confirmCandidate,
  dampFailingSet,
  escalateIfDue,
  openWhereItStands,
  type Check,
  type Step,
} from './watch-step.js';

/** The state before the first check: OK, so a broken environment is posted once it is confirmed. */
export function initialWatchState(environment: string, at: string): WatchState {
  return {
    environment,
    verdict: 'OK',
    verdictSince: at,
    problems: [],
    consecutiveFailures: 0,
    escalations: 0,
    checks: 0,
  };
}

/**
 * The watcher's state machine, pure: the previous state and one check → the next state and what
 * to post. A different verdict is a `candidate` until it holds for `confirm` checks in a row
 * (flap damping); only then is it confirmed and posted (`change`, or `recovery` back to OK).
 * `escalateAfter` failed checks in a row escalate once; again only after a confirmed recovery
 * or, while still failing, `reescalateAfter` after the last escalation. A check older than the
 * newest one applied (two ticks overlapping) changes nothing.
 */
export function advanceWatch(
  environment: string,
  previous: WatchState | undefined,
  observation: Observation,
  policy: WatchPolicy,
): Advance {
  if (
    previous?.lastCheckAt !== undefined &&
    observation.checkedAt.getTime() <= Date.parse(previous.lastCheckAt)
  )
    return { stale: true };
  const check = checkOf(environment, previous, observation, policy);
  const step = firstStep(check);
  const candidate = step.candidate;
  if (candidate !== undefined && candidate.checks >= policy.confirm)
    confirmCandidate(step, check, candidate);
  else if (step.incident === undefined && step.confirmed.verdict !== 'OK')
    openWhereItStands(step, check);
  else if (step.incident !== undefined && step.confirmed.verdict !== 'OK')
    dampFailingSet(step, check);
  else step.pending = {};
  // A failed check that never got confirmed is forgotten at the next OK one.
  if (!check.failing && step.confirmed.verdict === 'OK') step.firstFailureAt = undefined;
  escalateIfDue(step, check);
  return { stale: false, state: nextState(step, check), events: step.events };
}

function checkOf(
  environment: string,
  previous: WatchState | undefined,
  observation: Observation,
  policy: WatchPolicy,
): Check {
  const at = observation.checkedAt.toISOString();
  const prev = previous ?? initialWatchState(environment, at);
  const failing = observation.verdict !== 'OK';
  const consecutiveFailures = failing ? prev.consecutiveFailures + 1 : 0;
  return { environment, prev, observation, policy, at, failing, consecutiveFailures };
}

function firstStep({ prev, observation, at, failing }: Check): Step {
  return {
    confirmed: { verdict: prev.verdict, verdictSince: prev.verdictSince, problems: prev.problems },
    candidate: nextCandidate(prev, observation.verdict, at),
    escalation: { escalations: prev.escalations, lastEscalationAt: prev.lastEscalationAt },
    incident: prev.incident,
    pending: prev.pending ?? {},
    firstFailureAt: failing ? (prev.firstFailureAt ?? at) : prev.firstFailureAt,
    events: [],
  };
}

function nextState(step: Step, check: Check): WatchState {
  const { candidate, firstFailureAt, escalation, incident, pending } = step;
  return {
    environment: check.environment,
    ...step.confirmed,
    ...(candidate !== undefined && { candidate }),
    consecutiveFailures: check.consecutiveFailures,
    ...(firstFailureAt !== undefined && { firstFailureAt }),
    escalations: escalation.escalations,
    ...(escalation.lastEscalationAt !== undefined && {
      lastEscalationAt: escalation.lastEscalationAt,
    }),
    lastCheckAt: check.at,
    lastVerdict: check.observation.verdict,
    checks: check.prev.checks + 1,
    ...(incident !== undefined && { incident }),
    ...(Object.keys(pending).length > 0 && { pending }),
  };
}

function nextCandidate(prev: WatchState, verdict: Verdict, at: string): WatchState['candidate'] {
  if (verdict === prev.verdict) return undefined;
  if (prev.candidate?.verdict === verdict)
    return { ...prev.candidate, checks: prev.candidate.checks + 1 };
  return { verdict, checks: 1, since: at };
}
