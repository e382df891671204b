import { Redis, type RedisOptions } from 'ioredis';
import { DependencyError } from '../../core/errors.js';
import {
  describeSentinels,
  isSentinelUrl,
  parseSentinelUrl,
  type SentinelTarget,
} from './sentinel-url.js';

/** One Redis server, from a redis:// or rediss:// URL. */
export interface ServerTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
}

/** ioredis options from REDIS_URL, for BullMQ to build its own connections. */
export type RedisTarget = ServerTarget | SentinelOptions;

/** A Sentinel set with the client settings that make a failover quick to notice. */
type SentinelOptions = SentinelTarget &
  Pick<RedisOptions, 'sentinelRetryStrategy' | 'reconnectOnError'>;

/**
 * How long one Redis command may go unanswered on a producer connection before it fails. A
 * client that lost its primary otherwise waits, without an error, for as long as a failover
 * takes; with this bound a chat command is answered "Redis is not answering" instead.
 */
export const COMMAND_TIMEOUT_MS = 2000;

export function redisOptions(url: string): RedisTarget {
  if (isSentinelUrl(url)) return sentinelOptions(parseSentinelUrl(url));
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
 * A Sentinel set as ioredis takes it. ioredis asks the sentinels for the primary on every
 * reconnect, so a killed primary is left as soon as the sentinels promote another. A primary
 * demoted while still up answers writes with READONLY: that reconnects too. Not
 * `failoverDetector`: its disconnect on `+switch-master` can land while the client is asking
 * the sentinels, and ioredis then ends the client for good ("Connection is closed."), which a
 * test of a SIGKILLed primary showed.
 */
function sentinelOptions(target: SentinelTarget): SentinelOptions {
  return {
    ...target,
    sentinelRetryStrategy: (times: number) => Math.min(times * 100, 1000),
    reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
  };
}

/** Where the target is, for messages: `host:port` or the sentinels and the primary's name. */
export function describeTarget(target: RedisTarget): string {
  return 'sentinels' in target ? describeSentinels(target) : `${target.host}:${target.port}`;
}

/**
 * Reconnect attempts 100 ms apart, then every half second: after a failover the client finds
 * the new primary within half a second of its promotion (BullMQ's own default backs off to 20 s).
 */
export const reconnectDelay = (times: number): number => Math.min(times * 100, 500);

/** A producer's options: fails at once while Redis is down, and never waits on a lost reply. */
export function producerOptions(url: string, commandTimeoutMs = COMMAND_TIMEOUT_MS) {
  return {
    ...redisOptions(url),
    enableOfflineQueue: false as const,
    commandTimeout: commandTimeoutMs,
    retryStrategy: reconnectDelay,
  };
}

/** A BullMQ worker's options: its blocking commands wait for Redis however long it takes. */
export function consumerOptions(url: string) {
  return { ...redisOptions(url), maxRetriesPerRequest: null, retryStrategy: reconnectDelay };
}

/**
 * A producer connection: fails fast while Redis is down (no offline queue, one retry per
 * request, each command bounded by `commandTimeoutMs`) so a command gets "Redis is not
 * answering" at once instead of hanging; it keeps reconnecting in the background.
 */
export async function connectRedis(
  url: string,
  timeoutMs = 5000,
  commandTimeoutMs = COMMAND_TIMEOUT_MS,
): Promise<Redis> {
  const redis = new Redis({
    ...producerOptions(url, commandTimeoutMs),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
  });
  redis.on('error', () => undefined); // reported through the commands that fail, not as crashes
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new DependencyError(
      'redis',
      `Redis at ${describeTarget(redisOptions(url))} is unreachable (${error instanceof Error ? error.message : String(error)}). Check REDIS_URL.`,
      { cause: error },
    );
  }
  return redis;
}
