import type { ChatAction } from '../../src/core/chat-event.js';

/** Every button this adapter renders has an `action_id` with this prefix; bolt routes on it. */
export const ACTION_PREFIX = 'tas:';
export const ACTION_PATTERN = /^tas:(approve|reject):/;

/** `tas:approve:r1a2b3c`: unique within a message (Slack rejects duplicates), verb and id readable. */
export function actionId(verb: ChatAction['verb'], requestId: string): string {
  return `${ACTION_PREFIX}${verb}:${requestId}`;
}

/** `approve:r1a2b3c`, what the click carries back. */
export function actionValue(verb: ChatAction['verb'], requestId: string): string {
  return `${verb}:${requestId}`;
}

/** A clicked button's value → verb and request id; anything else is not ours. */
export function parseActionValue(
  value: string | undefined,
): Pick<ChatAction, 'verb' | 'requestId'> | undefined {
  const match = /^(approve|reject):(\S+)$/.exec(value ?? '');
  if (match === null) return undefined;
  return { verb: match[1] === 'approve' ? 'approve' : 'reject', requestId: match[2] ?? '' };
}
