import type { WatchProblem, WatchState } from '../core/ports/watch-state-store.js';
import type { Verdict } from '../core/reply.js';
import type { ProblemDiff } from './watch-problems.js';

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

/** The environment left OK (or was found failing at start): the incident's first post. */
export interface OpenEvent {
  readonly kind: 'open';
  readonly incident: IncidentRef;
  readonly to: Exclude<Verdict, 'OK'>;
  readonly failing: readonly WatchProblem[];
  readonly confirmedBy: number;
  readonly firstFailureAt?: string;
}

/** The failing set or the verdict moved during an incident. */
export type ChangeEvent = ProblemDiff & {
  readonly kind: 'change';
  readonly incident: IncidentRef;
  readonly from: Exclude<Verdict, 'OK'>;
  readonly to: Exclude<Verdict, 'OK'>;
  /** The check that confirmed it. */
  readonly at: string;
};

export interface RecoveryEvent {
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

export interface EscalateEvent {
  readonly kind: 'escalate';
  readonly consecutiveFailures: number;
  readonly firstFailureAt: string;
  /** A re-escalation after `reescalateAfter`, not the first. */
  readonly again: boolean;
  /** The incident thread, when one is open. */
  readonly incident?: IncidentRef;
}

export type WatchEvent = OpenEvent | ChangeEvent | RecoveryEvent | EscalateEvent;

export type Advance =
  | { readonly stale: true }
  | { readonly stale: false; readonly state: WatchState; readonly events: readonly WatchEvent[] };
