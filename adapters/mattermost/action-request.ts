import { decodeUtf8 } from './read-body.js';

/** The fields of a button click as the server posts it (`PostActionIntegrationRequest`). */
export interface ActionRequest {
  /** The clicking session's user: set by the server, never by a client. */
  readonly userId: string;
  readonly channelId: string;
  readonly postId: string;
  readonly triggerId: string;
  /** The `integration.context` the server stored with the button. */
  readonly context: unknown;
}

/** A JSON body → the click, or undefined when it is not one (bad JSON, a field missing). */
export function parseActionBody(bytes: Buffer): ActionRequest | undefined {
  const text = decodeUtf8(bytes);
  if (text === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  const text_ = (key: string) => {
    const value = fields[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const userId = text_('user_id');
  const channelId = text_('channel_id');
  const postId = text_('post_id');
  const triggerId = text_('trigger_id');
  if (!userId || !channelId || !postId || !triggerId) return undefined;
  return { userId, channelId, postId, triggerId, context: fields.context };
}
