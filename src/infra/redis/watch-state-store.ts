import type { Redis } from 'ioredis';
import type {
  IncidentThread,
  IncidentThreadStore,
  WatchState,
  WatchStateStore,
} from '../../core/ports/watch-state-store.js';

export interface RedisWatchStateStoreOptions {
  readonly redis: Redis;
  /** Key prefix, `tas:` by default; tests use a unique one. */
  readonly prefix?: string;
}

const RETRIES = 50;

// Compare-and-set on a version counter, in one script: no WATCH, so the shared producer
// connection can serve concurrent updates of different environments.
const CAS = `
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', tostring(tonumber(version) + 1), 'state', ARGV[2])
return 1`;

/** One hash per environment (`watch:<env>`): the state as JSON and a version for compare-and-set. */
export function createRedisWatchStateStore(options: RedisWatchStateStoreOptions): WatchStateStore {
  const { redis } = options;
  const key = (environment: string) => `${options.prefix ?? 'tas:'}watch:${environment}`;
  const parse = (raw: string | null | undefined): WatchState | undefined =>
    raw === null || raw === undefined ? undefined : (JSON.parse(raw) as WatchState);
  return {
    async get(environment) {
      return parse(await redis.hget(key(environment), 'state'));
    },
    async update(environment, change) {
      for (let attempt = 0; attempt < RETRIES; attempt += 1) {
        const [version, raw] = await redis.hmget(key(environment), 'version', 'state');
        const next = change(parse(raw));
        if (next === undefined) return undefined;
        const written = await redis.eval(
          CAS,
          1,
          key(environment),
          version ?? '0',
          JSON.stringify(next.state),
        );
        if (written === 1) return next.result;
        // Someone wrote in between: back off a little (jittered) so contenders spread out.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.random() * 5 * Math.min(attempt + 1, 10)),
        );
      }
      throw new Error(`watch state of ${environment}: too many concurrent updates`);
    },
  };
}

/** Thirty days: an incident's notices stop long before; the hash then goes on its own. */
const THREAD_TTL_SECONDS = 30 * 86_400;

/** One hash per incident (`incident:<env>:<id>`): one field per platform, its thread as JSON. */
export function createRedisIncidentThreads(
  options: RedisWatchStateStoreOptions,
): IncidentThreadStore {
  const { redis } = options;
  const key = (environment: string, incidentId: string) =>
    `${options.prefix ?? 'tas:'}incident:${environment}:${incidentId}`;
  return {
    async get(environment, incidentId) {
      const raw = await redis.hgetall(key(environment, incidentId));
      return Object.fromEntries(
        Object.entries(raw).map(([platform, json]) => [
          platform,
          JSON.parse(json) as IncidentThread,
        ]),
      );
    },
    async record(environment, incidentId, platform, thread) {
      await redis
        .multi()
        .hset(key(environment, incidentId), platform, JSON.stringify(thread))
        .expire(key(environment, incidentId), THREAD_TTL_SECONDS)
        .exec();
    },
  };
}
