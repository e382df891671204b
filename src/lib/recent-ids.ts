import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';

/**
 * Ids seen recently, in this process's memory: `firstTime` answers true once per id within the
 * window. It forgets everything on restart (the core's request state and job ids keep a
 * redelivery from running anything twice then) and knows nothing of other processes: several
 * bot processes share a Redis-backed DeliveryLedger instead.
 */
export interface RecentIds {
  firstTime(id: string): boolean;
}

export interface RecentIdsOptions {
  /** Most ids kept; past it the oldest are forgotten first. */
  readonly max: number;
  /** How long an id counts as seen. */
  readonly ttlMs: number;
  readonly now?: () => number;
}

/** In memory, bounded in count and age. */
export function createRecentIds(options: RecentIdsOptions): RecentIds {
  const now = options.now ?? Date.now;
  // Insertion order is expiry order (one ttl for all), so pruning stops at the first live id.
  const expiries = new Map<string, number>();
  const prune = (at: number) => {
    for (const [id, expires] of expiries) {
      if (expires > at && expiries.size <= options.max) return;
      expiries.delete(id);
    }
  };
  return {
    firstTime(id) {
      const at = now();
      prune(at);
      if (expiries.has(id)) return false;
      expiries.set(id, at + options.ttlMs);
      prune(at);
      return true;
    },
  };
}

/**
 * The DeliveryLedger of one process: a process without Redis, and the fallback of the shared
 * one while Redis cannot answer. One RecentIds per ttl, so each keeps expiry in insertion order.
 */
export function createMemoryDeliveryLedger(
  options: Omit<RecentIdsOptions, 'ttlMs'>,
): DeliveryLedger {
  const byTtl = new Map<number, RecentIds>();
  return {
    claim(key, ttlMs) {
      let ids = byTtl.get(ttlMs);
      if (ids === undefined) {
        ids = createRecentIds({ ...options, ttlMs });
        byTtl.set(ttlMs, ids);
      }
      return Promise.resolve(ids.firstTime(key));
    },
  };
}
