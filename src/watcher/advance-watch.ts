import type { WatchProblem, WatchState } from '../core/ports/watch-state-store.js';
import type { Verdict } from '../core/reply.js';
import { diffProblems, type ProblemDiff } from './watch-problems.js';

/** From the environment's `watch` config. */
export interface WatchPolicy {
  /** Checks a new verdict must hold before it is confirmed and posted. */
  readonly confirm: number;
  /** Failed checks in a row before escalating to support. */
  readonly escalateAfter: number;
  /** Escalate again when still failing this long after the last escalation; never when absent. */
  readonly reescalateAfterMs?: number;
}

/** One status check, as the state machine sees it. */
export interface Observation {
  readonly verdict: Verdict;
  readonly problems: readonly WatchProblem[];
  readonly checkedAt: Date;
}

export type WatchEvent =
  | (ProblemDiff & {
      readonly kind: 'change';
      readonly from: Verdict;
      readonly to: Exclude<Verdict, 'OK'>;
      /** The first check of the run that confirmed it. */
      readonly since: string;
      readonly confirmedBy: number;
      readonly firstFailureAt?: string;
    })
  | {
      readonly kind: 'recovery';
      readonly from: Verdict;
      readonly since: string;
      readonly confirmedBy: number;
      readonly resolved: readonly WatchProblem[];
      readonly problemStartedAt?: string;
      /** Support had been escalated during the problem. */
      readonly escalated: boolean;
    }
  | {
      readonly kind: 'escalate';
      readonly consecutiveFailures: number;
      readonly firstFailureAt: string;
      /** A re-escalation after `reescalateAfter`, not the first. */
      readonly again: boolean;
    };

export type Advance =
  | { readonly stale: true }
  | { readonly stale: false; readonly state: WatchState; readonly events: readonly WatchEvent[] };

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
  const at = observation.checkedAt.toISOString();
  if (
    previous?.lastCheckAt !== undefined &&
    observation.checkedAt.getTime() <= Date.parse(previous.lastCheckAt)
  )
    return { stale: true };
  const prev = previous ?? initialWatchState(environment, at);
  const failing = observation.verdict !== 'OK';
  const consecutiveFailures = failing ? prev.consecutiveFailures + 1 : 0;
  let firstFailureAt = failing ? (prev.firstFailureAt ?? at) : prev.firstFailureAt;
  let candidate = nextCandidate(prev, observation.verdict, at);
  let confirmed = {
    verdict: prev.verdict,
    verdictSince: prev.verdictSince,
    problems: prev.problems,
  };
  let escalation = { escalations: prev.escalations, lastEscalationAt: prev.lastEscalationAt };
  const events: WatchEvent[] = [];

  if (candidate !== undefined && candidate.checks >= policy.confirm) {
    const diff = diffProblems(prev.problems, observation.problems);
    if (observation.verdict === 'OK') {
      events.push({
        kind: 'recovery',
        from: prev.verdict,
        since: candidate.since,
        confirmedBy: candidate.checks,
        resolved: diff.resolved,
        ...(firstFailureAt !== undefined && { problemStartedAt: firstFailureAt }),
        escalated: prev.escalations > 0,
      });
      firstFailureAt = undefined;
      escalation = { escalations: 0, lastEscalationAt: undefined };
    } else {
      events.push({
        kind: 'change',
        from: prev.verdict,
        to: observation.verdict,
        since: candidate.since,
        confirmedBy: candidate.checks,
        ...diff,
        ...(firstFailureAt !== undefined && { firstFailureAt }),
      });
    }
    confirmed = {
      verdict: observation.verdict,
      verdictSince: candidate.since,
      problems: observation.problems,
    };
    candidate = undefined;
  }
  // A failed check that never got confirmed is forgotten at the next OK one.
  if (!failing && confirmed.verdict === 'OK') firstFailureAt = undefined;

  if (
    failing &&
    firstFailureAt !== undefined &&
    consecutiveFailures >= policy.escalateAfter &&
    escalationDue(escalation, observation.checkedAt, policy)
  ) {
    events.push({
      kind: 'escalate',
      consecutiveFailures,
      firstFailureAt,
      again: escalation.escalations > 0,
    });
    escalation = { escalations: escalation.escalations + 1, lastEscalationAt: at };
  }

  const state: WatchState = {
    environment,
    ...confirmed,
    ...(candidate !== undefined && { candidate }),
    consecutiveFailures,
    ...(firstFailureAt !== undefined && { firstFailureAt }),
    escalations: escalation.escalations,
    ...(escalation.lastEscalationAt !== undefined && {
      lastEscalationAt: escalation.lastEscalationAt,
    }),
    lastCheckAt: at,
    lastVerdict: observation.verdict,
    checks: prev.checks + 1,
  };
  return { stale: false, state, events };
}

function nextCandidate(prev: WatchState, verdict: Verdict, at: string): WatchState['candidate'] {
  if (verdict === prev.verdict) return undefined;
  if (prev.candidate?.verdict === verdict)
    return { ...prev.candidate, checks: prev.candidate.checks + 1 };
  return { verdict, checks: 1, since: at };
}

function escalationDue(
  escalation: { escalations: number; lastEscalationAt: string | undefined },
  now: Date,
  policy: WatchPolicy,
): boolean {
  if (escalation.escalations === 0) return true;
  if (policy.reescalateAfterMs === undefined || escalation.lastEscalationAt === undefined)
    return false;
  return now.getTime() - Date.parse(escalation.lastEscalationAt) >= policy.reescalateAfterMs;
}
