import type { Config } from '../config/schema.js';
import type { Directory } from '../core/directory.js';
import type { Dispatcher } from '../core/dispatcher.js';
import type { AdapterHost } from '../core/ports/chat-adapter.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import type { RequestStore } from '../core/ports/request-store.js';
import { createServiceNameCache } from './service-name-cache.js';

export interface AdapterHostDeps {
  readonly config: Config;
  readonly directory: Directory;
  readonly dispatcher: Dispatcher;
  /** Absent without Redis: there are no approval cards then. */
  readonly store: RequestStore | undefined;
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics?: Pick<Metrics, 'observeAck'>;
}

/** What chat adapters call: dispatch, card references, live service names. */
export function createAdapterHost(deps: AdapterHostDeps): AdapterHost {
  const { config, directory } = deps;
  const serviceNamesOf = createServiceNameCache({
    platformFor: deps.platformFor,
    clock: deps.clock,
    fallback: (environment) => config.environments[environment]?.services ?? [],
  });
  return {
    dispatch: (event) => deps.dispatcher.dispatch(event),
    cardPosted: (requestId, ref) => recordCard(deps.store, requestId, ref),
    async serviceNames(environment, channel) {
      const name =
        environment ??
        directory.environmentForChannel(channel.platform, channel.channelId) ??
        config.defaultEnvironment ??
        Object.keys(config.environments)[0];
      if (name === undefined || config.environments[name] === undefined) return [];
      return serviceNamesOf(name);
    },
    log: deps.log,
    ...(deps.metrics && { metrics: deps.metrics }),
  };
}

/** Where a posted approval card sits, so later updates edit it in place. */
async function recordCard(
  store: RequestStore | undefined,
  requestId: string,
  ref: { cardRef: string; threadId?: string },
): Promise<void> {
  await store?.update(requestId, (current) => ({
    request: {
      ...current,
      origin: {
        ...current.origin,
        cardRef: ref.cardRef,
        ...(ref.threadId !== undefined && { threadId: ref.threadId }),
      },
    },
    result: true,
  }));
}
