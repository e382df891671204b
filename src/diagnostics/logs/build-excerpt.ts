import { createRedactor } from '../../lib/redact.js';
import { createCollapseKey } from './collapse-key.js';
import { createExcerptWriter } from './excerpt-writer.js';
import { cut, formatLogLine } from './format-log-line.js';
import { createGroupCounter } from './group-counter.js';
import type { ExcerptOptions, LogExcerpt } from './log-excerpt.js';
import { createLineMatcher } from './line-matcher.js';
import type { ParsedLine } from './log-line.js';
import { TimeRange } from './time-range.js';

const DEFAULTS = { context: 2, maxGroups: 200, maxExcerptLines: 150, maxLineChars: 500 } as const;

/**
 * Scans log lines once, in arrival order (the engine interleaves tasks; nothing is sorted), with
 * bounded state: a counter per pattern, at most `maxGroups` groups, at most `maxExcerptLines`
 * excerpt lines and `context` lines of look-behind. Stopping at the byte cap ends the iterator
 * early, which lets `readLogSource` close the connection.
 */
export async function buildExcerpt(
  lines: AsyncIterable<ParsedLine>,
  options: ExcerptOptions,
): Promise<LogExcerpt> {
  const scan = createScan(options);
  for await (const line of lines) {
    if (options.maxBytes !== undefined && scan.bytesScanned + line.bytes > options.maxBytes) {
      return scan.result({
        reason: 'byte-cap',
        bytesScanned: scan.bytesScanned,
        maxBytes: options.maxBytes,
      });
    }
    scan.add(line);
  }
  return scan.result();
}

function createScan(options: ExcerptOptions) {
  const settings = { ...DEFAULTS, ...options };
  const redact = options.redact ?? createRedactor([]);
  const match = createLineMatcher(options);
  const collapseKey = createCollapseKey(redact);
  const patternCounts = options.patterns.map(() => 0);
  const groups = createGroupCounter(settings.maxGroups);
  const writer = createExcerptWriter({
    context: settings.context,
    maxLines: settings.maxExcerptLines,
    format: (line) => formatLogLine(line, redact, settings.maxLineChars),
  });
  const totals = { linesScanned: 0, bytesScanned: 0, matchedLines: 0 };
  const times = new TimeRange();

  function add(line: ParsedLine): void {
    const lineNo = totals.linesScanned++;
    totals.bytesScanned += line.bytes;
    times.add(line.time);
    const { patterns, interesting } = match(line);
    for (const index of patterns) patternCounts[index] = (patternCounts[index] ?? 0) + 1;
    if (!interesting) {
      writer.plain(lineNo, line);
      return;
    }
    totals.matchedLines++;
    const key = collapseKey(line.message);
    groups.add(key, line, () => ({
      sample: cut(redact(line.message), settings.maxLineChars),
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
