import { beforeEach, describe, expect, it } from 'vitest';
import { cancelRequest, decideRequest } from '../../../src/operations/decide-request.js';
import { requestOperation } from '../../../src/operations/request-operation.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { alice, askRestart, dave, origin, refusal } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  person,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const policy = { request: ['oncall'], approve: ['lead'] };
const bob = person('bob', 'oncall');

/** The request holding each service of prod, as a Busy answer would name it. */
async function holders(ops: MemoryOperations): Promise<(string | undefined)[]> {
  return Promise.all(prodServices.map((s) => ops.deps.store.claimHolder('prod', s.name)));
}

describe('the claim on a service, through the lifecycle', () => {
  let ops: MemoryOperations;
  beforeEach(() => {
    ops = createMemoryOperations({
      config: lifecycleConfig({}, { stop: policy, start: policy }),
      services: prodServices,
    });
  });

  describe('when a second request comes for a service with one open', () => {
    it('answers Busy naming the service, the holder and who asked, and stores nothing', async () => {
      await askRestart(ops);
      ops.clock.advance(90_000);
      const busy = await refusal(askRestart(ops, 'backend', { identity: bob }));
      expect(busy.code).toBe('BUSY');
      expect(busy.message).toBe('Busy: restart of backend by alice, asked 1m 30s ago [r1].');
      expect(await ops.deps.store.get('r2')).toBeUndefined();
      expect((await ops.audit.recent(10)).map((e) => e.requestId)).toEqual(['r1']);
    });
  });

  describe('when stop all is asked while one service is being restarted', () => {
    it('refuses the whole request and claims none of the other services', async () => {
      await askRestart(ops, 'frontend');
      const ask = { environment: 'prod', target: 'all', identity: alice, origin } as const;
      const busy = await refusal(requestOperation(ops.deps, { ...ask, operation: 'stop' }));
      expect(busy.message).toMatch(/^Busy: restart of frontend by alice, .*\[r1\]\.$/);
      expect(await holders(ops)).toEqual([undefined, undefined, 'r1']);
    });
  });

  describe('when stop all is open', () => {
    it('holds every service, so a restart of any one is Busy', async () => {
      const ask = { environment: 'prod', target: 'all', identity: alice, origin } as const;
      await requestOperation(ops.deps, { ...ask, operation: 'stop' });
      expect(await holders(ops)).toEqual(['r1', 'r1', 'r1']);
      const busy = await refusal(askRestart(ops, 'backend-cron'));
      expect(busy.message).toMatch(/^Busy: stop of backend-cron by alice, .*\[r1\]\.$/);
    });
  });

  describe.each([
    ['rejected', (o: MemoryOperations) => decideRequest(o.deps, 'r1', dave, 'reject', 'no')],
    ['cancelled', (o: MemoryOperations) => cancelRequest(o.deps, 'r1', alice)],
    [
      'expired',
      async (o: MemoryOperations) => {
        o.clock.advance(15 * 60_000);
        await o.runDue();
      },
    ],
    [
      'succeeded',
      async (o: MemoryOperations) => {
        await decideRequest(o.deps, 'r1', dave, 'approve');
        await o.runDue();
      },
    ],
    [
      'failed',
      async (o: MemoryOperations) => {
        o.swarm.failNewTasks('backend', 'exit 1: cannot reach arango');
        await decideRequest(o.deps, 'r1', dave, 'approve');
        await o.runDue();
      },
    ],
    [
      'drifted',
      async (o: MemoryOperations) => {
        o.swarm.changeOutside('backend', { replicas: 2 });
        await decideRequest(o.deps, 'r1', dave, 'approve');
        await o.runDue();
      },
    ],
  ] as const)('when the request ends %s', (state, end) => {
    beforeEach(async () => {
      await askRestart(ops);
      await end(ops);
    });

    it('frees the service at once and the next request gets a card', async () => {
      expect((await ops.deps.store.get('r1'))?.state).toBe(state);
      expect(await ops.deps.store.claimHolder('prod', 'backend')).toBeUndefined();
      const card = await askRestart(ops, 'backend', { identity: bob });
      expect(card.card?.requestId).toBe('r2');
      expect(await ops.deps.store.claimHolder('prod', 'backend')).toBe('r2');
    });
  });

  describe('when the request is approved but never finished (its job lost)', () => {
    beforeEach(async () => {
      await askRestart(ops);
      await decideRequest(ops.deps, 'r1', dave, 'approve');
    });

    it('still holds the service past the request’s expiry, while its operation may run', async () => {
      ops.clock.advance(15 * 60_000 + 60_000);
      expect(await ops.deps.store.claimHolder('prod', 'backend')).toBe('r1');
      expect((await refusal(askRestart(ops))).code).toBe('BUSY');
    });

    it('lets the claim lapse after the expiry plus the longest operation, not hours later', async () => {
      // 15 m to expiry; one step: 60 s convergence + 5 s settle + 2 × 15 s checks + 4 × 10 s
      // Engine calls; 1 m of queue margin.
      ops.clock.advance(15 * 60_000 + 60_000 + 5000 + 30_000 + 40_000 + 60_000 + 1);
      expect(await ops.deps.store.claimHolder('prod', 'backend')).toBeUndefined();
      expect((await askRestart(ops, 'backend', { identity: bob })).card?.requestId).toBe('r2');
    });
  });
});
