import type { Config } from '../config/schema.js';
import type { Platform } from '../core/chat-event.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import type { ReplicaCanary } from '../infra/redis/durability-canary.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import { collectRedisMetrics } from './collect-redis-metrics.js';
import type { RedisPorts } from './redis-ports.js';
import { startDelivery } from './start-delivery.js';
import { startWorkers, type WorkerDeps } from './start-workers.js';

/** What runs beside the dispatcher once asked to, and how it all stops. */
export interface BackgroundWork {
  /** Operation workers (execution, expiry, watcher): `start` unless --no-worker, and `worker`. */
  startWorkers(): void;
  /** The notification consumer: runs where the chat connections are. */
  startDelivery(extra?: readonly ChatDelivery[]): void;
  /**
   * Readiness: Redis pings, canary jobs through the operations workers and, when replicas are
   * required, their acknowledgements; none without Redis.
   */
  startCanary(): ReplicaCanary | undefined;
  close(): Promise<void>;
}

export interface BackgroundWorkDeps {
  readonly config: Config;
  /** Absent without Redis: then nothing runs in the background and every start is a no-op. */
  readonly ports: RedisPorts | undefined;
  readonly operations: OperationDeps | undefined;
  readonly workers: Omit<WorkerDeps, 'ports' | 'operations'>;
  /**
   * Each chat platform's delivery, shared with the adapter host (which posts approval cards
   * through it); `startDelivery` adds the adapters', replacing any given for the same platform.
   */
  readonly deliveries: Map<Platform, ChatDelivery>;
}

type Closable = { close(): Promise<void> };

export function backgroundWork(deps: BackgroundWorkDeps): BackgroundWork {
  const { ports, operations, config } = deps;
  const { log, redact, metrics } = deps.workers;
  const running: Closable[] = [];
  if (ports !== undefined && metrics !== undefined) {
    running.push(collectRedisMetrics(ports, metrics, Object.keys(config.environments), log));
  }
  let canary: ReplicaCanary | undefined;
  return {
    startWorkers() {
      if (ports === undefined || operations === undefined) return;
      running.push(...startWorkers({ ...deps.workers, ports, operations }));
    },
    startDelivery(extra = []) {
      if (ports === undefined) return;
      for (const delivery of extra) deps.deliveries.set(delivery.platform, delivery);
      running.push(startDelivery({ ports, config, deliveries: deps.deliveries, redact, log }));
    },
    startCanary() {
      if (ports === undefined) return undefined;
      const { startCanary, withReplicaCheck } = ports.implementations;
      canary ??= {
        ...withReplicaCheck(
          startCanary({
            connection: ports.producer,
            prefix: ports.prefix,
            log: log.child({ component: 'canary' }),
          }),
          ports.durability,
        ),
        persistence: ports.persistence,
      };
      return canary;
    },
    async close() {
      // No new canaries while the workers wind down.
      await canary?.close();
      // Workers first: a job in flight finishes (or goes back to the queue) before Redis closes.
      await Promise.all(running.map((w) => w.close()));
      await ports?.close();
    },
  };
}
