import type { Clock } from '../../../src/core/ports/clock.js';

/** A clock that moves only when told: expiry, TTLs and windows without real waiting. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(at: Date | string): void;
  /** For `OperationDeps.sleep`: a wait that passes instantly, moving the clock on. */
  sleep(ms: number): Promise<void>;
}

export function createManualClock(start: Date | string = '2026-12-01T03:00:00.000Z'): ManualClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    set(at) {
      now = new Date(at).getTime();
    },
    sleep(ms) {
      now += ms;
      return Promise.resolve();
    },
  };
}
