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
  /** The execution taken for `requestId` failed for good, as BullMQ keeps it: with its reason. */
  fail(requestId: string, reason: string): void;
  /** The execution job of `requestId` is gone, as if Redis lost it or it was removed. */
  lose(requestId: string): void;
}

/**
 * The operations queue in an array, with BullMQ's rules that callers rely on: the job id is
 * the request id (`expire-<id>` for expiries), and adding an id that is already queued adds
 * nothing. An execution that already ran (completed or failed) is replaced by a new one, as
 * the BullMQ queue does. An expiry is due at its time by the injected clock.
 */
export function createMemoryOperationQueue(clock: Clock): MemoryOperationQueue {
  const queued = new Map<string, QueuedJob>();
  // Executions taken by a worker: completed, or failed with a reason.
  const ran = new Map<string, { failed?: string }>();
  const add = (jobId: string, job: QueuedJob) => {
    if (!queued.has(jobId)) queued.set(jobId, job);
    return Promise.resolve();
  };
  return {
    execute(requestId) {
      ran.delete(requestId);
      return add(requestId, { kind: 'execute', requestId, dueAt: clock.now() });
    },
    executionJob(requestId) {
      if (queued.has(requestId)) return Promise.resolve({ state: 'live' as const });
      const done = ran.get(requestId);
      if (done === undefined) return Promise.resolve({ state: 'missing' as const });
      if (done.failed !== undefined)
        return Promise.resolve({ state: 'failed' as const, reason: done.failed });
      return Promise.resolve({ state: 'completed' as const });
    },
    scheduleExpiry: (requestId, at) =>
      add(`expire-${requestId}`, { kind: 'expire', requestId, dueAt: new Date(at) }),
    jobs: () => [...queued.values()],
    takeDue() {
      const due = [...queued].filter(([, job]) => job.dueAt.getTime() <= clock.now().getTime());
      for (const [jobId, job] of due) {
        queued.delete(jobId);
        if (job.kind === 'execute') ran.set(jobId, {});
      }
      return due.map(([, job]) => job);
    },
    fail(requestId, reason) {
      ran.set(requestId, { failed: reason });
    },
    lose(requestId) {
      queued.delete(requestId);
      ran.delete(requestId);
    },
  };
}
