import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../../adapters/discord/create-discord-adapter.js';
import type { ChatEvent } from '../../../../src/core/chat-event.js';
import type { CommandSpec } from '../../../../src/core/command.js';
import type { AdapterHost, ChatAdapter } from '../../../../src/core/ports/chat-adapter.js';
import type { ChatDelivery } from '../../../../src/core/ports/chat-delivery.js';
import type { Reply } from '../../../../src/core/reply.js';
import { captureLogger } from '../../../fakes/capture-logger.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
  type StandInOptions,
} from '../../../stand-ins/discord/discord-stand-in.js';
import type { InteractionRecord } from '../../../stand-ins/discord/stand-in-state.js';

const specs: CommandSpec[] = [
  {
    name: 'status',
    summary: 'status',
    usage: 'status [env]',
    flags: [],
    permission: 'read',
    environmentPositional: true,
  },
  {
    name: 'logs',
    summary: 'logs',
    usage: 'logs <service> [--since 15m]',
    flags: [{ name: 'since', type: 'string' }],
    permission: 'read',
  },
  {
    name: 'restart',
    summary: 'restart',
    usage: 'restart <service>',
    flags: [],
    permission: 'restart',
  },
];

const card = (id: string): Reply => ({
  title: `restart prod_backend — waiting for approval [${id}]`,
  blocks: [{ kind: 'text', text: 'what changes' }],
  buttons: [
    { label: 'Approve', verb: 'approve', requestId: id, style: 'primary' },
    { label: 'Reject', verb: 'reject', requestId: id, style: 'danger' },
  ],
  card: { requestId: id },
});

/**
 * A host whose answers the test decides, one per event, in order of arrival. Like the real
 * one, it posts an approval card itself through the delivery it was given (`deliverCards`),
 * in answer to the event, and keeps where the card went.
 */
function fakeHost() {
  const events: ChatEvent[] = [];
  const cards: { requestId: string; cardRef: string; threadId?: string }[] = [];
  const answers: ((event: ChatEvent) => Reply | Promise<Reply>)[] = [];
  let names: () => Promise<readonly string[]> = () => Promise.resolve(['backend', 'frontend']);
  let delivery: ChatDelivery | undefined;
  const { log, entries } = captureLogger();
  const host: AdapterHost = {
    async dispatch(event) {
      events.push(event);
      const answer = answers.shift();
      const reply = await (answer === undefined
        ? { title: `ok: ${event.text}`, blocks: [] }
        : answer(event));
      if (reply.card === undefined || delivery === undefined) return { reply };
      const posted = await delivery.post(
        {
          channelId: event.channelId,
          ...(event.threadId !== undefined && { threadId: event.threadId }),
          inAnswerTo: event.id,
        },
        reply,
      );
      cards.push({
        requestId: reply.card.requestId,
        cardRef: posted.ref,
        ...(posted.threadId !== undefined && { threadId: posted.threadId }),
      });
      return { reply, posted };
    },
    serviceNames: () => names(),
    log,
  };
  return {
    host,
    events,
    cards,
    deliverCards: (through: ChatDelivery) => (delivery = through),
    logs: entries,
    answer: (a: (event: ChatEvent) => Reply | Promise<Reply>) => answers.push(a),
    setNames: (n: () => Promise<readonly string[]>) => (names = n),
  };
}

const calls = (record: InteractionRecord) =>
  record.calls.map(
    (c) =>
      `${c.method} ${c.path.replace(/\/(\d+|aW50[^/]+)/g, '/…')}${c.path.endsWith('/callback') ? ` type ${String(c.body?.type)}` : ''} → ${c.status}`,
  );

describe('createDiscordAdapter against the Discord stand-in', () => {
  let standIn: DiscordStandIn | undefined;
  let adapter: ChatAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await standIn?.close();
  });

  async function start(
    options: { guild?: boolean; standIn?: StandInOptions; budgetMs?: number } = {},
  ) {
    standIn = await startDiscordStandIn({ channels: ['ops'], roles: ['lead'], ...options.standIn });
    const fake = fakeHost();
    adapter = createDiscordAdapter(fake.host, {
      discord: {
        token: standIn.token,
        applicationId: standIn.applicationId,
        apiUrl: standIn.apiUrl,
        ...(options.guild !== false && { guildId: standIn.guildId }),
      },
      command: 'tas',
      commands: specs,
      autocompleteBudgetMs: options.budgetMs ?? 2000,
    });
    await adapter.start();
    fake.deliverCards(adapter);
    return { s: standIn, fake, ops: standIn.channelId('ops'), adapter };
  }

  describe('when it starts', () => {
    it('registers /tas in the guild and is connected', async () => {
      const { s, adapter } = await start();
      expect(s.commands.guild.map((c) => c.name)).toEqual(['tas']);
      expect(adapter.connected()).toBe(true);
    });

    it('registers globally, for guilds only, without a guild id', async () => {
      const { s } = await start({ guild: false });
      expect(s.commands.global).toEqual([expect.objectContaining({ name: 'tas', contexts: [0] })]);
      expect(s.commands.guild).toEqual([]);
    });

    it('rejects a token Discord refuses', async () => {
      standIn = await startDiscordStandIn();
      const bad = createDiscordAdapter(fakeHost().host, {
        discord: { token: 'wrong', applicationId: standIn.applicationId, apiUrl: standIn.apiUrl },
        command: 'tas',
        commands: specs,
      });
      await expect(bad.start()).rejects.toThrow(/token/i);
      await bad.stop();
    });
  });

  describe('when a slash command arrives', () => {
    it('defers before the core has answered, then replaces the deferral with the answer', async () => {
      const { s, fake, ops } = await start();
      let release: (reply: Reply) => void = () => undefined;
      fake.answer(() => new Promise<Reply>((resolve) => (release = resolve)));
      const record = s.slash(
        { id: '111111111111111111', roles: [s.roleId('lead')] },
        { channelId: ops, subcommand: 'logs', options: { service: 'backend', since: '15m' } },
      );
      await s.until('the deferral', () => record.response);
      expect(record.response?.type).toBe(5);
      expect(record.originalState).toBe('loading');
      release({ title: 'backend logs', blocks: [{ kind: 'text', text: 'fine' }] });
      await s.until('the answer', () => (record.originalState === 'resolved' ? true : undefined));
      expect(calls(record)).toEqual([
        'POST /interactions/…/…/callback type 5 → 204',
        'PATCH /webhooks/…/…/messages/@original → 200',
      ]);
      expect(fake.events[0]).toMatchObject({
        platform: 'discord',
        userId: '111111111111111111',
        platformRoles: [s.roleId('lead')],
        channelId: ops,
        text: 'logs backend --since 15m',
      });
      expect(fake.events[0]).not.toHaveProperty('threadId');
    });

    it('answers a refusal only to the user: the deferral resolved, an ephemeral follow-up, the placeholder gone', async () => {
      const { s, fake, ops } = await start();
      fake.answer(() => ({ title: 'You may not.', blocks: [], ephemeral: true }));
      const record = s.slash({ id: '1' }, { channelId: ops, subcommand: 'status' });
      await s.until('the placeholder deleted', () =>
        record.originalState === 'deleted' ? true : undefined,
      );
      expect(calls(record)).toEqual([
        'POST /interactions/…/…/callback type 5 → 204',
        'PATCH /webhooks/…/…/messages/@original → 200',
        'POST /webhooks/…/… → 200',
        'DELETE /webhooks/…/…/messages/@original → 204',
      ]);
      expect(s.message(record.followUps[0] ?? '')).toMatchObject({
        ephemeral: true,
        json: expect.objectContaining({ content: '**You may not.**', flags: 64 }) as unknown,
      });
      expect(s.channelMessages(ops)).toEqual([]);
    });

    it('posts a public answer in the channel when the interaction expired before the deferral', async () => {
      const { s, fake, ops } = await start({ standIn: { deadlineMs: -1 } });
      const record = s.slash({ id: '1' }, { channelId: ops, subcommand: 'status' });
      await s.until('the answer in the channel', () => s.channelMessages(ops)[0]);
      expect(calls(record)).toEqual(['POST /interactions/…/…/callback type 5 → 404']);
      expect(s.channelMessages(ops)[0]?.json.content).toBe('**ok: status**');
      expect(fake.logs.some((e) => e.msg === 'could not defer the interaction')).toBe(true);
    });

    it('turns the deferred reply into the card the core posts, and starts its thread from it', async () => {
      const { s, fake, ops } = await start();
      fake.answer(() => card('r1a2b3c'));
      const record = s.slash(
        { id: '1' },
        { channelId: ops, subcommand: 'restart', options: { service: 'backend' } },
      );
      await s.until('the card reported', () => fake.cards[0]);
      expect(fake.cards).toEqual([
        { requestId: 'r1a2b3c', cardRef: record.originalId, threadId: record.originalId },
      ]);
      expect(s.channel(record.originalId ?? '')).toMatchObject({
        type: 11,
        parent_id: ops,
        name: 'restart prod_backend — waiting for approval [r1a2b3c]',
      });
    });

    it('keeps a card asked for inside a thread in that thread, and edits it there', async () => {
      const { s, fake, ops, adapter } = await start();
      const notice = await adapter.post({ channelId: ops }, card('r0'));
      const thread = notice.threadId ?? '';
      fake.answer(() => card('r9'));
      const record = s.slash(
        { id: '1' },
        { channelId: thread, subcommand: 'restart', options: { service: 'backend' } },
      );
      await s.until('the card reported', () => fake.cards.find((c) => c.requestId === 'r9'));
      expect(fake.events[0]).toMatchObject({ channelId: ops, threadId: thread });
      expect(fake.cards.find((c) => c.requestId === 'r9')).toEqual({
        requestId: 'r9',
        cardRef: record.originalId,
        threadId: thread,
      });
      await adapter.update(
        { channelId: ops, threadId: thread, ref: record.originalId ?? '' },
        { title: 'restart prod_backend — expired [r9]', blocks: [] },
      );
      expect(s.message(record.originalId ?? '')?.json).toMatchObject({
        content: '**restart prod\\_backend — expired \\[r9\\]**',
        components: [],
      });
    });
  });

  describe('when the deferral failed and the core posts a card', () => {
    it('puts the card into the channel once, with its thread', async () => {
      const { s, fake, ops } = await start({ standIn: { deadlineMs: -1 } });
      fake.answer(() => card('r7'));
      s.slash(
        { id: '1' },
        { channelId: ops, subcommand: 'restart', options: { service: 'backend' } },
      );
      const reported = await s.until('the card reported', () => fake.cards[0]);
      expect(s.channelMessages(ops).map((m) => m.json.content)).toEqual([
        '**restart prod\\_backend — waiting for approval \\[r7\\]**',
      ]);
      expect(s.channel(reported.cardRef)).toMatchObject({ type: 11, parent_id: ops });
      expect(reported.threadId).toBe(reported.cardRef);
    });
  });

  describe('when a button is clicked', () => {
    it('hands the core the verified clicker, their roles, the verb and the request, and answers refusals privately', async () => {
      const { s, fake, ops, adapter } = await start();
      const posted = await adapter.post({ channelId: ops }, card('r1a2b3c'));
      fake.answer(() => ({ title: 'You asked for this.', blocks: [], ephemeral: true }));
      const click = s.click(
        { id: '222222222222222222', roles: [s.roleId('lead')] },
        posted.ref,
        'tas:approve:r1a2b3c',
      );
      await s.until('the private answer', () => click.followUps[0]);
      expect(fake.events[0]).toMatchObject({
        userId: '222222222222222222',
        platformRoles: [s.roleId('lead')],
        channelId: ops,
        threadId: posted.ref,
        text: '',
        action: { verb: 'approve', requestId: 'r1a2b3c', messageRef: posted.ref },
      });
      expect(calls(click)).toEqual([
        'POST /interactions/…/…/callback type 6 → 204',
        'POST /webhooks/…/… → 200',
      ]);
      expect(s.message(click.followUps[0] ?? '')?.ephemeral).toBe(true);
    });

    it('puts a public answer into the card’s thread', async () => {
      const { s, fake, ops, adapter } = await start();
      const posted = await adapter.post({ channelId: ops }, card('r1'));
      fake.answer(() => ({ title: 'Approved r1.', blocks: [] }));
      s.click({ id: '2' }, posted.ref, 'tas:approve:r1');
      const answer = await s.until(
        'the answer in the thread',
        () => s.channelMessages(posted.threadId ?? '')[0],
      );
      expect(answer.json.content).toBe('**Approved r1.**');
    });

    it('leaves buttons of other bots alone', async () => {
      const { s, ops } = await start();
      const response = await fetch(`${s.apiUrl}/v10/channels/${ops}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bot ${s.token}` },
        body: JSON.stringify({
          content: 'another bot',
          components: [
            {
              type: 1,
              components: [{ type: 2, style: 1, label: 'x', custom_id: 'other:approve:r1' }],
            },
          ],
        }),
      });
      const other = (await response.json()) as { id: string };
      const click = s.click({ id: '2' }, other.id, 'other:approve:r1');
      // Interactions arrive in order: once a later command is answered, the click was seen.
      const later = s.slash({ id: '1' }, { channelId: ops, subcommand: 'status' });
      await s.until('a later answer', () =>
        later.originalState === 'resolved' ? true : undefined,
      );
      expect(click.calls).toEqual([]);
    });
  });

  describe('when an option autocompletes', () => {
    it('answers with the live names matching what was typed, never deferred', async () => {
      const { s, ops } = await start();
      const { record, choices } = await s.autocomplete(
        { id: '1' },
        { channelId: ops, subcommand: 'logs', focused: 'service', typed: 'back' },
      );
      expect(choices).toEqual([{ name: 'backend', value: 'backend' }]);
      expect(calls(record)).toEqual(['POST /interactions/…/…/callback type 8 → 204']);
    });

    it('answers with nothing rather than late when the names take longer than its budget', async () => {
      const { s, fake, ops } = await start({ budgetMs: 50 });
      fake.setNames(() => new Promise(() => undefined));
      const { choices } = await s.autocomplete(
        { id: '1' },
        { channelId: ops, subcommand: 'logs', focused: 'service', typed: '' },
      );
      expect(choices).toEqual([]);
    });
  });

  describe('when it stops', () => {
    it('finishes the answers in flight before closing', async () => {
      const { s, fake, ops, adapter } = await start();
      let release: (reply: Reply) => void = () => undefined;
      fake.answer(() => new Promise<Reply>((resolve) => (release = resolve)));
      const record = s.slash({ id: '1' }, { channelId: ops, subcommand: 'status' });
      await s.until('the deferral', () => record.response);
      const stopped = adapter.stop();
      release({ title: 'late but answered', blocks: [] });
      await stopped;
      expect(s.message(record.originalId ?? '')?.json.content).toBe('**late but answered**');
      expect(adapter.connected()).toBe(false);
    });
  });

  describe('as a delivery', () => {
    it('posts into a thread and edits a card in place, with allowed_mentions empty on each', async () => {
      const { s, ops, adapter } = await start();
      const posted = await adapter.post({ channelId: ops }, card('r5'));
      await adapter.post(
        { channelId: ops, threadId: posted.threadId ?? '' },
        { title: 'Started restart backend [r5] @everyone', blocks: [] },
      );
      await adapter.update(
        { channelId: ops, threadId: posted.threadId ?? '', ref: posted.ref },
        { title: 'restart — done [r5]', verdict: 'OK', blocks: [] },
      );
      expect(s.channelMessages(posted.threadId ?? '').map((m) => m.json.content)).toEqual([
        '**Started restart backend \\[r5\\] \\@everyone**',
      ]);
      expect(s.message(posted.ref)?.json.content).toBe('🟢 OK · **restart — done \\[r5\\]**');
      expect(s.messageCalls().map((c) => c.message?.allowed_mentions)).toEqual([
        { parse: [] },
        { parse: [] },
        { parse: [] },
      ]);
      expect(s.pings).toEqual([]);
    });

    it('falls back to the channel when the thread is gone', async () => {
      const { s, ops, adapter } = await start();
      const posted = await adapter.post(
        { channelId: ops, threadId: '999999999999999999' },
        { title: 'progress', blocks: [] },
      );
      expect(posted).toEqual({ ref: expect.any(String) as unknown });
      expect(s.channelMessages(ops).map((m) => m.json.content)).toEqual(['**progress**']);
    });
  });
});
