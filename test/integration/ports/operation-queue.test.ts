import { Queue } from 'bullmq';
import { describe } from 'vitest';
import { createOperationQueue } from '../../../src/infra/bullmq/bullmq-operation-queue.js';
import { OPERATIONS_QUEUE } from '../../../src/infra/bullmq/queue-names.js';
import { redisOptions } from '../../../src/infra/redis/connect-redis.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { operationQueueContract, type SeenJob } from '../../contract/operation-queue-contract.js';
import { dropKeys, redisUrl, uniquePrefix, useRedis } from './redis-keys.js';

describe('the BullMQ operations queue', () => {
  const redis = useRedis();

  operationQueueContract((clock) => {
    const prefix = uniquePrefix().slice(0, -1);
    const connection = { ...redisOptions(redisUrl()), enableOfflineQueue: false };
    const queue = createOperationQueue({ connection, prefix, log: silentLogger, clock });
    // A second handle on the same queue, looking at it as a worker would.
    const look = new Queue(OPERATIONS_QUEUE, { connection, prefix });
    const seen = async (states: ('waiting' | 'delayed')[], due: boolean): Promise<SeenJob[]> =>
      (await look.getJobs(states)).map((job) => ({
        kind: job.name as SeenJob['kind'],
        requestId: (job.data as { requestId: string }).requestId,
        due,
      }));
    return Promise.resolve({
      queue,
      jobs: async () => [...(await seen(['waiting'], true)), ...(await seen(['delayed'], false))],
      close: async () => {
        await Promise.all([queue.close(), look.close()]);
        await dropKeys(redis(), prefix);
      },
    });
  });
});
