import { commandProblems } from './command-rules.js';
import type { FakeGateway } from './fake-gateway.js';
import type { InteractionContext } from './interaction-routes.js';
import { HAS_THREAD } from './message-store.js';
import {
  ApiError,
  type Channel,
  type Json,
  type RecordedRequest,
  type StoredMessage,
} from './stand-in-state.js';

const GUILDS_INTENT = 1 << 0;

/** What the REST side of the stand-in works on. */
export interface RestContext extends InteractionContext {
  readonly token: string;
  readonly channels: Map<string, Channel>;
  readonly commands: { global: Json[]; guild: Json[] };
  readonly requests: RecordedRequest[];
  readonly gateway: Pick<FakeGateway, 'dispatch'>;
  /** `GET /gateway/bot`'s `url`. */
  readonly gatewayUrl: () => string;
}

/**
 * Channels, their messages, threads started from messages (discord-api-docs `channel.mdx`
 * "Start Thread from Message": the thread takes the message's id, THREAD_CREATE follows, the
 * message gets HAS_THREAD) and application commands (bulk overwrite per scope).
 */
export function channelResources(ctx: RestContext) {
  const { channels, store, commands, newId, applicationId, guildId, bot, gateway } = ctx;

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

  return { channel, channelMessage, startThread, putCommands };
}
