import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { Answer } from '../../src/core/ports/chat-adapter.js';
import type { Reply } from '../../src/core/reply.js';
import { acknowledge } from './acknowledge.js';
import { commandText, type OptionValue } from './command-text.js';
import { dispatchSafely, type InteractionDeps } from './interaction-deps.js';
import { messageOptions, withPlainFallback } from './plain-fallback.js';
import { commandEvent, placeOf } from './to-chat-event.js';

/** What stands in public for a refusal while the user reads it privately; deleted right after. */
const PRIVATE_PLACEHOLDER = 'Answered privately.';

export function interactionText(
  deps: InteractionDeps,
  interaction: ChatInputCommandInteraction,
): string {
  const sub = interaction.options.data[0];
  const name = sub?.name ?? '';
  const values = new Map<string, OptionValue>();
  for (const option of sub?.options ?? []) {
    if (option.value !== undefined && option.value !== null) values.set(option.name, option.value);
  }
  return commandText(name, deps.options.get(name) ?? [], values);
}

/**
 * Discord keeps a deferred reply's visibility for the first follow-up (it edits the loading
 * message instead: "Create Followup Message", discord-api-docs receiving-and-responding.mdx),
 * and the defer had to be public before anyone knew the answer would be a refusal. So the
 * loading message is resolved first, the refusal follows as an ephemeral message, and the
 * public placeholder goes.
 */
async function answerPrivately(
  deps: InteractionDeps,
  interaction: ChatInputCommandInteraction,
  reply: Reply,
): Promise<void> {
  await interaction.editReply({
    content: PRIVATE_PLACEHOLDER,
    embeds: [],
    components: [],
    allowedMentions: { parse: [] },
  });
  await withPlainFallback(deps, reply, (options) =>
    interaction.followUp({ ...options, flags: MessageFlags.Ephemeral }),
  );
  await interaction.deleteReply();
}

/**
 * The core's answer, with the interaction open meanwhile: an approval card the core posts
 * replaces the deferred reply (see open-answers.ts).
 */
async function dispatchOpen(
  deps: InteractionDeps,
  interaction: ChatInputCommandInteraction,
  event: ChatEvent,
  deferred: Promise<boolean>,
): Promise<Answer> {
  deps.openAnswers.set(event.id, { interaction, deferred });
  try {
    return await dispatchSafely(deps, event);
  } finally {
    deps.openAnswers.delete(event.id);
  }
}

/**
 * `/tas <subcommand>`: the deferral goes out before the core starts (Discord invalidates an
 * interaction not answered within 3 s, and Docker may take longer), then the answer replaces
 * it. If another bot process had acknowledged it, this one does nothing more. If the deferral
 * failed otherwise the interaction is gone; a public answer still reaches the channel, a
 * private one can only be logged.
 */
export async function handleCommand(
  deps: InteractionDeps,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const log = deps.log.child({ interactionId: interaction.id });
  const acknowledged = await acknowledge(
    () => interaction.deferReply(),
    log,
    'could not defer the interaction',
  );
  if (acknowledged === 'elsewhere') return;
  const deferred = Promise.resolve(acknowledged === 'acknowledged');
  const event = commandEvent(interaction, interactionText(deps, interaction), deps.now());
  const { reply, posted } = await dispatchOpen(deps, interaction, event, deferred);
  // The core posted it (an approval card), into the deferred reply or, without one, the channel.
  if (posted !== undefined) return;
  if (!(await deferred)) {
    if (reply.ephemeral === true)
      log.warn({ title: reply.title }, 'a private answer was lost with its interaction');
    else await deps.delivery.post(placeOf(interaction), reply);
    return;
  }
  try {
    if (reply.ephemeral === true) await answerPrivately(deps, interaction, reply);
    else await withPlainFallback(deps, reply, (options) => interaction.editReply(options));
  } catch (error) {
    log.error({ err: error }, 'could not answer the interaction');
    await interaction
      .followUp({
        ...messageOptions(deps, {
          title: 'I could not post the answer here; the details are in the bot log.',
          blocks: [],
        }),
        flags: MessageFlags.Ephemeral,
      })
      .catch((again: unknown) => log.error({ err: again }, 'could not tell the user either'));
  }
}
