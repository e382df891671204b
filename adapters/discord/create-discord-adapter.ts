import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { DiscordOptions } from '../../src/config/env-options.js';
import type { CommandSpec } from '../../src/core/command.js';
import type { AdapterHost, ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { drain } from '../../src/lib/drain.js';
import { createMemoryDeliveryLedger } from '../../src/lib/recent-ids.js';
import { isAcknowledgedElsewhere } from './acknowledge.js';
import { commandOptions, optionName } from './command-options.js';
import { discordDelivery } from './discord-delivery.js';
import { logClientEvents } from './log-client-events.js';
import type { OpenAnswers } from './open-answers.js';
import { registerCommands } from './register-commands.js';
import { routeInteraction, type RouteDeps } from './route-interaction.js';

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

/** What `start`, `stop` and the interaction listener share. */
interface Gateway {
  readonly client: Client;
  readonly options: DiscordAdapterOptions;
  readonly log: Logger;
  readonly inFlight: Set<Promise<void>>;
  readonly ledger: DeliveryLedger;
  stopping: boolean;
  registered: boolean;
}

function listen(gateway: Gateway, deps: RouteDeps): void {
  const { client, log, inFlight } = gateway;
  client.on(Events.InteractionCreate, (interaction) => {
    // Once stopping, new interactions stay unanswered: Discord tells the user it failed.
    if (gateway.stopping) return;
    const handled = routeInteraction(deps, interaction).catch((error: unknown) => {
      // Another bot process answered it first: not a failure of this one.
      if (isAcknowledgedElsewhere(error))
        log.debug({ interactionId: interaction.id }, 'interaction answered by another process');
      else log.error({ err: error, interactionId: interaction.id }, 'interaction handling failed');
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  logClientEvents(client, log);
}

async function start(gateway: Gateway): Promise<void> {
  const { client, options } = gateway;
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.discord.token);
  await ready;
  await registerCommands(
    client,
    { applicationId: options.discord.applicationId, guildId: options.discord.guildId },
    { name: options.command, specs: options.commands },
    gateway,
  );
  gateway.registered = true;
}

async function stop(gateway: Gateway): Promise<void> {
  gateway.stopping = true;
  gateway.registered = false;
  // Answers in flight finish first (bounded), so a restart of the bot loses none of them.
  const unanswered = await drain([...gateway.inFlight], gateway.options.drainMs ?? 10_000);
  if (unanswered > 0)
    gateway.log.warn({ unanswered }, 'stopped with interactions still being answered');
  await gateway.client.destroy();
}

/**
 * Discord over the gateway with discord.js. `start` logs in, waits for the guilds and
 * registers `/<command>`. Interactions are acknowledged at once and handed to the core; a
 * resumed session that replays an interaction is answered once.
 */
export function createDiscordAdapter(
  host: AdapterHost,
  options: DiscordAdapterOptions,
): ChatAdapter {
  const log = (options.log ?? host.log).child({ component: 'discord' });
  const { apiUrl, guildId } = options.discord;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // The default for every message; each message also carries it (render-message.ts).
    allowedMentions: { parse: [] },
    ...(apiUrl !== undefined && { rest: { api: apiUrl } }),
  });
  const openAnswers: OpenAnswers = new Map();
  const delivery = discordDelivery({ client, command: options.command, log, openAnswers });
  const gateway: Gateway = {
    client,
    options,
    log,
    inFlight: new Set(),
    ledger: host.ledger ?? createMemoryDeliveryLedger({ max: 10_000 }),
    stopping: false,
    registered: false,
  };
  listen(gateway, {
    host,
    command: options.command,
    options: new Map(options.commands.map((spec) => [optionName(spec.name), commandOptions(spec)])),
    delivery,
    openAnswers,
    log,
    now: () => new Date(),
    autocompleteBudgetMs: options.autocompleteBudgetMs ?? 2000,
    client,
    ...(guildId !== undefined && { guildId }),
    ledger: gateway.ledger,
  });
  return {
    ...delivery,
    start: () => start(gateway),
    stop: () => stop(gateway),
    connected: () => gateway.registered && client.ws.status === Status.Ready,
  };
}
