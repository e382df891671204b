import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Deletes every key under `prefix:` (requests, audit trail, BullMQ queues) of one benchmark. */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<number> {
  if (!/^bench-[0-9a-f]{8}$/.test(prefix))
    throw new Error(`refusing to delete keys under "${prefix}": not a benchmark prefix`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

/** `bench-1a2b3c4d`: a Redis prefix no test and no bot uses. */
export function benchPrefix(): string {
  return `bench-${randomBytes(4).toString('hex')}`;
}
