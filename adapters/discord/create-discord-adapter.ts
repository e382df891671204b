import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  Status,
  type Interaction,
} from 'discord.js';
import type { DiscordOptions } from '../../src/config/env-options.js';
import type { CommandSpec } from '../../src/core/command.js';
import type { AdapterHost, ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { commandData } from './command-data.js';
import { commandOptions, optionName } from './command-options.js';
import { decodeCustomId } from './custom-id.js';
import { discordDelivery } from './discord-delivery.js';
import { handleAutocomplete } from './handle-autocomplete.js';
import { handleButton } from './handle-button.js';
import { handleCommand } from './handle-command.js';
import { placeRefusal } from './place-refusal.js';
import type { InteractionDeps } from './interaction-deps.js';
import { seenIds } from './seen-ids.js';

export interface DiscordAdapterOptions {
  readonly discord: DiscordOptions;
  /** The slash command's name (`tas`). */
  readonly command: string;
  /** One subcommand each, with options read from the spec. */
  readonly commands: readonly CommandSpec[];
  readonly log?: Logger;
  /** How long autocomplete waits for service names before answering without them. */
  readonly autocompleteBudgetMs?: number;
  /** How long `stop` waits for interactions being answered (default 10 s). */
  readonly drainMs?: number;
}

/**
 * Discord over the gateway with discord.js. `start` logs in, waits for the guilds and
 * registers `/<command>` (in `guildId` when set, which is instant, else globally; the PUT
 * replaces the application's commands in that scope). Interactions are acknowledged at once
 * and handed to the core; a resumed session that replays an interaction is answered once.
 */
export function createDiscordAdapter(
  host: AdapterHost,
  options: DiscordAdapterOptions,
): ChatAdapter {
  const log = (options.log ?? host.log).child({ component: 'discord' });
  const { token, applicationId, apiUrl, guildId } = options.discord;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // The default for every message; each message also carries it (render-message.ts).
    allowedMentions: { parse: [] },
    ...(apiUrl !== undefined && { rest: { api: apiUrl } }),
  });
  const delivery = discordDelivery({ client, host, command: options.command, log });
  const deps: InteractionDeps = {
    host,
    command: options.command,
    options: new Map(options.commands.map((spec) => [optionName(spec.name), commandOptions(spec)])),
    delivery,
    log,
    now: () => new Date(),
    autocompleteBudgetMs: options.autocompleteBudgetMs ?? 2000,
  };
  const seen = seenIds();
  let registered = false;

  async function route(interaction: Interaction): Promise<void> {
    if (!seen.firstTime(interaction.id)) {
      log.info(
        { interactionId: interaction.id },
        'interaction delivered again (gateway replay); already handled',
      );
      return;
    }
    // With DISCORD_GUILD_ID only that server is served; without it (global registration),
    // the servers the bot is a member of. Direct messages never.
    const refusal = placeRefusal(interaction.guildId, (id) =>
      guildId === undefined ? client.guilds.cache.has(id) : id === guildId,
    );
    if (refusal !== undefined) return refuse(interaction, refusal);
    if (interaction.isAutocomplete() && interaction.commandName === options.command)
      return handleAutocomplete(deps, interaction);
    if (interaction.isChatInputCommand() && interaction.commandName === options.command)
      return handleCommand(deps, interaction);
    if (interaction.isButton()) {
      const action = decodeCustomId(options.command, interaction.customId);
      if (action !== undefined) return handleButton(deps, interaction, action);
    }
  }

  /** Acknowledged (Discord requires it within 3 s) with a private refusal; nothing is dispatched. */
  async function refuse(interaction: Interaction, refusal: string): Promise<void> {
    log.warn(
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

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  client.on(Events.InteractionCreate, (interaction) => {
    // Once stopping, new interactions stay unanswered: Discord tells the user it failed.
    if (stopping) return;
    const handled = route(interaction).catch((error: unknown) =>
      log.error({ err: error, interactionId: interaction.id }, 'interaction handling failed'),
    );
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.ShardError, (error) =>
    log.warn({ err: error }, 'Discord gateway connection error'),
  );
  client.on(Events.ShardReconnecting, () => log.info({}, 'Discord gateway reconnecting'));
  client.on(Events.ShardResume, (_id, replayed) =>
    log.info({ replayed }, 'Discord gateway session resumed'),
  );
  client.on(Events.ShardDisconnect, (event) =>
    log.error({ code: event.code }, 'Discord gateway closed for good; check the token and intents'),
  );

  async function register(): Promise<void> {
    const route =
      guildId === undefined
        ? Routes.applicationCommands(applicationId)
        : Routes.applicationGuildCommands(applicationId, guildId);
    await client.rest.put(route, { body: [commandData(options.command, options.commands)] });
    registered = true;
    log.info(
      {
        scope: guildId === undefined ? 'global' : `guild ${guildId}`,
        subcommands: options.commands.length,
      },
      `registered /${options.command}`,
    );
  }

  return {
    platform: 'discord',
    post: (target, reply) => delivery.post(target, reply),
    update: (target, reply) => delivery.update(target, reply),
    async start() {
      const ready = new Promise<void>((resolve) =>
        client.once(Events.ClientReady, () => resolve()),
      );
      await client.login(token);
      await ready;
      await register();
    },
    async stop() {
      stopping = true;
      registered = false;
      // Answers in flight finish first (bounded), so a restart of the bot loses none of them.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, options.drainMs ?? 10_000)),
      );
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      if (inFlight.size > 0)
        log.warn({ unanswered: inFlight.size }, 'stopped with interactions still being answered');
      await client.destroy();
    },
    connected: () => registered && client.ws.status === Status.Ready,
  };
}
