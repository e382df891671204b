import * as z from 'zod';

/** Ids on the chat platforms, for `people:` and an environment's `channels:`. */

const slackId = (kind: string, prefixes: string) =>
  z
    .string()
    .regex(
      new RegExp(`^[${prefixes}][A-Z0-9]+$`),
      `a Slack ${kind} id looks like ${prefixes[0] ?? ''}01ABCDEF`,
    )
    .optional();

const discordId = (kind: string) =>
  z
    .string()
    .regex(/^\d{15,22}$/, `a Discord ${kind} id is a numeric snowflake, quoted in YAML`)
    .optional();

/** Every Mattermost id (user, channel, team, post) is 26 lowercase letters and digits. */
const mattermostId = (kind: string, example: string) =>
  z
    .string()
    .regex(
      /^[a-z0-9]{26}$/,
      `a Mattermost ${kind} id is 26 lowercase letters and digits (${example})`,
    )
    .optional();

export const platformIds = z
  .object({
    slack: slackId('user', 'UW'),
    discord: discordId('user'),
    mattermost: mattermostId('user', 'e.g. 8bs3cp1qtfyjfbp1gzs6gpdz6o, not the @username'),
  })
  .strict();

export const channelIds = z
  .object({
    slack: slackId('channel', 'CGD'),
    discord: discordId('channel'),
    mattermost: mattermostId('channel', 'e.g. 4xp9fdt77pncbef59f4k1qe83o, not the ~channel-name'),
    console: z.string().optional(),
  })
  .strict();
