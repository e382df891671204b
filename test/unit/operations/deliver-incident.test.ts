import { describe, expect, it } from 'vitest';
import type { ChatDelivery } from '../../../src/core/ports/chat-delivery.js';
import { textReply } from '../../../src/core/reply.js';
import type { Notification } from '../../../src/core/requests/notification.js';
import { createNotificationDelivery } from '../../../src/operations/deliver-notification.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery } from '../../fakes/fake-chat-delivery.js';
import { testConfig } from '../../fakes/test-config.js';
import { openRequests } from '../diagnostics/escalation/escalation-fakes.js';

const notice = (
  opens: boolean,
  title: string,
  summary?: string,
): Extract<Notification, { kind: 'incident' }> => ({
  kind: 'incident',
  environment: 'prod',
  channel: 'ops',
  notice: {
    incidentId: 'prod-1',
    opens,
    post: textReply(title),
    ...(summary !== undefined && { summary: textReply(summary) }),
  },
});

function setup(slack: ChatDelivery) {
  const { log, entries } = captureLogger();
  const deliver = createNotificationDelivery({
    config: testConfig(),
    store: openRequests([]),
    deliveries: new Map([['slack', slack]]),
    redact: (text) => text,
    log,
  });
  return { deliver, entries };
}

describe('createNotificationDelivery', () => {
  describe('when an incident is opened and then changes', () => {
    it('replies in the opening post’s thread and updates that post in place', async () => {
      const { delivery, delivered } = fakeChatDelivery('slack');
      const { deliver } = setup(delivery);
      await deliver(notice(true, 'prod: found DOWN at start'));
      await deliver(notice(false, 'prod: frontend failing (still DOWN)', 'prod: DOWN: two'));
      expect(delivered.map((d) => [d.kind, d.target, d.reply.title])).toEqual([
        ['post', { channelId: 'C01OPS' }, 'prod: found DOWN at start'],
        ['post', { channelId: 'C01OPS', threadId: 'm1' }, 'prod: frontend failing (still DOWN)'],
        ['update', { channelId: 'C01OPS', ref: 'm1', threadId: 'm1' }, 'prod: DOWN: two'],
      ]);
      expect(delivered[0]?.reply.opensThread).toBe(true);
    });

    it('opens the thread once when the opening notice is delivered again', async () => {
      const { delivery, delivered } = fakeChatDelivery('slack');
      const { deliver } = setup(delivery);
      await deliver(notice(true, 'prod: OK → DOWN'));
      await deliver(notice(true, 'prod: OK → DOWN'));
      expect(delivered).toHaveLength(1);
    });
  });

  describe('when the opening post could not be made', () => {
    it('posts the later notice on its own and says why', async () => {
      const { delivery, delivered } = fakeChatDelivery('slack');
      let refuse = true;
      const flaky: ChatDelivery = {
        ...delivery,
        post: (target, reply) =>
          refuse ? Promise.reject(new Error('channel_not_found')) : delivery.post(target, reply),
      };
      const { deliver } = setup(flaky);
      await expect(deliver(notice(true, 'prod: OK → DOWN'))).rejects.toThrow('channel_not_found');
      refuse = false;
      await deliver(notice(false, 'prod: recovered (DOWN → OK) after 12m', 'prod: resolved'));
      expect(delivered.map((d) => [d.kind, d.target, d.reply.title])).toEqual([
        ['post', { channelId: 'C01OPS' }, 'prod: recovered (DOWN → OK) after 12m'],
      ]);
      expect(delivered[0]?.reply.blocks[0]).toEqual({
        kind: 'text',
        text: 'The first post of this incident could not be made, so this update is posted on its own.',
      });
    });
  });

  describe('when the summary update fails', () => {
    it('keeps the posted reply and logs the failed update', async () => {
      const { delivery, delivered } = fakeChatDelivery('slack');
      const { deliver, entries } = setup({
        ...delivery,
        update: () => Promise.reject(new Error('message_not_found')),
      });
      await deliver(notice(true, 'prod: OK → DOWN'));
      await deliver(notice(false, 'prod: frontend failing (still DOWN)', 'prod: DOWN: two'));
      expect(delivered.map((d) => d.reply.title)).toEqual([
        'prod: OK → DOWN',
        'prod: frontend failing (still DOWN)',
      ]);
      expect(entries.map((e) => e.msg)).toContain('could not update the incident summary');
    });
  });
});
