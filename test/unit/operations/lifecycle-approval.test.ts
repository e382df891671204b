import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/audit/verify-audit-log.js';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave, erin, refusal } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  person,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('a restart that needs one approval', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
  });

  describe('when it is asked for', () => {
    it('answers with a pending card and changes nothing on the swarm', async () => {
      const card = await askRestart(ops);
      expect(card.card).toEqual({ requestId: 'r1' });
      expect(card.title).toContain('waiting for approval');
      expect(await ops.deps.store.get('r1')).toMatchObject({
        state: 'pending',
        requester: 'alice',
      });
      expect(ops.swarm.updates).toEqual([]);
    });

    it('schedules its expiry and queues no execution', async () => {
      await askRestart(ops);
      expect(ops.queue.jobs()).toEqual([
        { kind: 'expire', requestId: 'r1', dueAt: new Date('2026-12-01T03:15:00.000Z') },
      ]);
    });

    it('refuses a second request for the same service while the first is open, naming it', async () => {
      await askRestart(ops);
      const busy = await refusal(askRestart(ops));
      expect(busy.code).toBe('BUSY');
      expect(busy.message).toContain('[r1]');
      expect(await ops.deps.store.open()).toHaveLength(1);
    });
  });

  describe('when two people ask for it at the same moment', () => {
    it('shows one card and answers the other BUSY', async () => {
      const [first, second] = await Promise.allSettled([askRestart(ops), askRestart(ops)]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { card: { requestId: 'r1' } } });
      expect(second).toMatchObject({ status: 'rejected', reason: { code: 'BUSY' } });
      expect((await ops.deps.store.open()).map((r) => r.id)).toEqual(['r1']);
    });
  });

  describe('when a lead approves it and the worker runs it', () => {
    beforeEach(async () => {
      await askRestart(ops);
      ops.clock.advance(60_000);
      await decideRequest(ops.deps, 'r1', dave, 'approve');
    });

    it('queues the execution once the approval counts', async () => {
      expect(ops.queue.jobs().map((job) => job.kind)).toEqual(['expire', 'execute']);
      expect((await ops.deps.store.get('r1'))?.state).toBe('approved');
    });

    it('makes one force update on the Engine: ForceUpdate + 1, the same image', async () => {
      await ops.runDue();
      expect(ops.swarm.updates).toEqual([
        {
          service: 'backend',
          change: { kind: 'restart', forceUpdate: 1 },
          image: 'registry.example/tas/backend:5.15.1',
          replicas: 1,
          forceUpdate: 1,
        },
      ]);
      expect(ops.swarm.inspect('backend')).toMatchObject({ forceUpdate: 1, running: 1 });
      expect(ops.swarm.inspect('frontend')?.forceUpdate).toBe(0);
    });

    it('posts a verified verdict in the thread and a done card', async () => {
      await ops.runDue();
      const titles = ops.notifier.threadTitles('r1');
      expect(titles[0]).toBe('Started restart backend [r1]');
      expect(titles.at(-1)).toBe('Verified: restart backend: done and verified');
      const verdict = ops.notifier.notices.findLast((n) => n.to === 'thread');
      expect(verdict?.to === 'thread' && verdict.reply.verdict).toBe('OK');
      expect(ops.notifier.lastCard('r1')).toMatchObject({
        state: 'succeeded',
        steps: [{ service: 'backend', state: 'verified' }],
      });
    });

    it('leaves an audit trail of every step that verifies', async () => {
      await ops.runDue();
      expect((await ops.audit.recent(10)).map((e) => e.kind).reverse()).toEqual([
        'request',
        'vote',
        'start',
        'result',
      ]);
      expect(await verifyAuditLog(ops.audit)).toEqual({ ok: true, count: 4 });
    });

    it('frees the service for the next request', async () => {
      await ops.runDue();
      await expect(askRestart(ops)).resolves.toMatchObject({ card: { requestId: 'r2' } });
    });

    it('runs it once, however often the execution is queued again', async () => {
      await ops.runDue();
      await decideRequest(ops.deps, 'r1', erin, 'approve').catch(() => undefined);
      await ops.deps.queue.execute('r1');
      await ops.runDue();
      expect(ops.swarm.updates).toHaveLength(1);
    });
  });

  describe('when the requester approves it', () => {
    it('refuses the vote and queues nothing', async () => {
      await askRestart(ops);
      const refused = await refusal(
        decideRequest(ops.deps, 'r1', person('alice', 'oncall', 'lead'), 'approve'),
      );
      expect(refused.code).toBe('VOTE_REFUSED');
      expect(refused.message).toBe('You asked for this, so someone else has to approve it.');
      expect(ops.queue.jobs().map((job) => job.kind)).toEqual(['expire']);
    });
  });

  describe('when a lead rejects it', () => {
    it('ends it rejected, runs nothing and frees the service', async () => {
      await askRestart(ops);
      await decideRequest(ops.deps, 'r1', dave, 'reject', 'not now');
      await ops.runDue();
      expect(ops.notifier.lastCard('r1')?.state).toBe('rejected');
      expect(ops.swarm.updates).toEqual([]);
      await expect(askRestart(ops)).resolves.toMatchObject({ card: { requestId: 'r2' } });
    });
  });
});

describe('a restart that needs two approvals', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({
      config: lifecycleConfig({ approvals: 2 }),
      services: prodServices,
    });
    await askRestart(ops);
  });

  describe('when one lead approves', () => {
    it('counts the vote and queues nothing', async () => {
      const answer = await decideRequest(ops.deps, 'r1', dave, 'approve');
      expect(answer.title).toBe('Approval counted for r1: 1 of 2.');
      expect(ops.queue.jobs().map((job) => job.kind)).toEqual(['expire']);
      expect(ops.notifier.lastCard('r1')?.approvals.map((v) => v.person)).toEqual(['dave']);
    });

    it('counts the same lead approving twice once', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      const again = await decideRequest(ops.deps, 'r1', dave, 'approve');
      expect(again.ephemeral).toBe(true);
      expect((await ops.deps.store.get('r1'))?.approvals).toHaveLength(1);
    });
  });

  describe('when a second lead approves', () => {
    it('queues it, and the worker restarts the service', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      const answer = await decideRequest(ops.deps, 'r1', erin, 'approve');
      expect(answer.title).toBe(
        'Approved r1; restart backend is queued. Progress follows in the thread.',
      );
      await ops.runDue();
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(1);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });
});

describe('a vote on a request that does not exist', () => {
  it('is answered NOT_FOUND', async () => {
    const ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    const missing = await refusal(decideRequest(ops.deps, 'r9', dave, 'approve'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(ops.queue.jobs()).toEqual([]);
  });
});
