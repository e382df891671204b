import { beforeEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave, refusal } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('a restart budget of one per hour', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({
      config: lifecycleConfig({ budget: { max: 1, per: '1h' } }),
      services: prodServices,
    });
    await askRestart(ops);
    await decideRequest(ops.deps, 'r1', dave, 'approve');
    await ops.runDue();
  });

  describe('when the service was restarted within the hour', () => {
    it('refuses the next request before any card, saying the budget is spent', async () => {
      ops.clock.advance(30 * 60_000);
      const spent = await refusal(askRestart(ops));
      expect(spent.code).toBe('BUDGET_SPENT');
      expect(spent.message).toContain('1 restart of backend in the last');
      expect(await ops.deps.store.open()).toEqual([]);
    });

    it('leaves other services their own budget', async () => {
      await expect(askRestart(ops, 'frontend')).resolves.toMatchObject({
        card: { requestId: 'r2' },
      });
    });
  });

  describe('when the hour has passed', () => {
    it('accepts a request again', async () => {
      ops.clock.advance(61 * 60_000);
      await expect(askRestart(ops)).resolves.toMatchObject({ card: { requestId: 'r2' } });
    });
  });
});
