import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { PermanentJobError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import { JobLockLostError } from '../../core/job-lock-lost-error.js';
import { CANARY_JOB } from './canary.js';
import { OPERATIONS_QUEUE } from './queue-names.js';

export interface OperationProcessors {
  /** `ownsJob` says whether this worker still holds the job (renewing its lock when it does). */
  execute(requestId: string, ownsJob: () => Promise<boolean>): Promise<void>;
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
 *
 * The lock is renewed on a timer every half `lockDurationMs` for as long as the job runs, so a
 * step may take as long as the convergence timeout (minutes) on a 30 s lock: what the lock must
 * outlast is not a step but the longest stretch the event loop cannot run that timer. A loop
 * blocked longer than that loses the job to another worker; the run that lost it learns so
 * from `ownsJob` before its next Engine update or state write, and stops there.
 */
export function startOperationWorker(options: OperationWorkerOptions): Worker {
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker(
    OPERATIONS_QUEUE,
    (job, token) => runJob(options, lockDuration, job, token),
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

/**
 * Whether the job's lock still carries this run's token: extending it answers 0 once the stall
 * check has handed the job to another worker (or moved it back to wait).
 */
function lockHolder(job: Job, token: string | undefined, lockDuration: number) {
  return async (): Promise<boolean> =>
    token !== undefined && (await job.extendLock(token, lockDuration)) === 1;
}

async function runJob(
  options: OperationWorkerOptions,
  lockDuration: number,
  job: Job,
  token: string | undefined,
): Promise<void> {
  if (job.name === CANARY_JOB) return; // readiness: proves this worker consumes
  const { requestId } = job.data as { requestId: string };
  try {
    if (job.name === 'execute')
      await options.processors.execute(requestId, lockHolder(job, token, lockDuration));
    else if (job.name === 'expire') await options.processors.expire(requestId);
    else throw new PermanentJobError(`unknown job ${job.name}`);
  } catch (error) {
    if (error instanceof JobLockLostError) {
      // Another worker runs the job now: nothing to give up on, and no retry of ours.
      options.log.warn(
        { requestId },
        'operation job lost its lock; the worker holding it carries on',
      );
      throw error;
    }
    options.log.warn(
      { err: error, job: job.name, requestId, attempt: job.attemptsMade + 1 },
      'operation job failed',
    );
    const permanent = error instanceof PermanentJobError;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (job.name === 'execute' && (permanent || lastAttempt)) {
      const reason = error instanceof Error ? error.message : String(error);
      // When this write fails too (Redis down), the reconciler ends the request from the
      // failed job's reason once Redis answers.
      await options.processors.giveUp(requestId, reason).catch((again: unknown) => {
        options.log.error({ err: again, requestId }, 'could not record the failed operation');
      });
    }
    if (permanent) throw new UnrecoverableError(error.message);
    throw error;
  }
}
