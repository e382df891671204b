import type { EnvironmentConfig } from '../config/schema.js';
import type { ParsedArgs } from '../core/parse/parse-args.js';
import { err, ok, type Result } from '../core/result.js';
import { parseDuration } from '../lib/duration.js';
import { compileUserPattern } from '../diagnostics/logs/compile-user-pattern.js';
import { LOG_LEVELS, type LogLevel } from '../diagnostics/logs/log-level.js';
import type { TextPattern } from '../diagnostics/logs/text-pattern.js';

export interface LogsOptions {
  readonly since?: Date;
  readonly sinceMs?: number;
  readonly tail?: number;
  readonly grep?: TextPattern;
  readonly level?: LogLevel;
  /** Lines shown around each line of interest, when asked for. */
  readonly context?: number;
}

export const MAX_TAIL = 10_000;
/** More context than this is a dump, not an excerpt. */
export const MAX_CONTEXT = 20;
/**
 * Past a month an excerpt says little the log-retention tooling does not, and it stays far from
 * where `now - since` leaves the range of a Date (`--since 200000000d` once sent `since=NaN`).
 */
export const MAX_SINCE_MS = 30 * 86_400_000;

/**
 * Flags → what to read. With neither `--since` nor `--tail`, the environment's default window
 * (15m); `--tail` alone means the last N lines per task, as `docker service logs --tail` does.
 * Every value a chat user gives is bounded: `--since` up to 30 days, `--tail` up to 10000 lines,
 * `--grep` a linear-time pattern of at most 200 characters, `--context` up to 20 lines.
 */
export function readLogsOptions(
  args: ParsedArgs,
  env: EnvironmentConfig,
  now: Date,
): Result<LogsOptions> {
  const { since, tail, grep, level, context } = args.flags;
  const options: { -readonly [K in keyof LogsOptions]: LogsOptions[K] } = {};
  if (typeof since === 'string') {
    const ms = parseDuration(since, { max: MAX_SINCE_MS });
    if (!ms.ok) return err(`--since: ${ms.error}`);
    options.sinceMs = ms.value;
  } else if (tail === undefined) {
    options.sinceMs = env.logs.defaultSince;
  }
  if (options.sinceMs !== undefined) options.since = new Date(now.getTime() - options.sinceMs);
  if (typeof tail === 'string') {
    const n = /^\d{1,5}$/.test(tail) ? Number(tail) : NaN;
    if (!(n >= 1 && n <= MAX_TAIL))
      return err(`--tail takes a whole number from 1 to ${MAX_TAIL}, not "${tail}"`);
    options.tail = n;
  }
  if (typeof grep === 'string') {
    const pattern = compileUserPattern(grep);
    if (!pattern.ok) return err(`--grep: ${pattern.error}`);
    options.grep = pattern.value;
  }
  if (typeof level === 'string') {
    const wanted = level.toLowerCase();
    const found = LOG_LEVELS.find((l) => l === wanted || (wanted === 'warning' && l === 'warn'));
    if (found === undefined)
      return err(`--level takes one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
    options.level = found;
  }
  if (typeof context === 'string') {
    const n = /^\d{1,2}$/.test(context) ? Number(context) : NaN;
    if (!(n >= 0 && n <= MAX_CONTEXT))
      return err(`--context takes a whole number from 0 to ${MAX_CONTEXT}, not "${context}"`);
    options.context = n;
  }
  return ok(options);
}
