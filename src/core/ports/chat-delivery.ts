import type { Platform } from '../chat-event.js';
import type { Reply } from '../reply.js';

export interface PostTarget {
  readonly channelId: string;
  /** Post as a reply in this thread (Slack thread_ts, Discord thread channel id). */
  readonly threadId?: string;
}

export interface Posted {
  /** The message's reference (Slack ts, Discord message id), for later updates. */
  readonly ref: string;
  /** The thread replies to this message go into. */
  readonly threadId?: string;
}

/**
 * Posting and updating messages on one chat platform, for messages that are not the direct
 * answer to a command (progress, card updates, escalations). Each adapter implements it; the
 * adapter renders, escapes and splits. Deliberately left out: reading history, reactions.
 */
export interface ChatDelivery {
  readonly platform: Platform;
  post(target: PostTarget, reply: Reply): Promise<Posted>;
  update(target: PostTarget & { readonly ref: string }, reply: Reply): Promise<void>;
}
