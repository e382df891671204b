import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { startDiscordHarness, type DiscordHarness } from '../../support/discord-harness.js';
import type { InteractionRecord, StoredMessage } from '../../stand-ins/discord/stand-in-state.js';

const shown = (markdown: unknown) => String(markdown).replace(/\\(.)/g, '$1');

describe('a gateway resume in the middle of an approval', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function requestRestart(
    service: string,
  ): Promise<{ id: string; card: StoredMessage; threadId: string }> {
    const command = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'restart',
      options: { service },
    });
    const thread = await h.standIn.until('the card’s thread', () =>
      h.standIn.channel(command.originalId ?? 'none'),
    );
    const card = h.standIn.message(command.originalId ?? '');
    const id = /\[(r[0-9a-f]{6})\]/.exec(shown(card?.json.content))?.[1];
    if (card === undefined || id === undefined) throw new Error('no approval card');
    return { id, card, threadId: thread.id as string };
  }

  const threadTexts = (threadId: string) =>
    h.standIn.channelMessages(threadId).map((m) => shown(m.json.content));

  async function verdict(threadId: string): Promise<string> {
    await h.standIn.until(
      'the verdict',
      () => threadTexts(threadId).find((t) => /\*\*(Verified|Failed):/.test(t)),
      120_000,
    );
    return threadTexts(threadId).find((t) => /\*\*(Verified|Failed):/.test(t)) ?? '';
  }

  async function trail(id: string): Promise<string[]> {
    const entries: AuditEntry[] = [];
    for await (const entry of h.core.audit?.all() ?? []) entries.push(entry);
    return entries.filter((e) => e.requestId === id).map((e) => `${e.kind}:${e.actor}`);
  }

  const callbacks = (record: InteractionRecord) =>
    record.calls
      .filter((c) => c.path.endsWith('/callback'))
      .map((c) => `${String(c.body?.type)} → ${c.status}`);

  it('resumes through resume_gateway_url and answers a click made while the connection was down', async () => {
    const { id, card, threadId } = await requestRestart('frontend');
    const resumed = h.standIn.gateway.nextResume();
    await h.standIn.gateway.drop({ via: 'reconnect' });
    expect(h.standIn.gateway.connected).toBe(false);
    // Discord keeps the dispatch in the session and replays it on RESUME.
    const click = h.standIn.click(
      h.member('lee', [h.leadRole]),
      card.json.id as string,
      `tas:approve:${id}`,
    );
    await resumed;

    expect(await verdict(threadId)).toBe(
      '🟢 OK · **Verified: restart frontend: done and verified**',
    );
    expect(callbacks(click)).toEqual(['6 → 204']);
    expect(h.standIn.gateway.connections.map((c) => c.path)).toEqual(['/', '/resume']);
    expect(h.standIn.gateway.counts).toMatchObject({ identify: 1, resume: 1, invalidSession: 0 });
    expect(await trail(id)).toEqual(['request:alice', 'vote:lee', 'start:system', 'result:system']);
    expect(
      threadTexts(threadId).filter((t) => t.startsWith('**Started restart frontend')),
    ).toHaveLength(1);
    expect(h.adapter.connected()).toBe(true);
  }, 180_000);

  it('answers a click the gateway delivers again after a resume only once', async () => {
    const { id, card, threadId } = await requestRestart('backend');
    const before = h.standIn.gateway.seq;
    const click = h.standIn.click(h.member('dave'), card.json.id as string, `tas:approve:${id}`);
    await h.standIn.until('the approval in the thread', () =>
      threadTexts(threadId).find((t) => t.startsWith(`**Approved ${id}`)),
    );

    // A resumable close, and a resume that replays from before the click (as Discord may).
    const resumed = h.standIn.gateway.nextResume();
    await h.standIn.gateway.drop({ via: 'close', code: 4000, replayFrom: before });
    await resumed;
    // The gateway delivers in order: once a later command is answered, the replay was handled.
    const later = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'jobs',
    });
    await h.standIn.until('the answer to a later command', () =>
      later.originalState === 'resolved' ? true : undefined,
    );

    expect(await verdict(threadId)).toBe(
      '🟢 OK · **Verified: restart backend: done and verified**',
    );
    expect(callbacks(click)).toEqual(['6 → 204']);
    expect(click.calls).toHaveLength(1);
    expect(await trail(id)).toEqual([
      'request:alice',
      'vote:dave',
      'start:system',
      'result:system',
    ]);
    expect(threadTexts(threadId).filter((t) => t.startsWith(`**Approved ${id}`))).toHaveLength(1);
    expect(
      threadTexts(threadId).filter((t) => t.startsWith('**Started restart backend')),
    ).toHaveLength(1);
    expect(h.standIn.gateway.counts).toMatchObject({ identify: 1, resume: 2, invalidSession: 0 });
  }, 180_000);

  it('sent nothing Discord refused across both resumes', () => {
    expect(
      h.standIn.rejected().map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.error)}`),
    ).toEqual([]);
    expect(h.standIn.pings).toEqual([]);
  });
});
