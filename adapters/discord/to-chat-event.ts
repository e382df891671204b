import type { BaseInteraction, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { ChatAction, ChatEvent } from '../../src/core/chat-event.js';

export interface Place {
  readonly channelId: string;
  readonly threadId?: string;
}

/**
 * Where an interaction happened: in a thread, the parent channel (which config maps to an
 * environment) plus the thread. Threads reach the cache through THREAD_CREATE.
 */
export function placeOf(interaction: BaseInteraction): Place {
  const channel = interaction.channel;
  if (channel?.isThread() && channel.parentId !== null)
    return { channelId: channel.parentId, threadId: channel.id };
  return { channelId: interaction.channelId ?? '' };
}

/**
 * The member's role ids as the gateway sent them (the `@everyone` role, which every member
 * holds and Discord never lists, left out). A member object whose guild is not cached still
 * carries the raw ids.
 */
export function rolesOf(interaction: BaseInteraction): string[] {
  const member = interaction.member;
  if (member === null) return [];
  if (Array.isArray(member.roles)) return [...member.roles];
  return [...member.roles.cache.keys()].filter((id) => id !== interaction.guildId);
}

function base(interaction: BaseInteraction, place: Place, now: Date) {
  return {
    id: interaction.id,
    platform: 'discord' as const,
    // Verified: the gateway session delivered it, Discord attests the user.
    userId: interaction.user.id,
    platformRoles: rolesOf(interaction),
    channelId: place.channelId,
    ...(place.threadId !== undefined && { threadId: place.threadId }),
    receivedAt: now,
  };
}

export function commandEvent(
  interaction: ChatInputCommandInteraction,
  text: string,
  now: Date,
): ChatEvent {
  return { ...base(interaction, placeOf(interaction), now), text };
}

/** A click on a card: the thread started from the card has the card's id (Discord's rule). */
export function actionEvent(
  interaction: ButtonInteraction,
  action: Pick<ChatAction, 'verb' | 'requestId'>,
  now: Date,
): ChatEvent {
  const place = placeOf(interaction);
  const threadId = interaction.message.hasThread ? interaction.message.id : place.threadId;
  return {
    ...base(
      interaction,
      { channelId: place.channelId, ...(threadId !== undefined && { threadId }) },
      now,
    ),
    // A click carries no typed text: the core runs the verb on the request id as data.
    text: '',
    action: { ...action, messageRef: interaction.message.id },
  };
}
