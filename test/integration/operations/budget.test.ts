import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('the per-service budget', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({
      services: { backend: 1, frontend: 1 },
      policy: `
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m, budget: { max: 1, per: 1h } }`,
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a restart past the budget with the count and the window, per service', async () => {
    await h.say(
      'dave',
      `/tas approve ${requestIdOf(await h.say('alice', '/tas restart backend'))}`,
    );
    await h.waitForMessage(
      'with the verdict',
      (d) => d.reply.title === 'Verified: restart backend: done and verified',
    );
    const refused = await h.say('alice', '/tas restart backend');
    expect(refused.title).toBe('Budget spent: 1 restart of backend in the last 1h (at most 1).');
    expect(refused.data).toMatchObject({ error: { code: 'BUDGET_SPENT' } });
    expect(refused.card).toBeUndefined();
    expect((await h.say('alice', '/tas restart frontend')).card?.requestId).toBeDefined();
  });
});
