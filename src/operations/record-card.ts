import type { Posted } from '../core/ports/chat-delivery.js';
import type { RequestStore } from '../core/ports/request-store.js';
import { cardDigest } from './card-digest.js';

/**
 * Stores where a request's approval card was posted, from what the delivery answered, and what
 * it shows: later votes, expiry and results edit that message, progress goes into its thread,
 * and the reconciler renders it again once the request has moved on from it. `shows` is the
 * digest of the card as posted; without it, the card is taken to show the stored request (it
 * was rendered from it a moment ago).
 */
export async function recordCard(
  store: RequestStore,
  requestId: string,
  posted: Posted,
  shows?: string,
): Promise<void> {
  await store.update(requestId, (current) => ({
    request: {
      ...current,
      origin: {
        ...current.origin,
        cardRef: posted.ref,
        ...(posted.threadId !== undefined && { threadId: posted.threadId }),
        cardShows: shows ?? cardDigest(current),
      },
    },
    result: true,
  }));
}

/** Stores what the card shows after an edit; nothing when it is recorded already. */
export async function recordCardShown(
  store: RequestStore,
  requestId: string,
  shows: string,
): Promise<void> {
  await store.update(requestId, (current) =>
    current.origin.cardShows === shows
      ? undefined
      : { request: { ...current, origin: { ...current.origin, cardShows: shows } }, result: true },
  );
}
