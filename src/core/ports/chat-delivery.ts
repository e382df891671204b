import type { Platform } from '../chat-event.js';
import type { Reply } from '../reply.js';

export interface PostTarget {
  readonly channelId: string;
  /** Post as a reply in this thread (Slack thread_ts, Discord thread channel id). */
  readonly threadId?: string;
  /**
   * The id of the chat event this post answers (an approval card the core posts for a
   * command). A platform holding an open answer to that event (Discord's deferred interaction
   * reply) turns that answer into this post; the others post as usual.
   */
  readonly inAnswerTo?: string;
}

export interface Posted {
  /** The message's reference (Slack ts, Discord message id), for later updates. */
  readonly ref: string;
  /** The thread replies to this message go into. */
  readonly threadId?: string;
}

/**
 * Posting and updating messages on one chat platform: approval cards (the core posts them
 * itself, to learn from `Posted` where they sit), progress, card updates, escalations. The
 * direct answer to a command is the adapter's to post. Each adapter implements it; the adapter
 * renders, escapes and splits. Deliberately left out: reading history, reactions.
 */
export interface ChatDelivery {
  readonly platform: Platform;
  post(target: PostTarget, reply: Reply): Promise<Posted>;
  update(target: PostTarget & { readonly ref: string }, reply: Reply): Promise<void>;
}
