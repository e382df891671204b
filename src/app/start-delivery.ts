import {
  createNotificationDelivery,
  type DeliveryDeps,
} from '../operations/deliver-notification.js';
import type { RedisPorts } from './redis-ports.js';

/** The delivery's deps, with the request store and incident threads taken from Redis. */
export type DeliveryStartDeps = Omit<DeliveryDeps, 'store' | 'incidents'> & {
  readonly ports: RedisPorts;
};

/**
 * The notification consumer: progress, card updates, channel notices and incident posts queued
 * by the workers, delivered to the chat platforms. It runs where the chat connections are.
 */
export function startDelivery(deps: DeliveryStartDeps): { close(): Promise<void> } {
  const { ports, ...delivery } = deps;
  return ports.implementations.startNotificationWorker({
    connection: ports.consumer,
    prefix: ports.prefix,
    log: deps.log,
    deliver: createNotificationDelivery({
      ...delivery,
      store: ports.store,
      incidents: ports.incidentThreads,
    }),
  });
}
