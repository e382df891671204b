import type { Reply } from '../../src/core/reply.js';
import { renderPlainText } from '../../src/core/render-plain-text.js';

export { rowLines } from '../../src/core/render-plain-text.js';

/**
 * The whole reply as plain text, nothing left out: the file a message links to when the reply
 * does not fit Discord's limits. Data text is written as is (a text file pings nobody).
 */
export function renderPlain(reply: Reply, slash: string): string {
  return `${renderPlainText(reply, { slash })}\n`;
}
