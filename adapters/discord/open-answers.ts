import type { ChatInputCommandInteraction } from 'discord.js';

/** A command being answered: its interaction, and whether the deferral went through. */
export interface OpenAnswer {
  readonly interaction: ChatInputCommandInteraction;
  readonly deferred: Promise<boolean>;
}

/**
 * Commands being answered, by event id, while the core works on them. When the core posts an
 * approval card in answer to one (`inAnswerTo`), the delivery edits the deferred reply into
 * the card instead of posting a second message: the card stays the command's answer, under
 * Discord's "used /tas restart" line, and the loading message does not linger.
 */
export type OpenAnswers = Map<string, OpenAnswer>;
