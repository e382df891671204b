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
 * A platform log stream → parsed lines, one at a time: `readLogBatches` flattened.
 */
export async function* readLogSource(
  source: LogSource,
  options: ReadLogSourceOptions = {},
): AsyncGenerator<ParsedLine> {
  for await (const batch of readLogBatches(source, options)) yield* batch;
}

/**
 * A platform log stream → parsed lines, the lines of each chunk handed over together: the Engine
 * sends a few hundred lines per read, and one hand-over per line (an async generator step, several
 * promise turns) would cost as much as parsing them. Demultiplexed when framed, cut into lines,
 * parsed. Memory stays bounded (one chunk's lines, one partial line per stream). The source is
 * closed however reading ends: at the end of the log, at `maxBytes`, when the consumer stops
 * early (`buildExcerpt` at its own byte cap) or on an error.
 *
 * At `maxBytes` the unfinished lines are handed on too, so a consumer with the same cap sees the
 * line that crosses it and can say the log was cut.
 */
export async function* readLogBatches(
  source: LogSource,
  options: ReadLogSourceOptions = {},
): AsyncGenerator<ParsedLine[]> {
  const demuxer = source.framing === 'multiplexed' ? createFrameDemuxer() : undefined;
  const splitter = createLineSplitter(
    options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
  );
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const parse = (pieces: readonly LogChunk[], batch: ParsedLine[]): number => {
    let bytes = 0;
    for (const piece of pieces) {
      bytes += piece.bytes.length;
      for (const line of splitter.push(piece)) batch.push(parseLogLine(line));
    }
    return bytes;
  };
  let payloadBytes = 0;
  try {
    for await (const bytes of source.chunks) {
      const batch: ParsedLine[] = [];
      payloadBytes += parse(
        demuxer === undefined ? [{ stream: 'stdout', bytes }] : demuxer.push(bytes),
        batch,
      );
      if (batch.length > 0) yield batch;
      if (payloadBytes > maxBytes) break;
    }
    const last: ParsedLine[] = [];
    parse(demuxer?.end() ?? [], last);
    for (const line of splitter.end()) last.push(parseLogLine(line));
    if (last.length > 0) yield last;
  } finally {
    source.close();
  }
}
