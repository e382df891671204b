import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  requestIdOf,
  rowsOf,
  startOpsHarness,
  type OpsHarness,
} from '../../support/ops-harness.js';

const ALL_ONE = `
      read: [oncall, lead]
      stop: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      start: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`;

describe('stop all and start all', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({
      policy: ALL_ONE,
      services: { 'backend-cron': 1, backend: 2, frontend: 1, tika: 3 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('stops in the runbook order and starts in reverse, restoring each recorded replica count', async () => {
    const stopCard = await h.say('alice', '/tas stop all');
    const stopRows = rowsOf(stopCard);
    expect(stopRows.map((r) => r.label)).toEqual(['backend-cron', 'backend', 'frontend', 'tika']);
    expect(stopRows[1]?.value).toContain('replicas 2→0 (2 recorded for start)');
    await h.say('dave', `/tas approve ${requestIdOf(stopCard)}`);
    await h.waitForMessage('with the stop verdict', (d) =>
      /^(Verified|Failed): stop all/.test(d.reply.title),
    );
    for (const name of ['backend-cron', 'backend', 'frontend', 'tika']) {
      expect((await h.inspect(name)).Spec.Mode.Replicated.Replicas).toBe(0);
    }
    const stopOrder = h.delivered
      .map((d) => /^(\S+) \(\d\/4\): replicas/.exec(d.reply.title)?.[1])
      .filter(Boolean);
    expect(stopOrder).toEqual(['backend-cron', 'backend', 'frontend', 'tika']);

    const startCard = await h.say('alice', '/tas start all');
    const startRows = rowsOf(startCard);
    expect(startRows.map((r) => r.label)).toEqual(['tika', 'frontend', 'backend', 'backend-cron']);
    expect(startRows[0]?.value).toContain('replicas 0→3 (recorded at stop)');
    await h.say('dave', `/tas approve ${requestIdOf(startCard)}`);
    const verdict = await h.waitForMessage('with the start verdict', (d) =>
      /^(Verified|Failed): start all/.test(d.reply.title),
    );
    if (verdict.reply.title.startsWith('Failed'))
      throw new Error(JSON.stringify(verdict.reply.blocks));
    expect(verdict.reply.title).toBe('Verified: start all: done and verified');
    const replicas = Object.fromEntries(
      await Promise.all(
        ['backend-cron', 'backend', 'frontend', 'tika'].map(
          async (n) => [n, (await h.inspect(n)).Spec.Mode.Replicated.Replicas] as const,
        ),
      ),
    );
    expect(replicas).toEqual({ 'backend-cron': 1, backend: 2, frontend: 1, tika: 3 });
  });

  it('says there is nothing to do when everything already runs', async () => {
    const reply = await h.say('alice', '/tas start all');
    expect(reply.title).toBe('Nothing to start: every service is already running.');
    expect(reply.data).toMatchObject({ error: { code: 'NOTHING_TO_DO' } });
  });
});
