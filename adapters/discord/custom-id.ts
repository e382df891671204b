import type { ChatAction } from '../../src/core/chat-event.js';

/** Discord's limit for a component's `custom_id`. */
export const CUSTOM_ID_MAX = 100;

const VERBS = ['approve', 'reject'] as const satisfies readonly ChatAction['verb'][];
const REQUEST_ID = /^[A-Za-z0-9_-]+$/;

/**
 * `tas:approve:r1a2b3c`: the command name keeps two bots in one guild apart, the verb and the
 * request id are all a click needs. Undefined when it would not fit the 100-character limit.
 */
export function encodeCustomId(
  command: string,
  verb: ChatAction['verb'],
  requestId: string,
): string | undefined {
  if (!REQUEST_ID.test(requestId)) return undefined;
  const id = `${command}:${verb}:${requestId}`;
  return id.length <= CUSTOM_ID_MAX ? id : undefined;
}

/** The click's verb and request id, or undefined for a button that is not ours. */
export function decodeCustomId(
  command: string,
  customId: string,
): Pick<ChatAction, 'verb' | 'requestId'> | undefined {
  const [prefix, verb, requestId, ...rest] = customId.split(':');
  if (
    prefix !== command ||
    rest.length > 0 ||
    requestId === undefined ||
    !REQUEST_ID.test(requestId)
  )
    return undefined;
  const known = VERBS.find((v) => v === verb);
  return known === undefined ? undefined : { verb: known, requestId };
}
