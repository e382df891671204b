import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { PermanentJobError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import { CANARY_JOB } from './canary.js';
import { OPERATIONS_QUEUE } from './queue-names.js';

export interface OperationProcessors {
  execute(requestId: string): Promise<void>;
  expire(requestId: string): Promise<void>;
  /** The last attempt failed (or the failure is permanent): the request must end as failed, not hang. */
  giveUp(requestId: string, reason: string): Promise<void>;
}

export interface OperationWorkerOptions {
  /** Workers need `maxRetriesPerRequest: null` (BullMQ enforces it for blocking connections). */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly processors: OperationProcessors;
  readonly log: Logger;
  readonly concurrency?: number;
  /** How soon a job of a dead worker is handed to another (BullMQ lock and stall check). */
  readonly lockDurationMs?: number;
}

/**
 * Runs approved operations and expiries. A job whose worker died keeps its lock only for
 * `lockDurationMs`; then the stall check hands it to a live worker, and the processor's step
 * states make sure nothing is applied twice.
 */
export function startOperationWorker(options: OperationWorkerOptions): Worker {
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker(
    OPERATIONS_QUEUE,
    async (job) => {
      if (job.name === CANARY_JOB) return; // readiness: proves this worker consumes
      const { requestId } = job.data as { requestId: string };
      try {
        if (job.name === 'execute') await options.processors.execute(requestId);
        else if (job.name === 'expire') await options.processors.expire(requestId);
        else throw new PermanentJobError(`unknown job ${job.name}`);
      } catch (error) {
        options.log.warn(
          { err: error, job: job.name, requestId, attempt: job.attemptsMade + 1 },
          'operation job failed',
        );
        const permanent = error instanceof PermanentJobError;
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (job.name === 'execute' && (permanent || lastAttempt)) {
          const reason = error instanceof Error ? error.message : String(error);
          await options.processors.giveUp(requestId, reason).catch((again: unknown) => {
            options.log.error({ err: again, requestId }, 'could not record the failed operation');
          });
        }
        if (permanent) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection: options.connection,
      ...(options.prefix && { prefix: options.prefix }),
      concurrency: options.concurrency ?? 4,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => options.log.warn({ err: error }, 'operations worker error'));
  return worker;
}
