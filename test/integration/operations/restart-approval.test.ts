import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/audit/verify-chain.js';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

describe('restart with approval, on the real swarm', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses the requester and a non-lead, runs on a lead’s approval, verifies and audits it', async () => {
    const before = await h.inspect('backend');
    const oldTasks = await h.runningTasks('backend');

    const card = await h.say('alice', '/tas restart backend');
    expect(card.title).toMatch(/^restart ops_backend — waiting for approval \[r[0-9a-f]{6}\]$/);
    expect(card.buttons?.map((b) => b.verb)).toEqual(['approve', 'reject']);
    const id = requestIdOf(card);

    const self = await h.say('alice', `/tas approve ${id}`);
    expect(self.title).toBe('You asked for this, so someone else has to approve it.');
    expect(self.data).toMatchObject({ error: { code: 'VOTE_REFUSED' } });
    expect(self.ephemeral).toBe(true);

    const notLead = await h.say('bob', `/tas approve ${id}`);
    expect(notLead.title).toBe('Only lead may approve this request.');
    expect(notLead.data).toMatchObject({ error: { code: 'VOTE_REFUSED' } });

    const approved = await h.say('dave', `/tas approve ${id}`);
    expect(approved.title).toBe(
      `Approved ${id}; restart backend is queued. Progress follows in the thread.`,
    );

    const verdict = await h.waitForMessage('with the verdict', (d) =>
      /^(Verified|Failed): /.test(d.reply.title),
    );
    expect(verdict.reply.title).toBe('Verified: restart backend: done and verified');

    const after = await h.inspect('backend');
    expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
    );
    const newTasks = await h.runningTasks('backend');
    expect(newTasks).toHaveLength(1);
    expect(oldTasks.some((t) => newTasks.includes(t))).toBe(false);

    const titles = h.delivered.map((d) => d.reply.title);
    expect(titles).toContain(`Started restart backend [${id}]`);
    const finalCard = h.delivered
      .filter((d) => d.reply.title.includes(`[${id}]`) && d.reply.title.startsWith('restart'))
      .at(-1);
    expect(finalCard?.reply.title).toBe(`restart ops_backend — done and verified [${id}]`);
    expect(finalCard?.reply.buttons).toBeUndefined();

    const audit = h.core.audit;
    if (audit === undefined) throw new Error('the harness has Redis, so it has an audit trail');
    const entries: AuditEntry[] = [];
    for await (const entry of audit.all()) entries.push(entry);
    expect(verifyChain(entries)).toMatchObject({ ok: true });
    const mine = entries.filter((e) => e.requestId === id).map((e) => `${e.kind}:${e.actor}`);
    expect(mine).toEqual(['request:alice', 'vote:dave', 'start:system', 'result:system']);
  });

  it('runs a second approval of the same request only once', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart frontend'));
    const [first, second] = await Promise.all([
      h.say('dave', `/tas approve ${id}`),
      h.say('erin', `/tas approve ${id}`),
    ]);
    const answers = [first.title, second.title].sort();
    expect(answers[0]).toBe(
      `Approved ${id}; restart frontend is queued. Progress follows in the thread.`,
    );
    expect(answers[1]).toBe(`Request ${id} is already approved and queued.`);
    await h.waitForMessage('with the verdict', (d) =>
      d.reply.title.startsWith('Verified: restart frontend'),
    );
    const again = await h.say('dave', `/tas approve ${id}`);
    expect(again.title).toBe(`Request ${id} is already done.`);
    const started = h.delivered.filter((d) => d.reply.title === `Started restart frontend [${id}]`);
    expect(started).toHaveLength(1);
  });

  it('answers busy to a second request on a service that has one open', async () => {
    const id = requestIdOf(await h.say('alice', '/tas restart backend-cron'));
    const busy = await h.say('bob', '/tas restart backend-cron');
    expect(busy.title).toMatch(
      new RegExp(
        `^Busy: restart of backend-cron by alice, asked \\d+(\\.\\d)?(ms|s) ago \\[${id}\\]\\.$`,
      ),
    );
    expect(busy.data).toMatchObject({ error: { code: 'BUSY' } });
    const cancelled = await h.say('alice', `/tas cancel ${id}`);
    expect(cancelled.title).toBe(`Cancelled ${id}; nothing will run.`);
    const afterCancel = await h.say('bob', '/tas restart backend-cron');
    expect(afterCancel.card?.requestId).toBeDefined();
  });
});
