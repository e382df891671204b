import pino from 'pino';
import type { Logger } from '../core/ports/logger.js';

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines (console use); JSON otherwise. */
  readonly pretty: boolean;
  /** File descriptor to write to: 1 for services, 2 when stdout carries command output. */
  readonly fd: 1 | 2;
  /** Applied to every string of every log line, so a secret in an error message never lands in a log. */
  readonly redact: (text: string) => string;
}

function redactDeep(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: redact(value.message),
      stack: redact(value.stack ?? ''),
      ...(code !== undefined && { code }),
      ...(value.cause !== undefined && { cause: redactDeep(value.cause, redact, depth + 1) }),
    };
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

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.pretty
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
