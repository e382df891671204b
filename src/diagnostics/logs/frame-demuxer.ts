import type { LogChunk, LogStream } from './log-line.js';

const HEADER_SIZE = 8;

/** Incremental Docker stream demultiplexer: feed it chunks, get payload pieces back. */
export interface FrameDemuxer {
  push(bytes: Uint8Array): LogChunk[];
  /** Call once the input ends; returns what an unfinished header turned out to be. */
  end(): LogChunk[];
}

/**
 * Reads the Engine's non-TTY framing (`[type, 0, 0, 0, size as big-endian uint32]`, then `size`
 * payload bytes; type 0 stdin and 1 stdout go to stdout, 2 to stderr). Payloads are handed on as
 * they arrive, never gathered, so a frame of any size costs no memory. A header that cannot be one
 * means TTY output: from there on every byte passes through raw as stdout, as docker-modem's
 * `demuxStream` does.
 */
export function createFrameDemuxer(): FrameDemuxer {
  const header = new Uint8Array(HEADER_SIZE);
  const size = new DataView(header.buffer);
  let headerFill = 0;
  let remaining = 0;
  let stream: LogStream = 'stdout';
  let raw = false;

  function push(bytes: Uint8Array): LogChunk[] {
    if (raw) return bytes.length > 0 ? [{ stream: 'stdout', bytes }] : [];
    const out: LogChunk[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, bytes.length - at);
        out.push({ stream, bytes: bytes.subarray(at, at + take) });
        at += take;
        remaining -= take;
        continue;
      }
      const take = Math.min(HEADER_SIZE - headerFill, bytes.length - at);
      header.set(bytes.subarray(at, at + take), headerFill);
      headerFill += take;
      at += take;
      if (headerFill < HEADER_SIZE) break;
      if (!isHeader(header, HEADER_SIZE)) return [...out, ...fallBackToRaw(bytes.subarray(at))];
      stream = header[0] === 2 ? 'stderr' : 'stdout';
      remaining = size.getUint32(4);
      headerFill = 0;
    }
    return out;
  }

  function fallBackToRaw(rest: Uint8Array): LogChunk[] {
    raw = true;
    const held = header.slice(0, headerFill);
    headerFill = 0;
    return [held, rest]
      .filter((bytes) => bytes.length > 0)
      .map((bytes) => ({ stream: 'stdout', bytes }));
  }

  function end(): LogChunk[] {
    // A short tail that already breaks the header rules is TTY text (`ok\n`); one that fits them
    // is a frame cut off by the end of the stream, and is dropped.
    if (raw || headerFill === 0 || isHeader(header, headerFill)) return [];
    return fallBackToRaw(new Uint8Array(0));
  }

  return { push, end };
}

function isHeader(header: Uint8Array, filled: number): boolean {
  const type = header[0] ?? 0;
  if (type > 2) return false;
  for (let index = 1; index < Math.min(filled, 4); index++) {
    if (header[index] !== 0) return false;
  }
  return true;
}
