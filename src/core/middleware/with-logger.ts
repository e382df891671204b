import type { Clock } from '../ports/clock.js';
import type { Middleware } from '../dispatch-context.js';

/** One log line per event with its outcome and duration; the details of failures come from the boundary. */
export function withLogger(clock: Clock): Middleware {
  return async (context, next) => {
    const started = clock.now().getTime();
    const reply = await next();
    context.log.info(
      {
        command: context.command?.name,
        environment: context.environment,
        verdict: reply.verdict,
        ms: clock.now().getTime() - started,
      },
      'command answered',
    );
    return reply;
  };
}
