import type { Logger } from '../core/ports/logger.js';
import type { WatchState, WatchStateStore } from '../core/ports/watch-state-store.js';

/**
 * An escalation that could not be sent is taken back, so the next tick tries again; unless
 * another tick moved the state on meanwhile (it then decides for itself).
 */
export async function forgetEscalation(
  store: WatchStateStore,
  environment: string,
  sent: WatchState,
  previous: WatchState | undefined,
  log: Logger,
): Promise<void> {
  await store
    .update(environment, (current) => {
      if (
        current === undefined ||
        current.lastEscalationAt !== sent.lastEscalationAt ||
        current.escalations !== sent.escalations
      )
        return undefined;
      const restored = withEscalations(
        current,
        previous?.escalations ?? 0,
        previous?.lastEscalationAt,
      );
      return { state: restored, result: true };
    })
    .catch((error: unknown) =>
      log.error({ err: error }, 'could not take back the failed escalation'),
    );
}

/** `state` with its escalation count and time replaced (the time removed when undefined). */
function withEscalations(
  state: WatchState,
  escalations: number,
  lastEscalationAt: string | undefined,
): WatchState {
  const copy: { -readonly [K in keyof WatchState]?: WatchState[K] } = { ...state };
  delete copy.lastEscalationAt;
  return {
    ...(copy as WatchState),
    escalations,
    ...(lastEscalationAt !== undefined && { lastEscalationAt }),
  };
}
