import { snowflake, url, type Reader } from './env-reader.js';

export interface DiscordOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiUrl?: string;
  /** Register slash commands in this guild only (instant), instead of globally. */
  readonly guildId?: string;
}

/** `DISCORD_*`: the token needs the application id; the guild id is optional. */
export function readDiscord(r: Reader): DiscordOptions | undefined {
  const raw = r.get('DISCORD_TOKEN');
  const tokenValue =
    raw === undefined
      ? undefined
      : raw.startsWith('Bot ')
        ? r.fail(
            'DISCORD_TOKEN',
            'starts with "Bot "',
            'set the bare token; the client adds the "Bot " prefix itself',
          )
        : /\s/.test(raw)
          ? r.fail(
              'DISCORD_TOKEN',
              'contains whitespace',
              'copy the token again without spaces or line breaks',
            )
          : raw;
  const applicationId = snowflake(r, 'DISCORD_APPLICATION_ID');
  const guildId = snowflake(r, 'DISCORD_GUILD_ID');
  const apiUrl = url(r, 'DISCORD_API_URL', ['http:', 'https:'], 'https://discord.com/api');
  if (raw !== undefined && r.get('DISCORD_APPLICATION_ID') === undefined) {
    r.fail(
      'DISCORD_APPLICATION_ID',
      'is required when DISCORD_TOKEN is set',
      'copy the Application ID from the Discord Developer Portal → General Information',
    );
  }
  for (const name of ['DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID']) {
    if (raw === undefined && r.get(name) !== undefined)
      r.fail(
        name,
        'is set, but DISCORD_TOKEN is not',
        'set DISCORD_TOKEN to the bot token, or unset the other Discord variables',
      );
  }
  if (tokenValue === undefined || applicationId === undefined) return undefined;
  return {
    token: tokenValue,
    applicationId,
    ...(apiUrl !== undefined && { apiUrl }),
    ...(guildId !== undefined && { guildId }),
  };
}
