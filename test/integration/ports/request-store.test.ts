import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisRequestStore } from '../../../src/infra/redis/redis-request-store.js';
import { requestStoreContract } from '../../contract/request-store-contract.js';
import { dropKeys, openRedis, uniquePrefix } from './redis-keys.js';

describe('the Redis request store', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await openRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  requestStoreContract((timings) => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      store: createRedisRequestStore({ redis, prefix, ...timings }),
      // Redis expires keys by its own clock: time has to really pass.
      elapse: (ms) => delay(ms),
      close: () => dropKeys(redis, prefix),
    });
  });
});
