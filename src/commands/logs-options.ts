import type { EnvironmentConfig } from '../config/schema.js';
import type { ParsedArgs } from '../core/parse/parse-args.js';
import { err, ok, type Result } from '../core/result.js';
import { parseDuration } from '../lib/duration.js';
import { LOG_LEVELS, type LogLevel } from '../diagnostics/logs/log-level.js';


export interface LogsOptions {
  readonly since?: Date;
  readonly sinceMs?: number;
  readonly tail?: number;
  readonly grep?: RegExp;
  readonly level?: LogLevel;
}

const MAX_TAIL = 10_000;

// A user pattern runs against every line of a possibly huge log: refuse the shapes that
// backtrack exponentially ((a+)+, (a*)*, (.*){n}) rather than hang the bot.
const NESTED_QUANTIFIER = /\([^)]*[+*}][^)]*\)\s*[+*{]/;

/**
 * Flags → what to read. With neither `--since` nor `--tail`, the environment's default window
 * (15m); `--tail` alone means the last N lines per task, as `docker service logs --tail` does.
 */
export function readLogsOptions(args: ParsedArgs, env: EnvironmentConfig, now: Date): Result<LogsOptions> {
  const { since, tail, grep, level } = args.flags;
  const options: { -readonly [K in keyof LogsOptions]: LogsOptions[K] } = {};
  if (typeof since === 'string') {
    const ms = parseDuration(since);
    if (!ms.ok) return err(`--since: ${ms.error}`);
    options.sinceMs = ms.value;
  } else if (tail === undefined) {
    options.sinceMs = env.logs.defaultSince;
  }
  if (options.sinceMs !== undefined) options.since = new Date(now.getTime() - options.sinceMs);
  if (typeof tail === 'string') {
    const n = Number(tail);
    if (!Number.isInteger(n) || n < 1 || n > MAX_TAIL) return err(`--tail takes a whole number from 1 to ${MAX_TAIL}, not "${tail}"`);
    options.tail = n;
  }
  if (typeof grep === 'string') {
    if (grep.length > 200) return err('--grep: keep the pattern under 200 characters');
    if (NESTED_QUANTIFIER.test(grep)) return err('--grep: nested repetition like (a+)+ could take forever on a big log; simplify it');
    try {
      options.grep = new RegExp(grep, 'i');
    } catch {
      return err(`--grep: "${grep}" is not a valid regular expression`);
    }
  }
  if (typeof level === 'string') {
    const wanted = level.toLowerCase();
    const found = LOG_LEVELS.find((l) => l === wanted || (wanted === 'warning' && l === 'warn'));
    if (found === undefined) return err(`--level takes one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
    options.level = found;
  }
  return ok(options);
}
