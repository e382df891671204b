import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../../../src/infra/redis/connect-redis.js';
import { infraEnv } from '../../support/infra.js';

/** A connection to the test Redis (REDIS_URL, else `.infra/env`). */
export function openRedis(): Promise<Redis> {
  return connectRedis(redisUrl());
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? infraEnv().redisUrl;
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `t-ports-${randomUUID()}:`;
}

/** Removes every key under `prefix`: what a test wrote, and nothing else. */
export async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * One connection for the describe block it is called in: opened before its tests, closed
 * after. Read it through the getter, inside tests and factories.
 */
export function useRedis(): () => Redis {
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = await openRedis();
  });
  afterAll(async () => {
    await redis?.quit();
  });
  return () => {
    if (redis === undefined) throw new Error('useRedis: read the connection inside a test');
    return redis;
  };
}
