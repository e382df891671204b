import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyError } from '../core/errors.js';
import type { Readiness } from '../infra/http/readiness.js';
import { createApp, type App, type AppOptions } from './create-app.js';

/**
 * createApp, retried while Redis is unreachable at boot (readiness says so meanwhile), with a
 * backoff of half a second per attempt up to 5 s. Undefined when shutdown was asked for first.
 */
export async function connectApp(
  options: AppOptions,
  readiness: Readiness,
  stop: Promise<void>,
): Promise<App | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createApp(options);
    } catch (error) {
      if (!(error instanceof DependencyError) || error.dependency !== 'redis') throw error;
      readiness.use([{ name: 'redis', check: () => ({ ok: false, detail: error.message }) }]);
      options.log.warn({ err: error, attempt }, 'Redis is not reachable yet; retrying');
      await Promise.race([stop, sleep(Math.min(attempt * 500, 5000))]);
      if (stopped) return undefined;
    }
  }
}
