import type { Config } from '../config/schema.js';
import type { Platform } from '../core/chat-event.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import type { Logger } from '../core/ports/logger.js';
import { redactReply } from '../core/redact-reply.js';
import type { Reply } from '../core/reply.js';
import { approvalCard } from './approval-card.js';
import type { Notification } from '../core/requests/notification.js';
import type { RequestStore } from '../core/ports/request-store.js';

export interface DeliveryDeps {
  readonly config: Config;
  readonly store: RequestStore;
  readonly deliveries: ReadonlyMap<Platform, ChatDelivery>;
  readonly redact: (text: string) => string;
  readonly log: Logger;
}

/**
 * The bot side of the notifier: turns a Notification into posts and updates on the platform
 * the request came from (cards and threads) or on every platform the channel is configured
 * for (ops and support channels). Runs in the process that owns the chat connections.
 */
export function createNotificationDelivery(
  deps: DeliveryDeps,
): (notification: Notification) => Promise<void> {
  // Notifications never pass the dispatcher, so they are redacted here, on their way out.
  const safe = (reply: Reply) => redactReply(reply, deps.redact);
  return async (notification) => {
    if (notification.kind === 'channel') {
      const channel =
        deps.config.environments[notification.environment]?.channels[notification.channel] ?? {};
      const targets = Object.entries(channel).filter(([, id]) => id !== undefined);
      let posted = 0;
      for (const [platform, channelId] of targets) {
        const delivery = deps.deliveries.get(platform as Platform);
        if (delivery === undefined || channelId === undefined) continue;
        await delivery.post({ channelId }, safe(notification.reply));
        posted += 1;
      }
      const consoleDelivery = deps.deliveries.get('console');
      if (posted === 0 && consoleDelivery !== undefined) {
        await consoleDelivery.post(
          { channelId: `${notification.environment}#${notification.channel}` },
          safe(notification.reply),
        );
        posted += 1;
      }
      if (posted === 0)
        deps.log.warn(
          { environment: notification.environment, channel: notification.channel },
          'no chat channel configured for notification',
        );
      return;
    }
    const request = await deps.store.get(notification.requestId);
    if (request === undefined) return;
    const delivery = deps.deliveries.get(request.origin.platform);
    if (delivery === undefined) {
      deps.log.warn(
        { requestId: request.id, platform: request.origin.platform },
        'request came from a platform that is not connected',
      );
      return;
    }
    const threadId = request.origin.threadId ?? request.origin.cardRef;
    const target = {
      channelId: request.origin.channelId,
      ...(threadId !== undefined && { threadId }),
    };
    if (notification.kind === 'card') {
      const card = safe(approvalCard(request));
      if (request.origin.cardRef !== undefined)
        await delivery.update({ ...target, ref: request.origin.cardRef }, card);
      else await delivery.post(target, card);
    } else {
      await delivery.post(target, safe(notification.reply));
    }
  };
}
