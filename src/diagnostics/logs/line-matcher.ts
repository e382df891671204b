import { isAtLeast, type LogLevel } from './log-level.js';
import type { LogPattern } from './log-patterns.js';
import type { ParsedLine } from './log-line.js';
import { createPatternTester } from './pattern-tester.js';
import type { TextPattern } from './text-pattern.js';

export interface LineMatch {
  /** Indexes into the patterns the line matches. */
  readonly patterns: readonly number[];
  readonly interesting: boolean;
}

export interface LineFilters {
  readonly patterns: readonly LogPattern[];
  readonly grep?: TextPattern;
  readonly level?: LogLevel;
}

/**
 * Decides what a line is: which patterns it matches (always, for the counts) and whether it is
 * interesting. With `grep` or `level` the user said what they want: both must hold. Without,
 * interesting means a runbook pattern or a level of error or worse. Lines arrive redacted: `grep`
 * runs on what the application wrote, redacted, so it cannot probe a secret.
 */
export function createLineMatcher(filters: LineFilters): (line: ParsedLine) => LineMatch {
  const testPatterns = createPatternTester(
    filters.patterns.map(({ regex }) => withoutState(regex)),
  );
  const { grep, level } = filters;
  const filtered = grep !== undefined || level !== undefined;

  return (line) => {
    const matched = testPatterns(searchText(line));
    const interesting = filtered
      ? (grep === undefined || grep.test(line.raw)) &&
        (level === undefined || isAtLeast(line.level, level))
      : matched.length > 0 || isAtLeast(line.level, 'error');
    return { patterns: matched, interesting };
  };
}

// A JSON line's level is part of what a reader sees (`ERROR request failed`), so the ERROR
// pattern finds pino's `{"level":50,…}` as it finds a text line's leading `ERROR`.
function searchText(line: ParsedLine): string {
  return line.format === 'json' && line.level !== undefined
    ? `${line.level.toUpperCase()} ${line.message}`
    : line.message;
}

// `g` and `y` make `test` resume where the last match ended, so one line would skew the next.
function withoutState(regex: RegExp): RegExp {
  return regex.global || regex.sticky
    ? new RegExp(regex.source, regex.flags.replace(/[gy]/g, ''))
    : regex;
}
