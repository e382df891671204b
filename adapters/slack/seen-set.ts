export interface SeenSetOptions {
  /** Most keys kept; the oldest go first. */
  readonly max: number;
  readonly ttlMs: number;
  readonly now?: () => number;
}

/**
 * Keys seen recently, bounded in count and age: enough to drop Slack's redeliveries (HTTP
 * retries, Socket Mode `retry_attempt`) and double clicks. In memory only: after a restart a
 * redelivery dispatches again, and the core's request state and job ids keep that from running
 * anything twice.
 */
export function createSeenSet(options: SeenSetOptions) {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const prune = (at: number) => {
    for (const [key, expires] of seen) {
      if (expires > at && seen.size <= options.max) break;
      seen.delete(key);
    }
  };
  return {
    /** True the first time `key` is offered within the window, false for a repeat. */
    firstTime(key: string): boolean {
      const at = now();
      prune(at);
      if (seen.has(key)) return false;
      seen.set(key, at + options.ttlMs);
      prune(at);
      return true;
    },
    get size(): number {
      return seen.size;
    },
  };
}
