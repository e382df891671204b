import { createLineSplitter } from './line-splitter.js';
import type { LogChunk, LogLine } from './log-line.js';

/**
 * Payload chunks → lines, one partial line per stream carried across chunks; lines longer than
 * `maxLineBytes` (16 KiB by default) keep their start and say how much was dropped.
 */
export async function* splitLines(
  chunks: AsyncIterable<LogChunk>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<LogLine> {
  const splitter = createLineSplitter(options);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
