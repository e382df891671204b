import { isAtLeast, type LogLevel } from './log-level.js';
import type { ExcerptGroup } from './log-excerpt.js';
import type { ParsedLine } from './log-line.js';
import { TimeRange } from './time-range.js';

interface Group {
  readonly key: string;
  readonly sample: string;
  readonly patterns: readonly string[];
  readonly seen: TimeRange;
  count: number;
  level?: LogLevel;
}

export interface GroupCounter {
  /** Counts `line` under `key`; `describe` runs once, for a group's first line. */
  add(
    key: string,
    line: ParsedLine,
    describe: () => Pick<ExcerptGroup, 'sample' | 'patterns'>,
  ): void;
  /** Lines that found no room: their group would have been number `maxGroups + 1` or later. */
  readonly otherLines: number;
  /** Most repeated first; groups with equal counts in order of first appearance. */
  groups(): ExcerptGroup[];
}

/**
 * Counts interesting lines per collapse key, keeping at most `maxGroups` groups. The first ones
 * seen keep their place: counts stay exact, where evicting small groups for new ones would make
 * every count a guess.
 */
export function createGroupCounter(maxGroups: number): GroupCounter {
  const groups = new Map<string, Group>();
  let otherLines = 0;

  return {
    add(key, line, describe) {
      let group = groups.get(key);
      if (group === undefined) {
        if (groups.size >= maxGroups) {
          otherLines++;
          return;
        }
        group = { key, ...describe(), seen: new TimeRange(), count: 0 };
        groups.set(key, group);
      }
      group.count++;
      group.seen.add(line.time);
      const { level } = line;
      if (level !== undefined && (group.level === undefined || isAtLeast(level, group.level)))
        group.level = level;
    },
    get otherLines() {
      return otherLines;
    },
    groups() {
      return [...groups.values()].sort((a, b) => b.count - a.count).map(toExcerptGroup);
    },
  };
}

function toExcerptGroup({ key, sample, count, level, patterns, seen }: Group): ExcerptGroup {
  return {
    key,
    sample,
    count,
    ...(seen.first !== undefined && { firstSeen: seen.first }),
    ...(seen.last !== undefined && { lastSeen: seen.last }),
    ...(level !== undefined && { level }),
    patterns,
  };
}
