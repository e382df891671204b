import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  type Client,
  type Message,
  type SendableChannels,
} from 'discord.js';
import type { ChatDelivery, Posted, PostTarget } from '../../src/core/ports/chat-delivery.js';
import type { Reply } from '../../src/core/reply.js';
import type { OpenAnswers } from './open-answers.js';
import { messageOptions, withPlainFallback, type RenderDeps } from './plain-fallback.js';

export interface DiscordDeliveryDeps extends RenderDeps {
  readonly client: Client;
  readonly openAnswers: OpenAnswers;
}

const THREAD_NAME_MAX = 100;

function threadName(reply: Reply): string {
  const name = reply.title.replace(/\s+/g, ' ').trim() || 'request';
  return name.length <= THREAD_NAME_MAX ? name : `${name.slice(0, THREAD_NAME_MAX - 1)}…`;
}

function isUnknownChannel(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;
}

async function channel(client: Client, id: string): Promise<SendableChannels> {
  const found = await client.channels.fetch(id);
  if (found === null || !found.isSendable())
    throw new Error(`Discord channel ${id} is not a text channel the bot can post in`);
  return found;
}

/** The deferred reply of the command this answers, edited into the post; else undefined. */
async function editOpenAnswer(
  deps: DiscordDeliveryDeps,
  target: PostTarget,
  reply: Reply,
): Promise<Message | undefined> {
  const open =
    target.inAnswerTo === undefined ? undefined : deps.openAnswers.get(target.inAnswerTo);
  if (open === undefined || !(await open.deferred)) return undefined;
  return withPlainFallback(deps, reply, (options) => open.interaction.editReply(options));
}

/** Into the thread when given; a thread that never came to be (or was deleted) falls back. */
async function send(
  deps: DiscordDeliveryDeps,
  target: PostTarget,
  reply: Reply,
): Promise<{ sent: Message; threadId?: string }> {
  const options = messageOptions(deps, reply);
  try {
    const sent = await (
      await channel(deps.client, target.threadId ?? target.channelId)
    ).send(options);
    return { sent, ...(target.threadId !== undefined && { threadId: target.threadId }) };
  } catch (error) {
    // The channel still reaches everyone.
    if (target.threadId === undefined || !isUnknownChannel(error)) throw error;
    return { sent: await (await channel(deps.client, target.channelId)).send(options) };
  }
}

/** A thread started on the post (a card's votes and progress, an incident's updates). */
async function startThread(
  deps: DiscordDeliveryDeps,
  message: Message,
  reply: Reply,
): Promise<string | undefined> {
  try {
    return (await message.startThread({ name: threadName(reply) })).id;
  } catch (error) {
    deps.log.warn(
      { err: error, messageId: message.id },
      'could not start a thread on the post; what follows goes to the channel',
    );
    return undefined;
  }
}

async function post(deps: DiscordDeliveryDeps, target: PostTarget, reply: Reply): Promise<Posted> {
  const edited = await editOpenAnswer(deps, target, reply);
  const { sent, threadId } =
    edited === undefined
      ? await send(deps, target, reply)
      : {
          sent: edited,
          ...(target.threadId !== undefined && { threadId: target.threadId }),
        };
  const opens = reply.card !== undefined || reply.opensThread === true;
  // A post made inside a thread stays there: threads do not nest.
  const thread = threadId ?? (opens ? await startThread(deps, sent, reply) : undefined);
  return { ref: sent.id, ...(thread !== undefined && { threadId: thread }) };
}

/**
 * Posting and editing outside an interaction's own answer: approval cards, progress in a
 * card's thread, card updates, channel notices. Cards live longer than an interaction token
 * (15 minutes), so edits go through the channel, as the bot user that authored them.
 */
export function discordDelivery(deps: DiscordDeliveryDeps): ChatDelivery {
  return {
    platform: 'discord',
    post: (target, reply) => post(deps, target, reply),
    async update(target, reply) {
      // A thread started from a card has the card's id; otherwise the card sits in the thread.
      const where =
        target.threadId !== undefined && target.threadId !== target.ref
          ? target.threadId
          : target.channelId;
      await (
        await channel(deps.client, where)
      ).messages.edit(target.ref, messageOptions(deps, reply));
    },
  };
}
