import { DependencyError, isUserError } from '../../core/errors.js';

/**
 * Wraps every method of a Redis-backed port so a connection failure reaches the user as
 * "Redis is not answering" (a DependencyError), never as an internal error: ioredis reports a
 * closed connection with offline queueing off as a plain Error.
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
          const message = error instanceof Error ? error.message : String(error);
          if (
            /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|connect|Reached the max retries|LOADING/i.test(
              message,
            )
          ) {
            throw new DependencyError('redis', `Redis at ${where} is unreachable (${message}).`, {
              cause: error,
            });
          }
          throw error;
        }
      };
    },
  });
}
