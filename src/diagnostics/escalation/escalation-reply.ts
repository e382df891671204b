import type { Reply, ReplyBlock, ReplyRow } from '../../core/reply.js';
import { cut } from '../logs/format-log-line.js';
import type { EscalationReport, LogReport } from './escalation-report.js';
import { UNKNOWN } from './escalation-report.js';
import { renderMarkdown } from './render-markdown.js';
import { utcTime } from './utc-time.js';

const MAX_REASONS = 6;
const TOP_PATTERNS = 3;

/**
 * The chat message support receives: verdict, what is broken, since when and the top log
 * signals, with the whole report attached twice (Markdown for people, JSON for tools).
 */
export function escalationReply(report: EscalationReport): Reply {
  const { problem } = report;
  const described = problem.description === UNKNOWN ? '' : `: ${cut(problem.description, 150)}`;
  const blocks: ReplyBlock[] = [
    {
      kind: 'fields',
      fields: [
        {
          label: 'Environment',
          value:
            report.environment.url === UNKNOWN
              ? report.environment.name
              : `${report.environment.name} (${report.environment.url})`,
        },
        {
          label: 'Version',
          value:
            [report.facts.product, report.facts.version].filter((v) => v !== UNKNOWN).join(' ') ||
            UNKNOWN,
        },
        {
          label: 'Since',
          value:
            problem.startedAt === UNKNOWN
              ? `${UNKNOWN} (${problem.startedAtNote})`
              : utcTime(problem.startedAt),
        },
        { label: 'Escalated by', value: report.handling.requestedBy },
      ],
    },
  ];
  const reasons = problem.reasons.slice(0, MAX_REASONS);
  if (reasons.length > 0) {
    const more = problem.reasons.length - reasons.length;
    blocks.push({
      kind: 'rows',
      title: 'What is broken',
      rows: reasons.map((reason) => ({ label: '', value: reason, tone: 'fail' })),
    });
    if (more > 0) blocks.push({ kind: 'text', text: `…and ${more} more in the report.` });
  } else {
    blocks.push({ kind: 'text', text: 'The status check finds nothing wrong right now.' });
  }
  const signals = report.logs.map(signalRow).filter((row): row is ReplyRow => row !== undefined);
  if (signals.length > 0) blocks.push({ kind: 'rows', title: 'Top log signals', rows: signals });
  const unknown = report.checklist.filter((item) => !item.known).map((item) => item.item);
  blocks.push({
    kind: 'text',
    text: `Full report attached (Markdown and JSON), ${report.id}.${unknown.length > 0 ? ` Unknown: ${unknown.join(', ')}.` : ''}`,
  });
  return {
    title: `Escalation: ${report.environment.name} is ${problem.verdict}${described}`,
    verdict: problem.verdict,
    blocks,
    attachments: [
      {
        filename: `${report.id}.md`,
        contentType: 'text/markdown',
        content: renderMarkdown(report),
      },
      {
        filename: `${report.id}.json`,
        contentType: 'application/json',
        content: `${JSON.stringify(report, null, 2)}\n`,
      },
    ],
    data: {
      reportId: report.id,
      environment: report.environment.name,
      verdict: problem.verdict,
      startedAt: problem.startedAt,
      description: problem.description,
      unknown,
    },
  };
}

function signalRow(log: LogReport): ReplyRow | undefined {
  const patterns = log.patternCounts.slice(0, TOP_PATTERNS).map((p) => `${p.name} ×${p.count}`);
  const top = log.topRepeated[0];
  const repeated = top === undefined ? [] : [`×${top.count} "${cut(top.sample, 160)}"`];
  if (patterns.length === 0 && repeated.length === 0) return undefined;
  return { label: log.service, value: [...patterns, ...repeated].join(' · '), tone: 'warn' };
}
