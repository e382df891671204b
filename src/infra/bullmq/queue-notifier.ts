import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import type { Notification } from '../../core/requests/notification.js';
import type { Notifier } from '../../core/ports/notifier.js';
import { NOTIFY_QUEUE } from './queue-names.js';

export interface QueueNotifierOptions {
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly log: Logger;
}

/**
 * The worker side of notifications: a BullMQ queue the bot process drains. Workers next to the
 * Docker host need nothing but Redis to report progress, and the bot restarting in the middle
 * of an operation only delays the messages; they wait in Redis.
 */
export function createQueueNotifier(
  options: QueueNotifierOptions,
): Notifier & { close(): Promise<void>; redisRestarted(): void } {
  const queue = new Queue(NOTIFY_QUEUE, {
    connection: options.connection,
    ...(options.prefix && { prefix: options.prefix }),
  });
  queue.on('error', (error) => options.log.warn({ err: error }, 'notify queue error'));
  // A worker's `concurrency: 1` holds within one process only; with several bot processes
  // draining, two notices of one thread could be posted at once and out of order. The queue's
  // global concurrency (kept in Redis) makes all workers together take one job at a time.
  let oneAtATime: Promise<unknown> | undefined;
  const send = async (notification: Notification) => {
    oneAtATime ??= queue.setGlobalConcurrency(1).catch((error: unknown) => {
      oneAtATime = undefined;
      throw error;
    });
    await oneAtATime;
    await queue.add(notification.kind, notification, {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: { age: 86_400 },
    });
  };
  return {
    card: (request) => send({ kind: 'card', requestId: request.id }),
    thread: (request, reply) => send({ kind: 'thread', requestId: request.id, reply }),
    channel: (environment, channel, reply) =>
      send({ kind: 'channel', environment, channel, reply }),
    incident: (environment, channel, notice) =>
      send({ kind: 'incident', environment, channel, notice }),
    close: () => queue.close(),
    // A Redis that restarted without its data lost the setting too: set it again on the next send.
    redisRestarted: () => {
      oneAtATime = undefined;
    },
  };
}

/**
 * The bot side: one delivery at a time across every bot process (the queue's global
 * concurrency, set by the notifier), so progress arrives in the order it was sent.
 */
export function startNotificationWorker(
  options: QueueNotifierOptions & {
    readonly deliver: (notification: Notification) => Promise<void>;
  },
): Worker {
  const worker = new Worker(NOTIFY_QUEUE, (job) => options.deliver(job.data as Notification), {
    connection: options.connection,
    ...(options.prefix && { prefix: options.prefix }),
    concurrency: 1,
  });
  worker.on('error', (error) => options.log.warn({ err: error }, 'notify worker error'));
  worker.on('failed', (job, error) =>
    options.log.warn({ err: error, kind: job?.name }, 'notification not delivered'),
  );
  return worker;
}
