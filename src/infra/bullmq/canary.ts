import { randomBytes } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../core/ports/logger.js';
import { within } from '../../lib/within.js';
import { OPERATIONS_QUEUE } from './queue-names.js';

/** Job name of the canary; the operations worker answers it at once and does nothing else. */
export const CANARY_JOB = 'canary';

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
  const queue = new Queue(OPERATIONS_QUEUE, {
    connection: options.connection,
    ...(options.prefix && { prefix: options.prefix }),
  });
  queue.on('error', (error) => options.log.debug({ err: error }, 'canary queue error'));
  const state: CanaryState = {
    queue,
    log: options.log,
    everyMs,
    freshMs: options.freshMs ?? 15_000,
    now: options.now ?? Date.now,
    roundTripMs: Math.min(everyMs, 1000),
    instance: randomBytes(4).toString('hex'),
    pingKey: `${options.prefix ?? 'bull'}:canary-ping`,
    sequence: 0,
    redis: { ok: false, detail: 'not checked yet' },
    stopped: false,
    inFlight: Promise.resolve(),
  };
  loop(state);
  return {
    redis: () => state.redis,
    workers: () => workersCheck(state),
    close: () => closeCanary(state),
  };
}

/** The canary's settings and what it has seen so far. */
interface CanaryState {
  readonly queue: Queue;
  readonly log: Logger;
  readonly everyMs: number;
  readonly freshMs: number;
  readonly now: () => number;
  /** How long one Redis round trip may take before it counts as failed. */
  readonly roundTripMs: number;
  /** Part of every canary's job id, so two processes never take each other's. */
  readonly instance: string;
  readonly pingKey: string;
  sequence: number;
  redis: CanaryCheck;
  answeredAt?: number | undefined;
  pending?: { readonly id: string; readonly at: number } | undefined;
  stopped: boolean;
  timer?: NodeJS.Timeout;
  inFlight: Promise<void>;
}

function loop(state: CanaryState): void {
  state.inFlight = tick(state).finally(() => {
    // Quicker while there is nothing to show yet, so readiness comes up soon after Redis does.
    if (state.stopped) return;
    const proven = state.redis.ok && state.answeredAt !== undefined;
    state.timer = setTimeout(
      () => loop(state),
      proven ? state.everyMs : Math.min(state.everyMs, 500),
    );
  });
}

async function tick(state: CanaryState): Promise<void> {
  try {
    // A read is the round trip (BullMQ's client interface has no PING). Bounded: a client
    // that queues commands while disconnected would otherwise keep the old answer forever.
    const client = await within(state.queue.getBackend().client, state.roundTripMs);
    await within(client.get(state.pingKey), state.roundTripMs);
    state.redis = { ok: true, detail: 'answers' };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    state.redis = { ok: false, detail: `unreachable (${why})` };
    state.answeredAt = undefined;
    state.pending = undefined;
    return;
  }
  try {
    if (state.pending !== undefined) await within(follow(state, state.pending), state.roundTripMs);
    if (state.pending === undefined && !state.stopped) await within(send(state), state.roundTripMs);
  } catch (error) {
    state.log.debug({ err: error }, 'canary not sent');
  }
}

async function send(state: CanaryState): Promise<void> {
  state.sequence += 1;
  const id = `canary-${state.instance}-${state.sequence}`;
  await state.queue.add(
    CANARY_JOB,
    {},
    { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: true },
  );
  state.pending = { id, at: state.now() };
}

async function follow(state: CanaryState, current: { id: string; at: number }): Promise<void> {
  const job = await state.queue.getJobState(current.id);
  if (job === 'completed') {
    state.answeredAt = state.now();
    state.pending = undefined;
    await discard(state.queue, current.id);
  } else if (job === 'unknown' || job === 'failed' || state.now() - current.at > state.freshMs) {
    state.pending = undefined;
    await discard(state.queue, current.id);
  }
}

async function discard(queue: Queue, id: string): Promise<void> {
  await queue.remove(id).catch(() => undefined); // an active (locked) canary finishes on its own
}

function workersCheck(state: CanaryState): CanaryCheck {
  const { answeredAt, freshMs } = state;
  if (answeredAt !== undefined && state.now() - answeredAt <= freshMs) {
    const ago = Math.round((state.now() - answeredAt) / 1000);
    return { ok: true, detail: `canary answered ${ago}s ago` };
  }
  if (!state.redis.ok) return { ok: false, detail: 'waiting for Redis' };
  return {
    ok: false,
    detail: `no canary answered by the operations workers in the last ${Math.round(freshMs / 1000)}s`,
  };
}

async function closeCanary(state: CanaryState): Promise<void> {
  state.stopped = true;
  clearTimeout(state.timer);
  await state.inFlight;
  if (state.pending !== undefined) await discard(state.queue, state.pending.id);
  await state.queue.close();
}
