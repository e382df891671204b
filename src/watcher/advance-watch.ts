import type { WatchProblem, WatchState } from '../core/ports/watch-state-store.js';
import type { Verdict } from '../core/reply.js';
import { diffProblems, problemKey, type ProblemDiff } from './watch-problems.js';

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

/** The open incident an event belongs to. */
export interface IncidentRef {
  readonly id: string;
  readonly openedAt: string;
  readonly atStart: boolean;
}

export type WatchEvent =
  | {
      /** The environment left OK (or was found failing at start): the incident's first post. */
      readonly kind: 'open';
      readonly incident: IncidentRef;
      readonly to: Exclude<Verdict, 'OK'>;
      readonly failing: readonly WatchProblem[];
      readonly confirmedBy: number;
      readonly firstFailureAt?: string;
    }
  | (ProblemDiff & {
      /** The failing set or the verdict moved during an incident. */
      readonly kind: 'change';
      readonly incident: IncidentRef;
      readonly from: Exclude<Verdict, 'OK'>;
      readonly to: Exclude<Verdict, 'OK'>;
      /** The check that confirmed it. */
      readonly at: string;
    })
  | {
      readonly kind: 'recovery';
      readonly incident?: IncidentRef;
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
      /** The incident thread, when one is open. */
      readonly incident?: IncidentRef;
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
  let incident = prev.incident;
  let pending = prev.pending ?? {};
  const events: WatchEvent[] = [];

  if (candidate !== undefined && candidate.checks >= policy.confirm) {
    const diff = diffProblems(prev.problems, observation.problems);
    if (observation.verdict === 'OK') {
      events.push({
        kind: 'recovery',
        ...(incident !== undefined && { incident }),
        from: prev.verdict,
        since: candidate.since,
        confirmedBy: candidate.checks,
        resolved: prev.problems,
        ...(firstFailureAt !== undefined && { problemStartedAt: firstFailureAt }),
        escalated: prev.escalations > 0,
      });
      firstFailureAt = undefined;
      escalation = { escalations: 0, lastEscalationAt: undefined };
      incident = undefined;
    } else if (incident === undefined || prev.verdict === 'OK') {
      // No OK check so far: the bot started while the environment was already failing.
      const atStart = consecutiveFailures >= prev.checks + 1;
      incident = {
        id: `${environment}-${Date.parse(candidate.since)}`,
        openedAt: candidate.since,
        atStart,
      };
      events.push({
        kind: 'open',
        incident,
        to: observation.verdict,
        failing: observation.problems,
        confirmedBy: candidate.checks,
        ...(firstFailureAt !== undefined && { firstFailureAt }),
      });
    } else {
      events.push({
        kind: 'change',
        incident,
        from: prev.verdict,
        to: observation.verdict,
        at,
        ...diff,
      });
    }
    confirmed = {
      verdict: observation.verdict,
      verdictSince: candidate.since,
      problems: observation.problems,
    };
    candidate = undefined;
    pending = {};
  } else if (incident === undefined && confirmed.verdict !== 'OK') {
    // A failing state stored without an incident (written before incidents existed): the bot
    // finds the environment failing as it starts, so the incident opens now, where it stands.
    incident = {
      id: `${environment}-${Date.parse(confirmed.verdictSince)}`,
      openedAt: confirmed.verdictSince,
      atStart: true,
    };
    events.push({
      kind: 'open',
      incident,
      to: confirmed.verdict,
      failing: confirmed.problems,
      confirmedBy: policy.confirm,
      ...(firstFailureAt !== undefined && { firstFailureAt }),
    });
  } else if (incident !== undefined && confirmed.verdict !== 'OK') {
    // Each part is damped on its own: it joins or leaves the failing set after `confirm` checks.
    const parts = dampParts(prev.problems, observation.problems, pending, policy.confirm);
    pending = parts.pending;
    if (parts.added.length > 0 || parts.resolved.length > 0) {
      events.push({
        kind: 'change',
        incident,
        from: confirmed.verdict,
        to: confirmed.verdict,
        at,
        added: parts.added,
        still: parts.still,
        resolved: parts.resolved,
      });
    }
    confirmed = { ...confirmed, problems: parts.problems };
  } else {
    pending = {};
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
      ...(incident !== undefined && { incident }),
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
    ...(incident !== undefined && { incident }),
    ...(Object.keys(pending).length > 0 && { pending }),
  };
  return { stale: false, state, events };
}

type Pending = NonNullable<WatchState['pending']>;

/**
 * The confirmed failing set after one check, each part damped on its own: a part seen failing
 * (or recovered) against the confirmed set counts up in `pending` and moves only after `confirm`
 * checks in a row; a part agreeing again with the confirmed set is forgotten. A part still
 * failing takes the newest text.
 */
export function dampParts(
  confirmed: readonly WatchProblem[],
  observed: readonly WatchProblem[],
  pending: Pending,
  confirm: number,
): ProblemDiff & { readonly problems: readonly WatchProblem[]; readonly pending: Pending } {
  const seen = new Map(observed.map((p) => [problemKey(p), p]));
  const was = new Set(confirmed.map(problemKey));
  const next: Record<string, Pending[string]> = {};
  const added: WatchProblem[] = [];
  const resolved: WatchProblem[] = [];
  const still: WatchProblem[] = [];
  for (const problem of confirmed) {
    const key = problemKey(problem);
    const now = seen.get(key);
    if (now !== undefined) {
      still.push(now);
      continue;
    }
    const checks = pending[key]?.failing === false ? pending[key].checks + 1 : 1;
    if (checks >= confirm) resolved.push(problem);
    else {
      still.push(problem);
      next[key] = { failing: false, checks, problem };
    }
  }
  for (const problem of observed) {
    const key = problemKey(problem);
    if (was.has(key)) continue;
    const checks = pending[key]?.failing === true ? pending[key].checks + 1 : 1;
    if (checks >= confirm) added.push(problem);
    else next[key] = { failing: true, checks, problem };
  }
  return { added, still, resolved, problems: [...still, ...added], pending: next };
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
