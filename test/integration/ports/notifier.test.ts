import { setTimeout as delay } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  createQueueNotifier,
  startNotificationWorker,
} from '../../../src/infra/bullmq/queue-notifier.js';
import { NOTIFY_QUEUE } from '../../../src/infra/bullmq/queue-names.js';
import { redisOptions } from '../../../src/infra/redis/connect-redis.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { Notification } from '../../../src/core/requests/notification.js';
import { notifierContract } from '../../contract/notifier-contract.js';
import { dropKeys, redisUrl, uniquePrefix, useRedis } from './redis-keys.js';

describe('the BullMQ notifier and the bot’s notification worker', () => {
  const redis = useRedis();

  notifierContract(() => {
    const prefix = uniquePrefix().slice(0, -1);
    const connection = redisOptions(redisUrl());
    const notifier = createQueueNotifier({
      connection: { ...connection, enableOfflineQueue: false },
      prefix,
      log: silentLogger,
    });
    const received: Notification[] = [];
    const worker = startNotificationWorker({
      connection: { ...connection, maxRetriesPerRequest: null },
      prefix,
      log: silentLogger,
      deliver: (notification) => {
        received.push(notification);
        return Promise.resolve();
      },
    });
    return Promise.resolve({
      notifier,
      // The worker drains on its own; the test's timeout bounds the wait.
      async delivered(count) {
        while (received.length < count) await delay(20);
        return received.slice(0, count);
      },
      close: async () => {
        await Promise.all([notifier.close(), worker.close()]);
        await dropKeys(redis(), prefix);
      },
    });
  });
});

describe('the BullMQ notifier', () => {
  const redis = useRedis();

  describe('when Redis restarted without its data', () => {
    it('makes every bot process take one notification at a time again', async () => {
      const prefix = uniquePrefix().slice(0, -1);
      const connection = { ...redisOptions(redisUrl()), enableOfflineQueue: false };
      const notifier = createQueueNotifier({ connection, prefix, log: silentLogger });
      const queue = new Queue(NOTIFY_QUEUE, { connection, prefix });
      try {
        await notifier.channel('prod', 'ops', { title: 'before', blocks: [] });
        expect(await queue.getGlobalConcurrency()).toBe(1);
        await dropKeys(redis(), prefix); // what a Redis without AOF keeps after a crash
        notifier.redisRestarted();
        await notifier.channel('prod', 'ops', { title: 'after', blocks: [] });
        expect(await queue.getGlobalConcurrency()).toBe(1);
      } finally {
        await Promise.all([notifier.close(), queue.close()]);
        await dropKeys(redis(), prefix);
      }
    });
  });
});
