import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  type Client,
  type Message,
  type SendableChannels,
} from 'discord.js';
import type { AdapterHost } from '../../src/core/ports/chat-adapter.js';
import type { ChatDelivery, Posted, PostTarget } from '../../src/core/ports/chat-delivery.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { renderMessage } from './render-message.js';
import { toMessageOptions } from './to-message-options.js';

export interface DiscordDeliveryDeps {
  readonly client: Client;
  readonly host: AdapterHost;
  readonly command: string;
  readonly log: Logger;
}

export interface DiscordDelivery extends ChatDelivery {
  /** Starts the card's thread and tells the core where the card sits. */
  cardPosted(card: Message, reply: Reply, place: PostTarget): Promise<Posted>;
}

const THREAD_NAME_MAX = 100;

function threadName(reply: Reply): string {
  const name = reply.title.replace(/\s+/g, ' ').trim() || 'request';
  return name.length <= THREAD_NAME_MAX ? name : `${name.slice(0, THREAD_NAME_MAX - 1)}…`;
}

function isUnknownChannel(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;
}

/**
 * Posting and editing outside an interaction: progress in a card's thread, card updates,
 * channel notices. Cards live longer than an interaction token (15 minutes), so edits go
 * through the channel, as the bot user that authored them.
 */
export function discordDelivery(deps: DiscordDeliveryDeps): DiscordDelivery {
  const { client, host, command, log } = deps;

  async function channel(id: string): Promise<SendableChannels> {
    const found = await client.channels.fetch(id);
    if (found === null || !found.isSendable())
      throw new Error(`Discord channel ${id} is not a text channel the bot can post in`);
    return found;
  }

  async function cardPosted(card: Message, reply: Reply, place: PostTarget): Promise<Posted> {
    const requestId = reply.card?.requestId;
    let threadId = place.threadId;
    // A command typed in a thread keeps its card there; threads do not nest.
    if (threadId === undefined) {
      try {
        threadId = (await card.startThread({ name: threadName(reply) })).id;
      } catch (error) {
        log.warn(
          { err: error, messageId: card.id },
          'could not start a thread on the card; progress goes to the channel',
        );
      }
    }
    if (requestId !== undefined)
      await host.cardPosted(requestId, {
        cardRef: card.id,
        ...(threadId !== undefined && { threadId }),
      });
    return { ref: card.id, ...(threadId !== undefined && { threadId }) };
  }

  return {
    platform: 'discord',
    cardPosted,
    async post(target, reply) {
      const options = toMessageOptions(renderMessage(reply, { command }));
      let where = target;
      let sent: Message;
      try {
        sent = await (await channel(target.threadId ?? target.channelId)).send(options);
      } catch (error) {
        // The thread never came to be (or was deleted): the channel still reaches everyone.
        if (target.threadId === undefined || !isUnknownChannel(error)) throw error;
        where = { channelId: target.channelId };
        sent = await (await channel(target.channelId)).send(options);
      }
      if (reply.card !== undefined) return cardPosted(sent, reply, where);
      if (reply.opensThread === true && where.threadId === undefined) {
        try {
          const thread = await sent.startThread({ name: threadName(reply) });
          return { ref: sent.id, threadId: thread.id };
        } catch (error) {
          log.warn({ err: error, messageId: sent.id }, 'could not start a thread on the post');
        }
      }
      return { ref: sent.id, ...(where.threadId !== undefined && { threadId: where.threadId }) };
    },
    async update(target, reply) {
      // A thread started from a card has the card's id; otherwise the card sits in the thread.
      const where =
        target.threadId !== undefined && target.threadId !== target.ref
          ? target.threadId
          : target.channelId;
      await (
        await channel(where)
      ).messages.edit(target.ref, toMessageOptions(renderMessage(reply, { command })));
    },
  };
}
