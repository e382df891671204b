import type { LogSource } from '../../core/ports/container-platform.js';
import { createFrameDemuxer } from './frame-demuxer.js';
import { createLineSplitter } from './line-splitter.js';
import type { LogChunk } from './log-line.js';
import type { ParsedLine } from './log-line.js';
import { parseLogLine } from './parse-log-line.js';

export interface ReadLogSourceOptions {
  /** Stop reading after the chunk that takes the payload past this many bytes. */
  readonly maxBytes?: number;
  /** Longer lines keep their first bytes only (16 KiB by default). */
  readonly maxLineBytes?: number;
}

/**
 * A platform log stream → parsed lines: demultiplexed when framed, cut into lines, parsed. Memory
 * stays bounded (one partial line per stream). The source is closed however reading ends: at the
 * end of the log, at `maxBytes`, when the consumer stops early (`buildExcerpt` at its own byte
 * cap) or on an error.
 *
 * At `maxBytes` the unfinished lines are handed on too, so a consumer with the same cap sees the
 * line that crosses it and can say the log was cut.
 */
export async function* readLogSource(
  source: LogSource,
  options: ReadLogSourceOptions = {},
): AsyncGenerator<ParsedLine> {
  const demuxer = source.framing === 'multiplexed' ? createFrameDemuxer() : undefined;
  const splitter = createLineSplitter(
    options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
  );
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let payloadBytes = 0;
  try {
    for await (const bytes of source.chunks) {
      const pieces: LogChunk[] =
        demuxer === undefined ? [{ stream: 'stdout', bytes }] : demuxer.push(bytes);
      for (const piece of pieces) {
        payloadBytes += piece.bytes.length;
        for (const line of splitter.push(piece)) yield parseLogLine(line);
      }
      if (payloadBytes > maxBytes) break;
    }
    for (const piece of demuxer?.end() ?? []) {
      for (const line of splitter.push(piece)) yield parseLogLine(line);
    }
    for (const line of splitter.end()) yield parseLogLine(line);
  } finally {
    source.close();
  }
}
