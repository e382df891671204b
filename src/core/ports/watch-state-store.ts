import type { Verdict } from '../reply.js';

/** One thing the watcher saw failing: a service, a probe or the platform itself. */
export interface WatchProblem {
  readonly kind: 'service' | 'probe' | 'platform';
  readonly name: string;
  /** One line: `scaled to 0`, `503 {"status":"UNAVAILABLE"}`. */
  readonly problem: string;
}

/**
 * What the watcher remembers about one environment between ticks. Times are ISO 8601 strings
 * (it is stored as JSON). `verdict` is the confirmed state, the one the last message posted;
 * a different verdict first becomes the `candidate` and replaces it only after holding for
 * `watch.confirm` checks in a row.
 */
export interface WatchState {
  readonly environment: string;
  readonly verdict: Verdict;
  /** The first check of the run that confirmed `verdict`. */
  readonly verdictSince: string;
  /** What was failing when `verdict` was confirmed; the next change message compares with it. */
  readonly problems: readonly WatchProblem[];
  readonly candidate?: {
    readonly verdict: Verdict;
    readonly checks: number;
    readonly since: string;
  };
  /** Failed checks in a row (anything but OK); 0 after an OK check. */
  readonly consecutiveFailures: number;
  /** The first failed check of the current problem; cleared once OK is confirmed again. */
  readonly firstFailureAt?: string;
  readonly lastEscalationAt?: string;
  /** Escalations since the problem began (0 until the first, back to 0 on recovery). */
  readonly escalations: number;
  readonly lastCheckAt?: string;
  /** The verdict of the newest check, confirmed or not. */
  readonly lastVerdict?: Verdict;
  /** Checks seen since the state was created. */
  readonly checks: number;
  /** The open incident: from the confirmed move away from OK to the confirmed recovery. */
  readonly incident?: {
    /** Unique per environment; the bot keys the incident's chat thread by it. */
    readonly id: string;
    /** The first check of the run that opened it. */
    readonly openedAt: string;
    /** The environment had not been seen OK before (the bot started while it was failing). */
    readonly atStart: boolean;
  };
  /**
   * Parts (problem keys) whose newest checks disagree with `problems`, and for how many checks
   * in a row: one joins or leaves the failing set only after `watch.confirm` of them.
   */
  readonly pending?: Readonly<
    Record<
      string,
      { readonly failing: boolean; readonly checks: number; readonly problem: WatchProblem }
    >
  >;
}

/** Where the opening post of an incident went on one chat platform. */
export interface IncidentThread {
  readonly channelId: string;
  readonly ref: string;
  readonly threadId?: string;
}

/**
 * The chat threads of incidents, keyed by environment and incident id, one per platform: the
 * bot records where it posted an incident's opening message, and its later notices reply there
 * and update that message. Entries expire on their own, long after any incident.
 */
export interface IncidentThreadStore {
  get(environment: string, incidentId: string): Promise<Readonly<Record<string, IncidentThread>>>;
  record(
    environment: string,
    incidentId: string,
    platform: string,
    thread: IncidentThread,
  ): Promise<void>;
}

/**
 * Per-environment watcher state that survives restarts and is shared by every worker process.
 * `update` is atomic per environment: two ticks finishing at once never both act on the same
 * state (so an escalation decided by one is seen by the other).
 * Deliberately left out: listing and deleting (an environment removed from `watch` keeps its
 * last state until it is watched again).
 */
export interface WatchStateStore {
  get(environment: string): Promise<WatchState | undefined>;
  /**
   * Reads, applies `change` and writes back only if nobody wrote in between, re-running
   * `change` on the newer state otherwise. `change` returning undefined writes nothing.
   * Resolves with the `result` of the change that was written, or undefined.
   */
  update<T>(
    environment: string,
    change: (current: WatchState | undefined) => { state: WatchState; result: T } | undefined,
  ): Promise<T | undefined>;
}
