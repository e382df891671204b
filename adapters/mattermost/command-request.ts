import { MATTERMOST_LIMITS } from './mattermost-limits.js';
import { decodeUtf8 } from './read-body.js';

/** The fields of a slash-command request this adapter reads (`tryExecuteCustomCommand`). */
export interface CommandRequest {
  readonly token: string;
  readonly userId: string;
  readonly channelId: string;
  readonly command: string;
  readonly text: string;
  readonly triggerId: string;
  /** The thread the command was typed in, if any. */
  readonly rootId?: string;
  /** Where an ephemeral answer can still go when the bot may not post one itself. */
  readonly responseUrl?: string;
}

const REQUIRED = ['token', 'user_id', 'channel_id', 'command', 'trigger_id'] as const;
const SINGLE = [...REQUIRED, 'text', 'root_id', 'response_url'] as const;

/**
 * A form-encoded body (`url.Values.Encode()`: keys sorted, space as `+`) → the request, or
 * undefined when it is not one: not UTF-8, a required field missing or empty, a field that
 * must appear once appearing twice.
 */
export function parseCommandForm(bytes: Buffer): CommandRequest | undefined {
  if (bytes.length > MATTERMOST_LIMITS.commandBodyBytes) return undefined;
  const text = decodeUtf8(bytes);
  if (text === undefined) return undefined;
  const form = new URLSearchParams(text);
  if (SINGLE.some((key) => form.getAll(key).length > 1)) return undefined;
  if (REQUIRED.some((key) => (form.get(key) ?? '') === '')) return undefined;
  const get = (key: string) => form.get(key) ?? '';
  const rootId = get('root_id');
  const responseUrl = get('response_url');
  return {
    token: get('token'),
    userId: get('user_id'),
    channelId: get('channel_id'),
    command: get('command'),
    text: get('text'),
    triggerId: get('trigger_id'),
    ...(rootId !== '' && { rootId }),
    ...(responseUrl !== '' && { responseUrl }),
  };
}

/** `Authorization: Token <t>` → t; undefined when absent or another scheme. */
export function headerToken(authorization: string | undefined): string | undefined {
  const match = /^token\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
