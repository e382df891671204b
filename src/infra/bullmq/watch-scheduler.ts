import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import { scheduledWork, type ScheduledWork } from './scheduled-work.js';

/** Queue name (BullMQ names take no `:`). */
export const WATCH_QUEUE = 'tas-watch';
const SCHEDULER_PREFIX = 'watch-';

export interface WatchedEnvironment {
  readonly name: string;
  readonly everyMs: number;
}

/** One scheduled check, as the scheduler hands it to the watcher. */
export interface WatchTick {
  readonly environment: string;
  /** BullMQ job id, `repeat:watch-<env>:<slot millis>`: one per interval. */
  readonly id: string;
  /** The interval slot this tick belongs to. */
  readonly scheduledFor: Date;
}

export interface WatchSchedulerOptions {
  /** Used by the worker too, so it needs `maxRetriesPerRequest: null`. */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly environments: readonly WatchedEnvironment[];
  readonly log: Logger;
  readonly tick: (tick: WatchTick) => Promise<unknown>;
  /** Ticks of different environments run side by side; 4 by default. */
  readonly concurrency?: number;
}

/** `ready` settles once every scheduler is upserted (and stale ones removed). */
export type WatchScheduler = ScheduledWork;

/**
 * One BullMQ job scheduler per watched environment (`every` = `watch.every`) and a worker that
 * runs the ticks. Any number of processes may call this: upserting the same scheduler again
 * keeps its slot, and a scheduler makes exactly one job per interval, which exactly one worker
 * takes. Schedulers of environments no longer watched are removed. Ticks are not retried: a
 * failed or stalled check is simply followed by the next one.
 */
export function startWatchScheduler(options: WatchSchedulerOptions): WatchScheduler {
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };
  const queue = new Queue(WATCH_QUEUE, { connection: options.connection, ...prefix });
  queue.on('error', (error) => options.log.warn({ err: error }, 'watch queue error'));
  const worker = new Worker(
    WATCH_QUEUE,
    async (job) => {
      const { environment } = job.data as { environment: string };
      const id = job.id ?? '';
      const slot = /:(\d+)$/.exec(id)?.[1];
      await options.tick({
        environment,
        id,
        scheduledFor: new Date(slot === undefined ? job.timestamp : Number(slot)),
      });
    },
    {
      connection: options.connection,
      ...prefix,
      concurrency: options.concurrency ?? 4,
      maxStalledCount: 0,
    },
  );
  worker.on('error', (error) => options.log.warn({ err: error }, 'watch worker error'));
  worker.on('failed', (job, error) =>
    options.log.warn(
      { err: error, environment: (job?.data as { environment?: string } | undefined)?.environment },
      'watch tick failed',
    ),
  );

  const ready = upsertSchedulers(queue, options.environments);
  return scheduledWork(queue, worker, ready, options.log, 'watcher');
}

async function upsertSchedulers(
  queue: Queue,
  environments: readonly WatchedEnvironment[],
): Promise<void> {
  const wanted = new Set(environments.map((env) => `${SCHEDULER_PREFIX}${env.name}`));
  for (const env of environments) {
    await queue.upsertJobScheduler(
      `${SCHEDULER_PREFIX}${env.name}`,
      { every: env.everyMs },
      {
        name: 'watch',
        data: { environment: env.name },
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) await queue.removeJobScheduler(id);
  }
}
