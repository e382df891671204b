import { beforeEach, describe, expect, it } from 'vitest';
import { createNotificationDelivery } from '../../../src/operations/deliver-notification.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery } from '../../fakes/fake-chat-delivery.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('createNotificationDelivery', () => {
  let ops: MemoryOperations;
  let slack: ReturnType<typeof fakeChatDelivery>;
  let deliver: ReturnType<typeof createNotificationDelivery>;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
    slack = fakeChatDelivery('slack');
    deliver = createNotificationDelivery({
      config: ops.deps.config,
      store: ops.deps.store,
      deliveries: new Map([['slack', slack.delivery]]),
      redact: (text) => text,
      log: captureLogger().log,
    });
  });

  describe('when a card update finds no card posted yet', () => {
    it('posts the card and keeps where it went, so the next update edits it', async () => {
      await deliver({ kind: 'card', requestId: 'r1' });
      expect((await ops.deps.store.get('r1'))?.origin).toMatchObject({
        cardRef: 'm1',
        threadId: 'm1',
      });
      await deliver({ kind: 'card', requestId: 'r1' });
      expect(slack.delivered.map((d) => [d.kind, d.target])).toEqual([
        ['post', { channelId: 'C01OPS' }],
        ['update', { channelId: 'C01OPS', threadId: 'm1', ref: 'm1' }],
      ]);
    });
  });

  describe('when progress arrives for a request whose card is posted', () => {
    it('replies in the card’s thread', async () => {
      await deliver({ kind: 'card', requestId: 'r1' });
      await deliver({ kind: 'thread', requestId: 'r1', reply: { title: 'Started', blocks: [] } });
      expect(slack.delivered.at(-1)).toMatchObject({
        kind: 'post',
        target: { channelId: 'C01OPS', threadId: 'm1' },
        reply: { title: 'Started' },
      });
    });
  });
});
