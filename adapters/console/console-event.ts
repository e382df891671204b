import type { ChatEvent } from '../../src/core/chat-event.js';

let sequence = 0;

/**
 * Console input → ChatEvent. The person is whoever `--as` names: the console runs on the
 * operator's own machine, with the config's trust, so there is no platform to verify against.
 * A leading `/tas` (or any slash command) is optional.
 */
export function consoleEvent(
  text: string,
  person: string,
  channel: string,
  now = new Date(),
): ChatEvent {
  sequence += 1;
  return {
    id: `console-${process.pid}-${sequence}`,
    platform: 'console',
    userId: person,
    channelId: channel,
    text: text.trim().replace(/^\/[a-z][a-z0-9-]*\s*/i, ''),
    receivedAt: now,
  };
}
