import type { LogChunk, LogLine, LogStream } from './log-line.js';

/** Longer lines keep their first 16 KiB; Docker's own log drivers split at the same size. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** Incremental line cutter: feed it payload chunks, get whole lines back. */
export interface LineSplitter {
  push(chunk: LogChunk): LogLine[];
  /** Call once the input ends: the last lines without a line break. */
  end(): LogLine[];
}

interface Partial {
  parts: Buffer[];
  kept: number;
  total: number;
  /** The cap was reached: later bytes are counted, not kept. */
  full: boolean;
}

/**
 * Cuts bytes into lines at `\n` (dropping a `\r` before it), one partial line per stream since
 * stdout and stderr frames interleave. A line longer than `maxLineBytes` keeps its start and
 * says in `dropped` how many bytes were not kept; the rest is counted, never held.
 */
export function createLineSplitter(options: { maxLineBytes?: number } = {}): LineSplitter {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const partials: Record<LogStream, Partial> = { stdout: empty(), stderr: empty() };

  function push({ stream, bytes }: LogChunk): LogLine[] {
    // A Buffer already (the HTTP response's chunks and the views cut from them) is used as it is.
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const partial = partials[stream];
    const lines: LogLine[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(LF); newline !== -1; newline = buffer.indexOf(LF, start)) {
      lines.push(
        partial.total === 0
          ? wholeLine(stream, buffer, start, newline, max)
          : finishPartial(stream, partial, buffer.subarray(start, newline), max),
      );
      start = newline + 1;
    }
    if (start < buffer.length) keep(partial, buffer.subarray(start), max);
    return lines;
  }

  function end(): LogLine[] {
    const lines: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const partial = partials[stream];
      if (partial.total > 0) lines.push(toLine(stream, partial));
      partials[stream] = empty();
    }
    return lines;
  }

  return { push, end };
}

// The common case: the whole line sits in one chunk, decoded straight from it.
function wholeLine(
  stream: LogStream,
  buffer: Buffer,
  start: number,
  newline: number,
  max: number,
): LogLine {
  const end = newline > start && buffer[newline - 1] === CR ? newline - 1 : newline;
  const cut = end - start > max ? charBoundary(buffer, start + max, start) : end;
  return withDropped(
    { stream, text: buffer.toString('utf8', start, cut), bytes: newline - start + 1 },
    end - cut,
  );
}

function finishPartial(stream: LogStream, partial: Partial, tail: Buffer, max: number): LogLine {
  const bytes = partial.total + tail.length + 1;
  const crInTail = tail.length > 0 && tail[tail.length - 1] === CR;
  keep(partial, crInTail ? tail.subarray(0, -1) : tail, max);
  const joined = Buffer.concat(partial.parts);
  // The `\r` of a `\r\n` split across chunks ends the previous piece.
  const crHeld =
    !crInTail &&
    tail.length === 0 &&
    partial.kept === partial.total &&
    joined[joined.length - 1] === CR;
  const text = joined.toString('utf8', 0, crHeld ? joined.length - 1 : joined.length);
  const line = withDropped({ stream, text, bytes }, partial.total - partial.kept);
  reset(partial);
  return line;
}

function toLine(stream: LogStream, partial: Partial): LogLine {
  const text = Buffer.concat(partial.parts).toString('utf8');
  return withDropped({ stream, text, bytes: partial.total }, partial.total - partial.kept);
}

function keep(partial: Partial, bytes: Buffer, max: number): void {
  partial.total += bytes.length;
  if (partial.full || bytes.length === 0) return;
  const room = max - partial.kept;
  const take = bytes.length > room ? charBoundary(bytes, room, 0) : bytes.length;
  partial.full = bytes.length > room;
  // A copy: the source may reuse its chunk, and a view would pin the whole chunk in memory.
  partial.parts.push(Buffer.from(bytes.subarray(0, take)));
  partial.kept += take;
}

function reset(partial: Partial): void {
  partial.parts = [];
  partial.kept = 0;
  partial.total = 0;
  partial.full = false;
}

// Moves a cut back to the start of the character it falls in: UTF-8 continuation bytes are 10xxxxxx.
function charBoundary(bytes: Uint8Array, cut: number, floor: number): number {
  let at = cut;
  while (at > floor && ((bytes[at] ?? 0) & 0xc0) === 0x80) at--;
  return at;
}

function withDropped(line: LogLine, dropped: number): LogLine {
  return dropped === 0 ? line : { ...line, dropped };
}

function empty(): Partial {
  return { parts: [], kept: 0, total: 0, full: false };
}
