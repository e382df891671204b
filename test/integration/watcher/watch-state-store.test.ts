import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchState } from '../../../src/core/ports/watch-state-store.js';
import { connectRedis } from '../../../src/infra/redis/connect-redis.js';
import { createRedisWatchStateStore } from '../../../src/infra/redis/watch-state-store.js';
import { initialWatchState } from '../../../src/watcher/advance-watch.js';
import { infraEnv } from '../../support/infra.js';

describe('the Redis watch state store', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(process.env.REDIS_URL ?? infraEnv().redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });
  const store = () =>
    createRedisWatchStateStore({ redis, prefix: `t-${randomUUID().slice(0, 8)}:` });
  const bump = (current: WatchState | undefined) => {
    const state = current ?? initialWatchState('prod', '2026-12-01T08:00:00.000Z');
    return { state: { ...state, checks: state.checks + 1 }, result: state.checks + 1 };
  };

  it('has no state for an environment never written', async () => {
    expect(await store().get('prod')).toBeUndefined();
  });

  it('loses no update when many run at once', async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 25 }, () => s.update('prod', bump)));
    expect((await s.get('prod'))?.checks).toBe(25);
    expect([...results].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
  });

  it('writes nothing when the change declines', async () => {
    const s = store();
    await s.update('prod', bump);
    expect(await s.update('prod', () => undefined)).toBeUndefined();
    expect((await s.get('prod'))?.checks).toBe(1);
  });

  it('keeps environments apart', async () => {
    const s = store();
    await s.update('prod', bump);
    expect(await s.get('staging')).toBeUndefined();
  });
});
