import { withAuditLogging, type AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../core/ports/clock.js';
import type { Platform } from '../core/chat-event.js';
import type { DeliveryIntake } from '../core/ports/delivery-intake.js';
import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';
import type { Logger } from '../core/ports/logger.js';
import type { Notifier } from '../core/ports/notifier.js';
import type { OperationQueue } from '../core/ports/operation-queue.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { IncidentThreadStore, WatchStateStore } from '../core/ports/watch-state-store.js';
import type { RedisTarget } from '../infra/redis/connect-redis.js';
import type { Durability, ReplicaWait } from '../infra/redis/durable-writes.js';
import type { PersistenceCheck } from '../infra/redis/redis-durability.js';
import { watchRedisDurability } from '../infra/redis/redis-durability-watch.js';
import { rerenderOpenCards } from '../operations/rerender-open-cards.js';
import { createRedisDeliveryLedger } from '../infra/redis/redis-delivery-ledger.js';
import { createRedisDeliveryIntake } from '../infra/redis/redis-delivery-intake.js';
import type * as RedisImplementationsModule from '../infra/redis-implementations.js';

/** The lazily loaded module holding every Redis and BullMQ implementation. */
export type RedisImplementations = typeof RedisImplementationsModule;

/** The ports Redis stands behind, each guarded so a Redis failure reads as a DependencyError. */
export interface RedisPorts {
  readonly implementations: RedisImplementations;
  readonly url: string;
  /** Key and queue prefix (tests use a unique one). */
  readonly prefix: string;
  /** A producer connection: fails at once while Redis is down rather than queueing commands. */
  readonly producer: RedisTarget & { enableOfflineQueue: false; commandTimeout: number };
  /** A BullMQ worker connection: blocking commands wait for Redis however long it takes. */
  readonly consumer: RedisTarget & { maxRetriesPerRequest: null };
  readonly store: RequestStore;
  readonly queue: OperationQueue;
  readonly notifier: Notifier;
  readonly audit: AuditLog;
  readonly watchState: WatchStateStore;
  readonly incidentThreads: IncidentThreadStore;
  /** Deliveries claimed across bot processes; unguarded: the app decides what a failure means. */
  readonly ledger: DeliveryLedger;
  /** Deliveries between their ack and their answer, per platform; unguarded like the ledger. */
  readonly intakeFor: (platform: Platform) => DeliveryIntake;
  /** Replica acknowledgements of durable writes (`WAIT`), when REDIS_WAIT_REPLICAS asks for them. */
  readonly durability?: Durability;
  /** Whether the server's persistence settings keep acknowledged votes (a readiness answer). */
  readonly persistence: () => PersistenceCheck;
  /** Closes the queues, then the Redis connection. */
  close(): Promise<void>;
}

export interface RedisPortsOptions {
  readonly url: string;
  readonly prefix: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Replicas that must acknowledge votes, request changes and audit entries; none when unset. */
  readonly wait?: ReplicaWait | undefined;
}

/** The request store's writes that must survive a failover: requests, votes, claims, budgets. */
const STORE_WRITES = [
  'create',
  'update',
  'createClaimed',
  'countExecution',
  'saveReplicas',
] as const;

/**
 * Connects to Redis (throwing a DependencyError when it does not answer) and builds the request
 * store, operation queue, notifier, audit log and watcher state on it. Loads ioredis and BullMQ.
 */
export async function connectRedisPorts(options: RedisPortsOptions): Promise<RedisPorts> {
  const implementations = await import('../infra/redis-implementations.js');
  const { url, prefix, clock, log } = options;
  const { guardRedis, durableWrites } = implementations;
  // Each command may take the WAIT for replicas plus its own round trip.
  const commandTimeoutMs = implementations.COMMAND_TIMEOUT_MS + (options.wait?.timeoutMs ?? 0);
  const redis = await implementations.connectRedis(url, 5000, commandTimeoutMs);
  const durability = options.wait && implementations.createDurability(redis, options.wait, log);
  const producer = implementations.producerOptions(url);
  const where = implementations.describeTarget(producer);
  const queue = implementations.createOperationQueue({ connection: producer, prefix, log });
  const notifier = implementations.createQueueNotifier({ connection: producer, prefix, log });
  const keys = { redis, prefix: `${prefix}:` };
  const store = guardRedis(
    durableWrites(implementations.createRedisRequestStore(keys), STORE_WRITES, durability),
    where,
  );
  // A restarted Redis may have lost votes that cards still show: every open card is shown again.
  const watch = watchRedisDurability({
    redis,
    log: log.child({ component: 'redis-durability' }),
    onRestart: async () => {
      notifier.redisRestarted();
      await rerenderOpenCards(store, notifier);
    },
  });
  return {
    implementations,
    url,
    prefix,
    producer,
    consumer: implementations.consumerOptions(url),
    store,
    persistence: () => watch.persistence(),
    queue: guardRedis(queue, where),
    notifier: guardRedis(notifier, where),
    watchState: guardRedis(implementations.createRedisWatchStateStore(keys), where),
    incidentThreads: guardRedis(implementations.createRedisIncidentThreads(keys), where),
    ledger: createRedisDeliveryLedger(keys),
    intakeFor: (name) => createRedisDeliveryIntake({ ...keys, name }),
    ...(durability && { durability }),
    audit: withAuditLogging(
      durableWrites(
        implementations.createRedisAuditLog({ redis, key: `${prefix}:audit`, clock }),
        ['append'],
        durability,
      ),
      log.child({ component: 'audit' }),
    ),
    async close() {
      await watch.close();
      await notifier.close();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
