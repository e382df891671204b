/**
 * Discord's message limits (`message.mdx` "Embed Limits", `components/reference.mdx`). Lengths
 * are counted in UTF-16 code units, which is never fewer than Discord's characters.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  /** Over all titles, descriptions, field names and values, footers and author names. */
  embedTotal: 6000,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  files: 10,
} as const satisfies Readonly<Record<string, number>>;
