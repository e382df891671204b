import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_LEASE_MS } from '../../../adapters/slack/slack-intake.js';
import { stop } from '../production/process-support.js';
import { HELPERS, startSlackPair, type SlackPair } from './slack-pair.js';

/** Long enough that the held-back process never answers before it is killed. */
const HELD_BACK_MS = 10 * 60_000;

/**
 * Two bot processes in HTTP mode behind a round-robin. Bot 0 holds every dispatch back (the
 * test-only TAS_TEST_DISPATCH_DELAY_MS), so when it is SIGKILLed it has acknowledged commands it
 * has not answered; Slack does not redeliver after a 200, so only the shared intake can save them.
 */
describe('two bot processes in HTTP mode sharing a Redis intake', () => {
  let pair: SlackPair;
  beforeAll(async () => {
    pair = await startSlackPair('http', [{ TAS_TEST_DISPATCH_DELAY_MS: String(HELD_BACK_MS) }]);
  });
  afterAll(async () => {
    await pair?.close();
  });

  describe('when one is SIGKILLed after acknowledging commands it has not answered', () => {
    it('answers every acknowledged command exactly once from the other process', async () => {
      const users = HELPERS.slice(0, 20);
      const acks = await Promise.all(
        users.map((user) => pair.sendThrough(pair.command(user, 'help'))),
      );
      expect(acks.every((ack) => ack.status === 200)).toBe(true);
      const heldBack = users.filter((_, i) => acks[i]?.bot === 0);
      expect(heldBack.length).toBeGreaterThan(0);
      // The survivor's own answers arrive; the held-back process has answered none of its own.
      for (const user of users.filter((_, i) => acks[i]?.bot === 1))
        await pair.slack.waitFor(`the answer to ${user}`, () =>
          pair.slack.ephemeralsFor(user).length > 0 ? true : undefined,
        );
      for (const user of heldBack) expect(pair.slack.ephemeralsFor(user)).toHaveLength(0);

      await stop(pair.bots[0], 'SIGKILL');
      for (const user of heldBack)
        await pair.slack.waitFor(`the taken-over answer to ${user}`, () =>
          pair.slack.ephemeralsFor(user).length > 0 ? true : undefined,
        );
      // Another lease and reclaim round: nothing is taken over a second time.
      await new Promise((resolve) => setTimeout(resolve, INTAKE_LEASE_MS + 2_000));
      for (const user of users) expect(pair.slack.ephemeralsFor(user)).toHaveLength(1);
    });
  });
});
