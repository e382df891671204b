import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ChatAction } from '../../src/core/chat-event.js';

type Verb = ChatAction['verb'];

/**
 * The `integration.context` of a button: which request and verb it stands for, and an
 * HMAC-SHA256 over both. The Mattermost server never sends `integration` to clients (every post
 * it encodes for a client or the WebSocket goes through `Post.StripActionIntegrations` in
 * `server/public/model/post.go`, which sets each action's `Integration` to nil), and a click
 * reaches us as the server's own POST carrying the context it stored with the post
 * (`DoPostActionWithCookie` in `server/channels/app/integration_action.go`). So channel members
 * never see the signature, and a request that carries a valid one was written by this bot.
 */
export interface ActionContext {
  readonly request_id: string;
  readonly verb: Verb;
  readonly sig: string;
}

/** The signing key: derived from the bot token, so rotating the token rotates it too. */
export function actionKey(botToken: string): Buffer {
  return createHmac('sha256', botToken).update('tas-chatops mattermost actions v1').digest();
}

function signature(key: Buffer, requestId: string, verb: Verb): string {
  return createHmac('sha256', key).update(`${verb}\n${requestId}`).digest('hex');
}

export function signAction(key: Buffer, requestId: string, verb: Verb): ActionContext {
  return { request_id: requestId, verb, sig: signature(key, requestId, verb) };
}

/** Constant-time equality of two strings of any length (compared as SHA-256 digests). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The context of a click → request id and verb, when this bot signed it; otherwise undefined. */
export function verifyAction(
  key: Buffer,
  context: unknown,
): Pick<ChatAction, 'verb' | 'requestId'> | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const { request_id: requestId, verb, sig } = context as Record<string, unknown>;
  if (typeof requestId !== 'string' || requestId === '' || typeof sig !== 'string')
    return undefined;
  if (verb !== 'approve' && verb !== 'reject') return undefined;
  return sameSecret(sig, signature(key, requestId, verb)) ? { verb, requestId } : undefined;
}

/**
 * The button's action id: alphanumeric (older servers route only `/actions/[A-Za-z0-9]+`),
 * unique on its post, and tied to the request, so the post look-up on a click can tell that
 * the post carries this very button.
 */
export function actionId(verb: Verb, requestId: string): string {
  return `tas${verb}${createHash('sha256').update(requestId).digest('hex').slice(0, 16)}`;
}
