import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { commandProblems, invocationOptions, type OptionValue } from './command-rules.js';
import { fakeGateway } from './fake-gateway.js';
import {
  followUp,
  interactionCallback,
  webhookMessage,
  type InteractionContext,
} from './interaction-routes.js';
import { HAS_THREAD, messageStore } from './message-store.js';
import { readRequestBody, type UploadedFile } from './read-request.js';
import { snowflakes } from './snowflakes.js';
import {
  ApiError,
  isObject,
  type Channel,
  type InteractionRecord,
  type Json,
  type RecordedRequest,
  type StoredMessage,
} from './stand-in-state.js';

/**
 * A local Discord for the test suite, written from discord-api-docs with Node built-ins and
 * `ws`: REST under `/api/v10` and the gateway on the same port. It validates what a real
 * Discord validates (message limits, `custom_id`, command definitions, the 3-second deadline,
 * one response per interaction), records every call, and plays users: slash commands,
 * autocomplete and button clicks as given members with given role ids.
 */
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
}

export interface Member {
  readonly id: string;
  readonly username?: string;
  /** Guild role ids. */
  readonly roles?: readonly string[];
}

const GUILDS_INTENT = 1 << 0;
const PERMISSIONS = '2248473465835073';

const json = (res: ServerResponse, status: number, body?: unknown) => {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

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
  const guildJson = () => ({
    id: guildId,
    name: 'stand-in guild',
    icon: null,
    owner_id: newId(),
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: new Date().toISOString(),
    features: [],
    preferred_locale: 'en-US',
    premium_tier: 0,
    nsfw_level: 0,
    verification_level: 0,
    explicit_content_filter: 0,
    default_message_notifications: 0,
    mfa_level: 0,
    system_channel_flags: 0,
    roles: [...roles].map(([name, id], position) => ({
      id,
      name,
      permissions: position === 0 ? '0' : PERMISSIONS,
      position,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    })),
    channels: [...channels.values()].filter((c) => c.json.type === 0).map((c) => c.json),
    threads: [...channels.values()].filter((c) => c.json.type === 11).map((c) => c.json),
    members: [],
    emojis: [],
    stickers: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });
  const gateway = fakeGateway({
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    resumeUrl: () => `ws://${base()}/resume`,
    ready: () => ({
      v: 10,
      user: {
        id: bot.id,
        username: bot.username,
        discriminator: '0',
        global_name: null,
        avatar: null,
        bot: true,
        verified: true,
        flags: 0,
        mfa_enabled: false,
      },
      guilds: [{ id: guildId, unavailable: true }],
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      user_settings: {},
      presences: [],
      relationships: [],
      guild_join_requests: [],
    }),
    guilds: () => [guildJson()],
  });

  // --- REST ---------------------------------------------------------------------------------

  function channel(id: string): Channel {
    const found = channels.get(id);
    if (found === undefined) throw new ApiError(404, 10003, 'Unknown Channel');
    return found;
  }

  function channelMessage(channelId: string, messageId: string): StoredMessage {
    channel(channelId);
    const found = store.get(messageId);
    if (found === undefined || found.channelId !== channelId || found.ephemeral)
      throw new ApiError(404, 10008, 'Unknown Message');
    return found;
  }

  function startThread(channelId: string, messageId: string, body: Json): Json {
    const parent = channel(channelId);
    const message = channelMessage(channelId, messageId);
    if (parent.json.type !== 0)
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    if (channels.has(messageId))
      throw new ApiError(400, 160004, 'A thread has already been created for this message');
    const name = typeof body.name === 'string' ? body.name : '';
    if (name.length < 1 || name.length > 100)
      throw new ApiError(400, 50035, 'Invalid Form Body', ['name: must be 1-100 characters']);
    const archive = body.auto_archive_duration ?? 4320;
    if (![60, 1440, 4320, 10080].includes(archive as number))
      throw new ApiError(400, 50035, 'Invalid Form Body', [
        'auto_archive_duration: 60, 1440, 4320 or 10080',
      ]);
    const thread: Json = {
      id: messageId,
      type: 11,
      guild_id: guildId,
      parent_id: channelId,
      name,
      owner_id: bot.id,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: archive,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
    channels.set(messageId, { id: messageId, json: thread });
    message.json = { ...message.json, flags: (message.json.flags as number) | HAS_THREAD, thread };
    gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true }, GUILDS_INTENT);
    return thread;
  }

  function putCommands(scope: 'global' | 'guild', body: unknown): Json[] {
    if (!Array.isArray(body))
      throw new ApiError(400, 50035, 'Invalid Form Body', ['body: must be an array of commands']);
    const problems = body.flatMap((c: unknown, i) => commandProblems(c, i));
    if (problems.length > 0) throw new ApiError(400, 50035, 'Invalid Form Body', problems);
    commands[scope] = (body as Json[]).map((c) => {
      const previous = commands[scope].find((p) => p.name === c.name);
      return {
        ...c,
        id: previous?.id ?? newId(),
        application_id: applicationId,
        version: newId(),
        type: c.type ?? 1,
        default_member_permissions: null,
        nsfw: false,
        ...(scope === 'guild' && { guild_id: guildId }),
      };
    });
    return commands[scope];
  }

  type Route = (
    m: RegExpExecArray,
    body: Json,
    files: readonly UploadedFile[],
    record: RecordedRequest,
  ) => [number, unknown?];
  const authed =
    (route: Route): Route =>
    (m, body, files, record) => {
      if (!record.authorized) throw new ApiError(401, 0, '401: Unauthorized');
      return route(m, body, files, record);
    };
  const messageBody = (record: RecordedRequest, body: Json) => {
    record.message = body;
    return body;
  };
  const routes: [string, RegExp, Route][] = [
    [
      'GET',
      /^\/gateway\/bot$/,
      authed(() => [
        200,
        {
          url: `ws://${base()}`,
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        },
      ]),
    ],
    [
      'GET',
      /^\/users\/@me$/,
      authed(() => [
        200,
        {
          id: bot.id,
          username: bot.username,
          discriminator: '0',
          global_name: null,
          avatar: null,
          bot: true,
          flags: 0,
        },
      ]),
    ],
    [
      'PUT',
      /^\/applications\/(\d+)\/commands$/,
      authed((m, _b, _f, r) =>
        m[1] === applicationId
          ? [200, putCommands('global', r.body)]
          : [403, { code: 50001, message: 'Missing Access' }],
      ),
    ],
    ['GET', /^\/applications\/(\d+)\/commands$/, authed(() => [200, commands.global])],
    [
      'PUT',
      /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
      authed((m, _b, _f, r) =>
        m[1] === applicationId && m[2] === guildId
          ? [200, putCommands('guild', r.body)]
          : [403, { code: 50001, message: 'Missing Access' }],
      ),
    ],
    [
      'GET',
      /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
      authed(() => [200, commands.guild]),
    ],
    [
      'POST',
      /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      (m, body, files, record) => {
        const interaction = interactions.get(m[1] ?? '');
        interaction?.calls.push(record);
        if (isObject(body.data) && (body.type === 4 || body.type === 7))
          messageBody(record, body.data);
        const message = interactionCallback(ctx, m[1] ?? '', m[2] ?? '', body, files);
        if (record.query.with_response !== 'true') return [204];
        return [
          200,
          {
            interaction: { id: m[1], type: interaction?.type },
            ...(message && { resource: { type: body.type, message: message.json } }),
          },
        ];
      },
    ],
    [
      'POST',
      /^\/webhooks\/(\d+)\/([^/]+)$/,
      (m, body, files, record) => {
        byToken.get(m[2] ?? '')?.calls.push(record);
        return [200, followUp(ctx, m[1] ?? '', m[2] ?? '', messageBody(record, body), files).json];
      },
    ],
    [
      'GET|PATCH|DELETE',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      (m, body, files, record) => {
        byToken.get(m[2] ?? '')?.calls.push(record);
        if (record.method === 'PATCH') messageBody(record, body);
        const message = webhookMessage(
          ctx,
          record.method,
          m[1] ?? '',
          m[2] ?? '',
          m[3] ?? '',
          body,
          files,
        );
        return message === undefined ? [204] : [200, message.json];
      },
    ],
    ['GET', /^\/channels\/(\d+)$/, authed((m) => [200, channel(m[1] ?? '').json])],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      authed((m, body, files, record) => {
        channel(m[1] ?? '');
        const created = store.create(
          { id: newId(), channelId: m[1] ?? '', guildId, author: bot, type: 0 },
          messageBody(record, body),
          files,
          'message',
        );
        return [200, created.json];
      }),
    ],
    [
      'GET|PATCH|DELETE',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      authed((m, body, files, record) => {
        const message = channelMessage(m[1] ?? '', m[2] ?? '');
        if (record.method === 'GET') return [200, message.json];
        if (record.method === 'DELETE') {
          message.deleted = true;
          return [204];
        }
        if ((message.json.author as Json).id !== bot.id)
          throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
        return [200, store.edit(message, messageBody(record, body), files, 'message').json];
      }),
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      authed((m, body) => [201, startThread(m[1] ?? '', m[2] ?? '', body)]),
    ],
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      authorized: req.headers.authorization === `Bot ${token}`,
      status: 0,
    };
    requests.push(record);
    try {
      if (!url.pathname.startsWith('/api/v10/')) throw new ApiError(404, 0, '404: Not Found');
      const parsed = await readRequestBody(req);
      const body = isObject(parsed.json) ? parsed.json : {};
      Object.assign(record, {
        body: parsed.json === undefined ? undefined : (parsed.json as Json),
        files: parsed.files,
      });
      for (const [methods, pattern, route] of routes) {
        const m = pattern.exec(path);
        if (m === null || !methods.split('|').includes(record.method)) continue;
        const [status, answer] = route(m, body, parsed.files, record);
        record.status = status;
        return json(res, status, answer);
      }
      throw new ApiError(404, 0, '404: Not Found');
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, 0, String(error));
      record.status = e.status;
      record.error = {
        code: e.code,
        message: e.message,
        ...(e.problems.length > 0 && { problems: e.problems }),
      };
      json(res, e.status, {
        code: e.code,
        message: e.message,
        ...(e.problems.length > 0 && {
          errors: { _errors: e.problems.map((p) => ({ code: 'INVALID', message: p })) },
        }),
      });
    }
  }

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

  function memberJson(member: Member): Json {
    const known = new Set(roles.values());
    for (const role of member.roles ?? [])
      if (!known.has(role)) throw new Error(`role ${role} is not a role of the guild`);
    const username = member.username ?? `user${member.id.slice(-4)}`;
    return {
      user: {
        id: member.id,
        username,
        discriminator: '0',
        global_name: username,
        avatar: null,
        public_flags: 0,
      },
      roles: [...(member.roles ?? [])],
      permissions: PERMISSIONS,
      joined_at: '2024-01-01T00:00:00.000000+00:00',
      premium_since: null,
      nick: null,
      avatar: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** Creates the interaction and sends INTERACTION_CREATE; the deadline runs from now. */
  function interact(
    type: number,
    member: Member,
    channelId: string,
    data: Json,
    message?: Json,
  ): InteractionRecord {
    const id = newId();
    const interactionToken = `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`;
    const payload: Json = {
      id,
      application_id: applicationId,
      type,
      data,
      guild_id: guildId,
      guild: { id: guildId, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel: channel(channelId).json,
      member: memberJson(member),
      token: interactionToken,
      version: 1,
      app_permissions: PERMISSIONS,
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
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
      },
    ): InteractionRecord {
      return interact(
        2,
        member,
        where.channelId,
        commandData(where.command ?? 'tas', where.subcommand, where.options ?? {}),
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
