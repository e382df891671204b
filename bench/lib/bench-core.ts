import { consoleEvent } from '../../adapters/console/console-event.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { createApp, type App, type AppOptions } from '../../src/app/create-app.js';
import { loadBenchConfig } from './bench-config.js';

export type CoreOverrides = Partial<
  Pick<
    AppOptions,
    'platformFor' | 'operatorFor' | 'prober' | 'prefix' | 'timings' | 'clock' | 'sleep'
  >
>;

export interface BenchCore {
  readonly core: App;
  /** One console command, through the dispatcher, as a running bot takes it. */
  say(person: string, text: string): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * The bot's core as `tas-chatops start` builds it (createApp), on the given config text, with
 * `REDIS_URL` only when given: status and logs never touch Redis. Logs go nowhere: the console
 * path of a running bot writes one JSON line per command, a few microseconds.
 */
export async function startBenchCore(
  configText: string,
  options: { redisUrl?: string; overrides?: CoreOverrides } = {},
): Promise<BenchCore> {
  const { loaded, envOptions } = loadBenchConfig(
    configText,
    options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl },
  );
  const core = await createApp({ loaded, envOptions, log: silentLogger, ...options.overrides });
  return {
    core,
    say: (person, text) => core.dispatcher.dispatch(consoleEvent(text, person, 'tasfix')),
    close: () => core.close(),
  };
}
