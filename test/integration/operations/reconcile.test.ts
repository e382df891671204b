import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import { verifyChain } from '../../../src/audit/verify-chain.js';
import type { Reply } from '../../../src/core/reply.js';
import type { OperationDeps } from '../../../src/operations/operation-deps.js';
import { OPERATIONS_QUEUE } from '../../../src/infra/bullmq/queue-names.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

/** Polls until `check` returns something, or fails after `timeoutMs` naming what it waited for. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs}ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const forceUpdateOf = async (h: OpsHarness, service: string) =>
  (await h.inspect(service)).Spec.TaskTemplate.ForceUpdate ?? 0;

/** The newest card of the request as chat shows it (thread posts carry no ` — `). */
const cardOf = (h: OpsHarness, id: string): Reply | undefined =>
  h.delivered
    .filter((d) => d.reply.title.includes(' — ') && d.reply.title.endsWith(`[${id}]`))
    .at(-1)?.reply;

const approvalsOn = (card: Reply | undefined) =>
  card?.blocks
    .flatMap((b) => (b.kind === 'fields' ? b.fields : []))
    .find((f) => f.label === 'Approvals')?.value;

describe('the reconciler, on real Redis, BullMQ and the swarm', () => {
  let h: OpsHarness;
  let ops: OperationDeps;
  let redis: Redis;
  let queue: Queue;
  beforeAll(async () => {
    h = await startOpsHarness();
    if (h.core.operations === undefined) throw new Error('the harness has Redis');
    ops = h.core.operations;
    redis = new Redis(h.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(OPERATIONS_QUEUE, { connection: redis, prefix: h.prefix });
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await h.close();
  });

  const repairsOf = async (id: string): Promise<AuditEntry[]> =>
    (await h.core.audit?.recent(200, { kinds: ['repair'] }))?.filter((e) => e.requestId === id) ??
    [];

  /** What a vote stored without the rest of the click (its enqueue and card) leaves behind. */
  const storeApproval = (id: string, state: 'approved' | 'running') =>
    ops.store.update(id, (r) => ({
      request: {
        ...r,
        state,
        approvals: [{ person: 'dave', at: new Date().toISOString() }],
        ...(state === 'running' && { startedAt: new Date().toISOString() }),
      },
      result: true,
    }));

  /** A job under the request's id that the worker fails for good, as a give-up that was lost. */
  const failedJobOf = async (id: string) => {
    await queue.add('not-an-operation', { requestId: id }, { jobId: id, attempts: 1 });
    await eventually('the job to fail', async () =>
      (await queue.getJobState(id)) === 'failed' ? true : undefined,
    );
  };

  describe('when an approval was stored but its job never queued', () => {
    it('runs it once and audits the repair', async () => {
      const before = await forceUpdateOf(h, 'backend');
      const id = requestIdOf(await h.say('alice', '/tas restart backend'));
      await storeApproval(id, 'approved');

      await h.waitForMessage(
        'with the verdict',
        (d) => d.reply.title === `restart ops_backend — done and verified [${id}]`,
      );
      expect(await forceUpdateOf(h, 'backend')).toBe(before + 1);
      expect((await repairsOf(id)).map((e) => e.summary)).toEqual([
        'queued its execution again: approved, but no job is queued',
      ]);
    });
  });

  describe('when an approved request’s job failed', () => {
    it('queues it again, the old job’s id not blocking it, and runs it once', async () => {
      const before = await forceUpdateOf(h, 'backend');
      const id = requestIdOf(await h.say('alice', '/tas restart backend'));
      await storeApproval(id, 'approved');
      await failedJobOf(id);

      await h.waitForMessage(
        'with the verdict',
        (d) => d.reply.title === `restart ops_backend — done and verified [${id}]`,
      );
      expect(await forceUpdateOf(h, 'backend')).toBe(before + 1);
      expect((await repairsOf(id)).map((e) => e.summary)).toEqual([
        'queued its execution again: approved, but its job failed',
      ]);
    });
  });

  describe('when a running request’s job failed for good and its give-up was not stored', () => {
    it('ends it as failed, visibly, and touches nothing', async () => {
      const before = await forceUpdateOf(h, 'frontend');
      const id = requestIdOf(await h.say('alice', '/tas restart frontend'));
      await storeApproval(id, 'running');
      await failedJobOf(id);

      await h.waitForMessage(
        'with the failure',
        (d) => d.reply.title === `restart ops_frontend — failed [${id}]`,
      );
      expect(h.delivered.map((d) => d.reply.title)).toContain(
        'Failed: restart frontend: could not be carried out',
      );
      expect(await forceUpdateOf(h, 'frontend')).toBe(before);
      expect((await repairsOf(id)).map((e) => e.summary)).toEqual([
        'ended it as failed: running, but its job failed (unknown job not-an-operation)',
      ]);
      expect((await ops.store.get(id))?.state).toBe('failed');
    });
  });

  describe('when a claim’s request is not stored', () => {
    it('releases the claim', async () => {
      await redis.set(`${h.prefix}:claim:ops:backend-cron`, 'r0ghost', 'PX', 600_000);
      await eventually('the claim to go', async () =>
        (await ops.store.claimHolder('ops', 'backend-cron')) === undefined ? true : undefined,
      );
      expect((await repairsOf('r0ghost')).map((e) => e.summary)).toEqual([
        'released the claim: claim on backend-cron held by r0ghost, which is not stored',
      ]);
    });
  });

  describe('when a card shows a vote the store no longer has', () => {
    it('renders the card again from the store', async () => {
      const id = requestIdOf(await h.say('alice', '/tas stop frontend'));
      await h.say('dave', `/tas approve ${id}`);
      await eventually('the card with the vote', () =>
        Promise.resolve(approvalsOn(cardOf(h, id)) === '1 of 2 (dave)' ? true : undefined),
      );
      // The vote lost from the store (Redis lost its last writes), the card still showing it.
      await ops.store.update(id, (r) => ({ request: { ...r, approvals: [] }, result: true }));

      await eventually('the card without the vote', () =>
        Promise.resolve(approvalsOn(cardOf(h, id)) === '0 of 2' ? true : undefined),
      );
      expect((await repairsOf(id)).map((e) => e.summary)).toEqual([
        'rendered its card again from the store: its card shows an older state than the store',
      ]);
      await h.say('alice', `/tas cancel ${id}`);
    });
  });

  describe('when every repair above is on the trail', () => {
    it('still verifies as one unbroken chain', async () => {
      const entries: AuditEntry[] = [];
      for await (const entry of h.core.audit?.all() ?? []) entries.push(entry);
      expect(entries.filter((e) => e.kind === 'repair')).toHaveLength(5);
      expect(verifyChain(entries)).toMatchObject({ ok: true });
    });
  });
});
