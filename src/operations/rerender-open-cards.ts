import type { Notifier } from '../core/ports/notifier.js';
import type { RequestStore } from '../core/ports/request-store.js';

/**
 * Every unfinished request's card, rendered again from what the store holds now. After Redis
 * restarted and lost writes, a card may still show a vote the store no longer has; rendered
 * again, the card shows what an approver's next click will actually count.
 */
export async function rerenderOpenCards(store: RequestStore, notifier: Notifier): Promise<number> {
  const open = await store.open();
  for (const request of open) await notifier.card(request);
  return open.length;
}
