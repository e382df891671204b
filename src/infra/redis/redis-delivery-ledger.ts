import type { Redis } from 'ioredis';
import type { DeliveryLedger } from '../../core/ports/delivery-ledger.js';

export interface RedisDeliveryLedgerOptions {
  readonly redis: Redis;
  /** Key prefix, `tas:` by default; tests use a unique one. */
  readonly prefix?: string;
}

/** The key of one claim: the intake claims the same keys (`takeClaimed`) in its own script. */
export const seenKey = (prefix: string, key: string): string => `${prefix}seen:${key}`;

/**
 * One key per delivery (`<prefix>seen:<key>`), set with `SET key 1 NX PX ttl`: Redis runs it
 * atomically, so of any number of processes claiming one key exactly one gets `OK`, and the key
 * expires by itself. Rejects when Redis cannot answer; `sharedDeliveryLedger` decides then.
 */
export function createRedisDeliveryLedger(options: RedisDeliveryLedgerOptions): DeliveryLedger {
  const { redis } = options;
  const prefix = options.prefix ?? 'tas:';
  return {
    async claim(key, ttlMs) {
      const set = await redis.set(seenKey(prefix, key), '1', 'PX', Math.max(1, ttlMs), 'NX');
      return set === 'OK';
    },
  };
}
