import { createFrameDemuxer } from './frame-demuxer.js';
import type { LogChunk } from './log-line.js';

/**
 * Docker multiplexed log bytes → payload chunks tagged with their stream. Headers split across
 * chunk boundaries are reassembled; TTY output (no valid header) passes through raw as stdout.
 */
export async function* demuxFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<LogChunk> {
  const demuxer = createFrameDemuxer();
  for await (const chunk of chunks) yield* demuxer.push(chunk);
  yield* demuxer.end();
}
