import { toLogLevel, type LogLevel } from './log-level.js';

export interface JsonLine {
  readonly level?: LogLevel;
  readonly message: string;
  readonly time?: Date;
}

type Fields = Record<string, unknown>;

/**
 * A structured log line (pino, bunyan, winston, logback's JSON encoder, zap, ECS, GCP) → its
 * level, message and own time; undefined when the line is not a JSON object.
 */
export function readJsonLine(body: string): JsonLine | undefined {
  const fields = parseObject(body);
  if (fields === undefined) return undefined;
  const line: { message: string; level?: LogLevel; time?: Date } = {
    message: messageOf(fields) ?? body,
  };
  const level = toLogLevel(
    fields.level ??
      fields.severity ??
      fields.lvl ??
      fields.levelname ??
      fields.loglevel ??
      fields['log.level'],
  );
  if (level !== undefined) line.level = level;
  const time = toDate(fields.time ?? fields.timestamp ?? fields['@timestamp'] ?? fields.ts);
  if (time !== undefined) line.time = time;
  return line;
}

function parseObject(body: string): Fields | undefined {
  // Cheap checks first: most lines of a text log never reach JSON.parse.
  if (!body.startsWith('{') || !body.trimEnd().endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Fields)
      : undefined;
  } catch {
    return undefined;
  }
}

// pino logs `{ msg: 'query failed', err: { message: 'connect ECONNREFUSED …' } }`: the error's
// message is what repeats, so it joins the message instead of being lost.
function messageOf(fields: Fields): string | undefined {
  const message = text(fields.msg) ?? text(fields.message) ?? text(fields['@m']);
  const error = errorMessage(fields.err) ?? errorMessage(fields.error);
  if (message === undefined) return error;
  return error !== undefined && !message.includes(error) ? `${message}: ${error}` : message;
}

function errorMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return undefined;
  return text((value as Fields).message);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  // Epoch seconds (zap, bunyan-likes) or milliseconds (pino).
  const date =
    typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
