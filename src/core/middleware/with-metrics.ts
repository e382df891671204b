import type { Middleware } from '../dispatch-context.js';
import { DependencyError, isUserError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { CommandOutcome, Metrics } from '../ports/metrics.js';

/** The outcome the dispatcher's boundary will give a thrown error. */
function outcomeOf(error: unknown): CommandOutcome {
  if (isUserError(error)) return 'refused';
  if (error instanceof DependencyError) return 'unavailable';
  return 'failed';
}

/**
 * Counts every command by name and outcome and times it. Runs first in the chain, so it sees
 * refusals and failures thrown by any later middleware before the boundary answers them; the
 * error goes on unchanged.
 */
export function withMetrics(metrics: Metrics, clock: Clock): Middleware {
  return async (context, next) => {
    const started = clock.now().getTime();
    const answered = (outcome: CommandOutcome) =>
      metrics.commandAnswered(
        context.command?.name ?? 'unknown',
        outcome,
        (clock.now().getTime() - started) / 1000,
      );
    try {
      const reply = await next();
      answered('ok');
      return reply;
    } catch (error) {
      answered(outcomeOf(error));
      throw error;
    }
  };
}
