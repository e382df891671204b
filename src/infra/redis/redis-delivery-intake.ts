import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DeliveryIntake, IntakeEntry } from '../../core/ports/delivery-intake.js';
import { createIntakeBatch, NOW } from './redis-intake-batch.js';

export interface RedisDeliveryIntakeOptions {
  readonly redis: Redis;
  /** Key prefix, `tas:` by default; tests use a unique one. */
  readonly prefix?: string;
  /** Whose deliveries (`slack`): each platform's entries are apart. */
  readonly name: string;
}

/** KEYS: lease zset. ARGV: id, leaseMs. Only an entry still there (XX) is renewed. */
const RENEW = `${NOW}
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])`;

/** KEYS: entries hash, lease zset. ARGV: leaseMs, max. Flat [id, payload, …]. */
const RECLAIM = `${NOW}
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local payload = redis.call('HGET', KEYS[1], id)
  if payload then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
    table.insert(out, id)
    table.insert(out, payload)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out`;

/**
 * Entries in a hash (`<prefix>intake:<name>:entries`, id → payload) and their leases in a sorted
 * set (`…:lease`, scored by deadline). Each call is one script, so one round trip, and atomic:
 * two processes reclaiming at once never get the same entry; takes and dones of one turn of the
 * event loop share one round trip (redis-intake-batch.ts). Rejects when Redis cannot answer.
 */
export function createRedisDeliveryIntake(options: RedisDeliveryIntakeOptions): DeliveryIntake {
  const { redis } = options;
  const prefix = options.prefix ?? 'tas:';
  const base = `${prefix}intake:${options.name}`;
  const entries = `${base}:entries`;
  const lease = `${base}:lease`;
  const batch = createIntakeBatch({ redis, prefix, entries, lease });
  return {
    async take(payload, leaseMs) {
      const id = randomUUID();
      await batch.take(id, payload, leaseMs, []);
      return id;
    },
    async takeClaimed(payload, leaseMs, claims) {
      const id = randomUUID();
      return (await batch.take(id, payload, leaseMs, claims)) ? id : undefined;
    },
    async renew(id, leaseMs) {
      await redis.eval(RENEW, 1, lease, id, Math.max(1, leaseMs));
    },
    done: (id) => batch.done(id),
    async reclaim(leaseMs, max) {
      const flat = (await redis.eval(RECLAIM, 2, entries, lease, leaseMs, max)) as string[];
      const out: IntakeEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2)
        out.push({ id: flat[i] as string, payload: flat[i + 1] as string });
      return out;
    },
  };
}
