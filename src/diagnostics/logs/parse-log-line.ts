import { toLogLevel, type LogLevel } from './log-level.js';
import type { LogLine, ParsedLine } from './log-line.js';
import { readJsonLine } from './read-json-line.js';
import { createDockerPrefixReader } from './docker-prefixes.js';

const readDockerPrefixes = createDockerPrefixReader();

// A level word at the start, after at most two tokens holding digits (the app's own date and time)
// and some punctuation: `ERROR …`, `[warn] …`, `2026-11-22 10:10:52,070 INFO …`.
const LEADING_LEVEL =
  /^[^\w\s]{0,3}(?:\S*\d\S*\s+){0,2}[^\w\s]{0,2}(trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|panic|severe)\b/i;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=["']?(\w+)/i;
// `TypeError: …`, `Uncaught Exception …`: the first line of a stack trace.
const ERROR_START = /^(?:Uncaught\s+)?[A-Z]?\w*(?:Error|Exception)\b/;

/**
 * One log line → time (Docker's prefix), level and message. JSON lines are read as pino, bunyan
 * and most structured loggers write them; other lines get a level from a leading level word or
 * a logfmt `level=`.
 */
export function parseLogLine(line: LogLine): ParsedLine {
  const { time, body, task } = readDockerPrefixes(line.text);
  const json = readJsonLine(body);
  // Assigned, not spread: object spread costs microseconds per line in V8, and this runs per line.
  const parsed: Mutable<ParsedLine> = {
    stream: line.stream,
    message: json?.message ?? body,
    raw: body,
    format: json === undefined ? 'text' : 'json',
    bytes: line.bytes,
  };
  const when = time ?? json?.time;
  if (when !== undefined) parsed.time = when;
  const level = json === undefined ? guessLevel(body) : json.level;
  if (level !== undefined) parsed.level = level;
  if (line.dropped !== undefined) parsed.dropped = line.dropped;
  if (task !== undefined) parsed.task = task;
  return parsed;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function guessLevel(body: string): LogLevel | undefined {
  const word = LEADING_LEVEL.exec(body)?.[1] ?? LOGFMT_LEVEL.exec(body)?.[1];
  if (word !== undefined) return toLogLevel(word);
  return ERROR_START.test(body) ? 'error' : undefined;
}
