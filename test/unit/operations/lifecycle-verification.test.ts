import { beforeEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('the verification after a restart', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
    await decideRequest(ops.deps, 'r1', dave, 'approve');
  });

  const verdict = () => {
    const last = ops.notifier.notices.findLast((n) => n.to === 'thread');
    return last?.to === 'thread' ? last.reply : undefined;
  };

  describe('when the new tasks fail to start', () => {
    beforeEach(async () => {
      ops.swarm.failNewTasks('backend', 'exit 1: cannot reach arango');
      await ops.runDue();
    });

    it('fails the operation with a DOWN verdict that says why and how to undo it', () => {
      expect(verdict()).toMatchObject({
        title: 'Failed: restart backend: verification failed',
        verdict: 'DOWN',
      });
      expect(JSON.stringify(verdict()?.blocks)).toContain('/tas rollback backend');
      expect(ops.notifier.lastCard('r1')).toMatchObject({
        state: 'failed',
        steps: [{ state: 'failed' }],
      });
    });

    it('made the one update the card showed, no more', () => {
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.swarm.inspect('backend')).toMatchObject({ forceUpdate: 1, running: 0 });
    });
  });

  describe('when the service logs new errors after the restart', () => {
    it('fails the verification, quoting the error', async () => {
      ops.swarm.logOnStart('backend', 'ERROR connection refused to arango:8529');
      await ops.runDue();
      expect(verdict()?.verdict).toBe('DOWN');
      expect(JSON.stringify(verdict()?.blocks)).toContain('connection refused to arango');
    });
  });

  describe('when errors logged before the restart go on', () => {
    it('succeeds with a warning: DEGRADED, not blamed on the restart', async () => {
      ops.clock.advance(-60_000);
      ops.swarm.log('backend', 'ERROR disk almost full');
      ops.clock.advance(60_000);
      ops.swarm.logOnStart('backend', 'ERROR disk almost full');
      await ops.runDue();
      expect(verdict()).toMatchObject({
        title: 'Verified: restart backend: done; the environment still has problems from before',
        verdict: 'DEGRADED',
      });
    });
  });
});
