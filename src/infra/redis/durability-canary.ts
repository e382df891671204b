import type { Canary, CanaryCheck } from '../bullmq/canary.js';
import type { Durability } from './durable-writes.js';

/**
 * A canary that also answers whether replicas acknowledge writes, and whether the server's
 * persistence settings keep acknowledged votes across a Redis crash.
 */
export interface ReplicaCanary extends Canary {
  replicas?(): CanaryCheck;
  persistence?(): CanaryCheck;
}

/**
 * `canary` plus a `replicas` readiness check, refreshed every `everyMs` from the primary's
 * replication state, so readiness reports lost replicas before a write has to wait for them.
 * The canary unchanged when no replica is required.
 */
export function withReplicaCheck(
  canary: Canary,
  durability: Durability | undefined,
  everyMs = 1000,
): ReplicaCanary {
  if (durability === undefined) return canary;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight = Promise.resolve();
  const loop = () => {
    inFlight = durability.probe().finally(() => {
      if (!stopped) timer = setTimeout(loop, everyMs);
    });
  };
  loop();
  return {
    redis: () => canary.redis(),
    workers: () => canary.workers(),
    replicas: () => durability.check(),
    async close() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await canary.close();
    },
  };
}
