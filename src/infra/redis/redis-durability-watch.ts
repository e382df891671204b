import type { Redis } from 'ioredis';
import type { Logger } from '../../core/ports/logger.js';
import {
  persistenceVerdict,
  readPersistence,
  readRunId,
  type PersistenceCheck,
} from './redis-durability.js';

export interface DurabilityWatchOptions {
  readonly redis: Redis;
  readonly log: Logger;
  /**
   * Called once each time the server turns out to have restarted. What it kept depends on its
   * persistence, so whatever chat shows from the store must be shown again from the store.
   */
  readonly onRestart: () => Promise<void>;
  readonly everyMs?: number;
}

/** The server's persistence as a readiness answer, and the restart watch behind it. */
export interface DurabilityWatch {
  persistence(): PersistenceCheck;
  close(): Promise<void>;
}

interface WatchState {
  readonly options: DurabilityWatchOptions;
  runId?: string | undefined;
  verdict: PersistenceCheck;
  stopped: boolean;
  timer?: NodeJS.Timeout | undefined;
  inFlight: Promise<void>;
}

/**
 * Notices a Redis restart by the server's `run_id` changing between two reads (a client
 * reconnects without telling), and reads the persistence settings on each tick, warning once
 * whenever the verdict changes to one that could lose acknowledged votes.
 */
export function watchRedisDurability(options: DurabilityWatchOptions): DurabilityWatch {
  const state: WatchState = {
    options,
    verdict: { ok: true, warning: false, detail: 'not checked yet' },
    stopped: false,
    inFlight: Promise.resolve(),
  };
  loop(state);
  return {
    persistence: () => state.verdict,
    async close() {
      state.stopped = true;
      clearTimeout(state.timer);
      await state.inFlight;
    },
  };
}

function loop(state: WatchState): void {
  state.inFlight = tick(state).finally(() => {
    if (state.stopped) return;
    state.timer = setTimeout(() => loop(state), state.options.everyMs ?? 1000);
    // The watch never keeps a process alive on its own.
    state.timer.unref();
  });
}

async function tick(state: WatchState): Promise<void> {
  const { redis, log, onRestart } = state.options;
  let runId: string;
  try {
    runId = await readRunId(redis);
    const verdict = persistenceVerdict(await readPersistence(redis));
    if (verdict.warning && verdict.detail !== state.verdict.detail)
      log.warn({ detail: verdict.detail }, 'Redis may lose acknowledged votes');
    state.verdict = verdict;
  } catch {
    return; // Redis is down or busy: the `redis` readiness check says so; try again next tick.
  }
  const previous = state.runId;
  state.runId = runId;
  if (previous === undefined || previous === runId) return;
  log.warn({ previous, runId }, 'Redis restarted: showing every open request again from the store');
  try {
    await onRestart();
  } catch (error) {
    // Forget the identity so the next tick tries again rather than leave a stale card.
    state.runId = previous;
    log.warn({ err: error }, 'could not show the open requests again after a Redis restart');
  }
}
