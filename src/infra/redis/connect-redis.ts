import { Redis } from 'ioredis';
import { DependencyError } from '../../core/errors.js';

/** ioredis options from a redis:// or rediss:// URL, for BullMQ to build its own connections. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
}

export function redisOptions(url: string): RedisTarget {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(parsed.pathname.length > 1 && { db: Number(parsed.pathname.slice(1)) }),
    ...(parsed.protocol === 'rediss:' && { tls: {} }),
  };
}

/**
 * A producer connection: fails fast while Redis is down (no offline queue, one retry per
 * request) so a command gets "Redis is not answering" at once instead of hanging; it keeps
 * reconnecting in the background.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined); // reported through the commands that fail, not as crashes
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const where = `${redisOptions(url).host}:${redisOptions(url).port}`;
    throw new DependencyError(
      'redis',
      `Redis at ${where} is unreachable (${error instanceof Error ? error.message : String(error)}). Check REDIS_URL.`,
      { cause: error },
    );
  }
  return redis;
}
