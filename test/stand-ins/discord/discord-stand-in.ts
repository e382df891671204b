import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { invocationOptions, type OptionValue } from './command-rules.js';
import { fakeGateway, type GatewayDelivery } from './fake-gateway.js';
import { guildJson, memberJson, PERMISSIONS, readyJson, type Member } from './guild-payloads.js';
import type { InteractionContext } from './interaction-routes.js';
import { messageStore } from './message-store.js';
import { restApi } from './rest-api.js';
import { snowflakes } from './snowflakes.js';
import type {
  Channel,
  InteractionRecord,
  Json,
  RecordedRequest,
  StoredMessage,
} from './stand-in-state.js';

export type { Member } from './guild-payloads.js';

/**
 * A local Discord for the test suite, written from discord-api-docs with Node built-ins and
 * `ws`: REST under `/api/v10` and the gateway on the same port. It validates what a real
 * Discord validates (message limits, `custom_id`, command definitions, the 3-second deadline,
 * one response per interaction), records every call, and plays users: slash commands,
 * autocomplete and button clicks as given members with given role ids.
 */
/** The stand-in's own guild, another guild, or a direct message. */
export type Place = 'home' | 'dm' | { readonly guildId: string };

export interface StandInOptions {
  readonly token?: string;
  readonly applicationId?: string;
  /** Text channels of the one guild, by name. */
  readonly channels?: readonly string[];
  /** Guild roles by name (besides @everyone). */
  readonly roles?: readonly string[];
  readonly heartbeatIntervalMs?: number;
  /** Discord's initial-response deadline. */
  readonly deadlineMs?: number;
  /**
   * `every-session`: each IDENTIFY is a session of its own and every interaction goes to each
   * of them (two bot processes with one token); `spread-sessions`: each interaction to one of
   * them in turn. Default `one-session`: a new IDENTIFY replaces the session before it.
   */
  readonly gatewayDelivery?: GatewayDelivery;
}

export async function startDiscordStandIn(options: StandInOptions = {}) {
  const newId = snowflakes();
  const token = options.token ?? `stand-in.${randomBytes(12).toString('hex')}`;
  const applicationId = options.applicationId ?? newId();
  const guildId = newId();
  const bot = { id: applicationId, username: 'tas-bot' };
  const requests: RecordedRequest[] = [];
  const pings: { messageId: string; pings: string[] }[] = [];
  const store = messageStore((p) => pings.push(p));
  const interactions = new Map<string, InteractionRecord>();
  const byToken = new Map<string, InteractionRecord>();
  const commands = { global: [] as Json[], guild: [] as Json[] };
  const channels = new Map<string, Channel>();
  const channelIds = new Map<string, string>();
  const roles = new Map<string, string>([['@everyone', guildId]]);
  const ownerId = newId();
  const channelJson = (id: string): Json => {
    const found = channels.get(id);
    if (found === undefined) throw new Error(`no channel ${id} in the stand-in guild`);
    return found.json;
  };
  for (const name of options.roles ?? []) roles.set(name, newId());
  (options.channels ?? ['ops']).forEach((name, position) => {
    const id = newId();
    channelIds.set(name, id);
    channels.set(id, {
      id,
      json: {
        id,
        type: 0,
        name,
        guild_id: guildId,
        position,
        permission_overwrites: [],
        parent_id: null,
        nsfw: false,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: 0,
      },
    });
  });
  const ctx: InteractionContext = {
    applicationId,
    deadlineMs: options.deadlineMs ?? 3000,
    store,
    interactions,
    byToken,
    newId,
    bot,
    guildId,
  };

  const server = createServer();
  const address = () => server.address() as AddressInfo;
  const base = () => `127.0.0.1:${address().port}`;
  const gateway = fakeGateway({
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    resumeUrl: () => `ws://${base()}/resume`,
    ready: () => readyJson(bot, guildId, applicationId),
    guilds: () => [guildJson({ guildId, ownerId, roles, channels })],
    ...(options.gatewayDelivery !== undefined && { delivery: options.gatewayDelivery }),
  });

  const handle = restApi({
    ...ctx,
    token,
    channels,
    commands,
    requests,
    gateway,
    gatewayUrl: () => `ws://${base()}`,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  server.on('upgrade', (req, socket, head: Buffer) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  // --- users ----------------------------------------------------------------------------------

  function registered(name: string): Json {
    const found =
      commands.guild.find((c) => c.name === name) ?? commands.global.find((c) => c.name === name);
    if (found === undefined)
      throw new Error(
        `/${name} is not registered (guild: ${commands.guild.map((c) => String(c.name)).join(', ') || 'none'}; global: ${commands.global.map((c) => String(c.name)).join(', ') || 'none'})`,
      );
    return found;
  }

  /**
   * Where an interaction comes from, as Discord describes it: this guild (default), another
   * guild the app was installed in (`{ guildId }`), or a direct message with the bot (`dm`:
   * no guild_id, `user` instead of `member`, a DM channel, context 1).
   */
  function placeFields(member: Member, channelId: string, place: Place): Json {
    if (place === 'dm') {
      const user = memberJson(member, roles).user as Json;
      return {
        user,
        channel_id: channelId,
        channel: { id: channelId, type: 1, flags: 0, recipients: [user] },
        authorizing_integration_owners: { '1': member.id },
        context: 1,
      };
    }
    const guild = place === 'home' ? guildId : place.guildId;
    return {
      guild_id: guild,
      guild: { id: guild, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel:
        place === 'home' ? channelJson(channelId) : { ...channelJson(channelId), guild_id: guild },
      member: memberJson(member, place === 'home' ? roles : new Map()),
      guild_locale: 'en-US',
      authorizing_integration_owners: { '0': guild },
      context: 0,
    };
  }

  /** Creates the interaction and sends INTERACTION_CREATE; the deadline runs from now. */
  function interact(
    type: number,
    member: Member,
    channelId: string,
    data: Json,
    message?: Json,
    place: Place = 'home',
  ): InteractionRecord {
    const id = newId();
    const interactionToken = `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`;
    const payload: Json = {
      id,
      application_id: applicationId,
      type,
      data,
      ...placeFields(member, channelId, place),
      token: interactionToken,
      version: 1,
      app_permissions: PERMISSIONS,
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message !== undefined && { message }),
    };
    const record: InteractionRecord = {
      id,
      token: interactionToken,
      type,
      payload,
      createdAt: Date.now(),
      originalState: 'none',
      followUps: [],
      calls: [],
    };
    interactions.set(id, record);
    byToken.set(interactionToken, record);
    gateway.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  const commandData = (
    name: string,
    subcommand: string,
    values: Readonly<Record<string, OptionValue>>,
    focused?: string,
  ) => {
    const command = registered(name);
    return {
      id: command.id,
      name,
      type: 1,
      guild_id: guildId,
      options: invocationOptions(command, subcommand, values, focused),
    };
  };

  /** Polls until `check` returns a value; fails naming what it waited for. */
  async function until<T>(
    what: string,
    check: () => T | undefined,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`stand-in: no ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return {
    /** `DISCORD_API_URL`: discord.js appends `/v10`. */
    apiUrl: `http://${base()}/api`,
    token,
    applicationId,
    guildId,
    botId: bot.id,
    gateway,
    requests,
    /** Messages that would have notified someone. */
    pings,
    interactions,
    commands,
    channelId(name: string): string {
      const id = channelIds.get(name);
      if (id === undefined) throw new Error(`no channel ${name}`);
      return id;
    },
    roleId(name: string): string {
      const id = roles.get(name);
      if (id === undefined) throw new Error(`no role ${name}`);
      return id;
    },
    message(id: string): StoredMessage | undefined {
      return store.messages.get(id);
    },
    /** Live, public messages of a channel or thread, oldest first. */
    channelMessages(channelId: string): StoredMessage[] {
      return [...store.messages.values()].filter(
        (m) => m.channelId === channelId && !m.deleted && !m.ephemeral,
      );
    },
    channel(id: string): Json | undefined {
      return channels.get(id)?.json;
    },
    /** Every REST call that carried a message body (callbacks with data, webhooks, channel messages). */
    messageCalls(): RecordedRequest[] {
      return requests.filter((r) => r.message !== undefined);
    },
    /** Calls Discord refused, with its error. */
    rejected(): RecordedRequest[] {
      return requests.filter((r) => r.status >= 400);
    },
    slash(
      member: Member,
      where: {
        channelId: string;
        subcommand: string;
        options?: Readonly<Record<string, OptionValue>>;
        command?: string;
        /** Another guild or a DM instead of the stand-in's guild. */
        place?: Place;
      },
    ): InteractionRecord {
      return interact(
        2,
        member,
        where.channelId,
        commandData(where.command ?? 'tas', where.subcommand, where.options ?? {}),
        undefined,
        where.place,
      );
    },
    /** Types into an autocompleting option; resolves with the choices the bot answered. */
    async autocomplete(
      member: Member,
      where: {
        channelId: string;
        subcommand: string;
        focused: string;
        typed: string;
        options?: Readonly<Record<string, OptionValue>>;
        command?: string;
      },
    ) {
      const values = { ...where.options, [where.focused]: where.typed };
      const record = interact(
        4,
        member,
        where.channelId,
        commandData(where.command ?? 'tas', where.subcommand, values, where.focused),
      );
      const choices = await until(
        'autocomplete answer',
        () => record.choices ?? (record.calls.some((c) => c.status >= 400) ? [] : undefined),
      );
      return { record, choices };
    },
    /** Clicks a button on a message, as Discord only lets one click buttons that are there. */
    click(member: Member, messageId: string, customId: string): InteractionRecord {
      const message = store.get(messageId);
      if (message === undefined) throw new Error(`no message ${messageId} to click on`);
      const buttons = (message.json.components as Json[]).flatMap(
        (row) => (row.components as Json[] | undefined) ?? [],
      );
      const button = buttons.find((b) => b.custom_id === customId);
      if (button === undefined)
        throw new Error(
          `message ${messageId} has no button ${customId}; it has ${buttons.map((b) => String(b.custom_id)).join(', ') || 'none'}`,
        );
      if (button.disabled === true) throw new Error(`button ${customId} is disabled`);
      return interact(
        3,
        member,
        message.channelId,
        { custom_id: customId, component_type: 2 },
        message.json,
      );
    },
    until,
    async close(): Promise<void> {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type DiscordStandIn = Awaited<ReturnType<typeof startDiscordStandIn>>;
