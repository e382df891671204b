import type { Reply } from '../../src/core/reply.js';
import { renderPlainText } from '../../src/core/render-plain-text.js';

/**
 * A whole reply as plain text, for the file that carries an answer too long for one message.
 * Files are never parsed for mentions, so nothing is escaped (unlike a message's fallback
 * `text`); the core has redacted it already. `command` is the slash command without `/`.
 */
export function renderPlain(reply: Reply, command: string): string {
  return `${renderPlainText(reply, { slash: `/${command}` })}\n`;
}
