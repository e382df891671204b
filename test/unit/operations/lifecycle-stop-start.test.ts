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

describe('stop and start of a service', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({
      config: lifecycleConfig({}, { stop: policy, start: policy }),
      services: prodServices,
    });
  });

  async function run(operation: 'stop' | 'start', target: string): Promise<string> {
    const card = await requestOperation(ops.deps, {
      environment: 'prod',
      operation,
      target,
      identity: alice,
      origin,
    });
    const id = card.card?.requestId ?? '';
    await decideRequest(ops.deps, id, dave, 'approve');
    await ops.runDue();
    return id;
  }

  describe('when a service with two replicas is stopped', () => {
    beforeEach(async () => {
      await run('stop', 'frontend');
    });

    it('scales it to 0 on the Engine and verifies nothing runs', async () => {
      expect(ops.swarm.inspect('frontend')).toMatchObject({ desired: 0, running: 0 });
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
      expect(await ops.deps.store.savedReplicas('prod', 'frontend')).toBe(2);
    });

    it('starts it again with the two replicas recorded at stop', async () => {
      await run('start', 'frontend');
      expect(ops.swarm.updates.map((u) => `${u.service} ${u.replicas}`)).toEqual([
        'frontend 0',
        'frontend 2',
      ]);
      expect(ops.swarm.inspect('frontend')).toMatchObject({ desired: 2, running: 2 });
      expect(ops.notifier.lastCard('r2')?.steps[0]?.describe).toBe(
        'replicas 0→2 (recorded at stop)',
      );
    });
  });
});
