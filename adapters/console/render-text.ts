import type { Reply } from '../../src/core/reply.js';
import { renderPlainText } from '../../src/core/render-plain-text.js';

/**
 * Reply → terminal text: the shared plain-text layout, written as is (a terminal interprets
 * nothing). Pure: attachments are listed by name; the caller decides where they go. `slash`
 * is the configured command (`/${config.command}`).
 */
export function renderText(reply: Reply, slash: string): string {
  return renderPlainText(reply, { slash });
}
