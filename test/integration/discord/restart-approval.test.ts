import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { startDiscordHarness, type DiscordHarness } from '../../support/discord-harness.js';
import type { Json, StoredMessage } from '../../stand-ins/discord/stand-in-state.js';

const shown = (markdown: unknown) => String(markdown).replace(/\\(.)/g, '$1');
const buttons = (message: StoredMessage) =>
  (message.json.components as Json[]).flatMap((row) => row.components as Json[]);

describe('restart with button approval on Discord, on the real swarm', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses the requester and a non-lead privately, runs on the click of a lead by Discord role, and reports in the thread', async () => {
    const inspect = async () =>
      (await h.docker.getService(`${h.stack}_backend`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
    const before = (await inspect()).Spec.TaskTemplate.ForceUpdate ?? 0;

    const command = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'restart',
      options: { service: 'backend' },
    });
    const thread = await h.standIn.until('the card’s thread', () =>
      h.standIn.channel(command.originalId ?? 'none'),
    );
    const card = h.standIn.message(command.originalId ?? '');
    if (card === undefined) throw new Error('no card');
    const id = /\[(r[0-9a-f]{6})\]/.exec(shown(card.json.content))?.[1] ?? '';
    expect(shown(card.json.content)).toBe(`**restart ops_backend — waiting for approval [${id}]**`);
    expect(buttons(card).map((b) => [b.label, b.style, b.custom_id])).toEqual([
      ['Approve', 1, `tas:approve:${id}`],
      ['Reject', 4, `tas:reject:${id}`],
    ]);
    expect(thread).toMatchObject({ type: 11, parent_id: h.channels.ops });

    const self = h.standIn.click(h.member('alice'), card.json.id as string, `tas:approve:${id}`);
    await h.standIn.until('the refusal of the requester', () => self.followUps[0]);
    const selfAnswer = h.standIn.message(self.followUps[0] ?? '');
    expect(self.response?.type).toBe(6);
    expect(selfAnswer?.ephemeral).toBe(true);
    expect(shown(selfAnswer?.json.content)).toBe(
      '**You asked for this, so someone else has to approve it.**',
    );

    const bob = h.standIn.click(h.member('bob'), card.json.id as string, `tas:approve:${id}`);
    await h.standIn.until('the refusal of a non-lead', () => bob.followUps[0]);
    expect(shown(h.standIn.message(bob.followUps[0] ?? '')?.json.content)).toBe(
      '**Only lead may approve this request.**',
    );
    expect(h.standIn.message(bob.followUps[0] ?? '')?.ephemeral).toBe(true);

    const lee = h.standIn.click(
      h.member('lee', [h.leadRole]),
      card.json.id as string,
      `tas:approve:${id}`,
    );
    const verdict = await h.standIn.until(
      'the verdict in the thread',
      () =>
        h.standIn
          .channelMessages(thread.id as string)
          .find((m) => /\*\*(Verified|Failed):/.test(shown(m.json.content))),
      120_000,
    );
    expect(lee.response?.type).toBe(6);
    expect(shown(verdict.json.content)).toBe(
      '🟢 OK · **Verified: restart backend: done and verified**',
    );
    const threadText = h.standIn
      .channelMessages(thread.id as string)
      .map((m) => shown(m.json.content));
    expect(threadText).toContain(
      `**Approved ${id}; restart backend is queued. Progress follows in the thread.**`,
    );
    expect(threadText).toContain(`**Started restart backend [${id}]**`);

    const finalCard = await h.standIn.until('the card updated to its result', () => {
      const now = h.standIn.message(card.json.id as string);
      return now !== undefined && shown(now.json.content).includes('done and verified')
        ? now
        : undefined;
    });
    expect(shown(finalCard.json.content)).toBe(
      `🟢 OK · **restart ops_backend — done and verified [${id}]**`,
    );
    expect(finalCard.json.components).toEqual([]);
    expect(JSON.stringify(finalCard.json.embeds)).toContain('lee');

    expect((await inspect()).Spec.TaskTemplate.ForceUpdate ?? 0).toBe(before + 1);
    const entries: AuditEntry[] = [];
    for await (const entry of h.core.audit?.all() ?? []) entries.push(entry);
    expect(entries.filter((e) => e.requestId === id).map((e) => `${e.kind}:${e.actor}`)).toEqual([
      'request:alice',
      'vote:lee',
      'start:system',
      'result:system',
    ]);
    expect(h.standIn.rejected()).toEqual([]);
    for (const call of h.standIn.messageCalls())
      expect(call.message?.allowed_mentions, `${call.method} ${call.path}`).toEqual({ parse: [] });
    expect(h.standIn.pings).toEqual([]);
  }, 180_000);
});
