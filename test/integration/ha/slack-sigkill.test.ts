import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stop } from '../production/process-support.js';
import { HELPERS, startSlackPair, type SlackPair } from './slack-pair.js';

/** Slack's behaviour on a failed delivery: it retries (X-Slack-Retry-Num); bounded here. */
const ATTEMPTS = 6;

/**
 * Two bot processes in HTTP mode behind a round-robin; one is SIGKILLed in the middle of a
 * burst of commands. A delivery the dead one cannot take fails and is retried, as Slack
 * retries, and lands on the survivor, which answers it once.
 */
describe('two bot processes in HTTP mode, one SIGKILLed mid-burst', () => {
  let pair: SlackPair;
  beforeAll(async () => {
    pair = await startSlackPair('http');
  });
  afterAll(async () => {
    await pair?.close();
  });

  /** Sends until a bot acknowledges; which bot did. */
  async function deliver(user: string): Promise<number | undefined> {
    const fields = pair.command(user, 'help');
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const ack = await pair.sendThrough(fields, attempt).catch(() => undefined);
      if (ack?.status === 200) return ack.bot;
    }
    throw new Error(`no bot acknowledged the command of ${user}`);
  }

  it('keeps answering every command with the other process, each exactly once', async () => {
    const early = HELPERS.slice(0, 20);
    const late = HELPERS.slice(20);
    const earlyAcks = await Promise.all(early.map(deliver));
    const [victim] = pair.bots;
    const killed = stop(victim, 'SIGKILL');
    const lateAcks = await Promise.all(late.map(deliver));
    await killed;

    // Every command after the kill was acknowledged by the survivor and answered once.
    expect(lateAcks.every((bot) => bot === 1)).toBe(true);
    const survivorAcked = [...late, ...early.filter((_, i) => earlyAcks[i] === 1)];
    for (const user of survivorAcked)
      await pair.slack.waitFor(`the answer to ${user}`, () =>
        pair.slack.ephemeralsFor(user).length > 0 ? true : undefined,
      );
    for (const user of late) expect(pair.slack.ephemeralsFor(user)).toHaveLength(1);
    // The survivor answered everything it acknowledged before the kill too; nothing twice.
    early.forEach((user, i) => {
      const answers = pair.slack.ephemeralsFor(user).length;
      if (earlyAcks[i] === 1) expect(answers).toBe(1);
      else expect(answers).toBeLessThanOrEqual(1);
    });
  });
});
