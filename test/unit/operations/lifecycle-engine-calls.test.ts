import { describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave } from '../../fakes/memory/lifecycle-helpers.js';
import { createMemoryOperations } from '../../fakes/memory/memory-operations.js';

const total = (calls: Readonly<Record<string, number>>) =>
  Object.values(calls).reduce((sum, n) => sum + n, 0);

describe('the platform calls of one restart', () => {
  describe('when the service converges on the first poll', () => {
    it('asks the platform at most 8 times, one of them the update', async () => {
      const ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
      await askRestart(ops);
      expect(ops.swarm.calls).toMatchObject({ list: 1, update: 0 });
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.calls.update).toBe(1);
      expect(total(ops.swarm.calls)).toBeLessThanOrEqual(8);
    });
  });
});
