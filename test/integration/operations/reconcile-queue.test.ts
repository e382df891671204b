import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/ports/logger.js';
import {
  createOperationQueue,
  type ClosableOperationQueue,
} from '../../../src/infra/bullmq/bullmq-operation-queue.js';
import { OPERATIONS_QUEUE } from '../../../src/infra/bullmq/queue-names.js';
import { consumerOptions, producerOptions } from '../../../src/infra/redis/connect-redis.js';
import { infraEnv } from '../../support/infra.js';

describe('the operations queue on BullMQ', () => {
  const url = process.env.REDIS_URL ?? infraEnv().redisUrl;
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  let queue: ClosableOperationQueue;
  let raw: Queue;
  beforeAll(async () => {
    queue = createOperationQueue({ connection: producerOptions(url), prefix, log: silentLogger });
    raw = new Queue(OPERATIONS_QUEUE, { connection: consumerOptions(url), prefix });
    // A worker that fails every job for good, then stops: the job stays failed under its id.
    const failing = new Worker(
      OPERATIONS_QUEUE,
      () => Promise.reject(new Error('the Engine refused the spec')),
      { connection: consumerOptions(url), prefix },
    );
    await queue.execute('r1');
    for (;;) {
      if ((await raw.getJobState('r1')) === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await failing.close();
  });
  afterAll(async () => {
    await raw.obliterate({ force: true });
    await raw.close();
    await queue.close();
  });

  describe('when an execution is queued again after its job failed for good', () => {
    it('says the job failed, with its reason', async () => {
      expect(await queue.executionJob('r1')).toEqual({
        state: 'failed',
        reason: 'the Engine refused the spec',
      });
    });

    it('replaces the failed job with one waiting job, however many ask at once', async () => {
      await Promise.all([queue.execute('r1'), queue.execute('r1'), queue.execute('r1')]);
      expect(await queue.executionJob('r1')).toEqual({ state: 'live' });
      const waiting = await raw.getJobs(['waiting', 'failed', 'completed']);
      expect(waiting.map((job) => job.id)).toEqual(['r1']);
      expect(await raw.getJobState('r1')).toBe('waiting');
    });
  });
});
