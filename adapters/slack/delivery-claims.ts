import type { ReceiverEvent } from '@slack/bolt';
import type { LedgerClaim } from '../../src/core/ports/delivery-intake.js';
import { ACTION_PATTERN, parseActionValue } from './action-ids.js';
import { actionEventId, commandEventId } from './slack-events.js';

/**
 * Slack retries an unanswered HTTP event after about 1 and 5 minutes; an hour covers every
 * retry with room to spare, and a trigger_id or action_ts is never reused.
 */
export const REDELIVERY_MS = 60 * 60_000;
/** Two clicks of one person on one button within this are one click. */
const DOUBLE_CLICK_MS = 5_000;

interface ButtonFields {
  readonly type?: unknown;
  readonly action_id?: unknown;
  readonly action_ts?: unknown;
  readonly value?: unknown;
}

/** A click on one of our buttons: its delivery, and this person's click on this verb and request. */
function clickClaims(body: ReceiverEvent['body']): LedgerClaim[] {
  const action = (body.actions as readonly ButtonFields[] | undefined)?.[0];
  const userId = (body.user as { id?: unknown } | undefined)?.id;
  if (action?.type !== 'button' || typeof action.action_id !== 'string') return [];
  if (!ACTION_PATTERN.test(action.action_id) || typeof userId !== 'string') return [];
  const parsed = parseActionValue(typeof action.value === 'string' ? action.value : undefined);
  if (parsed === undefined || typeof action.action_ts !== 'string') return [];
  return [
    { key: `slack:${actionEventId(action.action_ts, userId)}`, ttlMs: REDELIVERY_MS },
    {
      key: `slack:click:${userId}:${parsed.verb}:${parsed.requestId}`,
      ttlMs: DOUBLE_CLICK_MS,
    },
  ];
}

/**
 * What a delivery claims in the ledger before it is answered, from its verified body (before bolt
 * sees it, so the intake can claim it before the ack): a slash command its trigger_id (unique per
 * invocation; a retried delivery carries the same one; a slash command has no event id, in
 * either mode), a click on our buttons its action_ts and the person's click. Nothing for the rest.
 */
export function deliveryClaims(body: ReceiverEvent['body']): LedgerClaim[] {
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string')
    return [{ key: `slack:${commandEventId(body.trigger_id)}`, ttlMs: REDELIVERY_MS }];
  if (body.type === 'block_actions') return clickClaims(body);
  return [];
}
