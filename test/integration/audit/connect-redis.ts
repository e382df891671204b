import { Redis } from 'ioredis';

/**
 * A fresh connection to the Redis the test command provisions, named by `REDIS_URL`. Fails,
 * naming `REDIS_URL`, when it is unset or does not answer: these tests never skip.
 */
export async function connectRedis(): Promise<Redis> {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'REDIS_URL is not set: the audit integration tests need a real Redis, e.g. REDIS_URL=redis://127.0.0.1:6391 (`npm test` provisions it).',
    );
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // Failures reach the tests through the command that failed; this only stops ioredis
  // reporting them a second time as unhandled 'error' events.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis at REDIS_URL=${url} does not answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return redis;
}
