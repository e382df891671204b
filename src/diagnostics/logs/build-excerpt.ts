import { setImmediate as nextTurn } from 'node:timers/promises';
import { createRedactor } from '../../lib/redact.js';
import { collapseKey } from './collapse-key.js';
import { createExcerptWriter } from './excerpt-writer.js';
import { cut, formatLogLine } from './format-log-line.js';
import { createGroupCounter } from './group-counter.js';
import type { ExcerptOptions, LogExcerpt } from './log-excerpt.js';
import { createLineMatcher } from './line-matcher.js';
import { createRecentLines } from './recent-lines.js';
import type { ParsedLine } from './log-line.js';
import { createParsedLineRedactor } from './redact-parsed-line.js';
import { TimeRange } from './time-range.js';

const DEFAULTS = {
  maxGroups: 200,
  maxExcerptLines: 150,
  maxLineChars: 500,
  recentLines: 0,
} as const;
// Context around each interesting line when the user asked for nothing in particular; a filter
// means exactly what it says (`grep -C N`), so context then comes only with `context`.
const UNFILTERED_CONTEXT = 2;

// A chunk of the log stream arrives whole and its lines are handed over as microtasks: without a
// turn of the event loop now and then, a fast stream (or a dear grep) would hold acks, approvals
// and health answers until the scan ends. The clock is read every CHECK_BYTES of lines only
// (~250 short lines, 4 capped ones).
const CHECK_BYTES = 64 * 1024;
const SLICE_MS = 5;

/** Task ids are matched on their first characters: Compose's container ids come cut to these. */
export const TASK_KEY_CHARS = 12;

/**
 * Scans log lines once, in arrival order (the engine interleaves tasks; nothing is sorted), with
 * bounded state: a counter per pattern, at most `maxGroups` groups, at most `maxExcerptLines`
 * excerpt lines and `context` lines of look-behind. Each line is redacted first, and only the
 * redacted line is matched, counted, keyed and shown. With `grep` or `level`, a line that does
 * not match is not counted, grouped or shown (only as asked-for context): the counts describe
 * what was asked. Without, the last `recentLines` lines of each task are kept too, for a window
 * with nothing of interest. Stopping at the byte cap ends the iterator
 * early, which lets `readLogSource` close the connection. Gives the event loop a turn after
 * each ~5 ms of scanning.
 */
export async function buildExcerpt(
  lines: AsyncIterable<ParsedLine | readonly ParsedLine[]>,
  options: ExcerptOptions,
): Promise<LogExcerpt> {
  const scan = createScan(options);
  let sliceStart = performance.now();
  let sinceCheck = 0;
  // Lines come one by one or a chunk's at a time (`readLogBatches`), scanned alike.
  for await (const item of lines) {
    const batch: readonly ParsedLine[] = isBatch(item) ? item : [item];
    for (const line of batch) {
      sinceCheck += line.bytes;
      if (sinceCheck >= CHECK_BYTES) {
        sinceCheck = 0;
        if (performance.now() - sliceStart >= SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
      if (options.maxBytes !== undefined && scan.bytesScanned + line.bytes > options.maxBytes) {
        return scan.result({
          reason: 'byte-cap',
          bytesScanned: scan.bytesScanned,
          maxBytes: options.maxBytes,
        });
      }
      scan.add(line);
    }
  }
  return scan.result();
}

function isBatch(item: ParsedLine | readonly ParsedLine[]): item is readonly ParsedLine[] {
  return Array.isArray(item);
}

function createScan(options: ExcerptOptions) {
  const settings = { ...DEFAULTS, ...options };
  const filtered = options.grep !== undefined || options.level !== undefined;
  const context = options.context ?? (filtered ? 0 : UNFILTERED_CONTEXT);
  const labelOf = (line: ParsedLine): string | undefined =>
    options.taskLabels === undefined || line.task === undefined
      ? undefined
      : (options.taskLabels.get(line.task.slice(0, TASK_KEY_CHARS)) ??
        line.task.slice(0, TASK_KEY_CHARS));
  const format = (line: ParsedLine): string => {
    const label = labelOf(line);
    const text = formatLogLine(line, settings.maxLineChars);
    return label === undefined ? text : `${label} | ${text}`;
  };
  const recent = createRecentLines(filtered ? 0 : settings.recentLines, settings.maxLineChars * 2);
  const redactLine = createParsedLineRedactor(options.redact ?? createRedactor([]), {
    raw: options.grep !== undefined,
  });
  const match = createLineMatcher(options);
  const patternCounts = options.patterns.map(() => 0);
  const groups = createGroupCounter(settings.maxGroups);
  const writer = createExcerptWriter({
    context,
    maxLines: settings.maxExcerptLines,
    format,
  });
  const totals = { linesScanned: 0, bytesScanned: 0, matchedLines: 0 };
  const times = new TimeRange();

  function add(parsed: ParsedLine): void {
    const line = redactLine(parsed);
    const lineNo = totals.linesScanned++;
    totals.bytesScanned += line.bytes;
    times.add(line.time);
    const { patterns, interesting } = match(line);
    if (filtered && !interesting) {
      if (context > 0) writer.plain(lineNo, line);
      return;
    }
    recent.add(line);
    for (const index of patterns) patternCounts[index] = (patternCounts[index] ?? 0) + 1;
    if (!interesting) {
      writer.plain(lineNo, line);
      return;
    }
    totals.matchedLines++;
    const key = collapseKey(line.message);
    groups.add(key, line, () => ({
      sample: cut(line.message, settings.maxLineChars),
      patterns: patterns.map((index) => options.patterns[index]?.name ?? ''),
    }));
    writer.interesting(lineNo, line, key);
  }

  function result(truncated?: LogExcerpt['truncated']): LogExcerpt {
    return {
      ...totals,
      patternCounts: options.patterns
        .map(({ name }, index) => ({ name, count: patternCounts[index] ?? 0 }))
        .filter(({ count }) => count > 0)
        .sort((a, b) => b.count - a.count),
      groups: groups.groups(),
      otherLines: groups.otherLines,
      excerpt: writer.finish(),
      ...(totals.matchedLines === 0 &&
        recent.size > 0 && { recent: { lines: recent.lines().map(format) } }),
      ...(truncated !== undefined && { truncated }),
      ...(times.first !== undefined && { firstTime: times.first }),
      ...(times.last !== undefined && { lastTime: times.last }),
    };
  }

  return {
    add,
    result,
    get bytesScanned() {
      return totals.bytesScanned;
    },
  };
}
