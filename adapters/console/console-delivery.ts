import type { Writable } from 'node:stream';
import type { ChatDelivery } from '../../src/core/ports/chat-delivery.js';
import { renderText } from './render-text.js';

/**
 * Notifications in the console: progress, card updates and channel notices printed as they
 * arrive, each marked with where it would have gone in a chat. `slash` is the configured
 * command, for the typed form of a card's buttons.
 */
export function consoleDelivery(output: Writable, slash: string): ChatDelivery {
  let sequence = 0;
  const print = (where: string, text: string) => output.write(`\n── ${where} ──\n${text}\n`);
  return {
    platform: 'console',
    post(target, reply) {
      sequence += 1;
      const where = target.threadId
        ? `thread ${target.threadId}`
        : target.channelId.includes('#')
          ? target.channelId
          : `channel ${target.channelId}`;
      // A card re-rendered on each vote or state change: the terminal already showed it whole
      // once, so later versions print as their one-line headline.
      const isCardUpdate =
        reply.card === undefined &&
        typeof reply.data === 'object' &&
        reply.data !== null &&
        'request' in reply.data &&
        reply.title.includes('[');
      print(where, isCardUpdate ? `card: ${reply.title}` : renderText(reply, slash));
      return Promise.resolve({
        ref: `console-${sequence}`,
        threadId: target.threadId ?? `console-${sequence}`,
      });
    },
    update(target, reply) {
      // Approval cards and incident posts are both edited in place.
      print(`message ${target.ref} updated`, renderText(reply, slash));
      return Promise.resolve();
    },
  };
}
