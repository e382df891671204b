import type { Redactor } from '../../lib/redact.js';
import type { LogLevel } from './log-level.js';
import type { LogPattern } from './log-patterns.js';
import type { TextPattern } from './text-pattern.js';

/** Repeats of one interesting line, told apart only by volatile parts (numbers, ids, times). */
export interface ExcerptGroup {
  /** The redacted, normalised text the repeats share (`connect ECONNREFUSED <ip>`). */
  readonly key: string;
  /** The first line's message, redacted. */
  readonly sample: string;
  readonly count: number;
  readonly firstSeen?: Date;
  readonly lastSeen?: Date;
  /** The most severe level among the repeats. */
  readonly level?: LogLevel;
  /** Names of the patterns the sample matches. */
  readonly patterns: readonly string[];
}

export interface LogExcerpt {
  readonly linesScanned: number;
  readonly bytesScanned: number;
  /** Interesting lines: matching grep/level when given, else a pattern or level ≥ error. */
  readonly matchedLines: number;
  /** Lines per pattern over every scanned line, most first; patterns never seen are left out. */
  readonly patternCounts: readonly { readonly name: string; readonly count: number }[];
  /** Most repeated first. */
  readonly groups: readonly ExcerptGroup[];
  /** Interesting lines whose group arrived after `maxGroups` others: counted, not grouped. */
  readonly otherLines: number;
  readonly excerpt: {
    /** Interesting lines with their context; `…` marks skipped lines, ` … ×N` a collapsed repeat. */
    readonly lines: readonly string[];
    /** Interesting lines of new groups left out because the excerpt was full. */
    readonly omittedLines: number;
  };
  /**
   * With no filter and no line of interest: the last lines of each task, by time, oldest first,
   * so a quiet log still shows what it says.
   */
  readonly recent?: { readonly lines: readonly string[] };
  /** Set when the scan stopped before the end of the log. */
  readonly truncated?: {
    readonly reason: 'byte-cap';
    readonly bytesScanned: number;
    readonly maxBytes: number;
  };
  /** Earliest and latest line times; the engine interleaves tasks, so lines are not in order. */
  readonly firstTime?: Date;
  readonly lastTime?: Date;
}

export interface ExcerptOptions {
  readonly patterns: readonly LogPattern[];
  /** Only lines whose text (what the application wrote, redacted) matches. */
  readonly grep?: TextPattern;
  /** Only lines at this level or more severe. */
  readonly level?: LogLevel;
  /** Lines shown before and after each interesting line; 2 by default, 0 with `grep` or `level`. */
  readonly context?: number;
  /** Stop before the line that would take the scan past this many bytes. */
  readonly maxBytes?: number;
  /** Without a filter: lines kept from the end of each task's log, shown when none is of interest. */
  readonly recentLines?: number;
  /**
   * Labels of the tasks (`backend.1`) by the first 12 characters of their id; given, each line
   * shown starts with its task's label (its id when the task is not listed).
   */
  readonly taskLabels?: ReadonlyMap<string, string>;
  /** Distinct groups kept; 200 by default. */
  readonly maxGroups?: number;
  /** Lines in the excerpt, gap markers included; 150 by default. */
  readonly maxExcerptLines?: number;
  /** Characters per excerpt line and sample; 500 by default. */
  readonly maxLineChars?: number;
  /**
   * Applied to every line before anything looks at it; the built-in credential patterns by
   * default. Give the deployment's redactor (configured secrets too) wherever a user can grep.
   */
  readonly redact?: Redactor;
}
