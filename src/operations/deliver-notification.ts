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
import { cardDigest } from './card-digest.js';
import { recordCard, recordCardShown } from './record-card.js';

export interface DeliveryDeps {
  readonly config: Config;
  readonly store: RequestStore;
  readonly deliveries: ReadonlyMap<Platform, ChatDelivery>;
  readonly redact: (text: string) => string;
  readonly log: Logger;
  /** Where incidents' first posts went; in memory when absent (one bot process, no restarts). */
  readonly incidents?: IncidentThreadStore;
}

type Delivering = DeliveryDeps & {
  readonly incidents: IncidentThreadStore;
  /** Notifications never pass the dispatcher, so they are redacted here, on their way out. */
  readonly safe: (reply: Reply) => Reply;
};

type IncidentNotification = Extract<Notification, { kind: 'incident' }>;
type RequestNotification = Extract<Notification, { kind: 'card' | 'thread' }>;

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

/** The channel's platforms and ids; the console stands in when no chat has the channel. */
function targetsOf(deps: Delivering, environment: string, channelName: string) {
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

/** The incident's first post, once per platform: a retried job must not open it twice. */
async function openIncident(
  deps: Delivering,
  notification: IncidentNotification,
  target: { delivery: ChatDelivery; channelId: string },
): Promise<void> {
  const { environment, notice } = notification;
  const { delivery, channelId } = target;
  const posted = await delivery.post(
    { channelId },
    deps.safe({ ...notice.post, opensThread: true }),
  );
  await deps.incidents.record(environment, notice.incidentId, delivery.platform, {
    channelId,
    ref: posted.ref,
    ...(posted.threadId !== undefined && { threadId: posted.threadId }),
  });
}

/** A later notice: a reply in the incident's thread, and its first post's summary updated. */
async function continueIncident(
  deps: Delivering,
  notification: IncidentNotification,
  target: { delivery: ChatDelivery; channelId: string },
  thread: IncidentThread,
): Promise<void> {
  const { environment, notice } = notification;
  const { delivery, channelId } = target;
  await delivery.post(
    { channelId, threadId: thread.threadId ?? thread.ref },
    deps.safe(notice.post),
  );
  if (notice.summary === undefined) return;
  try {
    await delivery.update(
      {
        channelId,
        ref: thread.ref,
        ...(thread.threadId !== undefined && { threadId: thread.threadId }),
      },
      deps.safe(notice.summary),
    );
  } catch (error) {
    // The reply is posted; retrying the job would post it twice for a stale summary line.
    deps.log.warn(
      { err: error, environment, incidentId: notice.incidentId, platform: delivery.platform },
      'could not update the incident summary',
    );
  }
}

async function deliverIncident(
  deps: Delivering,
  notification: IncidentNotification,
): Promise<void> {
  const { environment, notice } = notification;
  const threads = await deps.incidents.get(environment, notice.incidentId);
  for (const target of targetsOf(deps, environment, notification.channel)) {
    const thread = threads[target.delivery.platform];
    if (notice.opens) {
      if (thread === undefined) await openIncident(deps, notification, target);
    } else if (thread === undefined || thread.channelId !== target.channelId) {
      // The opening post never made it: this notice stands on its own rather than vanish.
      await target.delivery.post(
        { channelId: target.channelId },
        deps.safe(withoutThread(notice.post)),
      );
    } else {
      await continueIncident(deps, notification, target, thread);
    }
  }
}

/**
 * A request's card (edited in place once posted; posted and recorded when it has no message
 * yet) or a reply in its thread, on the platform the request came from.
 */
async function deliverToRequest(
  deps: Delivering,
  notification: RequestNotification,
): Promise<void> {
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
  const { channelId, cardRef } = request.origin;
  const threadId = request.origin.threadId ?? cardRef;
  const target = { channelId, ...(threadId !== undefined && { threadId }) };
  if (notification.kind === 'thread') {
    await delivery.post(target, deps.safe(notification.reply));
    return;
  }
  const card = deps.safe(approvalCard(request));
  const shows = cardDigest(request);
  if (cardRef === undefined) {
    await recordCard(deps.store, request.id, await delivery.post(target, card), shows);
    return;
  }
  await delivery.update({ ...target, ref: cardRef }, card);
  await recordCardShown(deps.store, request.id, shows);
}

/**
 * The bot side of the notifier: turns a Notification into posts and updates on the platform
 * the request came from (cards and threads) or on every platform the channel is configured
 * for (ops and support channels). Runs in the process that owns the chat connections.
 */
export function createNotificationDelivery(
  deps: DeliveryDeps,
): (notification: Notification) => Promise<void> {
  const delivering: Delivering = {
    ...deps,
    incidents: deps.incidents ?? inMemoryIncidentThreads(),
    safe: (reply) => redactReply(reply, deps.redact),
  };
  return async (notification) => {
    if (notification.kind === 'incident') return deliverIncident(delivering, notification);
    if (notification.kind === 'channel') {
      const { environment, channel, reply } = notification;
      for (const { delivery, channelId } of targetsOf(delivering, environment, channel))
        await delivery.post({ channelId }, delivering.safe(reply));
      return;
    }
    return deliverToRequest(delivering, notification);
  };
}
