import type { Config } from '../config/schema.js';
import type { Command } from '../core/command.js';
import type { Directory } from '../core/directory.js';
import { createDispatcher, type Dispatcher } from '../core/dispatcher.js';
import { authorize } from '../core/middleware/authorize.js';
import { identify } from '../core/middleware/identify.js';
import { resolveCommand } from '../core/middleware/resolve-command.js';
import { withLogger } from '../core/middleware/with-logger.js';
import { withMetrics } from '../core/middleware/with-metrics.js';
import type { Clock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import { requestPolicies } from '../operations/request-policies.js';

export interface DispatcherWiring {
  readonly config: Config;
  readonly directory: Directory;
  readonly commands: readonly Command[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly redact: (text: string) => string;
  readonly metrics?: Metrics | undefined;
}

/**
 * The dispatcher and its middleware, outermost first: metrics, the request's logger, who is
 * asking, which command and environment, whether they may.
 */
export function wireDispatcher(wiring: DispatcherWiring): Dispatcher {
  const { config, directory, commands, clock, metrics } = wiring;
  const slash = `/${config.command}`;
  return createDispatcher({
    slash,
    log: wiring.log,
    redact: wiring.redact,
    middleware: [
      ...(metrics ? [withMetrics(metrics, clock)] : []),
      withLogger(clock),
      identify(directory),
      resolveCommand(commands, directory, slash),
      authorize(directory, requestPolicies(config)),
    ],
  });
}
