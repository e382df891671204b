import type { WatchProblem } from '../core/ports/watch-state-store.js';
import {
  textReply,
  type Reply,
  type ReplyBlock,
  type ReplyRow,
  type Tone,
  type Verdict,
} from '../core/reply.js';
import { utcTime } from '../diagnostics/escalation/utc-time.js';
import { formatDuration } from '../lib/duration.js';
import type {
  ChangeEvent as Change,
  IncidentRef,
  OpenEvent as Open,
  RecoveryEvent as Recovery,
  EscalateEvent,
} from './watch-event.js';
import { countOf } from '../diagnostics/escalation/count-of.js';

const label = (problem: WatchProblem): string =>
  problem.kind === 'probe' ? `probe ${problem.name}` : problem.name;

const rows = (title: string, problems: readonly WatchProblem[], tone: Tone): ReplyBlock[] =>
  problems.length === 0
    ? []
    : [
        {
          kind: 'rows',
          title,
          rows: problems.map((p): ReplyRow => ({ label: label(p), value: p.problem, tone })),
        },
      ];

const toneOf = (verdict: Verdict): Tone => (verdict === 'DOWN' ? 'fail' : 'warn');

const names = (problems: readonly WatchProblem[]): string =>
  problems.length === 0 ? 'nothing named' : problems.map(label).join(', ');

/** How the incident began: `OK → DOWN at …`, or `found DOWN at start …` when never seen OK. */
function openingLine(incident: IncidentRef, verdict: Verdict): string {
  return incident.atStart
    ? `Found ${verdict} at start (${utcTime(incident.openedAt)}).`
    : `OK → ${verdict} at ${utcTime(incident.openedAt)}.`;
}

const details = (environment: string, slash: string): ReplyBlock => ({
  kind: 'text',
  text: `Details: \`${slash} status --env ${environment}\`; logs: \`${slash} logs <service> --env ${environment}\`.`,
});

/**
 * The incident's first post, kept current: its title is the summary line (verdict, what is
 * failing, since when); every later change is a reply in its thread.
 */
export function incidentSummary(
  environment: string,
  incident: IncidentRef,
  verdict: Exclude<Verdict, 'OK'>,
  failing: readonly WatchProblem[],
  slash: string,
): Reply {
  return {
    title: `${environment}: ${verdict}: ${names(failing)} failing since ${utcTime(incident.openedAt)}`,
    verdict,
    blocks: [
      { kind: 'text', text: openingLine(incident, verdict) },
      ...rows('Failing', failing, toneOf(verdict)),
      { kind: 'text', text: 'Every change of this incident is posted in this thread.' },
      details(environment, slash),
    ],
    data: { environment, incident, verdict, failing },
  };
}

/** The opening post: `prod: OK → DOWN` or `prod: found DOWN at start`, what is failing and since when. */
export function openReply(environment: string, event: Open, slash: string): Reply {
  const summary = incidentSummary(environment, event.incident, event.to, event.failing, slash);
  const first =
    event.firstFailureAt !== undefined && event.firstFailureAt !== event.incident.openedAt
      ? `; first failed check ${utcTime(event.firstFailureAt)}`
      : '';
  return {
    ...summary,
    title: event.incident.atStart
      ? `${environment}: found ${event.to} at start`
      : `${environment}: OK → ${event.to}`,
    blocks: [
      ...rows('Now failing', event.failing, toneOf(event.to)),
      {
        kind: 'text',
        text: `${openingLine(event.incident, event.to)} Confirmed by ${event.confirmedBy} checks in a row${first}.`,
      },
      { kind: 'text', text: 'Every change of this incident is posted in this thread.' },
      details(environment, slash),
    ],
    data: { environment, ...event },
  };
}

/** A reply in the incident's thread: what joined, what recovered, where the verdict moved. */
export function changeReply(environment: string, event: Change): Reply {
  const what = [
    ...event.added.map((p) => `${label(p)} failing`),
    ...event.resolved.map((p) => `${label(p)} recovered`),
  ];
  const moved = event.from === event.to ? `still ${event.to}` : `${event.from} → ${event.to}`;
  return {
    title: `${environment}: ${what.length > 0 ? `${what.join(', ')} (${moved})` : moved}`,
    verdict: event.to,
    blocks: [
      ...rows('Now failing', event.added, toneOf(event.to)),
      ...rows('Recovered', event.resolved, 'ok'),
      ...rows('Still failing', event.still, toneOf(event.to)),
      {
        kind: 'text',
        text: `Confirmed at ${utcTime(event.at)}; the incident began ${utcTime(event.incident.openedAt)}.`,
      },
    ],
    data: { environment, ...event },
  };
}

const lasted = (event: Recovery): number | undefined => {
  const began = event.incident?.openedAt ?? event.problemStartedAt;
  return began === undefined ? undefined : Date.parse(event.since) - Date.parse(began);
};

/** `prod: recovered (DOWN → OK) after 12m`: the reply that closes the incident. */
export function recoveryReply(environment: string, event: Recovery): Reply {
  const duration = lasted(event);
  const began = event.incident?.openedAt ?? event.problemStartedAt;
  return {
    title: `${environment}: recovered (${event.from} → OK)${duration === undefined ? '' : ` after ${formatDuration(duration)}`}`,
    verdict: 'OK',
    blocks: [
      ...rows('Recovered', event.resolved, 'ok'),
      {
        kind: 'text',
        text: `OK since ${utcTime(event.since)}, confirmed by ${event.confirmedBy} checks in a row.${began === undefined || duration === undefined ? '' : ` The incident began ${utcTime(began)} and lasted ${formatDuration(duration)}.`}`,
      },
      ...(event.escalated
        ? [
            {
              kind: 'text' as const,
              text: 'Support was escalated during this problem: let them know it has recovered.',
            },
          ]
        : []),
    ],
    data: { environment, ...event },
  };
}

/** The first post once the incident is closed: `prod: resolved after 12m (was DOWN)`. */
export function resolvedSummary(environment: string, event: Recovery): Reply {
  const duration = lasted(event);
  const blocks: ReplyBlock[] = [
    ...(event.incident === undefined
      ? []
      : [{ kind: 'text' as const, text: openingLine(event.incident, event.from) }]),
    ...rows('Was failing', event.resolved, 'ok'),
    { kind: 'text', text: `OK again since ${utcTime(event.since)}.` },
  ];
  return {
    title: `${environment}: resolved${duration === undefined ? '' : ` after ${formatDuration(duration)}`} (was ${event.from})`,
    verdict: 'OK',
    blocks,
    data: { environment, ...event },
  };
}

/** The note in the incident's thread that support was escalated (the report itself goes to support). */
export function escalatedReply(
  environment: string,
  event: EscalateEvent,
  notPosted?: string,
): Reply {
  const after = `${countOf(event.consecutiveFailures, 'failed check')} in a row since ${utcTime(event.firstFailureAt)}`;
  return notPosted === undefined
    ? textReply(
        `Escalated ${environment} to support${event.again ? ' again' : ''}`,
        `After ${after}; the report with logs and probes is in the support channel.`,
      )
    : textReply(
        `Escalation of ${environment} not sent (${notPosted})`,
        `After ${after} the report was built but not posted: the environment has no support channel.`,
      );
}

/** The description the watcher gives its own escalations. */
export function watcherDescription(event: EscalateEvent, reasons: readonly string[]): string {
  const again = event.again ? ' (still failing since the last escalation)' : '';
  const thread =
    event.incident === undefined
      ? ''
      : `. On-call follows it in the incident thread in the ops channel, opened ${utcTime(event.incident.openedAt)}`;
  const what =
    reasons.length === 0
      ? ''
      : `: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}`;
  return `Detected by the watcher${again}: ${countOf(event.consecutiveFailures, 'failed check')} in a row since ${utcTime(event.firstFailureAt)}${what}${thread}`;
}
