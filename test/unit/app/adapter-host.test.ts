import { beforeEach, describe, expect, it } from 'vitest';
import { createAdapterHost } from '../../../src/app/adapter-host.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import type { ChatEvent, Platform } from '../../../src/core/chat-event.js';
import type { ChatDelivery } from '../../../src/core/ports/chat-delivery.js';
import type { Reply } from '../../../src/core/reply.js';
import { cardDigest } from '../../../src/operations/card-digest.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { fakeChatDelivery } from '../../fakes/fake-chat-delivery.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const command: ChatEvent = {
  id: 'slack-cmd-1',
  platform: 'slack',
  userId: 'U01ALICE',
  channelId: 'C01OPS',
  text: 'restart backend',
  receivedAt: new Date('2026-12-01T03:00:00Z'),
};

describe('createAdapterHost', () => {
  let ops: MemoryOperations;
  let card: Reply;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    card = await askRestart(ops);
  });

  function host(deliveries: readonly ChatDelivery[], answer: Reply = card) {
    const { log, entries } = captureLogger();
    const made = createAdapterHost({
      config: ops.deps.config,
      directory: configDirectory(ops.deps.config),
      dispatcher: { dispatch: () => Promise.resolve(answer) },
      store: ops.deps.store,
      deliveries: new Map<Platform, ChatDelivery>(deliveries.map((d) => [d.platform, d])),
      platformFor: () => ops.swarm.platform,
      clock: ops.clock,
      log,
    });
    return { host: made, entries };
  }

  describe('when a command is answered with an approval card', () => {
    it('posts the card where the command was given, in answer to it, and says so', async () => {
      const slack = fakeChatDelivery('slack');
      const answer = await host([slack.delivery]).host.dispatch(command);
      expect(slack.delivered).toEqual([
        {
          kind: 'post',
          target: { channelId: 'C01OPS', inAnswerTo: 'slack-cmd-1' },
          reply: card,
        },
      ]);
      expect(answer).toEqual({ reply: card, posted: { ref: 'm1', threadId: 'm1' } });
    });

    it('keeps where the card went, so updates edit it and progress goes into its thread', async () => {
      const slack = fakeChatDelivery('slack');
      await host([slack.delivery]).host.dispatch({ ...command, threadId: '77.1' });
      const stored = await ops.deps.store.get('r1');
      expect(stored?.origin).toEqual({
        platform: 'slack',
        channelId: 'C01OPS',
        cardRef: 'm1',
        threadId: '77.1',
        // What the card shows, so the reconciler can tell when the request has moved on.
        cardShows: stored && cardDigest(stored),
      });
    });
  });

  describe('when the card cannot be posted', () => {
    it('leaves the card to the adapter and records nothing', async () => {
      const failing: ChatDelivery = {
        platform: 'slack',
        post: () => Promise.reject(new Error('not_in_channel')),
        update: () => Promise.resolve(),
      };
      const { host: made, entries } = host([failing]);
      expect(await made.dispatch(command)).toEqual({ reply: card });
      expect((await ops.deps.store.get('r1'))?.origin.cardRef).toBeUndefined();
      expect(entries.some((e) => e.level === 'warn')).toBe(true);
    });
  });

  describe('when the platform has no delivery yet', () => {
    it('leaves the card to the adapter', async () => {
      const discord = fakeChatDelivery('discord');
      expect(await host([discord.delivery]).host.dispatch(command)).toEqual({ reply: card });
      expect(discord.delivered).toEqual([]);
    });
  });

  describe('when the answer is not a card', () => {
    it('posts nothing and hands the reply to the adapter', async () => {
      const slack = fakeChatDelivery('slack');
      const status: Reply = { title: 'prod: OK', blocks: [] };
      expect(await host([slack.delivery], status).host.dispatch(command)).toEqual({
        reply: status,
      });
      expect(slack.delivered).toEqual([]);
    });
  });

  describe('when autocomplete asks for service names', () => {
    it('lists the environment the command channel belongs to', async () => {
      const names = await host([]).host.serviceNames(undefined, {
        platform: 'slack',
        channelId: 'C01OPS',
      });
      expect(names).toEqual(prodServices.map((s) => s.name));
    });

    it('offers nothing for an environment that is not configured', async () => {
      expect(
        await host([]).host.serviceNames('nope', { platform: 'slack', channelId: 'C01OPS' }),
      ).toEqual([]);
    });
  });
});
