import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../src/core/errors.js';
import { JobLockLostError } from '../../../src/core/job-lock-lost-error.js';
import { cardDigest } from '../../../src/operations/card-digest.js';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { executeOperation } from '../../../src/operations/execute-operation.js';
import { reconcile, type ReconcileMemory } from '../../../src/operations/reconcile.js';
import { recordCard } from '../../../src/operations/record-card.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

/** Two reconciler ticks, 5 s apart: a disagreement is repaired once two ticks in a row see it. */
async function twoTicks(ops: MemoryOperations, memory: ReconcileMemory = {}) {
  const first = await reconcile(ops.deps, memory);
  ops.clock.advance(5000);
  return reconcile(ops.deps, first);
}

const repairs = async (ops: MemoryOperations) =>
  (await ops.audit.recent(50, { kinds: ['repair'] })).map((e) => e.summary);

/** dave approves r1 while the queue does not answer: the vote is stored, no job is queued. */
async function approveWithoutQueue(ops: MemoryOperations): Promise<void> {
  const execute = ops.deps.queue.execute;
  ops.deps.queue.execute = () => Promise.reject(new DependencyError('redis', 'Redis went away'));
  await expect(decideRequest(ops.deps, 'r1', dave, 'approve')).rejects.toThrow('went away');
  ops.deps.queue.execute = execute;
}

describe('the reconciler', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
  });

  describe('when an approval was stored but its job never queued', () => {
    beforeEach(() => approveWithoutQueue(ops));

    it('leaves it alone on the tick that first sees it', async () => {
      await reconcile(ops.deps, {});
      expect(ops.queue.jobs().filter((j) => j.kind === 'execute')).toEqual([]);
      expect(await repairs(ops)).toEqual([]);
    });

    it('queues it on the next tick and records the repair', async () => {
      await twoTicks(ops);
      expect(ops.queue.jobs().filter((j) => j.kind === 'execute')).toHaveLength(1);
      expect(await repairs(ops)).toEqual([
        'queued its execution again: approved, but no job is queued',
      ]);
    });

    it('lets the restart run to a verified verdict, the Engine updated once', async () => {
      await twoTicks(ops);
      await ops.runDue();
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when an approval was stored but its audit line failed (so nothing was queued)', () => {
    beforeEach(async () => {
      const append = ops.deps.audit.append.bind(ops.deps.audit);
      ops.deps.audit.append = () => Promise.reject(new DependencyError('redis', 'Redis went away'));
      await expect(decideRequest(ops.deps, 'r1', dave, 'approve')).rejects.toThrow('went away');
      ops.deps.audit.append = append;
      await twoTicks(ops);
    });

    it('queues it and names who approved it in the repair', async () => {
      expect(ops.queue.jobs().filter((j) => j.kind === 'execute')).toHaveLength(1);
      const [repair] = await ops.audit.recent(1, { kinds: ['repair'] });
      expect(repair?.details).toMatchObject({ approvals: ['dave'] });
    });
  });

  describe('when a job failed for good and its give-up could not be stored', () => {
    beforeEach(async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      ops.queue.takeDue();
      await ops.deps.store.update('r1', (r) => ({
        request: { ...r, state: 'running' },
        result: true,
      }));
      ops.queue.fail('r1', 'the Engine refused the spec');
      await twoTicks(ops);
    });

    it('ends the request as failed with the job’s reason, on the card', () => {
      const card = ops.notifier.lastCard('r1');
      expect(card?.state).toBe('failed');
      expect(card?.outcome?.evidence.map((e) => e.text)).toEqual(['the Engine refused the spec']);
    });

    it('records the repair and the result', async () => {
      expect(await repairs(ops)).toEqual([
        'ended it as failed: running, but its job failed (the Engine refused the spec)',
      ]);
      expect((await ops.audit.recent(1))[0]?.kind).toBe('repair');
      expect((await ops.audit.recent(3)).map((e) => e.kind)).toContain('result');
    });
  });

  describe('when a running request’s job is gone', () => {
    beforeEach(async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      ops.swarm.interruptNextUpdate();
      await expect(ops.runDue()).rejects.toBeInstanceOf(DependencyError);
      ops.queue.lose('r1');
      await twoTicks(ops);
    });

    it('queues it again', async () => {
      expect(ops.queue.jobs()).toContainEqual(expect.objectContaining({ requestId: 'r1' }));
      expect(await repairs(ops)).toEqual([
        'queued its execution again: running, but no job is queued',
      ]);
    });

    it('finishes it without sending the update a second time', async () => {
      await ops.runDue();
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when a pending request’s expiry job is lost', () => {
    beforeEach(async () => {
      ops.clock.advance(3_600_000);
      ops.queue.takeDue(); // taken, never run
      await twoTicks(ops);
    });

    it('expires it, visibly', async () => {
      expect(ops.notifier.lastCard('r1')?.state).toBe('expired');
      expect(await repairs(ops)).toEqual(['expired it: pending past its expiry']);
    });
  });

  describe('when a claim outlives its request', () => {
    beforeEach(async () => {
      const stored = await ops.deps.store.get('r1');
      if (stored === undefined) throw new Error('r1 not stored');
      const ghost = { ...stored, id: 'r9', state: 'failed' as const, target: 'frontend' };
      await ops.deps.store.createClaimed(
        { ...ghost, steps: stored.steps.map((s) => ({ ...s, service: 'frontend' })) },
        60_000,
      );
      await twoTicks(ops);
    });

    it('releases it, so the service can be asked for again', async () => {
      expect(await ops.deps.store.claimHolder('prod', 'frontend')).toBeUndefined();
      expect(await repairs(ops)).toEqual([
        'released the claim: claim on frontend held by r9, which is failed',
      ]);
    });

    it('leaves the claim of an open request', async () => {
      expect(await ops.deps.store.claimHolder('prod', 'backend')).toBe('r1');
    });
  });

  describe('when a card shows an older state than the store', () => {
    beforeEach(async () => {
      const pending = await ops.deps.store.get('r1');
      if (pending === undefined) throw new Error('r1 not stored');
      await recordCard(ops.deps.store, 'r1', { ref: '1700000000.000100' }, cardDigest(pending));
      // A vote stored, its card update lost (the notification never left).
      await ops.deps.store.update('r1', (r) => ({
        request: { ...r, approvals: [{ person: 'dave', at: ops.clock.now().toISOString() }] },
        result: true,
      }));
    });

    it('renders the card again from the store, once', async () => {
      const memory = await twoTicks(ops);
      await reconcile(ops.deps, memory);
      const cards = ops.notifier.notices.filter((n) => n.to === 'card');
      expect(cards).toHaveLength(1);
      expect(ops.notifier.lastCard('r1')?.approvals.map((v) => v.person)).toEqual(['dave']);
      expect(await repairs(ops)).toEqual([
        'rendered its card again from the store: its card shows an older state than the store',
      ]);
    });
  });

  describe('when nothing disagrees', () => {
    it('repairs nothing', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await twoTicks(ops);
      await ops.runDue();
      await twoTicks(ops);
      expect(await repairs(ops)).toEqual([]);
    });
  });
});

describe('executeOperation in a worker', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
    await decideRequest(ops.deps, 'r1', dave, 'approve');
    ops.queue.takeDue();
  });

  describe('when the job’s lock is lost after the applying write', () => {
    it('stops before the Engine update', async () => {
      let writes = 0;
      // Holds the lock for the start and the `applying` write, loses it before the update.
      const ownsJob = () => Promise.resolve((writes += 1) <= 1);
      await expect(executeOperation({ ...ops.deps, ownsJob }, 'r1')).rejects.toBeInstanceOf(
        JobLockLostError,
      );
      expect(ops.swarm.updates).toEqual([]);
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(0);
    });
  });

  describe('when the job’s lock is lost from the start', () => {
    it('stores no step state', async () => {
      const ownsJob = () => Promise.resolve(false);
      await expect(executeOperation({ ...ops.deps, ownsJob }, 'r1')).rejects.toBeInstanceOf(
        JobLockLostError,
      );
      expect((await ops.deps.store.get('r1'))?.steps.map((s) => s.state)).toEqual(['planned']);
    });
  });
});
