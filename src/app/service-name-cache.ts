import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import { singleFlight } from '../lib/single-flight.js';

/** How long a listing answers autocomplete before a refresh starts behind the answer. */
const FRESH_MS = 15_000;

export interface ServiceNameCacheDeps {
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly clock: Clock;
  /** What to offer when the Engine cannot be listed and nothing is cached yet. */
  readonly fallback: (environment: string) => readonly string[];
}

/**
 * Live service names per environment for autocomplete, which must answer within Discord's 3 s:
 * a cached listing is returned at once, and one older than 15 s is refreshed behind the answer.
 */
export function createServiceNameCache(
  deps: ServiceNameCacheDeps,
): (environment: string) => Promise<readonly string[]> {
  const cache = new Map<string, { at: number; names: readonly string[] }>();
  const listNames = singleFlight(async (environment: string) => {
    const names = (await deps.platformFor(environment).listServices()).map((s) => s.name);
    cache.set(environment, { at: deps.clock.now().getTime(), names });
    return names;
  });
  return async (environment) => {
    const cached = cache.get(environment);
    if (cached !== undefined) {
      if (deps.clock.now().getTime() - cached.at > FRESH_MS) {
        listNames(environment).catch(() => undefined);
      }
      return cached.names;
    }
    return listNames(environment).catch(() => deps.fallback(environment));
  };
}
