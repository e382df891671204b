import type { Clock } from '../../../src/core/ports/clock.js';
import type { OperationQueue } from '../../../src/core/ports/operation-queue.js';

export type JobKind = 'execute' | 'expire';

export interface QueuedJob {
  readonly kind: JobKind;
  readonly requestId: string;
  /** When a worker may take it: now for an execution, the expiry time for an expiry. */
  readonly dueAt: Date;
}

export interface MemoryOperationQueue extends OperationQueue {
  /** Jobs not yet taken, in the order they were added. */
  readonly jobs: () => readonly QueuedJob[];
  /** Takes the jobs due by the clock's now, as a worker would: each is handed out once. */
  takeDue(): QueuedJob[];
}

/**
 * The operations queue in an array, with BullMQ's rules that callers rely on: the job id is
 * the request id (`expire-<id>` for expiries), and adding an id that is already queued, or an
 * execution that already ran, adds nothing. An expiry is due at its time by the injected clock.
 */
export function createMemoryOperationQueue(clock: Clock): MemoryOperationQueue {
  const queued = new Map<string, QueuedJob>();
  // BullMQ keeps completed executions for days (removeOnComplete by age) and expiries not at all.
  const ran = new Set<string>();
  const add = (jobId: string, job: QueuedJob) => {
    if (!queued.has(jobId) && !ran.has(jobId)) queued.set(jobId, job);
    return Promise.resolve();
  };
  return {
    execute: (requestId) => add(requestId, { kind: 'execute', requestId, dueAt: clock.now() }),
    scheduleExpiry: (requestId, at) =>
      add(`expire-${requestId}`, { kind: 'expire', requestId, dueAt: new Date(at) }),
    jobs: () => [...queued.values()],
    takeDue() {
      const due = [...queued].filter(([, job]) => job.dueAt.getTime() <= clock.now().getTime());
      for (const [jobId, job] of due) {
        queued.delete(jobId);
        if (job.kind === 'execute') ran.add(jobId);
      }
      return due.map(([, job]) => job);
    },
  };
}
