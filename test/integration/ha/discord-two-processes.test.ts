import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord, StoredMessage } from '../../stand-ins/discord/stand-in-state.js';
import { ALICE, DAVE, RESTARTED, startDiscordPair, type DiscordPair } from './discord-pair.js';

const shown = (markdown: unknown) => String(markdown).replace(/\\(.)/g, '$1');
const callbacks = (record: InteractionRecord) =>
  record.calls.filter((c) => c.path.endsWith('/callback'));
const HELP_COMMANDS = 45;

/**
 * 45 help and 5 restart requests at once, then a double click on each card's Approve: each
 * answered once, one card per request, each restart applied once on the Engine.
 */
async function burstOfCommands(pair: DiscordPair): Promise<void> {
  const { standIn } = pair;
  const ops = standIn.channelId('ops');
  const before = new Map<string, number>();
  for (const service of RESTARTED) before.set(service, await pair.forceUpdate(service));

  const helps = Array.from({ length: HELP_COMMANDS }, () =>
    standIn.slash(ALICE, { channelId: ops, subcommand: 'help' }),
  );
  const restarts = RESTARTED.map((service) =>
    standIn.slash(ALICE, { channelId: ops, subcommand: 'restart', options: { service } }),
  );
  for (const help of helps)
    await standIn.until(
      'a private help answer',
      () => (help.originalState === 'deleted' && help.followUps.length > 0 ? true : undefined),
      60_000,
    );
  const cards: StoredMessage[] = [];
  for (const restart of restarts)
    cards.push(
      await standIn.until(
        'an approval card with its thread',
        () =>
          standIn.channel(restart.originalId ?? 'none') === undefined
            ? undefined
            : standIn.message(restart.originalId ?? ''),
        60_000,
      ),
    );

  for (const record of [...helps, ...restarts])
    expect(callbacks(record).map((c) => c.status)).toEqual([204]);
  for (const help of helps) {
    expect(help.followUps).toHaveLength(1);
    const answer = standIn.message(help.followUps[0] ?? '');
    expect(answer?.ephemeral).toBe(true);
    expect(shown(answer?.json.content)).toMatch(/^\*\*What you can run/);
  }
  expect(
    standIn
      .channelMessages(ops)
      .map((m) => shown(m.json.content))
      .sort(),
  ).toEqual(
    RESTARTED.map(
      (s) =>
        expect.stringMatching(
          new RegExp(`^\\*\\*restart ops_${s} — waiting for approval \\[r[0-9a-f]{6}\\]\\*\\*$`),
        ) as unknown,
    ),
  );

  const clicks = cards.flatMap((card) => {
    const id = /\[(r[0-9a-f]{6})\]/.exec(shown(card.json.content))?.[1] ?? '';
    const messageId = card.json.id as string;
    // A double click: both land before the card loses its buttons.
    return [
      standIn.click(DAVE, messageId, `tas:approve:${id}`),
      standIn.click(DAVE, messageId, `tas:approve:${id}`),
    ];
  });
  for (const card of cards)
    await standIn.until(
      'the verdict in the card’s thread',
      () =>
        standIn
          .channelMessages(card.json.id as string)
          .find((m) => /\*\*(Verified|Failed):/.test(shown(m.json.content))),
      240_000,
    );

  for (const click of clicks) {
    expect(callbacks(click).map((c) => [c.status, c.body?.type])).toEqual([[204, 6]]);
    expect(click.followUps.length).toBeLessThanOrEqual(1);
  }
  for (const card of cards) {
    const thread = standIn
      .channelMessages(card.json.id as string)
      .map((m) => shown(m.json.content));
    expect(thread.filter((t) => t.startsWith('**Approved '))).toHaveLength(1);
    expect(thread.filter((t) => t.startsWith('**Started restart '))).toHaveLength(1);
  }
  for (const service of RESTARTED)
    expect(await pair.forceUpdate(service)).toBe((before.get(service) ?? 0) + 1);
  expect(standIn.rejected()).toEqual([]);
}

describe('two Discord bot processes on one token, each handed every interaction', () => {
  let pair: DiscordPair;
  beforeAll(async () => {
    pair = await startDiscordPair('every-session');
  }, 240_000);
  afterAll(async () => {
    await pair?.close();
  });

  const commandPuts = () =>
    pair.standIn.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'));

  describe('when both start together, and one restarts', () => {
    it('registers /tas once between them', async () => {
      expect(pair.standIn.gateway.liveSessions).toBe(2);
      expect(commandPuts()).toHaveLength(1);
      await pair.restartBot(1);
      expect(pair.standIn.gateway.liveSessions).toBe(2);
      expect(commandPuts()).toHaveLength(1);
      expect(pair.standIn.commands.guild.map((c) => c.name)).toEqual(['tas']);
    }, 180_000);
  });

  describe('when 50 commands and 5 double-clicked approvals arrive', () => {
    it('answers each once, posts one card per restart request and applies each restart once', async () => {
      await burstOfCommands(pair);
    }, 420_000);
  });

  describe('when one process is SIGKILLed mid-burst', () => {
    it('keeps answering every later command from the other, and nothing is answered twice', async () => {
      const { standIn } = pair;
      const ops = standIn.channelId('ops');
      const help = () => standIn.slash(ALICE, { channelId: ops, subcommand: 'help' });
      const answered = (record: InteractionRecord) =>
        record.originalState === 'deleted' && record.followUps.length > 0 ? true : undefined;
      const before = Array.from({ length: 10 }, help);
      await pair.kill(0);
      const after = Array.from({ length: 20 }, help);
      for (const record of after) await standIn.until('a help answer', () => answered(record));
      for (const record of after) {
        expect(callbacks(record).map((c) => c.status)).toEqual([204]);
        expect(record.followUps).toHaveLength(1);
      }
      // Those in flight when it died were answered once, or (claimed by the dead one) not at all.
      for (const record of before) {
        expect(callbacks(record).filter((c) => c.status < 400).length).toBeLessThanOrEqual(1);
        expect(record.followUps.length).toBeLessThanOrEqual(1);
      }
      expect(standIn.rejected()).toEqual([]);
      const lost = before.filter((r) => callbacks(r).length === 0).length;
      console.info(`SIGKILL mid-burst: ${lost} of ${before.length} commands in flight unanswered`);
    }, 180_000);
  });
});

describe('two Discord bot processes on one token, each handed some interactions', () => {
  let pair: DiscordPair;
  beforeAll(async () => {
    pair = await startDiscordPair('spread-sessions');
  }, 240_000);
  afterAll(async () => {
    await pair?.close();
  });

  describe('when 50 commands and 5 double-clicked approvals arrive', () => {
    it('answers each once, posts one card per restart request and applies each restart once', async () => {
      await burstOfCommands(pair);
    }, 420_000);
  });
});
