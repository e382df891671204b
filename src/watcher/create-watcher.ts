import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { Notifier } from '../core/ports/notifier.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { WatchState, WatchStateStore } from '../core/ports/watch-state-store.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { Redactor } from '../lib/redact.js';
import { advanceWatch } from './advance-watch.js';
import { forgetEscalation } from './forget-escalation.js';
import { postWatchEvent } from './post-watch-event.js';
import type { Observation, WatchEvent, WatchPolicy } from './watch-event.js';
import { watchPolicy } from './watch-policy.js';
import { watchProblems } from './watch-problems.js';

export interface WatcherDeps {
  readonly config: Config;
  /** One status check of an environment (the same as `/tas status`). */
  readonly checkStatus: (environment: string) => Promise<StatusSnapshot>;
  readonly store: WatchStateStore;
  /** The operations notifier: state changes go to `ops`, escalations to `support`. */
  readonly notifier: Notifier;
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly audit?: AuditLog;
  readonly requests?: RequestStore;
  readonly redact: Redactor;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface TickOutcome {
  readonly environment: string;
  /** Why nothing was done: the environment has no `watch`, or a newer check was applied first. */
  readonly skipped?: 'not-watched' | 'stale';
  readonly state?: WatchState;
  readonly events: readonly WatchEvent['kind'][];
}

export interface Watcher {
  /** One scheduled check: status → state machine → posts. Safe to run from several workers at once. */
  tick(environment: string): Promise<TickOutcome>;
}

/** The environments with a `watch` section and how often each is checked (for the scheduler). */
export function watchedEnvironments(config: Config): { name: string; everyMs: number }[] {
  return Object.entries(config.environments).flatMap(([name, env]) =>
    env.watch === undefined ? [] : [{ name, everyMs: env.watch.every }],
  );
}

/**
 * The watcher: each tick checks the environment, advances its stored state atomically (so two
 * workers never both decide the same post) and then posts what the state machine decided.
 */
export function createWatcher(deps: WatcherDeps): Watcher {
  return { tick: (environment) => tickWatcher(deps, environment) };
}

async function tickWatcher(deps: WatcherDeps, environment: string): Promise<TickOutcome> {
  const env = deps.config.environments[environment];
  if (env?.watch === undefined) return { environment, skipped: 'not-watched', events: [] };
  const snapshot = await deps.checkStatus(environment);
  const policy = watchPolicy(env.watch);
  const advanced = await advanceStored(deps, environment, policy, observe(snapshot));
  if (advanced === undefined || advanced.stale)
    return { environment, skipped: 'stale', events: [] };
  const { state, events, previous } = advanced;
  const log = deps.log.child({ environment, verdict: snapshot.verdict });
  if (events.length > 0)
    log.info(
      { events: events.map((e) => e.kind), consecutiveFailures: state.consecutiveFailures },
      'watch state changed',
    );
  const failures: unknown[] = [];
  for (const event of events) {
    try {
      await postWatchEvent(deps, event, { environment, snapshot, state });
    } catch (error) {
      failures.push(error);
      log.error({ err: error, event: event.kind }, 'watcher could not post');
      if (event.kind === 'escalate')
        await forgetEscalation(deps.store, environment, state, previous, log);
    }
  }
  if (failures.length > 0) throw failures[0];
  return { environment, state, events: events.map((e) => e.kind) };
}

/**
 * A probe the server refused (401/403, `misconfigured`) leaves the verdict DEGRADED but is no
 * outage: with nothing else failing there is no incident to open or escalate. Every other cause
 * of a non-OK verdict is among the problems.
 */
function observe(snapshot: StatusSnapshot): Observation {
  const problems = watchProblems(snapshot);
  return {
    verdict: problems.length === 0 ? 'OK' : snapshot.verdict,
    problems,
    checkedAt: snapshot.checkedAt,
  };
}

/** The state machine applied inside the store's atomic update, with the state it started from. */
function advanceStored(
  deps: WatcherDeps,
  environment: string,
  policy: WatchPolicy,
  observation: Observation,
) {
  return deps.store.update(environment, (current) => {
    const next = advanceWatch(environment, current, observation, policy);
    return next.stale ? undefined : { state: next.state, result: { ...next, previous: current } };
  });
}
