/** Levels in rising severity; pino and bunyan number them 10 to 60. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

// Names seen in the wild: pino/bunyan, log4j/logback, Python, Go (logrus, zap), syslog, GCP severity.
const NAMED: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  verbose: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  default: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  severe: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
};

/** `50`, `"ERROR"`, `"warning"` → a level; anything else → undefined. */
export function toLogLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string') return undefined;
  return (
    NAMED[value.toLowerCase()] ?? (/^\d+$/.test(value) ? fromNumber(Number(value)) : undefined)
  );
}

// pino/bunyan steps of ten; values in between round up to the next level.
function fromNumber(value: number): LogLevel | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const index = Math.min(Math.ceil(value / 10), LOG_LEVELS.length) - 1;
  return LOG_LEVELS[index];
}

/** Whether `level` is `minimum` or more severe; a line without a level never is. */
export function isAtLeast(level: LogLevel | undefined, minimum: LogLevel): boolean {
  return level !== undefined && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(minimum);
}
