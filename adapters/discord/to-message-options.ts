import { AttachmentBuilder } from 'discord.js';
import type { DiscordMessage } from './render-message.js';

/**
 * A rendered message as discord.js options (send, reply, editReply, followUp and edit all take
 * this shape). `allowedMentions` travels on every message, on top of the client default.
 */
export function toMessageOptions(message: DiscordMessage) {
  return {
    content: message.content,
    embeds: [...message.embeds],
    components: [...message.components],
    files: message.files.map(
      (f) => new AttachmentBuilder(Buffer.from(f.text, 'utf8'), { name: f.name }),
    ),
    allowedMentions: { parse: [] },
  };
}
