import pino from 'pino';
import type { Logger } from '../core/ports/logger.js';

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

/**
 * A pino logger writing to `destination`: secrets redacted by key path and, in every string of
 * every record, by `redact`. No pretty printing here, so the process's last-resort logger (on
 * every path, `check` included) does not load the pretty printer.
 */
export function pinoLogger(
  level: string,
  redact: (text: string) => string,
  destination: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { app: 'tas-chatops' },
      redact: {
        // By path, for secrets whose values the redactor was never told (a header from a library).
        paths: REDACTED_PATHS,
        censor: '[REDACTED]',
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => redactDeep(arg, redact)) as Parameters<typeof method>;
          method.apply(this, redacted);
        },
      },
    },
    destination,
  );
}
