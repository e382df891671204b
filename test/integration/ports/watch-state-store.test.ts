import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  createRedisIncidentThreads,
  createRedisWatchStateStore,
} from '../../../src/infra/redis/watch-state-store.js';
import { incidentThreadsContract } from '../../contract/incident-threads-contract.js';
import { watchStateStoreContract } from '../../contract/watch-state-store-contract.js';
import { dropKeys, openRedis, uniquePrefix } from './redis-keys.js';

describe('the Redis watch state store', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await openRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  watchStateStoreContract(() => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      store: createRedisWatchStateStore({ redis, prefix }),
      close: () => dropKeys(redis, prefix),
    });
  });
});

describe('the Redis incident threads', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await openRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  incidentThreadsContract(() => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      threads: createRedisIncidentThreads({ redis, prefix }),
      close: () => dropKeys(redis, prefix),
    });
  });
});
