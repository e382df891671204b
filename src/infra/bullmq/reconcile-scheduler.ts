import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import { RECONCILE_QUEUE } from './queue-names.js';
import { scheduledWork, type ScheduledWork } from './scheduled-work.js';

const SCHEDULER_ID = 'reconcile';
/** The memory outlives a few ticks only: after a long pause, disagreements are seen afresh. */
const MEMORY_TTL_MS = 10 * 60_000;

/** What one tick remembers for the next (the reconciler's own record, as JSON). */
export type TickMemory = Readonly<Record<string, 'seen' | 'repaired'>>;

export interface ReconcileSchedulerOptions {
  /** Used by the worker too, so it needs `maxRetriesPerRequest: null`. */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly log: Logger;
  /** How often the reconciler runs, across every worker together. */
  readonly everyMs?: number;
  /** One tick: given what the previous one remembered, returns what this one remembers. */
  readonly tick: (previous: TickMemory) => Promise<TickMemory>;
}

/**
 * The reconciler on one BullMQ job scheduler: any number of worker processes upsert the same
 * scheduler, which makes one job per interval, taken by exactly one worker. Each tick reads what
 * the previous tick remembered from Redis (whichever worker ran it) and stores its own. Ticks
 * are not retried: a failed one is simply followed by the next.
 */
export function startReconcileScheduler(options: ReconcileSchedulerOptions): ScheduledWork {
  const { connection, log } = options;
  const queue = new Queue(RECONCILE_QUEUE, {
    connection,
    ...(options.prefix !== undefined && { prefix: options.prefix }),
  });
  queue.on('error', (error) => log.warn({ err: error }, 'reconcile queue error'));
  const worker = new Worker(RECONCILE_QUEUE, () => runTick(queue, options.tick), {
    connection,
    ...(options.prefix !== undefined && { prefix: options.prefix }),
    concurrency: 1,
    maxStalledCount: 0,
  });
  worker.on('error', (error) => log.warn({ err: error }, 'reconcile worker error'));
  worker.on('failed', (_job, error) =>
    log.warn({ err: error }, 'reconcile tick failed; the next one follows'),
  );
  return scheduledWork(queue, worker, schedule(queue, options.everyMs ?? 5000), log, 'reconciler');
}

/** One tick, with what the previous tick remembered read from Redis and its own stored there. */
async function runTick(
  queue: Queue,
  tick: (previous: TickMemory) => Promise<TickMemory>,
): Promise<void> {
  const memoryKey = queue.toKey('memory');
  const client = await queue.getBackend().client;
  const raw = await client.get(memoryKey);
  const next = await tick(raw === null ? {} : (JSON.parse(raw) as TickMemory));
  await client.set(memoryKey, JSON.stringify(next), { PX: MEMORY_TTL_MS });
}

async function schedule(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { every: everyMs },
    {
      name: 'reconcile',
      data: {},
      opts: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } },
    },
  );
}
