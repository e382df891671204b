import { MessageFlags, type Client, type Interaction } from 'discord.js';
import type { RecentIds } from '../../src/lib/recent-ids.js';
import { decodeCustomId } from './custom-id.js';
import { handleAutocomplete } from './handle-autocomplete.js';
import { handleButton } from './handle-button.js';
import { handleCommand } from './handle-command.js';
import type { InteractionDeps } from './interaction-deps.js';
import { placeRefusal } from './place-refusal.js';

export interface RouteDeps extends InteractionDeps {
  readonly client: Client;
  /** With it only that server is served; without it, every server the bot is a member of. */
  readonly guildId?: string;
  /** Interaction ids already handled: a resumed gateway session replays what it had sent. */
  readonly seen: RecentIds;
}

/** Acknowledged (Discord requires it within 3 s) with a private refusal; nothing is dispatched. */
async function refuse(deps: RouteDeps, interaction: Interaction, refusal: string): Promise<void> {
  deps.log.warn(
    {
      interactionId: interaction.id,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    },
    interaction.guildId === null
      ? 'interaction from a direct message refused'
      : 'interaction from a server this bot does not serve refused',
  );
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isRepliable())
    await interaction.reply({
      content: refusal,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
}

/**
 * One interaction to its handler: `/<command>` and its autocomplete, our buttons. A second
 * delivery of one interaction must not be a second vote, nor a second response Discord would
 * refuse; one from a direct message or a server the bot does not serve is refused.
 */
export async function routeInteraction(deps: RouteDeps, interaction: Interaction): Promise<void> {
  if (!deps.seen.firstTime(interaction.id)) {
    deps.log.info(
      { interactionId: interaction.id },
      'interaction delivered again (gateway replay); already handled',
    );
    return;
  }
  const { guildId, client } = deps;
  const refusal = placeRefusal(interaction.guildId, (id) =>
    guildId === undefined ? client.guilds.cache.has(id) : id === guildId,
  );
  if (refusal !== undefined) return refuse(deps, interaction, refusal);
  if (interaction.isAutocomplete() && interaction.commandName === deps.command)
    return handleAutocomplete(deps, interaction);
  if (interaction.isChatInputCommand() && interaction.commandName === deps.command)
    return handleCommand(deps, interaction);
  if (interaction.isButton()) {
    const action = decodeCustomId(deps.command, interaction.customId);
    if (action !== undefined) return handleButton(deps, interaction, action);
  }
}
