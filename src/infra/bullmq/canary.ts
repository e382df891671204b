import { randomBytes } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import { OPERATIONS_QUEUE } from './queue-names.js';

/** Job name of the canary; the operations worker answers it at once and does nothing else. */
export const CANARY_JOB = 'canary';

/** `work`, or a rejection once `ms` have passed (the work itself goes on). */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** One readiness check's answer. */
export interface CanaryCheck {
  readonly ok: boolean;
  readonly detail: string;
}

export interface CanaryOptions {
  /** A producer connection (`enableOfflineQueue: false`): a ping fails at once while Redis is down. */
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly log: Logger;
  /** How often Redis is pinged and a canary sent. */
  readonly everyMs?: number;
  /** Workers count as consuming while a canary was answered within this long. */
  readonly freshMs?: number;
  readonly now?: () => number;
}

export interface Canary {
  /** Redis answers (checked on each tick). */
  redis(): CanaryCheck;
  /** A canary went through the real operations worker path recently. */
  workers(): CanaryCheck;
  close(): Promise<void>;
}

/**
 * Proves the operations workers consume, not merely that they exist: a worker can stop
 * silently after a Redis failover. Every tick reads from Redis and, when no canary is on its way,
 * puts a tiny job on the operations queue; the worker's answer (the job completing) refreshes
 * the proof. A Redis failure forgets the proof, so after Redis returns the workers have to
 * show again that they consume.
 *
 * Canaries are added with `removeOnComplete: false` and removed here one by one: BullMQ's
 * age- or count-based retention trims the whole completed set, which would drop the execute
 * jobs whose ids keep a repeated approval from running twice.
 */
export function startCanary(options: CanaryOptions): Canary {
  const everyMs = options.everyMs ?? 2000;
  const freshMs = options.freshMs ?? 15_000;
  const now = options.now ?? Date.now;
  const roundTripMs = Math.min(everyMs, 1000);
  const queue = new Queue(OPERATIONS_QUEUE, {
    connection: options.connection,
    ...(options.prefix && { prefix: options.prefix }),
  });
  queue.on('error', (error) => options.log.debug({ err: error }, 'canary queue error'));
  const instance = randomBytes(4).toString('hex');
  const pingKey = `${options.prefix ?? 'bull'}:canary-ping`;
  let sequence = 0;
  let redis: CanaryCheck = { ok: false, detail: 'not checked yet' };
  let answeredAt: number | undefined;
  let pending: { id: string; at: number } | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const discard = async (id: string) => {
    await queue.remove(id).catch(() => undefined); // an active (locked) canary finishes on its own
  };

  async function send() {
    sequence += 1;
    const id = `canary-${instance}-${sequence}`;
    await queue.add(
      CANARY_JOB,
      {},
      { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: true },
    );
    pending = { id, at: now() };
  }

  async function follow(current: { id: string; at: number }) {
    const state = await queue.getJobState(current.id);
    if (state === 'completed') {
      answeredAt = now();
      pending = undefined;
      await discard(current.id);
    } else if (state === 'unknown' || state === 'failed' || now() - current.at > freshMs) {
      pending = undefined;
      await discard(current.id);
    }
  }

  async function tick() {
    try {
      // A read is the round trip (BullMQ's client interface has no PING). Bounded: a client
      // that queues commands while disconnected would otherwise keep the old answer forever.
      const client = await within(queue.getBackend().client, roundTripMs);
      await within(client.get(pingKey), roundTripMs);
      redis = { ok: true, detail: 'answers' };
    } catch (error) {
      redis = {
        ok: false,
        detail: `unreachable (${error instanceof Error ? error.message : String(error)})`,
      };
      answeredAt = undefined;
      pending = undefined;
      return;
    }
    try {
      if (pending !== undefined) await within(follow(pending), roundTripMs);
      if (pending === undefined && !stopped) await within(send(), roundTripMs);
    } catch (error) {
      options.log.debug({ err: error }, 'canary not sent');
    }
  }

  const loop = () => {
    inFlight = tick().finally(() => {
      // Quicker while there is nothing to show yet, so readiness comes up soon after Redis does.
      if (!stopped)
        timer = setTimeout(
          loop,
          redis.ok && answeredAt !== undefined ? everyMs : Math.min(everyMs, 500),
        );
    });
  };
  loop();

  return {
    redis: () => redis,
    workers() {
      if (answeredAt !== undefined && now() - answeredAt <= freshMs) {
        return {
          ok: true,
          detail: `canary answered ${Math.round((now() - answeredAt) / 1000)}s ago`,
        };
      }
      if (!redis.ok) return { ok: false, detail: 'waiting for Redis' };
      return {
        ok: false,
        detail: `no canary answered by the operations workers in the last ${Math.round(freshMs / 1000)}s`,
      };
    },
    async close() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      if (pending !== undefined) await discard(pending.id);
      await queue.close();
    },
  };
}
