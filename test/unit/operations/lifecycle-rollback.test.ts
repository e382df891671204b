import { beforeEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { requestOperation } from '../../../src/operations/request-operation.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { alice, dave, origin } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const policy = { request: ['oncall'], approve: ['lead'] };

describe('a rollback after a bad deploy', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({
      config: lifecycleConfig({}, { rollback: policy }),
      services: prodServices,
    });
    ops.swarm.changeOutside('backend', { image: 'registry.example/tas/backend:5.16.0' });
    await requestOperation(ops.deps, {
      environment: 'prod',
      operation: 'rollback',
      target: 'backend',
      identity: alice,
      origin,
    });
  });

  it('shows on the card the image it goes back to', async () => {
    expect((await ops.deps.store.get('r1'))?.steps[0]?.describe).toContain('5.16.0→5.15.1');
  });

  describe('when it is approved and run', () => {
    it('puts the previous image back on the Engine, and verifies it', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates).toEqual([
        expect.objectContaining({
          service: 'backend',
          change: { kind: 'rollback', target: { image: 'registry.example/tas/backend:5.15.1' } },
          image: 'registry.example/tas/backend:5.15.1',
        }),
      ]);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when another deploy moved the previous image while the card waited', () => {
    it('does not roll back to an image nobody approved', async () => {
      ops.swarm.changeOutside('backend', { image: 'registry.example/tas/backend:5.16.1' });
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates).toEqual([]);
      expect(ops.notifier.lastCard('r1')?.state).toBe('drifted');
    });
  });

  describe('when the stored plan was altered after the card was shown', () => {
    it('runs nothing and says the plan is not the one the card showed', async () => {
      await ops.deps.store.update('r1', (current) => ({
        request: {
          ...current,
          steps: current.steps.map((step) => ({
            ...step,
            change: { kind: 'image' as const, image: 'registry.example/tas/backend:evil' },
          })),
        },
        result: true,
      }));
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates).toEqual([]);
      expect(ops.swarm.inspect('backend')?.image).toBe('registry.example/tas/backend:5.16.0');
      expect(ops.notifier.lastCard('r1')?.outcome?.summary).toBe(
        'rollback backend: not run, the plan does not match the card',
      );
    });
  });
});
