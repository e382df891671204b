import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEvent } from '../../../adapters/console/console-event.js';
import { createApp, type App } from '../../../src/app/create-app.js';
import { readEnvOptions } from '../../../src/config/env-options.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { Reply } from '../../../src/core/reply.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

const PAIRS = 20;

/** A second bot on the same Redis prefix and swarm: its own connection, no workers. */
async function secondBot(h: OpsHarness): Promise<App> {
  const loaded = parseConfig(h.configText(), {});
  if (!loaded.ok) throw new Error(`config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions({ REDIS_URL: h.redisUrl });
  if (!envOptions.ok) throw new Error(`env: ${JSON.stringify(envOptions.error)}`);
  return createApp({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log: captureLogger().log,
    prefix: h.prefix,
    timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
  });
}

/** The one card among two answers, and the other answer; fails unless exactly one is a card. */
function cardAndOther(answers: readonly Reply[]): { card: Reply; other: Reply } {
  const cards = answers.filter((a) => a.card !== undefined);
  expect(cards.map((c) => c.title)).toHaveLength(1);
  const [card] = cards;
  const other = answers.find((a) => a.card === undefined);
  if (card === undefined || other === undefined) throw new Error('not one card and one answer');
  return { card, other };
}

describe('two requests for one service at the same instant, from two bot processes', () => {
  let h: OpsHarness;
  let other: App;
  beforeAll(async () => {
    h = await startOpsHarness({ services: { backend: 1 } });
    other = await secondBot(h);
  });
  afterAll(async () => {
    await other.close();
    await h.close();
  });

  /** alice asks through the first bot and bob through the second, in the same tick. */
  async function askAtOnce(): Promise<{ card: Reply; other: Reply; asker: string }> {
    const answers = await Promise.all([
      h.say('alice', '/tas restart backend'),
      other.dispatcher.dispatch(consoleEvent('/tas restart backend', 'bob', 'ops')),
    ]);
    const pair = cardAndOther(answers);
    return { ...pair, asker: pair.card === answers[0] ? 'alice' : 'bob' };
  }

  it(`shows one card and one Busy naming its holder, ${PAIRS} times; the end of the winner frees the service at once`, async () => {
    const before = await h.inspect('backend');
    for (let pair = 0; pair < PAIRS; pair += 1) {
      const { card, other: busy, asker } = await askAtOnce();
      const id = requestIdOf(card);
      expect(busy.title).toMatch(
        new RegExp(`^Busy: restart of backend by ${asker}, asked [^\\]]+ ago \\[${id}\\]\\.$`),
      );
      expect(busy.data).toMatchObject({ error: { code: 'BUSY' } });
      const open = (await h.core.operations?.store.open('ops')) ?? [];
      expect(open.map((r) => r.id)).toEqual([id]);
      const ended =
        pair % 2 === 0
          ? await h.say('dave', `/tas reject ${id} not now`)
          : await h.say(asker, `/tas cancel ${id}`);
      expect(ended.title).toMatch(pair % 2 === 0 ? /^Rejected / : /^Cancelled /);
    }
    // Nothing rejected or cancelled ran: the service is as it was.
    const after = await h.inspect('backend');
    expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      before.Spec.TaskTemplate.ForceUpdate ?? 0,
    );
  });

  it('takes a new request at once after the winner has run and been verified', async () => {
    const before = await h.inspect('backend');
    const { card } = await askAtOnce();
    const id = requestIdOf(card);
    await h.say('dave', `/tas approve ${id}`);
    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): restart backend/.test(d.reply.title),
    );
    expect(verdict.reply.title).toBe('Verified: restart backend: done and verified');
    const next = await h.say('bob', '/tas restart backend');
    const nextId = requestIdOf(next);
    expect(nextId).not.toBe(id);
    await h.say('dave', `/tas reject ${nextId}`);
    const after = await h.inspect('backend');
    expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
    );
  });
});
