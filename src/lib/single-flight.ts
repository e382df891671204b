/**
 * Concurrent callers with the same key share one promise in flight: fifty `/tas status` during
 * an incident cost one Docker listing and one round of probes. Nothing is cached after it settles.
 */
export function singleFlight<K, V>(work: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const inFlight = new Map<K, Promise<V>>();
  return (key) => {
    const running = inFlight.get(key);
    if (running !== undefined) return running;
    const started = work(key).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
