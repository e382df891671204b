import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../stand-ins/slack/slack-state.js';
import {
  ALICE,
  DAVE,
  HELPERS,
  OPS,
  SERVICES,
  startSlackPair,
  type PairMode,
  type SlackPair,
} from './slack-pair.js';

const CARD = (service: string) => new RegExp(`^restart ops_${service} — waiting for approval`);
const STATUS = /^ops: /;
const VERDICT = /^(Verified|Failed): /;
/** Generous: five restarts converge on a shared 2-core machine, other suites running too. */
const WAIT_MS = 120_000;

/**
 * Two bot processes behind one Slack app: 50 commands (40 `/tas help`, 5 `/tas status`, 5
 * `/tas restart`), each delivered twice (Slack's retry, to whichever process comes next), and
 * the 5 approvals clicked twice with the first click redelivered too. Every command and click
 * is answered exactly once, and every approved restart reaches the Engine exactly once.
 */
export function slackPairScenario(mode: PairMode): void {
  describe(`two bot processes on one Slack app (${mode === 'http' ? 'HTTP mode behind a round-robin' : 'Socket Mode, two connections'})`, () => {
    let pair: SlackPair;
    const before = new Map<string, number>();
    const cards = new Map<string, StoredMessage>();
    beforeAll(async () => {
      pair = await startSlackPair(mode);
      for (const service of SERVICES) before.set(service, await pair.forceUpdate(service));
    });
    afterAll(async () => {
      await pair?.close();
    });

    const twice = async (fields: Record<string, string>) => [
      await pair.send(fields),
      await pair.send(fields, 1),
    ];
    const topLevel = (match: RegExp) =>
      pair.slack.messages.filter(
        (m) => m.channel === OPS && m.thread_ts === undefined && match.test(m.text),
      );

    describe('when 50 commands arrive, each redelivered once', () => {
      it('answers each command exactly once, whichever process got it', async () => {
        const restarts = SERVICES.map((s) => pair.command(ALICE, `restart ${s}`));
        const helps = HELPERS.map((user) => pair.command(user, 'help'));
        const statuses = SERVICES.map(() => pair.command(ALICE, 'status'));
        const acks = await Promise.all([...restarts, ...helps, ...statuses].map(twice));
        expect(acks.flat().every((status) => status === 200)).toBe(true);

        for (const service of SERVICES)
          cards.set(
            service,
            await pair.slack.waitFor(
              `the card for ${service}`,
              () => topLevel(CARD(service))[0],
              WAIT_MS,
            ),
          );
        await pair.slack.waitFor(
          'every help answer',
          () => (HELPERS.every((u) => pair.slack.ephemeralsFor(u).length > 0) ? true : undefined),
          WAIT_MS,
        );
        await pair.slack.waitFor(
          'every status answer',
          () => (topLevel(STATUS).length >= SERVICES.length ? true : undefined),
          WAIT_MS,
        );
        // Both processes had their share of the deliveries.
        expect(pair.deliveriesPerBot()).toHaveLength(2);
        expect(pair.deliveriesPerBot().every((n) => n > 0)).toBe(true);
      });
    });

    describe('when each approval is clicked twice and its first click redelivered', () => {
      it('votes once per card and applies each restart exactly once', async () => {
        await Promise.all(
          SERVICES.map(async (service) => {
            const card = cards.get(service);
            if (card === undefined) throw new Error(`no card for ${service}`);
            const click = pair.approve(DAVE, card);
            const again = pair.approve(DAVE, card);
            const acks = [
              await pair.press(click),
              await pair.press(click, 1),
              await pair.press(again),
            ];
            expect(acks).toEqual([200, 200, 200]);
          }),
        );
        for (const service of SERVICES) {
          const card = cards.get(service);
          if (card === undefined) throw new Error(`no card for ${service}`);
          await pair.slack.waitFor(
            `the verdict for ${service}`,
            () => pair.slack.thread(OPS, card.ts).messages.find((m) => VERDICT.test(m.text)),
            WAIT_MS,
          );
          await pair.slack.waitFor(
            `the card of ${service} updated to done`,
            () => (card.text.includes('done and verified') ? card : undefined),
            WAIT_MS,
          );
        }
        for (const service of SERVICES)
          expect(await pair.forceUpdate(service)).toBe((before.get(service) ?? 0) + 1);
      });
    });

    describe('once everything has settled', () => {
      it('shows no second answer to any command or click', () => {
        for (const user of HELPERS) expect(pair.slack.ephemeralsFor(user)).toHaveLength(1);
        expect(topLevel(STATUS)).toHaveLength(SERVICES.length);
        for (const service of SERVICES) {
          expect(topLevel(new RegExp(`^restart ops_${service} `))).toHaveLength(1);
          const card = cards.get(service);
          const thread = pair.slack.thread(OPS, card?.ts ?? '').messages.map((m) => m.text);
          expect(thread.filter((t) => t.startsWith('Approved '))).toHaveLength(1);
          expect(thread.filter((t) => t.startsWith('Started restart'))).toHaveLength(1);
          expect(thread.filter((t) => VERDICT.test(t))).toHaveLength(1);
        }
        expect(pair.slack.ephemeralsFor(DAVE)).toEqual([]);
        expect(pair.slack.ephemeralsFor(ALICE)).toEqual([]);
      });
    });

    describe('when the shared Redis is gone', () => {
      it('still answers a command rather than leave the user in silence', async () => {
        await pair.killRedis();
        const [user] = HELPERS;
        if (user === undefined) throw new Error('no helper');
        expect(await pair.send(pair.command(user, 'help restart'))).toBe(200);
        const answer = await pair.slack.waitFor(
          'the answer given without Redis',
          () => pair.slack.ephemeralsFor(user)[1],
          WAIT_MS,
        );
        expect(answer.text).toContain('restart');
      });
    });
  });
}
