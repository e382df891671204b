import { withAuditLogging, type AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../core/ports/clock.js';
import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';
import type { Logger } from '../core/ports/logger.js';
import type { Notifier } from '../core/ports/notifier.js';
import type { OperationQueue } from '../core/ports/operation-queue.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { IncidentThreadStore, WatchStateStore } from '../core/ports/watch-state-store.js';
import type { RedisTarget } from '../infra/redis/connect-redis.js';
import { createRedisDeliveryLedger } from '../infra/redis/redis-delivery-ledger.js';
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
  readonly producer: RedisTarget & { enableOfflineQueue: false };
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
  /** Closes the queues, then the Redis connection. */
  close(): Promise<void>;
}

export interface RedisPortsOptions {
  readonly url: string;
  readonly prefix: string;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Connects to Redis (throwing a DependencyError when it does not answer) and builds the request
 * store, operation queue, notifier, audit log and watcher state on it. Loads ioredis and BullMQ.
 */
export async function connectRedisPorts(options: RedisPortsOptions): Promise<RedisPorts> {
  const implementations = await import('../infra/redis-implementations.js');
  const { url, prefix, clock, log } = options;
  const { guardRedis, redisOptions } = implementations;
  const redis = await implementations.connectRedis(url);
  const producer = { ...redisOptions(url), enableOfflineQueue: false as const };
  const where = implementations.describeTarget(producer);
  const queue = implementations.createOperationQueue({ connection: producer, prefix, log });
  const notifier = implementations.createQueueNotifier({ connection: producer, prefix, log });
  const keys = { redis, prefix: `${prefix}:` };
  return {
    implementations,
    url,
    prefix,
    producer,
    consumer: { ...redisOptions(url), maxRetriesPerRequest: null },
    store: guardRedis(implementations.createRedisRequestStore(keys), where),
    queue: guardRedis(queue, where),
    notifier: guardRedis(notifier, where),
    watchState: guardRedis(implementations.createRedisWatchStateStore(keys), where),
    incidentThreads: guardRedis(implementations.createRedisIncidentThreads(keys), where),
    ledger: createRedisDeliveryLedger(keys),
    audit: withAuditLogging(
      implementations.createRedisAuditLog({ redis, key: `${prefix}:audit`, clock }),
      log.child({ component: 'audit' }),
    ),
    async close() {
      await notifier.close();
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
