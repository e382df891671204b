/**
 * What one check changes, part by part: the confirmed verdict and its incident, the damped
 * failing set, the escalations. Each function moves a `Step` that `advanceWatch` started.
 */
import type { WatchState } from '../core/ports/watch-state-store.js';
import type { Verdict } from '../core/reply.js';
import { dampParts, type Pending } from './damp-parts.js';
import type { IncidentRef, Observation, WatchEvent, WatchPolicy } from './watch-event.js';
import { diffProblems } from './watch-problems.js';

/** One check against the state before it: what every part of the machine reads. */
export interface Check {
  readonly environment: string;
  readonly prev: WatchState;
  readonly observation: Observation;
  readonly policy: WatchPolicy;
  /** The check's time, ISO. */
  readonly at: string;
  readonly failing: boolean;
  readonly consecutiveFailures: number;
}

export interface Escalations {
  readonly escalations: number;
  readonly lastEscalationAt: string | undefined;
}

/** What one check moves, built up part by part before it becomes the next `WatchState`. */
export interface Step {
  confirmed: Pick<WatchState, 'verdict' | 'verdictSince' | 'problems'>;
  candidate: WatchState['candidate'];
  escalation: Escalations;
  incident: IncidentRef | undefined;
  pending: Pending;
  firstFailureAt: string | undefined;
  readonly events: WatchEvent[];
}

/** The candidate held for `confirm` checks: posted as a recovery, an incident's opening or a change. */
export function confirmCandidate(
  step: Step,
  check: Check,
  candidate: NonNullable<WatchState['candidate']>,
): void {
  const { prev, observation, environment } = check;
  if (observation.verdict === 'OK') {
    step.events.push({
      kind: 'recovery',
      ...(step.incident !== undefined && { incident: step.incident }),
      from: prev.verdict,
      since: candidate.since,
      confirmedBy: candidate.checks,
      resolved: prev.problems,
      ...(step.firstFailureAt !== undefined && { problemStartedAt: step.firstFailureAt }),
      escalated: prev.escalations > 0,
    });
    step.firstFailureAt = undefined;
    step.escalation = { escalations: 0, lastEscalationAt: undefined };
    step.incident = undefined;
  } else if (step.incident === undefined || prev.verdict === 'OK') {
    // No OK check so far: the bot started while the environment was already failing.
    const atStart = check.consecutiveFailures >= prev.checks + 1;
    step.incident = {
      id: `${environment}-${Date.parse(candidate.since)}`,
      openedAt: candidate.since,
      atStart,
    };
    openIncident(step, observation.verdict, observation.problems, candidate.checks);
  } else {
    step.events.push({
      kind: 'change',
      incident: step.incident,
      from: prev.verdict,
      to: observation.verdict,
      at: check.at,
      ...diffProblems(prev.problems, observation.problems),
    });
  }
  const { verdict, problems } = observation;
  step.confirmed = { verdict, verdictSince: candidate.since, problems };
  step.candidate = undefined;
  step.pending = {};
}

/**
 * A failing state stored without an incident (written before incidents existed): the bot
 * finds the environment failing as it starts, so the incident opens now, where it stands.
 */
export function openWhereItStands(step: Step, check: Check): void {
  const { verdict, verdictSince, problems } = step.confirmed;
  if (verdict === 'OK') return;
  step.incident = {
    id: `${check.environment}-${Date.parse(verdictSince)}`,
    openedAt: verdictSince,
    atStart: true,
  };
  openIncident(step, verdict, problems, check.policy.confirm);
}

function openIncident(
  step: Step,
  to: Verdict,
  failing: Step['confirmed']['problems'],
  confirmedBy: number,
): void {
  if (step.incident === undefined || to === 'OK') return;
  step.events.push({
    kind: 'open',
    incident: step.incident,
    to,
    failing,
    confirmedBy,
    ...(step.firstFailureAt !== undefined && { firstFailureAt: step.firstFailureAt }),
  });
}

/** During an incident each part is damped on its own: it joins or leaves after `confirm` checks. */
export function dampFailingSet(step: Step, check: Check): void {
  const { verdict } = step.confirmed;
  if (step.incident === undefined || verdict === 'OK') return;
  const parts = dampParts(
    check.prev.problems,
    check.observation.problems,
    step.pending,
    check.policy.confirm,
  );
  step.pending = parts.pending;
  if (parts.added.length > 0 || parts.resolved.length > 0) {
    const { added, still, resolved } = parts;
    const { incident, events } = step;
    events.push({
      kind: 'change',
      incident,
      from: verdict,
      to: verdict,
      at: check.at,
      added,
      still,
      resolved,
    });
  }
  step.confirmed = { ...step.confirmed, problems: parts.problems };
}

export function escalateIfDue(step: Step, check: Check): void {
  const { firstFailureAt, escalation, incident } = step;
  if (
    !check.failing ||
    firstFailureAt === undefined ||
    check.consecutiveFailures < check.policy.escalateAfter ||
    !escalationDue(escalation, check.observation.checkedAt, check.policy)
  )
    return;
  step.events.push({
    kind: 'escalate',
    consecutiveFailures: check.consecutiveFailures,
    firstFailureAt,
    again: escalation.escalations > 0,
    ...(incident !== undefined && { incident }),
  });
  step.escalation = { escalations: escalation.escalations + 1, lastEscalationAt: check.at };
}

function escalationDue(escalation: Escalations, now: Date, policy: WatchPolicy): boolean {
  if (escalation.escalations === 0) return true;
  if (policy.reescalateAfterMs === undefined || escalation.lastEscalationAt === undefined)
    return false;
  return now.getTime() - Date.parse(escalation.lastEscalationAt) >= policy.reescalateAfterMs;
}
