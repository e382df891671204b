import { RingBuffer } from '../../lib/ring-buffer.js';
import type { ParsedLine } from './log-line.js';

// Past this many tasks (a long history of restarts), further tasks share one buffer: memory stays
// bounded by `perTask` times this.
const MAX_TASKS = 20;

export interface RecentLines {
  add(line: ParsedLine): void;
  readonly size: number;
  /** Every task's last lines, ordered by time when every line has one, oldest first. */
  lines(): ParsedLine[];
}

/**
 * The last `perTask` lines of each task. The Engine may send one task's log after another's, so
 * one buffer for all would keep the last task only; `docker service logs --tail N` also means N
 * per task. A line is kept with its first `keepChars` characters only (twice what is shown, so
 * the cut still shows): a quiet log of 16 KiB lines must not hold megabytes.
 */
export function createRecentLines(perTask: number, keepChars: number): RecentLines {
  const buffers = new Map<string, RingBuffer<ParsedLine>>();
  let size = 0;
  return {
    add(line) {
      if (perTask <= 0) return;
      let key = line.task ?? '';
      if (!buffers.has(key) && buffers.size >= MAX_TASKS) key = '';
      let buffer = buffers.get(key);
      if (buffer === undefined) {
        buffer = new RingBuffer<ParsedLine>(perTask);
        buffers.set(key, buffer);
      }
      if (buffer.size === buffer.capacity) size--;
      buffer.push(line.message.length > keepChars ? shortened(line, keepChars) : line);
      size++;
    },
    get size() {
      return size;
    },
    lines() {
      const all = [...buffers.values()].flatMap((buffer) => buffer.drain());
      size = 0;
      if (all.some((line) => line.time === undefined)) return all;
      // Stable: lines of one instant keep the order they arrived in.
      return all.sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0));
    },
  };
}

function shortened(line: ParsedLine, keepChars: number): ParsedLine {
  const message = line.message.slice(0, keepChars);
  return { ...line, message, raw: message };
}
