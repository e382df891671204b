import type { Queue, Worker } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';

/** A job scheduler's queue and the worker running its ticks, as one thing to wait for and close. */
export interface ScheduledWork {
  /** Settles once the schedulers are upserted; rejects if that failed. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Logs a failed upsert (`what` names the ticks) and closes the worker before its queue. */
export function scheduledWork(
  queue: Queue,
  worker: Worker,
  ready: Promise<void>,
  log: Logger,
  what: string,
): ScheduledWork {
  ready.catch((error: unknown) => log.error({ err: error }, `could not schedule the ${what}`));
  return {
    ready,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
