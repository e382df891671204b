import { connectRedis, describeTarget, redisOptions } from './connect-redis.js';
import { persistenceVerdict, readPersistence } from './redis-durability.js';

/**
 * `check`'s line on the Redis behind REDIS_URL: a warning when its persistence settings would
 * lose acknowledged votes in a crash, a note otherwise. A Redis out of reach (CI, a laptop) is
 * said, never an error: the config can be valid without it.
 */
export async function redisDurabilityLine(url: string, timeoutMs: number): Promise<string> {
  let redis;
  try {
    redis = await connectRedis(url, timeoutMs, timeoutMs);
    const verdict = persistenceVerdict(await readPersistence(redis, timeoutMs));
    return `${verdict.warning ? '⚠' : '·'} REDIS_URL: ${verdict.detail}`;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const where = describeTarget(redisOptions(url));
    return `· REDIS_URL: could not read the persistence settings of ${where}: ${why}`;
  } finally {
    redis?.disconnect();
  }
}
