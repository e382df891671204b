import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { http, waitFor, waitForStatus } from '../production/process-support.js';
import { ALICE, DAVE, ERIN, OPS, startSentinelBot, type SentinelBot } from './sentinel-bot.js';

/** Generous: restarts converge and sentinels agree on a shared 2-core machine. */
const WAIT_MS = 120_000;

interface Ready {
  status: string;
  checks: { name: string; ok: boolean; detail: string }[];
}

describe('a bot process on a Redis Sentinel set', () => {
  let bot: SentinelBot;
  const before = new Map<string, number>();

  beforeAll(async () => {
    bot = await startSentinelBot();
    await bot.slack.socket.connected(1);
    for (const service of ['r1', 'r2']) before.set(service, await bot.forceUpdate(service));
  });
  afterAll(async () => {
    await bot?.close();
  });

  const request = (service: string) =>
    waitFor(`the request for ${service}`, () => bot.requestFor(service), WAIT_MS);
  const inState = (id: string, wanted: (r: OperationRequest) => boolean, what: string) =>
    waitFor(
      what,
      async () => {
        const found = await bot.get(id);
        return found !== undefined && wanted(found) ? found : undefined;
      },
      WAIT_MS,
      250,
    );
  const answersTo = (user: string, match: RegExp) =>
    bot.slack.ephemeralsFor(user).filter((e) => match.test(e.text));

  describe('when the primary and its replica are up', () => {
    it('is ready, with the replica acknowledging writes', async () => {
      const ready = await waitForStatus(bot.port, '/health/ready', 200, WAIT_MS);
      expect((JSON.parse(ready.body) as Ready).checks).toContainEqual(
        expect.objectContaining({ name: 'replicas', ok: true }),
      );
    });
  });

  describe('when the primary is SIGKILLed with one approval pending and one restart running', () => {
    let pending: OperationRequest;
    let running: OperationRequest;

    it('keeps the vote, tells a chat user to try again, and reports the outage on readiness', async () => {
      await bot.say(ALICE, 'restart r1');
      await bot.say(ALICE, 'restart r2');
      pending = await request('r1');
      running = await request('r2');
      await bot.say(DAVE, `approve ${pending.id}`);
      await bot.say(DAVE, `approve ${running.id}`);
      await bot.say(ERIN, `approve ${running.id}`);
      await inState(pending.id, (r) => r.approvals.length === 1, 'dave’s vote on r1');
      await inState(running.id, (r) => r.state === 'running', 'the r2 restart running');

      const killed = await bot.set.killPrimary();
      const killedAt = Date.now();
      await bot.say(ERIN, `approve ${pending.id}`);
      const told = await bot.slack.waitFor(
        'an answer to erin during the failover',
        () => bot.slack.ephemeralsFor(ERIN)[0],
        WAIT_MS,
      );
      expect(told.text).toMatch(/^Redis is not answering, so I could not finish `\/tas approve`/);
      expect(JSON.stringify(told.blocks)).toMatch(/try again in a few seconds/);

      await bot.set.failedOverFrom(killed, WAIT_MS);
      const promotedMs = Date.now() - killedAt;
      const down = await waitForStatus(bot.port, '/health/ready', 503, WAIT_MS);
      expect((JSON.parse(down.body) as Ready).status).toBe('UNAVAILABLE');
      // The operator brings the old primary back; the sentinels make it a replica of the new one.
      await bot.set.restart(killed);
      const restartedAt = Date.now();
      await bot.set.settled(WAIT_MS);
      await waitFor(
        'readiness 200 again',
        async () => ((await http(bot.port, '/health/ready')).status === 200 ? true : undefined),
        WAIT_MS,
      );
      await waitFor('the recorder to see it', () =>
        Promise.resolve(bot.readiness.seen().at(-1) === 200 || undefined),
      );
      expect(bot.readiness.seen().slice(-3)).toEqual([200, 503, 200]);
      console.info(
        `failover: replica promoted ${promotedMs} ms after the primary was killed; ` +
          `readiness 200 ${Date.now() - restartedAt} ms after the old primary was started again`,
      );

      const kept = await bot.get(pending.id);
      expect(kept?.state).toBe('pending');
      expect(kept?.approvals.map((v) => v.person)).toEqual(['dave']);
    });

    it('finishes the running restart exactly once', async () => {
      const done = await inState(running.id, (r) => r.finishedAt !== undefined, 'r2 finished');
      expect(`${done.state}: ${done.outcome?.summary}`).toBe(
        'succeeded: restart r2: done and verified',
      );
      expect(await bot.forceUpdate('r2')).toBe((before.get('r2') ?? 0) + 1);
    });

    it('counts the pending vote with the one cast after the failover', async () => {
      await bot.say(ERIN, `approve ${pending.id}`);
      const done = await inState(pending.id, (r) => r.finishedAt !== undefined, 'r1 finished');
      expect(`${done.state}: ${done.outcome?.summary}`).toBe(
        'succeeded: restart r1: done and verified',
      );
      expect(done.approvals.map((v) => v.person)).toEqual(['dave', 'erin']);
      expect(await bot.forceUpdate('r1')).toBe((before.get('r1') ?? 0) + 1);
      expect(
        bot.slack.messages.filter((m) => m.channel === OPS && /^Verified: /.test(m.text)),
      ).toHaveLength(2);
      expect(answersTo(ERIN, /^Redis is not answering/)).toHaveLength(1);
      expect((await http(bot.port, '/health/ready')).status).toBe(200);
    });
  });
});
