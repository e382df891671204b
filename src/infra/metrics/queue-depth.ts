import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import type { QueueDepth } from './bot-metrics.js';

export interface QueueDepthOptions {
  /** A producer connection (`enableOfflineQueue: false`), so a scrape fails fast without Redis. */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly queues: readonly string[];
  readonly log: Logger;
}

/** The states an operator acts on; completed jobs are history, not depth. */
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Job counts per queue and state, read on demand (each scrape of `/metrics`). */
export function queueDepthReader(options: QueueDepthOptions): {
  read(): Promise<QueueDepth[]>;
  close(): Promise<void>;
} {
  const queues = options.queues.map((name) => {
    const queue = new Queue(name, {
      connection: options.connection,
      ...(options.prefix && { prefix: options.prefix }),
    });
    queue.on('error', (error) =>
      options.log.debug({ err: error, queue: name }, 'queue depth reader error'),
    );
    return queue;
  });
  return {
    async read() {
      const rows: QueueDepth[] = [];
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...STATES);
        for (const state of STATES)
          rows.push({ queue: queue.name, state, count: counts[state] ?? 0 });
      }
      return rows;
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
