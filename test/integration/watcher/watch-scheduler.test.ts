import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/ports/logger.js';
import {
  startWatchScheduler,
  WATCH_QUEUE,
  type WatchScheduler,
  type WatchTick,
} from '../../../src/infra/bullmq/watch-scheduler.js';
import { redisOptions } from '../../../src/infra/redis/connect-redis.js';
import { infraEnv } from '../../support/infra.js';

const connection = () => ({
  ...redisOptions(process.env.REDIS_URL ?? infraEnv().redisUrl),
  maxRetriesPerRequest: null,
});

describe('startWatchScheduler', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) await item.close();
  });
  const start = (
    prefix: string,
    environments: { name: string; everyMs: number }[],
    tick: (t: WatchTick) => Promise<unknown> = () => Promise.resolve(),
  ): WatchScheduler => {
    const scheduler = startWatchScheduler({
      connection: connection(),
      prefix,
      environments,
      log: silentLogger,
      tick,
    });
    open.push(scheduler);
    return scheduler;
  };

  it('removes the scheduler of an environment that is no longer watched', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    await start(prefix, [
      { name: 'prod', everyMs: 60_000 },
      { name: 'staging', everyMs: 60_000 },
    ]).ready;
    await start(prefix, [{ name: 'prod', everyMs: 60_000 }]).ready;
    const queue = new Queue(WATCH_QUEUE, { connection: connection(), prefix });
    open.push(queue);
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['watch-prod', 60_000]]);
  });

  it('hands each tick the environment and its interval slot', async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const ticks: WatchTick[] = [];
    await start(prefix, [{ name: 'prod', everyMs: 1000 }], (tick) => {
      ticks.push(tick);
      return Promise.resolve();
    }).ready;
    const deadline = Date.now() + 30_000;
    while (ticks.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ticks.slice(0, 2).map((t) => t.environment)).toEqual(['prod', 'prod']);
    const [first, second] = ticks;
    expect(first?.id).toBe(`repeat:watch-prod:${first?.scheduledFor.getTime()}`);
    expect((second?.scheduledFor.getTime() ?? 0) - (first?.scheduledFor.getTime() ?? 0)).toBe(1000);
  });
});
