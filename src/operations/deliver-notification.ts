import type { Config } from '../config/schema.js';
import type { Platform } from '../core/chat-event.js';
import type { ChatDelivery } from '../core/ports/chat-delivery.js';
import type { Logger } from '../core/ports/logger.js';
import { redactReply } from '../core/redact-reply.js';
import type { Reply } from '../core/reply.js';
import { approvalCard } from './approval-card.js';
import type { Notification } from '../core/requests/notification.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { IncidentThread, IncidentThreadStore } from '../core/ports/watch-state-store.js';

export interface DeliveryDeps {
  readonly config: Config;
  readonly store: RequestStore;
  readonly deliveries: ReadonlyMap<Platform, ChatDelivery>;
  readonly redact: (text: string) => string;
  readonly log: Logger;
  /** Where incidents' first posts went; in memory when absent (one bot process, no restarts). */
  readonly incidents?: IncidentThreadStore;
}

/** A notice whose incident thread is unknown, said so at its top. */
function withoutThread(reply: Reply): Reply {
  return {
    ...reply,
    blocks: [
      {
        kind: 'text',
        text: 'The first post of this incident could not be made, so this update is posted on its own.',
      },
      ...reply.blocks,
    ],
  };
}

function inMemoryIncidentThreads(): IncidentThreadStore {
  const threads = new Map<string, Record<string, IncidentThread>>();
  return {
    get: (environment, incidentId) =>
      Promise.resolve({ ...threads.get(`${environment}:${incidentId}`) }),
    record(environment, incidentId, platform, thread) {
      const key = `${environment}:${incidentId}`;
      threads.set(key, { ...threads.get(key), [platform]: thread });
      return Promise.resolve();
    },
  };
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
  const incidents = deps.incidents ?? inMemoryIncidentThreads();

  /** The channel's platforms and ids; the console stands in when no chat has the channel. */
  function targetsOf(environment: string, channelName: string) {
    const channel = deps.config.environments[environment]?.channels[channelName] ?? {};
    const targets: { delivery: ChatDelivery; channelId: string }[] = [];
    for (const [platform, channelId] of Object.entries(channel)) {
      const delivery = deps.deliveries.get(platform as Platform);
      if (delivery !== undefined && channelId !== undefined) targets.push({ delivery, channelId });
    }
    const consoleDelivery = deps.deliveries.get('console');
    if (targets.length === 0 && consoleDelivery !== undefined)
      targets.push({ delivery: consoleDelivery, channelId: `${environment}#${channelName}` });
    if (targets.length === 0)
      deps.log.warn(
        { environment, channel: channelName },
        'no chat channel configured for notification',
      );
    return targets;
  }

  async function deliverIncident(
    notification: Extract<Notification, { kind: 'incident' }>,
  ): Promise<void> {
    const { environment, notice } = notification;
    const threads = await incidents.get(environment, notice.incidentId);
    for (const { delivery, channelId } of targetsOf(environment, notification.channel)) {
      const thread = threads[delivery.platform];
      if (notice.opens) {
        // A retried job must not open the incident twice where it already did.
        if (thread !== undefined) continue;
        const posted = await delivery.post(
          { channelId },
          safe({ ...notice.post, opensThread: true }),
        );
        await incidents.record(environment, notice.incidentId, delivery.platform, {
          channelId,
          ref: posted.ref,
          ...(posted.threadId !== undefined && { threadId: posted.threadId }),
        });
        continue;
      }
      if (thread === undefined || thread.channelId !== channelId) {
        // The opening post never made it: this notice stands on its own rather than vanish.
        await delivery.post({ channelId }, safe(withoutThread(notice.post)));
        continue;
      }
      await delivery.post(
        { channelId, threadId: thread.threadId ?? thread.ref },
        safe(notice.post),
      );
      if (notice.summary === undefined) continue;
      try {
        await delivery.update(
          {
            channelId,
            ref: thread.ref,
            ...(thread.threadId !== undefined && { threadId: thread.threadId }),
          },
          safe(notice.summary),
        );
      } catch (error) {
        // The reply is posted; retrying the job would post it twice for a stale summary line.
        deps.log.warn(
          { err: error, environment, incidentId: notice.incidentId, platform: delivery.platform },
          'could not update the incident summary',
        );
      }
    }
  }

  return async (notification) => {
    if (notification.kind === 'incident') return deliverIncident(notification);
    if (notification.kind === 'channel') {
      for (const { delivery, channelId } of targetsOf(
        notification.environment,
        notification.channel,
      ))
        await delivery.post({ channelId }, safe(notification.reply));
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
