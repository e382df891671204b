import { describe } from 'vitest';
import {
  createRedisIncidentThreads,
  createRedisWatchStateStore,
} from '../../../src/infra/redis/watch-state-store.js';
import { incidentThreadsContract } from '../../contract/incident-threads-contract.js';
import { watchStateStoreContract } from '../../contract/watch-state-store-contract.js';
import { dropKeys, uniquePrefix, useRedis } from './redis-keys.js';

describe('the Redis watch state store', () => {
  const redis = useRedis();

  watchStateStoreContract(() => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      store: createRedisWatchStateStore({ redis: redis(), prefix }),
      close: () => dropKeys(redis(), prefix),
    });
  });
});

describe('the Redis incident threads', () => {
  const redis = useRedis();

  incidentThreadsContract(() => {
    const prefix = uniquePrefix();
    return Promise.resolve({
      threads: createRedisIncidentThreads({ redis: redis(), prefix }),
      close: () => dropKeys(redis(), prefix),
    });
  });
});
