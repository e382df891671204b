import type { EnvironmentConfig } from '../config/schema.js';
import type { WatchPolicy } from './watch-event.js';

/** The state machine's policy from an environment's `watch` config. */
export function watchPolicy(watch: NonNullable<EnvironmentConfig['watch']>): WatchPolicy {
  return {
    confirm: watch.confirm,
    escalateAfter: watch.escalateAfter,
    ...(watch.reescalateAfter !== undefined && { reescalateAfterMs: watch.reescalateAfter }),
  };
}
