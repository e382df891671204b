import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_LEASE_MS } from '../../../adapters/slack/slack-intake.js';
import { ALICE, startSlackPair, type SlackPair } from './slack-pair.js';

/**
 * Every verified delivery is recorded in the shared intake before its ack; one that no listener
 * of ours takes (another app's slash command reaching our URL) must be finished all the same,
 * or the processes would take it over from each other every few seconds, for ever.
 */
describe('two bot processes in http mode sharing Redis', () => {
  let pair: SlackPair;
  beforeAll(async () => {
    pair = await startSlackPair('http');
  });
  afterAll(async () => {
    await pair?.close();
  });

  describe('when Slack delivers a slash command that is not ours', () => {
    it('acknowledges it, answers nothing and leaves no intake entry to take over', async () => {
      const fields = { ...pair.command(ALICE, 'status'), command: '/other' };
      expect(await pair.send(fields)).toBe(200);
      while ((await pair.pendingIntake()) > 0) await delay(100);
      // A whole lease and reclaim round later, nothing came back.
      await delay(INTAKE_LEASE_MS + 2_000);
      expect(await pair.pendingIntake()).toBe(0);
      expect(pair.slack.ephemeralsFor(ALICE)).toEqual([]);
    });
  });
});
