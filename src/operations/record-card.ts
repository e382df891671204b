import type { Posted } from '../core/ports/chat-delivery.js';
import type { RequestStore } from '../core/ports/request-store.js';

/**
 * Stores where a request's approval card was posted, from what the delivery answered: later
 * votes, expiry and results edit that message, and progress goes into its thread.
 */
export async function recordCard(
  store: RequestStore,
  requestId: string,
  posted: Posted,
): Promise<void> {
  await store.update(requestId, (current) => ({
    request: {
      ...current,
      origin: {
        ...current.origin,
        cardRef: posted.ref,
        ...(posted.threadId !== undefined && { threadId: posted.threadId }),
      },
    },
    result: true,
  }));
}
