import { RingBuffer } from '../../lib/ring-buffer.js';
import type { ParsedLine } from './log-line.js';

/** Stands for lines left out between two shown ones. */
export const GAP = '…';

interface Numbered {
  readonly lineNo: number;
  readonly line: ParsedLine;
}

interface Entry {
  readonly text: string;
  /** On the first line of a group: how many times the group came up from there on. */
  readonly repeats?: { count: number };
}

// Context never takes the last lines of the excerpt: they stay free for a gap marker and one more
// interesting line, which matters more than any context.
const RESERVE = 2;

export interface ExcerptWriterOptions {
  readonly context: number;
  readonly maxLines: number;
  readonly format: (line: ParsedLine) => string;
}

export interface ExcerptWriter {
  /** A line that is not interesting: shown as context after one, or kept as context before. */
  plain(lineNo: number, line: ParsedLine): void;
  /** An interesting line and the collapse key of its group. */
  interesting(lineNo: number, line: ParsedLine, key: string): void;
  finish(): { lines: string[]; omittedLines: number };
}

/**
 * Lays the excerpt out while lines stream past: a ring buffer holds the last `context` plain lines
 * for the next interesting one, a countdown shows the lines after it. Each group is shown once, at
 * its first line, which ends in ` … ×N` when the group came up N times: 212 identical connection
 * errors take one line and leave room for everything else. Memory is bounded by `maxLines` and
 * `context`, whatever the size of the log.
 */
export function createExcerptWriter({
  context,
  maxLines,
  format,
}: ExcerptWriterOptions): ExcerptWriter {
  const before = new RingBuffer<Numbered>(context);
  const shown = new Map<string, { count: number }>();
  const entries: Entry[] = [];
  let lastShown = -1;
  let afterLeft = 0;
  let omitted = 0;

  const gapBefore = (lineNo: number): boolean => lastShown >= 0 && lineNo > lastShown + 1;

  function show({ lineNo, line }: Numbered, repeats?: { count: number }): void {
    if (gapBefore(lineNo)) entries.push({ text: GAP });
    entries.push(repeats === undefined ? { text: format(line) } : { text: format(line), repeats });
    lastShown = lineNo;
  }

  // Entries that showing `items` would add, gap markers included.
  function cost(items: readonly Numbered[]): number {
    let previous = lastShown;
    let total = 0;
    for (const { lineNo } of items) {
      total += previous >= 0 && lineNo > previous + 1 ? 2 : 1;
      previous = lineNo;
    }
    return total;
  }

  return {
    plain(lineNo, line) {
      const item = { lineNo, line };
      if (afterLeft > 0 && cost([item]) <= maxLines - entries.length - RESERVE) {
        afterLeft--;
        show(item);
        return;
      }
      afterLeft = 0;
      if (entries.length < maxLines) before.push(item);
    },

    interesting(lineNo, line, key) {
      const repeats = shown.get(key);
      if (repeats !== undefined) {
        repeats.count++;
        return;
      }
      const own = { lineNo, line };
      const free = maxLines - entries.length;
      if (cost([own]) > free) {
        omitted++;
        return;
      }
      // The line matters more than its context: drop context from the oldest end until the
      // context and the line fit with the reserve still free.
      const candidates = before.drain();
      let start = 0;
      while (start < candidates.length && cost([...candidates.slice(start), own]) > free - RESERVE)
        start++;
      for (const item of candidates.slice(start)) show(item);
      const count = { count: 1 };
      shown.set(key, count);
      show(own, count);
      afterLeft = context;
    },

    finish() {
      const lines = entries.map(({ text, repeats }) =>
        repeats !== undefined && repeats.count > 1 ? `${text} … ×${repeats.count}` : text,
      );
      return { lines, omittedLines: omitted };
    },
  };
}
