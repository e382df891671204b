import { setTimeout as delay } from 'node:timers/promises';
import { describe } from 'vitest';
import { createRedisRequestStore } from '../../../src/infra/redis/redis-request-store.js';
import { requestStoreContract } from '../../contract/request-store-contract.js';
import { dropKeys, uniquePrefix, useRedis } from './redis-keys.js';

describe('the Redis request store', () => {
  const redis = useRedis();

  requestStoreContract((timings) => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      store: createRedisRequestStore({ redis: redis(), prefix, ...timings }),
      // Redis expires keys by its own clock: time has to really pass.
      elapse: (ms) => delay(ms),
      close: () => dropKeys(redis(), prefix),
    });
  });
});
