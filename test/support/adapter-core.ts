import { randomUUID } from 'node:crypto';
import type { EnvOptions } from '../../src/config/env-options.js';
import type { LoadedConfig } from '../../src/config/load-config.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { createApp, type App } from '../../src/app/create-app.js';

/**
 * The real core for a chat adapter harness, with a Redis prefix of its own and verification
 * timings a test can wait for. The harness builds its adapter on `core.host` and hands it to
 * `core.startDelivery([adapter])`, as the bot's `start` does: from then on approval cards and
 * notifications go out through it.
 */
export function startAdapterCore(options: {
  loaded: LoadedConfig;
  envOptions: EnvOptions;
  log: Logger;
}): Promise<App> {
  return createApp({
    loaded: options.loaded,
    envOptions: options.envOptions,
    log: options.log,
    prefix: `t-${randomUUID().slice(0, 8)}`,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
    lockDurationMs: 3000,
  });
}
