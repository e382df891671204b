import { describe } from 'vitest';
import type { Notification } from '../../../src/core/requests/notification.js';
import { createMemoryNotifier, type Notice } from '../../fakes/memory/memory-notifier.js';
import { notifierContract } from '../../contract/notifier-contract.js';

/** A recorded notice as the queue would carry it to the bot. */
function asNotification(notice: Notice): Notification {
  switch (notice.to) {
    case 'card':
      return { kind: 'card', requestId: notice.request.id };
    case 'thread':
      return { kind: 'thread', requestId: notice.requestId, reply: notice.reply };
    case 'channel': {
      const { environment, channel, reply } = notice;
      return { kind: 'channel', environment, channel, reply };
    }
    case 'incident': {
      const { environment, channel } = notice;
      return { kind: 'incident', environment, channel, notice: notice.notice };
    }
  }
}

describe('the in-memory notifier', () => {
  notifierContract(() => {
    const notifier = createMemoryNotifier();
    return Promise.resolve({
      notifier,
      delivered: (count) => Promise.resolve(notifier.notices.slice(0, count).map(asNotification)),
    });
  });
});
