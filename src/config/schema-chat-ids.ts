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

export const platformIds = z
  .object({ slack: slackId('user', 'UW'), discord: discordId('user') })
  .strict();

export const channelIds = z
  .object({
    slack: slackId('channel', 'CGD'),
    discord: discordId('channel'),
    console: z.string().optional(),
  })
  .strict();
