import type { AuditLog } from '../audit/audit-log.js';
import type { Config, EnvironmentConfig } from '../config/schema.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { IncidentNotice, Notifier } from '../core/ports/notifier.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { WatchState, WatchStateStore } from '../core/ports/watch-state-store.js';
import { sendEscalation } from '../diagnostics/escalation/send-escalation.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { Redactor } from '../lib/redact.js';
import { advanceWatch, type WatchEvent, type WatchPolicy } from './advance-watch.js';
import {
  changeReply,
  escalatedReply,
  incidentSummary,
  openReply,
  recoveryReply,
  resolvedSummary,
  watcherDescription,
} from './watch-messages.js';
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

export function watchPolicy(watch: NonNullable<EnvironmentConfig['watch']>): WatchPolicy {
  return {
    confirm: watch.confirm,
    escalateAfter: watch.escalateAfter,
    ...(watch.reescalateAfter !== undefined && { reescalateAfterMs: watch.reescalateAfter }),
  };
}

/**
 * The watcher: each tick checks the environment, advances its stored state atomically (so two
 * workers never both decide the same post) and then posts what the state machine decided: an
 * incident's opening, changes and recovery to `ops`, threaded under the opening post whose
 * summary line each change updates; escalations with a bundle to `support`.
 */
export function createWatcher(deps: WatcherDeps): Watcher {
  const slash = `/${deps.config.command}`;
  return {
    async tick(environment) {
      const env = deps.config.environments[environment];
      if (env?.watch === undefined) return { environment, skipped: 'not-watched', events: [] };
      const policy = watchPolicy(env.watch);
      const snapshot = await deps.checkStatus(environment);
      const problems = watchProblems(snapshot);
      // A probe the server refused (401/403, `misconfigured`) leaves the verdict DEGRADED but is
      // no outage: with nothing else failing there is no incident to open or escalate. Every
      // other cause of a non-OK verdict is among the problems.
      const observation = {
        verdict: problems.length === 0 ? ('OK' as const) : snapshot.verdict,
        problems,
        checkedAt: snapshot.checkedAt,
      };
      const advanced = await deps.store.update(environment, (current) => {
        const next = advanceWatch(environment, current, observation, policy);
        return next.stale
          ? undefined
          : { state: next.state, result: { ...next, previous: current } };
      });
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
          await act(event, environment, env, snapshot, state);
        } catch (error) {
          failures.push(error);
          log.error({ err: error, event: event.kind }, 'watcher could not post');
          if (event.kind === 'escalate') await forgetEscalation(environment, state, previous, log);
        }
      }
      if (failures.length > 0) throw failures[0];
      return { environment, state, events: events.map((e) => e.kind) };
    },
  };

  /**
   * An escalation that could not be sent is taken back, so the next tick tries again; unless
   * another tick moved the state on meanwhile (it then decides for itself).
   */
  async function forgetEscalation(
    environment: string,
    sent: WatchState,
    previous: WatchState | undefined,
    log: Logger,
  ): Promise<void> {
    await deps.store
      .update(environment, (current) => {
        if (
          current === undefined ||
          current.lastEscalationAt !== sent.lastEscalationAt ||
          current.escalations !== sent.escalations
        )
          return undefined;
        const restored = withEscalations(
          current,
          previous?.escalations ?? 0,
          previous?.lastEscalationAt,
        );
        return { state: restored, result: true };
      })
      .catch((error: unknown) =>
        log.error({ err: error }, 'could not take back the failed escalation'),
      );
  }

  /** One notice of an incident, threaded when the notifier can; a plain ops post otherwise. */
  async function incident(environment: string, notice: IncidentNotice): Promise<void> {
    if (deps.notifier.incident !== undefined)
      await deps.notifier.incident(environment, 'ops', notice);
    else await deps.notifier.channel(environment, 'ops', notice.post);
  }

  async function act(
    event: WatchEvent,
    environment: string,
    env: EnvironmentConfig,
    snapshot: StatusSnapshot,
    state: WatchState,
  ): Promise<void> {
    switch (event.kind) {
      case 'open':
        await incident(environment, {
          incidentId: event.incident.id,
          opens: true,
          post: openReply(environment, event, slash),
        });
        return;
      case 'change':
        await incident(environment, {
          incidentId: event.incident.id,
          opens: false,
          post: changeReply(environment, event),
          summary: incidentSummary(environment, event.incident, event.to, state.problems, slash),
        });
        return;
      case 'recovery':
        if (event.incident === undefined) {
          await deps.notifier.channel(environment, 'ops', recoveryReply(environment, event));
          return;
        }
        await incident(environment, {
          incidentId: event.incident.id,
          opens: false,
          post: recoveryReply(environment, event),
          summary: resolvedSummary(environment, event),
        });
        return;
      case 'escalate': {
        const sent = await sendEscalation(
          { ...deps, platform: deps.platformFor(environment) },
          {
            environment,
            env,
            snapshot,
            trigger: 'watcher',
            requestedBy: 'watcher',
            description: watcherDescription(event, snapshot.reasons),
            watch: state,
          },
        );
        // On-call learns in the incident's thread that support has it (or why it does not).
        if (event.incident !== undefined && deps.notifier.incident !== undefined)
          await deps.notifier
            .incident(environment, 'ops', {
              incidentId: event.incident.id,
              opens: false,
              post: escalatedReply(environment, event, sent.notPosted),
            })
            .catch((error: unknown) =>
              deps.log.warn(
                { err: error, environment },
                'could not tell the incident thread about the escalation',
              ),
            );
        return;
      }
    }
  }
}

/** `state` with its escalation count and time replaced (the time removed when undefined). */
function withEscalations(
  state: WatchState,
  escalations: number,
  lastEscalationAt: string | undefined,
): WatchState {
  const copy: { -readonly [K in keyof WatchState]?: WatchState[K] } = { ...state };
  delete copy.lastEscalationAt;
  return {
    ...(copy as WatchState),
    escalations,
    ...(lastEscalationAt !== undefined && { lastEscalationAt }),
  };
}
