import { beforeEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave, refusal } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('the expiry of a restart request (15 minutes)', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
  });

  describe('before its time', () => {
    it('runs no expiry', async () => {
      ops.clock.advance(14 * 60_000);
      expect(await ops.runDue()).toEqual([]);
      expect((await ops.deps.store.get('r1'))?.state).toBe('pending');
    });
  });

  describe('when nobody decided by then', () => {
    beforeEach(async () => {
      ops.clock.advance(15 * 60_000);
      expect(await ops.runDue()).toEqual(['expire r1']);
    });

    it('shows the card expired, and the swarm untouched', () => {
      expect(ops.notifier.lastCard('r1')).toMatchObject({
        state: 'expired',
        finishedAt: '2026-12-01T03:15:00.000Z',
      });
      expect(ops.swarm.updates).toEqual([]);
    });

    it('records the expiry in the audit trail as the system', async () => {
      const [last] = await ops.audit.recent(1);
      expect(last).toMatchObject({
        kind: 'expire',
        actor: 'system',
        requestId: 'r1',
        summary: 'expired with 0 of 1 approvals',
      });
    });

    it('refuses a late approval', async () => {
      const late = await refusal(decideRequest(ops.deps, 'r1', dave, 'approve'));
      expect(late.code).toBe('NOT_PENDING');
      expect(late.message).toBe('Request r1 is expired.');
      expect(ops.queue.jobs()).toEqual([]);
    });

    it('frees the service for a new request', async () => {
      await expect(askRestart(ops)).resolves.toMatchObject({ card: { requestId: 'r2' } });
    });
  });

  describe('when it was approved before its time', () => {
    it('leaves the decided request alone', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      ops.clock.advance(15 * 60_000);
      await ops.runDue();
      expect((await ops.deps.store.get('r1'))?.state).toBe('succeeded');
      expect((await ops.audit.recent(10)).map((e) => e.kind)).not.toContain('expire');
    });
  });

  describe('when an approval arrives after its time but before the expiry job ran', () => {
    it('refuses it', async () => {
      ops.clock.advance(15 * 60_000);
      const late = await refusal(decideRequest(ops.deps, 'r1', dave, 'approve'));
      expect(late.code).toBe('NOT_PENDING');
      expect(late.message).toBe('Request r1 has expired.');
      expect(ops.swarm.updates).toEqual([]);
    });
  });
});
