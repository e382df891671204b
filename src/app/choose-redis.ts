import { join } from 'node:path';
import type { EnvOptions } from '../config/env-options.js';
import type { Logger } from '../core/ports/logger.js';
import { err, ok, type Result } from '../core/result.js';
import {
  EmbeddedRedisError,
  findOnPath,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from '../infra/redis/embedded-redis.js';
import { dataDirOf } from './data-dir-of.js';

export interface RedisChoice {
  /** Unset: no Redis at all; status and logs work, privileged operations are off. */
  readonly url?: string;
  /** The private redis-server started for this process; stop it last. */
  readonly embedded?: EmbeddedRedis;
}

const NO_REDIS =
  'No Redis: REDIS_URL is unset and redis-server is not on the PATH. Status and logs work; privileged operations ' +
  '(restart, scale, stop, start, rollback), approvals and the audit trail need Redis. To turn them on, install ' +
  'redis-server (Debian/Ubuntu: apt-get install redis-server) and start again, which runs a private one, or set ' +
  'REDIS_URL=redis://HOST:6379 to use a Redis you run.';

export interface ChooseRedisOptions {
  readonly mode: 'start' | 'worker';
  readonly envOptions: EnvOptions;
  /** The PATH to look for redis-server on. */
  readonly searchPath: string | undefined;
  readonly log: Logger;
}

/**
 * REDIS_URL, else (for `start`) a private redis-server when one is on the PATH, else none.
 * An error is the message to print: a worker without REDIS_URL, an embedded Redis that failed.
 */
export async function chooseRedis(options: ChooseRedisOptions): Promise<Result<RedisChoice>> {
  const { envOptions, log } = options;
  if (envOptions.redisUrl !== undefined) return ok({ url: envOptions.redisUrl });
  if (options.mode === 'worker') {
    return err(
      'worker needs REDIS_URL, the Redis the bot uses (e.g. REDIS_URL=redis://redis:6379).',
    );
  }
  const command = findOnPath('redis-server', options.searchPath);
  if (command === undefined) {
    log.warn({}, NO_REDIS);
    return ok({});
  }
  try {
    const embedded = await startEmbeddedRedis({
      dir: join(dataDirOf(envOptions), 'redis'),
      command,
      log: log.child({ component: 'embedded-redis' }),
    });
    return ok({ url: embedded.url, embedded });
  } catch (error) {
    if (!(error instanceof EmbeddedRedisError)) throw error;
    return err(error.message);
  }
}
