import type { WatchProblem } from '../core/ports/watch-state-store.js';
import type { Reply, ReplyBlock, ReplyRow, Tone } from '../core/reply.js';
import { utcTime } from '../diagnostics/escalation/utc-time.js';
import { formatDuration } from '../lib/duration.js';
import type { WatchEvent } from './advance-watch.js';
import { countOf } from '../diagnostics/escalation/count-of.js';

type Change = Extract<WatchEvent, { kind: 'change' }>;
type Recovery = Extract<WatchEvent, { kind: 'recovery' }>;

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

/** `prod: OK → DOWN`: what is newly failing, what still is, what recovered, and since when. */
export function changeReply(environment: string, event: Change, slash: string): Reply {
  const tone: Tone = event.to === 'DOWN' ? 'fail' : 'warn';
  const first =
    event.firstFailureAt !== undefined && event.firstFailureAt !== event.since
      ? `; first failed check ${utcTime(event.firstFailureAt)}`
      : '';
  return {
    title: `${environment}: ${event.from} → ${event.to}`,
    verdict: event.to,
    blocks: [
      ...rows('Now failing', event.added, tone),
      ...rows('Still failing', event.still, tone),
      ...rows('Recovered', event.resolved, 'ok'),
      {
        kind: 'text',
        text: `Confirmed by ${event.confirmedBy} checks in a row since ${utcTime(event.since)}${first}.`,
      },
      {
        kind: 'text',
        text: `Details: \`${slash} status --env ${environment}\`; logs: \`${slash} logs <service> --env ${environment}\`.`,
      },
    ],
    data: { environment, ...event },
  };
}

/** `prod: recovered (DOWN → OK)`, with how long the problem lasted. */
export function recoveryReply(environment: string, event: Recovery): Reply {
  const lasted =
    event.problemStartedAt === undefined
      ? ''
      : ` The problem began ${utcTime(event.problemStartedAt)} and lasted ${formatDuration(Date.parse(event.since) - Date.parse(event.problemStartedAt))}.`;
  return {
    title: `${environment}: recovered (${event.from} → OK)`,
    verdict: 'OK',
    blocks: [
      ...rows('Recovered', event.resolved, 'ok'),
      {
        kind: 'text',
        text: `OK since ${utcTime(event.since)}, confirmed by ${event.confirmedBy} checks in a row.${lasted}`,
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

/** The description the watcher gives its own escalations. */
export function watcherDescription(
  event: Extract<WatchEvent, { kind: 'escalate' }>,
  reasons: readonly string[],
): string {
  const again = event.again ? ' (still failing since the last escalation)' : '';
  const what =
    reasons.length === 0
      ? ''
      : `: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}`;
  return `Detected by the watcher${again}: ${countOf(event.consecutiveFailures, 'failed check')} in a row since ${utcTime(event.firstFailureAt)}${what}`;
}
