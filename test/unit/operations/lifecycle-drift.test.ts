import { beforeEach, describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart, dave } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

describe('the drift check before a restart', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
    await askRestart(ops);
  });

  async function approveAndRun(): Promise<void> {
    await decideRequest(ops.deps, 'r1', dave, 'approve');
    await ops.runDue();
  }

  describe('when someone scaled the service while the card waited', () => {
    beforeEach(async () => {
      ops.swarm.changeOutside('backend', { replicas: 2 });
      await approveAndRun();
    });

    it('sends the Engine no update: ForceUpdate stays where it was', () => {
      expect(ops.swarm.updates).toEqual([]);
      expect(ops.swarm.inspect('backend')).toMatchObject({ forceUpdate: 0, desired: 2 });
    });

    it('says in the thread what changed, and voids the card', () => {
      expect(ops.notifier.threadTitles('r1').at(-1)).toBe(
        'Did not restart backend: it changed since the card was shown (replicas 1→2).',
      );
      expect(ops.notifier.lastCard('r1')).toMatchObject({
        state: 'drifted',
        outcome: { ok: false },
      });
    });

    it('records the drift in the audit trail and frees the service', async () => {
      const [last] = await ops.audit.recent(1);
      expect(last).toMatchObject({ kind: 'drift', service: 'backend' });
      await expect(askRestart(ops)).resolves.toMatchObject({ card: { requestId: 'r2' } });
    });
  });

  describe('when someone deployed another image while the card waited', () => {
    it('names the image change and leaves the new image running', async () => {
      ops.swarm.changeOutside('backend', { image: 'registry.example/tas/backend:5.16.0' });
      await approveAndRun();
      expect(ops.notifier.threadTitles('r1').at(-1)).toBe(
        'Did not restart backend: it changed since the card was shown (image 5.15.1→5.16.0).',
      );
      expect(ops.swarm.inspect('backend')?.image).toBe('registry.example/tas/backend:5.16.0');
      expect(ops.swarm.updates).toEqual([]);
    });
  });

  describe('when only the update config changed', () => {
    it('does not act either', async () => {
      ops.swarm.changeOutside('backend', { updateConfig: 'stop-first' });
      await approveAndRun();
      expect(ops.notifier.lastCard('r1')?.outcome?.summary).toBe(
        'not run: backend changed since the card was shown (update config changed)',
      );
      expect(ops.swarm.updates).toEqual([]);
    });
  });

  describe('when another service changed', () => {
    it('restarts the asked one as shown', async () => {
      ops.swarm.changeOutside('frontend', { replicas: 3 });
      await approveAndRun();
      expect(ops.swarm.updates.map((u) => u.service)).toEqual(['backend']);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });
});
