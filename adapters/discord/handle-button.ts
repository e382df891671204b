import { MessageFlags, type ButtonInteraction } from 'discord.js';
import type { ChatAction } from '../../src/core/chat-event.js';
import { acknowledge } from './acknowledge.js';
import { dispatchSafely, type InteractionDeps } from './interaction-deps.js';
import { withPlainFallback } from './plain-fallback.js';
import { actionEvent } from './to-chat-event.js';

/**
 * A click on a card's button. `deferUpdate` acknowledges without a message of its own; the
 * card itself changes when the core's card notification arrives. A refusal goes only to the
 * clicker (ephemeral), any other answer into the card's thread for everyone. A click another
 * bot process acknowledged first is that process's to answer: this one stays silent.
 */
export async function handleButton(
  deps: InteractionDeps,
  interaction: ButtonInteraction,
  action: Pick<ChatAction, 'verb' | 'requestId'>,
): Promise<void> {
  const log = deps.log.child({ interactionId: interaction.id, requestId: action.requestId });
  const acknowledgement = await acknowledge(
    () => interaction.deferUpdate(),
    log,
    'could not acknowledge the click',
  );
  if (acknowledgement === 'elsewhere') return;
  const acknowledged = acknowledgement === 'acknowledged';
  const event = actionEvent(interaction, action, deps.now());
  const { reply, posted } = await dispatchSafely(deps, event);
  if (posted !== undefined) return;
  if (reply.ephemeral === true) {
    if (!acknowledged)
      log.warn({ title: reply.title }, 'a private answer to a click was lost with its interaction');
    else
      await withPlainFallback(deps, reply, (options) =>
        interaction.followUp({ ...options, flags: MessageFlags.Ephemeral }),
      );
    return;
  }
  if (event.threadId !== undefined || !acknowledged) {
    await deps.delivery.post(
      {
        channelId: event.channelId,
        ...(event.threadId !== undefined && { threadId: event.threadId }),
      },
      reply,
    );
  } else {
    await withPlainFallback(deps, reply, (options) => interaction.followUp(options));
  }
}
