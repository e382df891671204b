import { DependencyError, isUserError } from '../../core/errors.js';

/** Node's errno codes for a connection that failed or broke (on `error.code`, with `syscall`). */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * The messages of the plain `Error`s ioredis 5 rejects commands with when it has no connection:
 * they carry no class, code or property of their own (lib/Redis.ts `sendCommand`, the
 * `CONNECTION_CLOSED_ERROR_MSG` of lib/utils; lib/Command.ts for `commandTimeout`), so they are
 * compared whole, never searched for a word.
 */
const IOREDIS_OFFLINE_MESSAGES: ReadonlySet<string> = new Set([
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
]);

/** Redis error replies (their first word is the code) that mean "not serving yet", not "wrong". */
const UNAVAILABLE_REPLIES: ReadonlySet<string> = new Set(['LOADING', 'MASTERDOWN', 'TRYAGAIN']);

/**
 * Whether an error thrown by ioredis means Redis is out of reach (rather than a bug or a refused
 * command): by class name (`MaxRetriesPerRequestError`), errno code, reply code, or one of
 * ioredis's own connection-less messages.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (error.name === 'ReplyError')
    return UNAVAILABLE_REPLIES.has(error.message.split(' ')[0] ?? '');
  return (
    Object.getPrototypeOf(error) === Error.prototype && IOREDIS_OFFLINE_MESSAGES.has(error.message)
  );
}

/**
 * What the user reads: a failover (primary lost, a replica promoted within seconds) looks the
 * same as an outage from here, and retrying in a few seconds is right for both.
 */
function unreachable(where: string, why: string): string {
  return `Redis at ${where} is unreachable (${why}). If it is failing over, try again in a few seconds.`;
}

/**
 * Wraps every method of a Redis-backed port so a connection failure reaches the user as
 * "Redis is not answering" (a DependencyError), never as an internal error.
 */
export function guardRedis<T extends object>(port: T, where: string): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          if (error instanceof DependencyError || isUserError(error)) throw error;
          if (!isRedisUnavailable(error)) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new DependencyError('redis', unreachable(where, message), { cause: error });
        }
      };
    },
  });
}
