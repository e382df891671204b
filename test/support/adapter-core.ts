import { randomUUID } from 'node:crypto';
import type { EnvOptions } from '../../src/config/env-options.js';
import type { LoadedConfig } from '../../src/config/load-config.js';
import type { ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { ChatDelivery } from '../../src/core/ports/chat-delivery.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { createApp, type App } from '../../src/app/create-app.js';

/**
 * The real core for a chat adapter harness, with a Redis prefix of its own and verification
 * timings a test can wait for. The core takes its deliveries before the adapter (which needs the
 * core's host) exists, so notifications go through a slot the harness fills with `attach`.
 */
export async function startAdapterCore(options: {
  platform: ChatDelivery['platform'];
  loaded: LoadedConfig;
  envOptions: EnvOptions;
  log: Logger;
}): Promise<{ core: App; attach(adapter: ChatAdapter): void }> {
  const slot: { adapter?: ChatAdapter } = {};
  const need = () => {
    if (slot.adapter === undefined)
      throw new Error(`the ${options.platform} adapter is not started yet`);
    return slot.adapter;
  };
  const delivery: ChatDelivery = {
    platform: options.platform,
    post: (t, r) => need().post(t, r),
    update: (t, r) => need().update(t, r),
  };
  const core = await createApp({
    loaded: options.loaded,
    envOptions: options.envOptions,
    log: options.log,
    deliveries: [delivery],
    prefix: `t-${randomUUID().slice(0, 8)}`,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
    lockDurationMs: 3000,
  });
  return {
    core,
    attach(adapter) {
      slot.adapter = adapter;
    },
  };
}
