import type { Logger } from '../core/ports/logger.js';
import type { IncidentNotice, Notifier } from '../core/ports/notifier.js';
import type { WatchState } from '../core/ports/watch-state-store.js';
import {
  sendEscalation,
  type SendEscalationDeps,
} from '../diagnostics/escalation/send-escalation.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { EscalateEvent, WatchEvent } from './watch-event.js';
import {
  changeReply,
  escalatedReply,
  incidentSummary,
  openReply,
  recoveryReply,
  resolvedSummary,
  watcherDescription,
} from './watch-messages.js';

export interface PostWatchEventDeps extends SendEscalationDeps {
  /** The operations notifier: state changes go to `ops`, escalations to `support`. */
  readonly notifier: Notifier;
  readonly config: SendEscalationDeps['config'] & { readonly command: string };
  readonly log: Logger;
}

/** The check an event came from. */
export interface WatchedCheck {
  readonly environment: string;
  readonly snapshot: StatusSnapshot;
  /** The state after the check. */
  readonly state: WatchState;
}

/**
 * Posts what the state machine decided: an incident's opening, changes and recovery to `ops`,
 * threaded under the opening post whose summary line each change updates; escalations with a
 * bundle to `support`.
 */
export async function postWatchEvent(
  deps: PostWatchEventDeps,
  event: WatchEvent,
  check: WatchedCheck,
): Promise<void> {
  const { environment, state } = check;
  const slash = `/${deps.config.command}`;
  switch (event.kind) {
    case 'open':
      return postIncident(deps, environment, {
        incidentId: event.incident.id,
        opens: true,
        post: openReply(environment, event, slash),
      });
    case 'change':
      return postIncident(deps, environment, {
        incidentId: event.incident.id,
        opens: false,
        post: changeReply(environment, event),
        summary: incidentSummary(environment, event.incident, event.to, state.problems, slash),
      });
    case 'recovery':
      if (event.incident === undefined)
        return deps.notifier.channel(environment, 'ops', recoveryReply(environment, event));
      return postIncident(deps, environment, {
        incidentId: event.incident.id,
        opens: false,
        post: recoveryReply(environment, event),
        summary: resolvedSummary(environment, event),
      });
    case 'escalate':
      return escalate(deps, event, check);
  }
}

/** One notice of an incident, threaded when the notifier can; a plain ops post otherwise. */
async function postIncident(
  deps: PostWatchEventDeps,
  environment: string,
  notice: IncidentNotice,
): Promise<void> {
  if (deps.notifier.incident !== undefined)
    await deps.notifier.incident(environment, 'ops', notice);
  else await deps.notifier.channel(environment, 'ops', notice.post);
}

async function escalate(
  deps: PostWatchEventDeps,
  event: EscalateEvent,
  { environment, snapshot, state }: WatchedCheck,
): Promise<void> {
  const sent = await sendEscalation(deps, {
    environment,
    snapshot,
    trigger: 'watcher',
    requestedBy: 'watcher',
    description: watcherDescription(event, snapshot.reasons),
    watch: state,
  });
  // On-call learns in the incident's thread that support has it (or why it does not).
  if (event.incident === undefined || deps.notifier.incident === undefined) return;
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
}
