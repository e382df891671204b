import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../src/core/errors.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { executeOperation } from '../../../src/operations/execute-operation.js';
import { requestOperation } from '../../../src/operations/request-operation.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { alice, askRestart, dave, origin } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const policy = { request: ['oncall'], approve: ['lead'] };
const config = lifecycleConfig({}, { rollback: policy, scale: policy });

function askScale(ops: MemoryOperations, replicas: number) {
  return requestOperation(ops.deps, {
    environment: 'prod',
    operation: 'scale',
    target: 'backend',
    identity: alice,
    origin,
    replicas,
  });
}

/**
 * The Engine took the update, then Redis lost the worker's `applying` write (a host crash under
 * `appendfsync everysec`): the stored step is back to `planned`, as if nothing had been sent.
 */
async function sendThenLoseTheApplyingWrite(ops: MemoryOperations): Promise<void> {
  await decideRequest(ops.deps, 'r1', dave, 'approve');
  ops.swarm.interruptNextUpdate();
  await expect(ops.runDue()).rejects.toBeInstanceOf(DependencyError);
  await ops.deps.store.update('r1', (current) => ({
    request: {
      ...current,
      steps: current.steps.map(({ sent: _sent, baseline: _baseline, ...s }) => ({
        ...s,
        state: 'planned' as const,
      })),
    } satisfies OperationRequest,
    result: true,
  }));
  expect((await ops.deps.store.get('r1'))?.steps[0]?.state).toBe('planned');
}

describe('a step whose applying write was lost after the Engine took the change', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({ config, services: prodServices });
  });

  describe('when it is a restart', () => {
    it('takes the restart on the service as its own and does not restart again', async () => {
      await askRestart(ops);
      await sendThenLoseTheApplyingWrite(ops);
      ops.clock.advance(2000);
      await executeOperation(ops.deps, 'r1');
      expect(ops.swarm.updates.map((u) => u.forceUpdate)).toEqual([1]);
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(1);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when it is a scale', () => {
    it('takes the target replicas as its own change, not drift, and scales once', async () => {
      await askScale(ops, 3);
      await sendThenLoseTheApplyingWrite(ops);
      await executeOperation(ops.deps, 'r1');
      expect(ops.swarm.updates.map((u) => u.replicas)).toEqual([3]);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });
});

describe('a planned step whose service someone else changed since the card', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({ config, services: prodServices });
  });

  describe('when the replicas are neither the ones on the card nor the target', () => {
    it('is refused as drifted and sends nothing', async () => {
      await askScale(ops, 3);
      ops.swarm.changeOutside('backend', { replicas: 5 });
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates).toHaveLength(0);
      expect(ops.swarm.inspect('backend')?.desired).toBe(5);
      expect(ops.notifier.lastCard('r1')?.state).toBe('drifted');
    });
  });

  describe('when the target replicas came with a different image', () => {
    it('is refused as drifted and sends nothing', async () => {
      await askScale(ops, 3);
      ops.swarm.changeOutside('backend', {
        replicas: 3,
        image: 'registry.example/tas/backend:9.9.9',
      });
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates).toHaveLength(0);
      expect(ops.notifier.lastCard('r1')?.state).toBe('drifted');
    });
  });

  describe('when someone force-updated it before the run started', () => {
    it('still makes its own restart, once', async () => {
      await askRestart(ops);
      ops.swarm.changeOutside('backend', { force: true });
      ops.clock.advance(5000);
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates.map((u) => u.forceUpdate)).toEqual([2]);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });
});
