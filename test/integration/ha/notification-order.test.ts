import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createQueueNotifier,
  startNotificationWorker,
} from '../../../src/infra/bullmq/queue-notifier.js';
import { redisOptions } from '../../../src/infra/redis/connect-redis.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { Notification } from '../../../src/core/requests/notification.js';
import { dropKeys, redisUrl, uniquePrefix, useRedis } from '../ports/redis-keys.js';
import { pendingRequest } from '../../contract/request-fixture.js';

describe('notifications drained by two bot processes', () => {
  const redis = useRedis();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  describe('when one thread gets twenty notices in a row', () => {
    it('posts them one at a time, in the order they were sent, whichever process takes each', async () => {
      const prefix = uniquePrefix().slice(0, -1);
      const connection = redisOptions(redisUrl());
      const notifier = createQueueNotifier({
        connection: { ...connection, enableOfflineQueue: false },
        prefix,
        log: silentLogger,
      });
      closers.push(
        () => dropKeys(redis(), prefix),
        () => notifier.close(),
      );
      const posted: { text: string; by: string }[] = [];
      let inFlight = 0;
      let mostAtOnce = 0;
      const worker = (name: string) =>
        startNotificationWorker({
          connection: { ...connection, maxRetriesPerRequest: null },
          prefix,
          log: silentLogger,
          async deliver(notification: Notification) {
            inFlight += 1;
            mostAtOnce = Math.max(mostAtOnce, inFlight);
            // A chat API call takes a while; long enough for the other process to take a job.
            await delay(15);
            if (notification.kind === 'thread')
              posted.push({ text: notification.reply.title, by: name });
            inFlight -= 1;
          },
        });
      const first = worker('bot-1');
      const second = worker('bot-2');
      closers.unshift(
        () => first.close(),
        () => second.close(),
      );

      const request = pendingRequest();
      const titles = Array.from({ length: 20 }, (_, i) => `step ${i + 1}`);
      for (const title of titles) await notifier.thread(request, { title, blocks: [] });
      while (posted.length < titles.length) await delay(20);

      expect(posted.map((p) => p.text)).toEqual(titles);
      expect(mostAtOnce).toBe(1);
    });
  });
});
