import { Queue, type ConnectionOptions } from 'bullmq';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ExecutionJob, OperationQueue } from '../../core/ports/operation-queue.js';
import { OPERATIONS_QUEUE } from './queue-names.js';

export interface OperationQueueOptions {
  /**
   * Producers fail fast: `enableOfflineQueue: false`, so a click while Redis is down is answered
   * at once that it is down, instead of hanging until it returns.
   */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly log: Logger;
  /** The time an expiry's delay is counted from; the system clock unless a test injects one. */
  readonly clock?: Clock;
}

export interface ClosableOperationQueue extends OperationQueue {
  close(): Promise<void>;
}

/**
 * Job id = request id: BullMQ ignores an `add` whose id already exists, which is what makes a
 * double approval or a retried delivery run once. Retries with backoff cover transient Docker
 * errors; the worker turns permanent ones into UnrecoverableError.
 */
export function createOperationQueue(options: OperationQueueOptions): ClosableOperationQueue {
  const clock = options.clock ?? systemClock;
  const queue = new Queue(OPERATIONS_QUEUE, {
    connection: options.connection,
    ...(options.prefix && { prefix: options.prefix }),
  });
  queue.on('error', (error) => options.log.warn({ err: error }, 'operations queue error'));
  return {
    execute: (requestId) => execute(queue, requestId),
    executionJob: (requestId) => executionJob(queue, requestId),
    async scheduleExpiry(requestId, at) {
      await queue.add(
        'expire',
        { requestId },
        {
          jobId: `expire-${requestId}`,
          delay: Math.max(0, at.getTime() - clock.now().getTime()),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    },
    close: () => queue.close(),
  };
}

/**
 * A failed or completed job keeps its id for days (so a repeated click does not run it again),
 * which would make BullMQ ignore a deliberate re-queue: such a job is removed first. Two callers
 * racing here still leave one job: `add` of an existing id is ignored, and a job a worker has
 * already taken is locked, so `remove` refuses it.
 */
async function execute(queue: Queue, requestId: string): Promise<void> {
  const state = await queue.getJobState(requestId);
  if (state === 'failed' || state === 'completed') await queue.remove(requestId).catch(() => 0); // locked: another caller's job is running
  await queue.add(
    'execute',
    { requestId },
    {
      jobId: requestId,
      attempts: 4,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    },
  );
}

async function executionJob(queue: Queue, requestId: string): Promise<ExecutionJob> {
  const job = await queue.getJob(requestId);
  if (job === undefined) return { state: 'missing' };
  const state = await job.getState();
  if (state === 'unknown') return { state: 'missing' };
  if (state === 'completed') return { state: 'completed' };
  if (state === 'failed') return { state: 'failed', reason: job.failedReason || 'the job failed' };
  return { state: 'live' };
}
