import type { Reply, ReplyBlock } from '../core/reply.js';
import type { LogExcerpt } from '../diagnostics/logs/log-excerpt.js';
import { formatDuration } from '../lib/duration.js';
import type { LogsOptions } from './logs-options.js';

/** What fits a chat message comfortably; the rest goes into the attached file, never cut silently. */
const INLINE_LINES = 30;
const INLINE_CHARS = 2800;
const TOP_GROUPS = 5;

export interface ExcerptReplyInput {
  readonly environment: string;
  readonly service: string;
  readonly options: LogsOptions;
  readonly excerpt: LogExcerpt;
  /** Set when reading was cut by the time limit: the counts cover what was read by then. */
  readonly stoppedAfterSeconds?: number;
  /** Set when Docker dropped the stream after sending part of it. */
  readonly streamBroken?: boolean;
}

function windowText(options: LogsOptions): string {
  const parts = [];
  if (options.sinceMs !== undefined) parts.push(`last ${formatDuration(options.sinceMs)}`);
  if (options.tail !== undefined) parts.push(`last ${options.tail} lines per task`);
  if (options.grep) parts.push(`matching /${options.grep.source}/`);
  if (options.level) parts.push(`level ≥ ${options.level}`);
  return parts.join(', ');
}

const count = (n: number) => n.toLocaleString('en-US');

function notes(excerpt: LogExcerpt): string[] {
  const out: string[] = [];
  if (excerpt.truncated) {
    out.push(
      `Stopped after scanning ${count(excerpt.truncated.bytesScanned)} bytes (the cap is ${count(excerpt.truncated.maxBytes)}); narrow it with --since, --tail or --grep.`,
    );
  }
  if (excerpt.excerpt.omittedLines > 0)
    out.push(
      `${count(excerpt.excerpt.omittedLines)} more lines of interest are counted above but not shown.`,
    );
  if (excerpt.otherLines > 0)
    out.push(
      `${count(excerpt.otherLines)} lines of interest were counted but not grouped (too many distinct lines).`,
    );
  return out;
}

function reportText(input: ExcerptReplyInput, title: string): string {
  const { excerpt } = input;
  return [
    title,
    '',
    'Patterns:',
    ...excerpt.patternCounts.map((p) => `  ${p.name}: ${p.count}`),
    '',
    'Repeated lines:',
    ...excerpt.groups.map((g) => `  ×${g.count}  ${g.sample}`),
    '',
    'Excerpt:',
    ...excerpt.excerpt.lines,
    '',
    ...notes(excerpt),
  ].join('\n');
}

/** A log excerpt as a reply: counts first (what an on-call engineer scans for), then the lines. */
export function excerptReply(input: ExcerptReplyInput): Reply {
  const { excerpt, service } = input;
  const title = `${service} logs (${windowText(input.options)}): ${count(excerpt.matchedLines)} lines of interest in ${count(excerpt.linesScanned)}`;
  const blocks: ReplyBlock[] = [];
  if (excerpt.patternCounts.length > 0) {
    blocks.push({
      kind: 'rows',
      title: 'Runbook patterns',
      rows: excerpt.patternCounts.map((p) => ({
        label: p.name,
        value: `×${count(p.count)}`,
        tone: 'fail' as const,
      })),
    });
  }
  const repeated = excerpt.groups.filter((g) => g.count > 1).slice(0, TOP_GROUPS);
  if (repeated.length > 0) {
    blocks.push({
      kind: 'rows',
      title: 'Most repeated',
      rows: repeated.map((g) => ({
        label: `×${count(g.count)}`,
        value: g.sample.slice(0, 300),
        tone: 'warn' as const,
      })),
    });
  }
  const lines = excerpt.excerpt.lines;
  const tooLong = lines.length > INLINE_LINES || lines.join('\n').length > INLINE_CHARS;
  if (lines.length > 0) {
    let shown = lines.slice(0, INLINE_LINES);
    while (shown.join('\n').length > INLINE_CHARS && shown.length > 1) shown = shown.slice(0, -1);
    blocks.push({
      kind: 'excerpt',
      title: tooLong
        ? `Excerpt (first ${shown.length} of ${lines.length} lines; all of it is attached)`
        : 'Excerpt',
      lines: shown,
    });
  } else {
    blocks.push({
      kind: 'text',
      text: `Nothing of interest in ${count(excerpt.linesScanned)} lines.`,
    });
  }
  for (const text of notes(excerpt)) blocks.push({ kind: 'text', text });
  if (input.stoppedAfterSeconds !== undefined) {
    blocks.push({
      kind: 'text',
      text: `Stopped reading after ${input.stoppedAfterSeconds}s; the counts cover what was read by then. Narrow it with --since or --tail.`,
    });
  }
  if (input.streamBroken === true) {
    blocks.push({
      kind: 'text',
      text: 'The log stream ended early (the platform dropped the connection); the counts cover what arrived before that.',
    });
  }
  const filename = `${input.environment}-${service}-logs.txt`;
  return {
    title,
    blocks,
    ...(tooLong && {
      attachments: [{ filename, contentType: 'text/plain', content: reportText(input, title) }],
    }),
    data: { environment: input.environment, service, ...excerpt },
  };
}
