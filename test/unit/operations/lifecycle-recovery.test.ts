import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../src/core/errors.js';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { executeOperation } from '../../../src/operations/execute-operation.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('a restart whose worker lost the Engine’s answer to the update', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
    await decideRequest(ops.deps, 'r1', dave, 'approve');
    ops.swarm.interruptNextUpdate();
    await expect(ops.runDue()).rejects.toBeInstanceOf(DependencyError);
  });

  it('leaves the request running, its step applying, for the retry', async () => {
    expect(await ops.deps.store.get('r1')).toMatchObject({
      state: 'running',
      steps: [{ state: 'applying' }],
    });
  });

  describe('when the job is retried', () => {
    beforeEach(async () => {
      ops.clock.advance(2000);
      await executeOperation(ops.deps, 'r1');
    });

    it('sees the update on the service and does not send it again', () => {
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(1);
    });

    it('carries on to a verified verdict, announced once', () => {
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
      expect(
        ops.notifier.threadTitles('r1').filter((title) => title.startsWith('Started')),
      ).toHaveLength(1);
    });
  });
});
