import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

async function auditOf(h: OpsHarness, id: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const entry of h.core.audit?.all() ?? [])
    if (entry.requestId === id) entries.push(entry);
  return entries;
}

describe('approval policies, on the real swarm', () => {
  let h: OpsHarness;
  beforeAll(async () => {
    h = await startOpsHarness({ services: { 'backend-cron': 1, backend: 2, frontend: 1 } });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('when the policy needs two approvers', () => {
    it('counts the first approval, ignores a repeat by the same person, and runs on the second', async () => {
      const id = requestIdOf(await h.say('alice', '/tas stop frontend'));
      expect((await h.say('dave', `/tas approve ${id}`)).title).toBe(
        `Approval counted for ${id}: 1 of 2.`,
      );
      expect((await h.say('dave', `/tas approve ${id}`)).title).toBe(
        `dave, your approval of ${id} is already counted (1 of 2).`,
      );
      expect((await h.inspect('frontend')).Spec.Mode.Replicated.Replicas).toBe(1);
      expect((await h.say('erin', `/tas approve ${id}`)).title).toBe(
        `Approved ${id}; stop frontend is queued. Progress follows in the thread.`,
      );
      await h.waitForMessage('with the stop verdict', (d) =>
        d.reply.title.startsWith('Verified: stop frontend'),
      );
      expect((await h.inspect('frontend')).Spec.Mode.Replicated.Replicas).toBe(0);
    });
  });

  describe('when nobody decides before the expiry', () => {
    it('marks the card expired, removes its buttons and runs nothing', async () => {
      const card = await h.say('alice', '/tas scale backend 3');
      const id = requestIdOf(card);
      expect(card.blocks[0]).toMatchObject({
        kind: 'rows',
        rows: [{ label: 'backend', value: expect.stringContaining('replicas 2→3') as string }],
      });
      const expired = await h.waitForMessage(
        'with the expired card',
        (d) =>
          d.kind === 'post' && d.reply.title === `scale ops_backend — expired, nothing ran [${id}]`,
        30_000,
      );
      expect(expired.reply.buttons).toBeUndefined();
      const late = await h.say('dave', `/tas approve ${id}`);
      expect(late.title).toBe(`Request ${id} is expired.`);
      expect(late.data).toMatchObject({ error: { code: 'NOT_PENDING' } });
      expect((await h.inspect('backend')).Spec.Mode.Replicated.Replicas).toBe(2);
      expect((await auditOf(h, id)).map((e) => e.kind)).toEqual(['request', 'expire']);
    });
  });

  describe('when a lead rejects', () => {
    it('records the reason on the card and in the audit, and runs nothing', async () => {
      const id = requestIdOf(await h.say('bob', '/tas restart backend'));
      const rejected = await h.say(
        'dave',
        `/tas reject ${id} "DB is down, a restart will not help"`,
      );
      expect(rejected.title).toBe(`Rejected ${id}; nothing will run.`);
      const card = await h.waitForMessage(
        'with the rejected card',
        (d) => d.reply.title === `restart ops_backend — rejected [${id}]`,
      );
      expect(JSON.stringify(card.reply.blocks)).toContain(
        'dave: DB is down, a restart will not help',
      );
      const entries = await auditOf(h, id);
      expect(entries.map((e) => `${e.kind}:${e.actor}`)).toEqual(['request:bob', 'reject:dave']);
      expect(entries[1]?.details).toEqual({ reason: 'DB is down, a restart will not help' });
    });
  });

  describe('when the requester cancels', () => {
    it('cancels, and a stranger to the request may not', async () => {
      const id = requestIdOf(await h.say('alice', '/tas restart backend'));
      expect((await h.say('bob', `/tas cancel ${id}`)).title).toBe(
        `Only alice or lead may cancel ${id}.`,
      );
      expect((await h.say('alice', `/tas cancel ${id}`)).title).toBe(
        `Cancelled ${id}; nothing will run.`,
      );
      expect((await h.say('dave', `/tas approve ${id}`)).title).toBe(`Request ${id} is cancelled.`);
    });
  });

  describe('break-glass', () => {
    it('runs without approval for an allowed role, with a loud notice in the ops channel and in the audit', async () => {
      const before = (await h.inspect('backend-cron')).Spec.TaskTemplate.ForceUpdate ?? 0;
      const reply = await h.say(
        'dave',
        '/tas restart backend-cron --break-glass "customers locked out, no second lead awake"',
      );
      const id = requestIdOf(reply);
      expect(reply.title).toBe(`restart ops_backend-cron — approved, queued [${id}]`);
      const notice = await h.waitForMessage(
        'with the break-glass notice',
        (d) => d.target.channelId === 'ops-channel',
      );
      expect(notice.reply.title).toBe(
        'BREAK-GLASS: dave runs restart backend-cron in ops without approval',
      );
      await h.waitForMessage('with the verdict', (d) =>
        d.reply.title.startsWith('Verified: restart backend-cron'),
      );
      expect((await h.inspect('backend-cron')).Spec.TaskTemplate.ForceUpdate).toBe(before + 1);
      const [first] = await auditOf(h, id);
      expect(first?.kind).toBe('break-glass');
      expect(first?.summary).toContain('customers locked out');
    });

    it('is refused to a role the policy does not name, and without a reason', async () => {
      const refused = await h.say('alice', '/tas restart backend --break-glass "it is urgent"');
      expect(refused.title).toBe('Break-glass restart is not open to you in `ops`.');
      expect(refused.data).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await h.say('dave', '/tas restart backend --break-glass')).title).toBe(
        '--break-glass needs a value.',
      );
      expect((await h.say('dave', '/tas restart backend --break-glass ""')).title).toBe(
        '--break-glass needs a value.',
      );
    });
  });
});
