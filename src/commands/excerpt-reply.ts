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
  return parts.join(', ');
}

const count = (n: number) => n.toLocaleString('en-US');

/** What was found, in the words of what was asked: `3 of 1,204 lines match /x/`. */
function summaryText(options: LogsOptions, excerpt: LogExcerpt): string {
  const { matchedLines, linesScanned } = excerpt;
  if (options.grep === undefined && options.level === undefined)
    return `${count(matchedLines)} lines of interest in ${count(linesScanned)}`;
  const asked = [
    ...(options.grep
      ? [`${matchedLines === 1 ? 'matches' : 'match'} /${options.grep.source}/`]
      : []),
    ...(options.level ? [`at level ≥ ${options.level}`] : []),
  ];
  const noun = linesScanned === 1 ? 'line' : 'lines';
  return `${count(matchedLines)} of ${count(linesScanned)} ${noun} ${asked.join(' ')}`;
}

/** As many lines as fit a message, from the start (`fromEnd`: the last ones). */
function fitting(lines: readonly string[], fromEnd: boolean): string[] {
  let shown = fromEnd ? lines.slice(-INLINE_LINES) : lines.slice(0, INLINE_LINES);
  while (shown.join('\n').length > INLINE_CHARS && shown.length > 1)
    shown = fromEnd ? shown.slice(1) : shown.slice(0, -1);
  return shown;
}

const tooLongFor = (lines: readonly string[]) =>
  lines.length > INLINE_LINES || lines.join('\n').length > INLINE_CHARS;

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
    ...(excerpt.recent ? ['Last lines:', ...excerpt.recent.lines, ''] : []),
    ...notes(excerpt),
  ].join('\n');
}

/** A log excerpt as a reply: counts first (what an on-call engineer scans for), then the lines. */
export function excerptReply(input: ExcerptReplyInput): Reply {
  const { excerpt, service } = input;
  const window = windowText(input.options);
  const title = `${service} logs${window === '' ? '' : ` (${window})`}: ${summaryText(input.options, excerpt)}`;
  const tooLong = tooLongFor(excerpt.excerpt.lines) || tooLongFor(excerpt.recent?.lines ?? []);
  const blocks: ReplyBlock[] = [
    ...countBlocks(excerpt),
    linesBlock(input, tooLong),
    ...[...notes(excerpt), ...readingNotes(input)].map((text): ReplyBlock => ({
      kind: 'text',
      text,
    })),
  ];
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

/** The runbook patterns and the most repeated lines, each counted. */
function countBlocks(excerpt: LogExcerpt): ReplyBlock[] {
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
  return blocks;
}

/** The lines of interest that fit; else the last lines of a quiet log; else why there are none. */
function linesBlock(input: ExcerptReplyInput, tooLong: boolean): ReplyBlock {
  const { excerpt } = input;
  const lines = excerpt.excerpt.lines;
  const recent = excerpt.recent?.lines ?? [];
  if (lines.length > 0) {
    const shown = fitting(lines, false);
    return {
      kind: 'excerpt',
      title: tooLong
        ? `Excerpt (first ${shown.length} of ${lines.length} lines; all of it is attached)`
        : 'Excerpt',
      lines: shown,
    };
  }
  if (recent.length > 0) {
    // A quiet log is not an empty one: the manual check reads its last lines (`--tail 200`).
    const shown = fitting(recent, true);
    return {
      kind: 'excerpt',
      title:
        shown.length < recent.length
          ? `Nothing of interest; the last ${shown.length} of ${count(recent.length)} lines (all of them are attached)`
          : `Nothing of interest; the last ${shown.length} lines`,
      lines: shown,
    };
  }
  const filtered = input.options.grep !== undefined || input.options.level !== undefined;
  return {
    kind: 'text',
    text: filtered
      ? `No line of ${count(excerpt.linesScanned)} matches.`
      : `Nothing of interest in ${count(excerpt.linesScanned)} lines.`,
  };
}

/** How the reading itself ended short: the time limit, or a stream the platform dropped. */
function readingNotes(input: ExcerptReplyInput): string[] {
  return [
    ...(input.stoppedAfterSeconds !== undefined
      ? [
          `Stopped reading after ${input.stoppedAfterSeconds}s; the counts cover what was read by then. Narrow it with --since or --tail.`,
        ]
      : []),
    ...(input.streamBroken === true
      ? [
          'The log stream ended early (the platform dropped the connection); the counts cover what arrived before that.',
        ]
      : []),
  ];
}
