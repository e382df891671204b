import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_LEASE_MS } from '../../../adapters/slack/slack-intake.js';
import { stop } from '../production/process-support.js';
import { HELPERS, startSlackPair, type PairMode, type SlackPair } from './slack-pair.js';

/** Long enough that the held-back process never answers before it is killed. */
const HELD_BACK_MS = 10 * 60_000;
const USERS = HELPERS.slice(0, 20);

const answered = (pair: SlackPair, user: string) =>
  pair.slack.waitFor(`the answer to ${user}`, () =>
    pair.slack.ephemeralsFor(user).length > 0 ? true : undefined,
  );

/**
 * Two bot processes sharing one Redis. Bot 0 holds every dispatch back (the test-only
 * TAS_TEST_DISPATCH_DELAY_MS), so when it is SIGKILLed it has acknowledged commands it has not
 * answered; Slack does not redeliver what was acknowledged, so only the shared intake saves them.
 */
describe.each<PairMode>(['http', 'socket'])(
  'two bot processes in %s mode sharing Redis',
  (mode) => {
    let pair: SlackPair;
    beforeAll(async () => {
      pair = await startSlackPair(mode, [{ TAS_TEST_DISPATCH_DELAY_MS: String(HELD_BACK_MS) }]);
    });
    afterAll(async () => {
      await pair?.close();
    });

    describe('when one is SIGKILLed after acknowledging commands it has not answered', () => {
      it('answers every acknowledged command exactly once from the other process', async () => {
        const acks = await Promise.all(USERS.map((user) => pair.send(pair.command(user, 'help'))));
        expect(acks.every((status) => status === 200)).toBe(true);
        // Round-robin: half each. Bot 1 answers its half; bot 0 has answered none of its own.
        const share = USERS.length / 2;
        expect(pair.deliveriesPerBot()).toEqual([share, share]);
        await pair.slack.waitFor('the survivor’s answers', () =>
          USERS.filter((user) => pair.slack.ephemeralsFor(user).length > 0).length === share
            ? true
            : undefined,
        );
        const heldBack = USERS.filter((user) => pair.slack.ephemeralsFor(user).length === 0);
        expect(heldBack).toHaveLength(share);

        await stop(pair.bots[0], 'SIGKILL');
        for (const user of heldBack) await answered(pair, user);
        // Another lease and reclaim round: nothing is taken over a second time.
        await new Promise((resolve) => setTimeout(resolve, INTAKE_LEASE_MS + 2_000));
        for (const user of USERS) expect(pair.slack.ephemeralsFor(user)).toHaveLength(1);
      });
    });
  },
);

/** Bot 0's dispatches wait this long: past the pause below, so it answers only after it. */
const SLOW_MS = 12_000;

/**
 * Bot 0 is slow but alive: SIGSTOPped while it holds acknowledged commands, its leases lapse
 * and bot 1 takes them over; SIGCONT lets it finish the same commands afterwards.
 */
describe('two bot processes in http mode, one paused past its leases', () => {
  let pair: SlackPair;
  beforeAll(async () => {
    pair = await startSlackPair('http', [{ TAS_TEST_DISPATCH_DELAY_MS: String(SLOW_MS) }]);
  });
  afterAll(async () => {
    await pair?.close();
  });

  describe('when it resumes after the other process answered its commands', () => {
    it('posts no second answer', async () => {
      const sentAt = Date.now();
      const acks = await Promise.all(USERS.map((user) => pair.send(pair.command(user, 'help'))));
      expect(acks.every((status) => status === 200)).toBe(true);
      const [slow] = pair.bots;
      slow?.child.kill('SIGSTOP');
      try {
        for (const user of USERS) await answered(pair, user);
      } finally {
        slow?.child.kill('SIGCONT');
      }
      // The resumed process's held-back dispatches run now, then it would post its answers.
      const resumedBy = sentAt + SLOW_MS + INTAKE_LEASE_MS;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, resumedBy - Date.now())));
      expect(slow?.child.exitCode).toBeNull();
      for (const user of USERS) expect(pair.slack.ephemeralsFor(user)).toHaveLength(1);
    });
  });
});
