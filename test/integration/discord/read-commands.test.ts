import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServices } from '../../support/infra.js';
import { startDiscordHarness, type DiscordHarness } from '../../support/discord-harness.js';
import type { InteractionRecord, Json } from '../../stand-ins/discord/stand-in-state.js';

/** What a reader sees: Discord renders `\x` as `x`. */
const shown = (markdown: unknown) => String(markdown).replace(/\\(.)/g, '$1');
const calls = (record: InteractionRecord) =>
  record.calls.map(
    (c) =>
      `${c.method} ${c.path.replace(/\/(\d+|aW50[^/]+)/g, '/…')}${c.method === 'POST' && c.path.endsWith('/callback') ? ` type ${String(c.body?.type)}` : ''} → ${c.status}`,
  );

describe('the Discord adapter on the real core, read-only commands', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registers /tas in the guild with a subcommand per command and autocompleting service options', () => {
    const tas = h.standIn.commands.guild.find((c) => c.name === 'tas');
    const subs = (tas?.options as Json[]).map((o) => o.name);
    expect(subs).toEqual(
      expect.arrayContaining(['status', 'logs', 'restart', 'approve', 'reject', 'help']),
    );
    const logs = (tas?.options as Json[]).find((o) => o.name === 'logs');
    expect(logs?.options).toContainEqual(
      expect.objectContaining({ name: 'service', type: 3, required: true, autocomplete: true }),
    );
    expect(h.standIn.commands.global).toEqual([]);
  });

  it('answers /tas status with the deferral first, then the status of the stack', async () => {
    const record = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.fixture,
      subcommand: 'status',
    });
    const message = await h.standIn.until(
      'status answer',
      () =>
        record.originalState === 'resolved'
          ? h.standIn.message(record.originalId ?? '')
          : undefined,
      60_000,
    );
    expect(calls(record)).toEqual([
      'POST /interactions/…/…/callback type 5 → 204',
      'PATCH /webhooks/…/…/messages/@original → 200',
    ]);
    expect(shown(message.json.content)).toBe('🔴 **fixture: DOWN**');
    const embed = (message.json.embeds as Json[])[0];
    expect(embed?.color).toBe(0xe74c3c);
    expect(embed?.description).toMatch(/[✓!✗] backend-cron +\d\/1/);
    expect(embed?.description).toContain('✗ readiness');
  });

  // Whether the core attaches the tasfix excerpt depends on the task history (one task's
  // excerpt fits the 30 inline lines, two tasks' do not); the file path is `chatty`'s below.
  it('answers /tas logs backend on the fixture stack mention-safe and redacted', async () => {
    const record = h.standIn.slash(h.member('bob'), {
      channelId: h.channels.fixture,
      subcommand: 'logs',
      options: { service: 'backend', since: '1d' },
    });
    const message = await h.standIn.until(
      'logs answer',
      () =>
        record.originalState === 'resolved'
          ? h.standIn.message(record.originalId ?? '')
          : undefined,
      60_000,
    );
    expect(shown(message.json.content)).toMatch(
      /^\*\*backend logs \(last 1d\): [\d,]+ lines of interest in [\d,]+\*\*$/,
    );
    const body =
      JSON.stringify(message.json.embeds) +
      [...message.files.values()].map((f) => f.text).join('\n');
    // In the fenced excerpt the mention syntax is shown, never parsed.
    expect(String((message.json.embeds as Json[]).at(-1)?.description)).toMatch(
      /```\n[^`]*<!channel> @everyone <@U123ABC> please look at this/,
    );
    expect(body).toContain('password=[REDACTED]');
    expect(body).not.toMatch(
      /hunter2secret|S3cretPass|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJ|xoxb-1234/,
    );
    expect(message.json.mention_everyone).toBe(false);
    expect(h.standIn.pings).toEqual([]);
  });

  it('sends an excerpt longer than a message as a file, never cut', async () => {
    const record = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'logs',
      options: { service: 'chatty' },
    });
    const message = await h.standIn.until(
      'logs answer',
      () =>
        record.originalState === 'resolved'
          ? h.standIn.message(record.originalId ?? '')
          : undefined,
      60_000,
    );
    expect(shown((message.json.embeds as Json[]).at(-1)?.description)).toMatch(
      /\*\*Excerpt \(first \d+ of 36 lines; all of it is attached\)\*\*\n```\n.* ERROR alpha subsystem/,
    );
    const file = [...message.files.values()][0]?.text ?? '';
    for (const word of ['alpha', 'zulu', 'jade'])
      expect(file).toContain(
        `ERROR ${word} subsystem failed for <@123456789012345678> @everyone @here password=[REDACTED]`,
      );
    expect(h.standIn.pings).toEqual([]);
  });

  it('completes service names from the live platform of the channel’s environment', async () => {
    const ops = await h.standIn.autocomplete(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'restart',
      focused: 'service',
      typed: 'fro',
    });
    expect(ops.choices).toEqual([{ name: 'frontend', value: 'frontend' }]);
    const all = await h.standIn.autocomplete(h.member('alice'), {
      channelId: h.channels.fixture,
      subcommand: 'logs',
      focused: 'service',
      typed: '',
    });
    expect(all.choices.map((c) => c.name).sort()).toEqual([...fixtureServices].sort());
    expect(calls(all.record)).toEqual(['POST /interactions/…/…/callback type 8 → 204']);
  });

  it('defers within the deadline while Docker hangs, then answers with the error privately', async () => {
    const record = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.slow,
      subcommand: 'logs',
      options: { service: 'backend' },
    });
    await h.standIn.until(
      'the private answer',
      () => (record.originalState === 'deleted' ? true : undefined),
      30_000,
    );
    expect(calls(record)).toEqual([
      'POST /interactions/…/…/callback type 5 → 204',
      'PATCH /webhooks/…/…/messages/@original → 200',
      'POST /webhooks/…/… → 200',
      'DELETE /webhooks/…/…/messages/@original → 204',
    ]);
    const answer = h.standIn.message(record.followUps[0] ?? '');
    expect(answer?.ephemeral).toBe(true);
    expect(shown(answer?.json.content)).toMatch(
      /^\*\*Docker is not answering, so I could not finish `\/tas logs`\.\*\*$/,
    );
    expect(h.standIn.rejected()).toEqual([]);
  });

  it('answers autocomplete in time while Docker hangs, with nothing rather than late', async () => {
    const slow = await h.standIn.autocomplete(h.member('alice'), {
      channelId: h.channels.slow,
      subcommand: 'logs',
      focused: 'service',
      typed: '',
    });
    expect(slow.choices).toEqual([]);
    expect(calls(slow.record)).toEqual(['POST /interactions/…/…/callback type 8 → 204']);
  });

  it('refuses someone without a role privately, leaving nothing in the channel', async () => {
    const before = h.standIn.channelMessages(h.channels.ops).length;
    const record = h.standIn.slash(h.member('mallory'), {
      channelId: h.channels.ops,
      subcommand: 'status',
    });
    await h.standIn.until('the refusal', () =>
      record.originalState === 'deleted' ? true : undefined,
    );
    const refusal = h.standIn.message(record.followUps[0] ?? '');
    expect(refusal?.ephemeral).toBe(true);
    expect(refusal?.json.flags).toBe(64);
    expect(h.standIn.channelMessages(h.channels.ops)).toHaveLength(before);
  });

  it('puts allowed_mentions with parse [] on every message it sends', () => {
    const sent = h.standIn.messageCalls();
    expect(sent.length).toBeGreaterThan(3);
    for (const call of sent)
      expect(call.message?.allowed_mentions, `${call.method} ${call.path}`).toEqual({ parse: [] });
  });

  it('sent nothing Discord refused', () => {
    expect(
      h.standIn.rejected().map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.error)}`),
    ).toEqual([]);
  });
});
