import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatEvent } from '../chat-event.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Reply } from '../reply.js';
import type { ChatDelivery } from './chat-delivery.js';

/**
 * What the core offers a chat adapter. The adapter turns verified platform events into
 * ChatEvents, acknowledges at once, calls `dispatch`, and renders what comes back; it decides
 * nothing itself.
 */
export interface AdapterHost {
  /** Never rejects: errors come back as replies (ephemeral ones for refusals). */
  dispatch(event: ChatEvent): Promise<Reply>;
  /** Report where an approval card (a reply with `card`) was posted, so updates edit it in place. */
  cardPosted(requestId: string, ref: { cardRef: string; threadId?: string }): Promise<void>;
  /** Live service names of an environment (Discord autocomplete); cached by the core. */
  serviceNames(
    environment: string | undefined,
    channel: { platform: ChatEvent['platform']; channelId: string },
  ): Promise<readonly string[]>;
  readonly log: Logger;
  /** Report each acknowledgement: `metrics?.observeAck(platform, seconds)`. */
  readonly metrics?: Pick<Metrics, 'observeAck'>;
}

/**
 * One chat platform: a delivery (for notifications) plus its connection lifecycle.
 * Deliberately left out: anything about commands or permissions.
 */
export interface ChatAdapter extends ChatDelivery {
  start(): Promise<void>;
  /** Stops taking new events; resolves when the connection is closed. */
  stop(): Promise<void>;
  /** Connected and able to deliver (readiness). */
  connected(): boolean;
  /** HTTP mode: a handler the bot's HTTP server mounts (Slack `POST /slack/events`). */
  readonly http?: {
    readonly path: string;
    handle(req: IncomingMessage, res: ServerResponse): void;
  };
}
