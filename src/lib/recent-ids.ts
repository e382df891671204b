/**
 * Ids seen recently, for dropping a platform's redeliveries: a Slack retry of an event the
 * bot already acknowledged, a Discord gateway resume that replays an interaction, a second
 * click on the same button. `firstTime` answers true once per id within the window.
 *
 * A port on purpose: the in-memory one below forgets everything on restart (the core's request
 * state and job ids keep a redelivery from running anything twice then); one shared by several
 * bot processes would answer from Redis (`SET key 1 NX PX ttl`).
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
