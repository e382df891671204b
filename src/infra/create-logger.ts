import pino from 'pino';
import type { Logger } from '../core/ports/logger.js';
import { briefLogLine } from './brief-log-line.js';

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines (console use); JSON otherwise. */
  readonly pretty: boolean;
  /** File descriptor to write to: 1 for services, 2 when stdout carries command output. */
  readonly fd: 1 | 2;
  /** Applied to every string of every log line, so a secret in an error message never lands in a log. */
  readonly redact: (text: string) => string;
  /**
   * The interactive console: every record at `level` goes to this file as JSON, and only
   * warnings and errors reach `fd`, one brief line each, so the conversation stays readable.
   */
  readonly file?: string;
}

function redactDeep(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    // The copy keeps the error's prototype: pino's err serializer names the type after the
    // constructor (`TypeError`), where a plain object would read `Object`.
    return Object.assign(Object.create(Object.getPrototypeOf(value) as object) as object, {
      message: redact(value.message),
      stack: redact(value.stack ?? ''),
      ...(code !== undefined && { code }),
      ...(value.cause !== undefined && { cause: redactDeep(value.cause, redact, depth + 1) }),
    });
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact, depth + 1)]),
  );
}

const SECRET_KEYS = [
  'token',
  'password',
  'authorization',
  'secret',
  'botToken',
  'appToken',
  'signingSecret',
  'cookie',
];
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** The file gets everything `level` lets through; the terminal no less severe than a warning. */
function fileAndTerminal(file: string, level: string, fd: 1 | 2): pino.MultiStreamRes {
  // Synchronous: few records, and a record in the file before the answer it explains.
  const fileStream = pino.destination({ dest: file, mkdir: true, append: true, sync: true });
  const terminal = pino.destination({ fd, sync: true });
  const severity = (name: string) => pino.levels.values[name] ?? Number.POSITIVE_INFINITY;
  // LOG_LEVEL=error (or silent) quiets the terminal too; LOG_LEVEL=debug fills only the file.
  const terminalLevel = severity(level) > severity('warn') ? level : 'warn';
  return pino.multistream([
    { level: level as pino.Level, stream: fileStream },
    {
      level: terminalLevel as pino.Level,
      stream: { write: (record: string) => terminal.write(briefLogLine(record)) },
    },
  ]);
}

export function createLogger(options: LoggerOptions): Logger {
  const destination =
    options.file !== undefined
      ? fileAndTerminal(options.file, options.level, options.fd)
      : options.pretty
        ? pino.transport({
            target: 'pino-pretty',
            options: { destination: options.fd, colorize: false },
          })
        : pino.destination({ fd: options.fd, sync: false });
  return pino(
    {
      level: options.level,
      base: { app: 'tas-chatops' },
      redact: {
        // By path, for secrets whose values the redactor was never told (a header from a library).
        paths: REDACTED_PATHS,
        censor: '[REDACTED]',
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => redactDeep(arg, options.redact)) as Parameters<
            typeof method
          >;
          method.apply(this, redacted);
        },
      },
    },
    destination,
  );
}
