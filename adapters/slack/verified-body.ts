import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { HTTPModuleFunctions as httpFunctions, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/core/ports/logger.js';

/**
 * The most a `/slack/events` body may hold: 1 MiB. What Slack sends is small (a slash command
 * is under 1 KiB of form fields; an interactive payload with a large view state is tens of
 * KiB), so this is generous for Slack and small for memory. A Content-Length above it is
 * refused before a byte of the body is read; a chunked body stops being read at the cap. 413.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Slack's replay window: a signed request older than five minutes is refused. */
const MAX_AGE_SEC = 5 * 60;

class NotVerifiedError extends Error {}

/**
 * Slack's v0 signature: `v0=` + hex HMAC-SHA256, keyed with the signing secret, of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>`; a timestamp older than five minutes is refused.
 * The same rules as bolt's verifySlackRequest, at a third of its cost: bolt compares through
 * tsscmp, two more HMACs under a fresh random key per request, where one constant-time
 * comparison of the two signatures (equal lengths) is what the comparison needs. In a burst
 * that is most of the CPU a request costs before its ack.
 */
function verify(secret: string, req: IncomingMessage, raw: string, nowMs: number): void {
  const timestamp = req.headers['x-slack-request-timestamp'];
  const signature = req.headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string')
    throw new NotVerifiedError('no Slack signature or timestamp');
  const sec = Number(timestamp);
  if (Number.isNaN(sec) || sec < Math.floor(nowMs / 1000) - MAX_AGE_SEC)
    throw new NotVerifiedError('stale or unreadable Slack timestamp');
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new NotVerifiedError('Slack signature mismatch');
}

/** Why a request that could not be read or verified is refused, and with which status. */
function refusalOf(error: unknown): { status: number; unread: boolean; why: string } {
  // Reading the body failed (too large, shorter than its Content-Length, aborted) or the
  // signature did not verify.
  if (!httpFunctions.isRawBodyError(error))
    return { status: 401, unread: false, why: 'Slack request refused: not verified' };
  if (error.type === 'entity.too.large' || error.statusCode === 413)
    return {
      status: 413,
      unread: true,
      why: `Slack request refused: body over ${SLACK_BODY_LIMIT_BYTES} bytes`,
    };
  return { status: 400, unread: true, why: 'Slack request refused: body unreadable' };
}

/** The raw body, verified; `ssl_check` carries no signature and nothing else is kept of it. */
async function verifiedText(
  secret: string,
  req: IncomingMessage,
  nowMs: () => number,
): Promise<{ raw: string; fields?: ReturnType<typeof parse> }> {
  const buffered = await httpFunctions.bufferIncomingMessage(req, SLACK_BODY_LIMIT_BYTES);
  const raw = buffered.rawBody.toString();
  const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
  const fields = form ? parse(raw) : undefined;
  // Slack's ssl_check is not signed: answered as such, with any other field in it dropped.
  if (fields?.ssl_check === '1') return { raw: 'ssl_check=1', fields: { ssl_check: '1' } };
  verify(secret, req, raw, nowMs());
  return { raw, ...(fields !== undefined && { fields }) };
}

function refuse(res: ServerResponse, status: number, unread: boolean): void {
  // The rest of an unread body is not worth reading: the connection ends with the answer.
  if (unread) res.setHeader('Connection', 'close');
  httpFunctions.buildNoBodyResponse(res, status);
}

/**
 * The verified, parsed body, or undefined once the request has been answered with a refusal:
 * the v0 signature over the raw bytes (stale timestamps refused), then the body: form fields,
 * their `payload` JSON for interactions, or a JSON body.
 */
export async function verifiedBody(
  options: { readonly signingSecret: string; readonly now?: () => number },
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<ReceiverEvent['body'] | undefined> {
  // bolt's reader enforces the cap only as bytes arrive; a declared length over it is
  // refused here at once, instead of waiting for a body the client may never send.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > SLACK_BODY_LIMIT_BYTES) {
    log.warn({ declared }, `Slack request refused: body over ${SLACK_BODY_LIMIT_BYTES} bytes`);
    refuse(res, 413, true);
    return undefined;
  }
  let text;
  try {
    text = await verifiedText(options.signingSecret, req, options.now ?? Date.now);
  } catch (error) {
    const refusal = refusalOf(error);
    log.warn({ err: error, status: refusal.status }, refusal.why);
    refuse(res, refusal.status, refusal.unread);
    return undefined;
  }
  try {
    const payload = text.fields?.payload;
    if (typeof payload === 'string') return JSON.parse(payload) as ReceiverEvent['body'];
    return (text.fields ?? JSON.parse(text.raw)) as ReceiverEvent['body'];
  } catch (error) {
    log.warn({ err: error }, 'Slack request refused: malformed body');
    httpFunctions.buildNoBodyResponse(res, 400);
    return undefined;
  }
}
