/** Told to whoever runs a command where the bot does not serve: only they see it. */
export const DM_REFUSAL = 'I answer in my server’s channels only, not in direct messages.';
export const GUILD_REFUSAL = 'I do not serve this server; use me in the server I was set up for.';

/**
 * Why an interaction comes from a place the bot does not serve, or `undefined` when it may
 * be handled. Direct messages are refused: the config maps channels of a server to
 * environments, and a DM would reach the core outside every channel's policy. Servers other
 * than the served ones are refused: a server anyone can create, invite the app to and name a
 * channel there like one of ours must not become a way in.
 */
export function placeRefusal(
  guildId: string | null,
  serves: (guildId: string) => boolean,
): string | undefined {
  if (guildId === null) return DM_REFUSAL;
  return serves(guildId) ? undefined : GUILD_REFUSAL;
}
