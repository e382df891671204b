import type { LogLevel } from './log-level.js';

/** Which output of the container wrote the bytes (Docker's stdin frames count as stdout). */
export type LogStream = 'stdout' | 'stderr';

/** Payload bytes of one stream, in arrival order; not aligned to lines. */
export interface LogChunk {
  readonly stream: LogStream;
  readonly bytes: Uint8Array;
}

/** One line as cut from the byte stream, before any parsing. */
export interface LogLine {
  readonly stream: LogStream;
  /** Without the line break; at most the line cap (a whole character less, at worst). */
  readonly text: string;
  /** Bytes the line took in the stream, line break and dropped rest included. */
  readonly bytes: number;
  /**
   * Set when the line was longer than the cap: the bytes past `text`. No marker is added here,
   * since the text is redacted first (`createParsedLineRedactor` adds it).
   */
  readonly dropped?: number;
}

/** A line after the Docker prefixes are taken off and the application's format is read. */
export interface ParsedLine {
  /** From Docker's `timestamps=1` prefix. */
  readonly time?: Date;
  readonly stream: LogStream;
  readonly level?: LogLevel;
  /** The human part: `msg` of a JSON line (with its error's message), or the whole text line. */
  readonly message: string;
  /** What the application wrote: the line without Docker's timestamp and `details=1` prefixes. */
  readonly raw: string;
  readonly format: 'json' | 'text';
  /** Bytes the line took in the stream, for byte caps. */
  readonly bytes: number;
  /** Set when the line was cut at the line cap: the bytes past `raw`. */
  readonly dropped?: number;
  /** The task (Swarm) or container (Compose) that wrote the line, by id, when the platform says. */
  readonly task?: string;
}
