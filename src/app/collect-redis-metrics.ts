import type { Logger } from '../core/ports/logger.js';
import type { BotMetrics } from '../infra/metrics/bot-metrics.js';
import { NOTIFY_QUEUE, OPERATIONS_QUEUE } from '../infra/bullmq/queue-names.js';
import { pendingApprovals } from './pending-approvals.js';
import type { RedisPorts } from './redis-ports.js';

/**
 * What `GET /metrics` reads from Redis when it is scraped: the depth of the operations and
 * notification queues, and the requests waiting for approval per environment.
 */
export function collectRedisMetrics(
  ports: RedisPorts,
  metrics: BotMetrics,
  environments: readonly string[],
  log: Logger,
): { close(): Promise<void> } {
  const depth = ports.implementations.queueDepthReader({
    connection: ports.producer,
    prefix: ports.prefix,
    queues: [OPERATIONS_QUEUE, NOTIFY_QUEUE],
    log,
  });
  metrics.collectFrom({
    queueDepth: () => depth.read(),
    pendingApprovals: pendingApprovals(ports.store, environments),
  });
  return depth;
}
