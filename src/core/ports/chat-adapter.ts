import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatEvent } from '../chat-event.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Reply } from '../reply.js';
import type { ChatDelivery, Posted } from './chat-delivery.js';
import type { DeliveryIntake } from './delivery-intake.js';
import type { DeliveryLedger } from './delivery-ledger.js';

/** The core's answer to one event. */
export interface Answer {
  readonly reply: Reply;
  /**
   * Set when the core has posted the reply itself, through the platform's ChatDelivery (an
   * approval card: it keeps where the card went, so votes, expiry and results edit it in place
   * and progress goes into its thread). The adapter then only acknowledges.
   */
  readonly posted?: Posted;
}

/**
 * What the core offers a chat adapter. The adapter turns verified platform events into
 * ChatEvents, acknowledges at once, calls `dispatch`, and renders what comes back; it decides
 * nothing itself.
 */
export interface AdapterHost {
  /** Never rejects: errors come back as replies (ephemeral ones for refusals). */
  dispatch(event: ChatEvent): Promise<Answer>;
  /** Live service names of an environment (Discord autocomplete); cached by the core. */
  serviceNames(
    environment: string | undefined,
    channel: { platform: ChatEvent['platform']; channelId: string },
  ): Promise<readonly string[]>;
  readonly log: Logger;
  /**
   * Claims each delivery before it is dispatched, shared by every bot process (Redis) so each
   * command and click is answered by exactly one. The app always sets it; an adapter given a
   * host without one keeps its own in-memory ledger.
   */
  readonly ledger?: DeliveryLedger;
  /**
   * Where a platform's deliveries are recorded between their ack and their answer, shared by
   * every bot process (Redis), so one whose process dies is answered by another. Absent
   * without Redis.
   */
  readonly intakeFor?: (platform: ChatEvent['platform']) => DeliveryIntake;
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
    /** Further paths the same handler answers (Mattermost: commands and button clicks). */
    readonly paths?: readonly string[];
    handle(req: IncomingMessage, res: ServerResponse): void;
  };
}
