import { MessageFlags, type Client, type Interaction } from 'discord.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';
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
  /**
   * Interactions claimed, shared by every bot process: Discord may hand one interaction to
   * each gateway session of the bot, and a resumed session replays what it had sent.
   */
  readonly ledger: DeliveryLedger;
}

/**
 * Interaction ids stay claimed for an hour: Discord accepts no response after 15 minutes, and a
 * gateway resume replays only what was sent since the client's last confirmed sequence.
 */
const CLAIM_TTL_MS = 60 * 60_000;

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
 * One interaction to its handler: `/<command>` and its autocomplete, our buttons. Claimed first
 * (one Redis round trip, well inside Discord's 3 s): a second delivery of one interaction, to
 * this process or another, must not be a second vote nor a second response Discord would
 * refuse, so only the process that claims it answers and the others stay silent. One from a
 * direct message or a server the bot does not serve is refused.
 */
export async function routeInteraction(deps: RouteDeps, interaction: Interaction): Promise<void> {
  if (!(await deps.ledger.claim(`discord:interaction:${interaction.id}`, CLAIM_TTL_MS))) {
    deps.log.debug(
      { interactionId: interaction.id },
      'interaction claimed already (another bot process, or a gateway replay); not answering',
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
