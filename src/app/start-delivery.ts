import type { Config } from '../config/schema.js';
import type { Platform } from '../core/chat-event.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import type { Logger } from '../core/ports/logger.js';
import { createNotificationDelivery } from '../operations/deliver-notification.js';
import type { RedisPorts } from './redis-ports.js';

export interface DeliveryStartDeps {
  readonly ports: RedisPorts;
  readonly config: Config;
  /** One per chat platform. */
  readonly deliveries: ReadonlyMap<Platform, ChatDelivery>;
  readonly redact: (text: string) => string;
  readonly log: Logger;
}

/**
 * The notification consumer: progress, card updates, channel notices and incident posts queued
 * by the workers, delivered to the chat platforms. It runs where the chat connections are.
 */
export function startDelivery(deps: DeliveryStartDeps): { close(): Promise<void> } {
  const { ports, config, redact, log } = deps;
  return ports.implementations.startNotificationWorker({
    connection: ports.consumer,
    prefix: ports.prefix,
    log,
    deliver: createNotificationDelivery({
      config,
      store: ports.store,
      deliveries: deps.deliveries,
      redact,
      log,
      incidents: ports.incidentThreads,
    }),
  });
}
