// Every Redis and BullMQ implementation the app uses, in one module: ioredis, BullMQ and
// everything built on them. The app loads it with import() only when a Redis URL is set, so a
// process without Redis (`tas-chatops run`, `check`, a read-only bot) never loads either.
export { createOperationQueue } from './bullmq/bullmq-operation-queue.js';
export { startCanary } from './bullmq/canary.js';
export { startOperationWorker } from './bullmq/operation-worker.js';
export { createQueueNotifier, startNotificationWorker } from './bullmq/queue-notifier.js';
export { startReconcileScheduler } from './bullmq/reconcile-scheduler.js';
export { startWatchScheduler } from './bullmq/watch-scheduler.js';
export { queueDepthReader } from './metrics/queue-depth.js';
export {
  COMMAND_TIMEOUT_MS,
  connectRedis,
  consumerOptions,
  describeTarget,
  producerOptions,
  redisOptions,
} from './redis/connect-redis.js';
export { withReplicaCheck } from './redis/durability-canary.js';
export { createDurability, durableWrites } from './redis/durable-writes.js';
export { guardRedis } from './redis/guard-redis.js';
export { createRedisAuditLog } from './redis/redis-audit-log.js';
export { createRedisRequestStore } from './redis/redis-request-store.js';
export {
  createRedisIncidentThreads,
  createRedisWatchStateStore,
} from './redis/watch-state-store.js';
