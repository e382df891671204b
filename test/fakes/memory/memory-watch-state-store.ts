import type { WatchState, WatchStateStore } from '../../../src/core/ports/watch-state-store.js';

/**
 * Watcher state in a map, stored as JSON like the Redis store. An update reads, changes and
 * writes with no await in between, which is the atomicity the Redis compare-and-set gives.
 */
export function createMemoryWatchStateStore(): WatchStateStore {
  const states = new Map<string, string>();
  const read = (environment: string): WatchState | undefined => {
    const json = states.get(environment);
    return json === undefined ? undefined : (JSON.parse(json) as WatchState);
  };
  return {
    get: (environment) => Promise.resolve(read(environment)),
    update(environment, change) {
      const next = change(read(environment));
      if (next === undefined) return Promise.resolve(undefined);
      states.set(environment, JSON.stringify(next.state));
      return Promise.resolve(next.result);
    },
  };
}
