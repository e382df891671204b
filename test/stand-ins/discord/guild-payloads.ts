import type { Channel, Json } from './stand-in-state.js';

/** Permissions of members and the bot in the stand-in guild: everything an admin has. */
export const PERMISSIONS = '2248473465835073';

export interface Member {
  readonly id: string;
  readonly username?: string;
  /** Guild role ids. */
  readonly roles?: readonly string[];
}

export interface GuildState {
  readonly guildId: string;
  readonly ownerId: string;
  readonly roles: ReadonlyMap<string, string>;
  readonly channels: ReadonlyMap<string, Channel>;
}

/** GUILD_CREATE's full guild (discord-api-docs `events/gateway-events.mdx` "Guild Create"). */
export function guildJson({ guildId, ownerId, roles, channels }: GuildState): Json {
  return {
    id: guildId,
    name: 'stand-in guild',
    icon: null,
    owner_id: ownerId,
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
  };
}

/** READY's `d`, without the session fields the gateway adds. */
export function readyJson(
  bot: { id: string; username: string },
  guildId: string,
  applicationId: string,
): Json {
  return {
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
  };
}

/** An interaction's `member`; only roles the guild has, as Discord would send. */
export function memberJson(member: Member, roles: ReadonlyMap<string, string>): Json {
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
