import { beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../../src/core/errors.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';
import { approvalCard } from '../../../src/operations/approval-card.js';
import { decideRequest } from '../../../src/operations/decide-request.js';
import { executeOperation } from '../../../src/operations/execute-operation.js';
import { requestOperation } from '../../../src/operations/request-operation.js';
import { restartMarker } from '../../../src/operations/step-progress.js';
import type { ServiceState } from '../../../src/core/ports/container-platform.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { alice, askRestart, dave, origin } from '../../fakes/memory/lifecycle-helpers.js';
import {
  createMemoryOperations,
  type MemoryOperations,
} from '../../fakes/memory/memory-operations.js';

const policy = { request: ['oncall'], approve: ['lead'] };
const config = lifecycleConfig({}, { rollback: policy, scale: policy });
const BAD = 'registry.example/tas/backend:5.16.0';
const GOOD = 'registry.example/tas/backend:5.15.1';

function ask(ops: MemoryOperations, operation: 'rollback' | 'scale', replicas?: number) {
  return requestOperation(ops.deps, {
    environment: 'prod',
    operation,
    target: 'backend',
    identity: alice,
    origin,
    ...(replicas !== undefined && { replicas }),
  });
}

/** The worker lost the Engine's answer to the update (or died right after it): the job fails. */
async function approveAndLoseTheAnswer(ops: MemoryOperations): Promise<void> {
  await decideRequest(ops.deps, 'r1', dave, 'approve');
  ops.swarm.interruptNextUpdate();
  await expect(ops.runDue()).rejects.toBeInstanceOf(DependencyError);
  expect((await ops.deps.store.get('r1'))?.steps[0]?.state).toBe('applying');
}

/** A duplicate run of the job with stale notes: the request running, its step applying. */
async function makeStale(ops: MemoryOperations): Promise<void> {
  await ops.deps.store.update('r1', (current) => ({
    request: {
      ...current,
      state: 'running',
      steps: current.steps.map((s) => ({ ...s, state: 'applying' as const })),
    } satisfies OperationRequest,
    result: true,
  }));
}

describe('a restart', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config, services: prodServices });
    await askRestart(ops);
  });

  it('carries the ForceUpdate value it writes, planned as the one on the card + 1', async () => {
    expect((await ops.deps.store.get('r1'))?.steps[0]?.change).toEqual({
      kind: 'restart',
      forceUpdate: 1,
    });
  });

  describe('when someone else force-updated the service after the card was shown', () => {
    it('still restarts it, once, past their ForceUpdate value', async () => {
      ops.swarm.changeOutside('backend', { force: true });
      // Their restart's tasks are older than the run, so they are not taken as this one's.
      ops.clock.advance(2000);
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      expect(ops.swarm.updates.map((u) => u.forceUpdate)).toEqual([2]);
      expect((await ops.deps.store.get('r1'))?.steps[0]?.sent).toEqual({
        kind: 'restart',
        forceUpdate: 2,
      });
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when the Engine took the update but the worker never stored it', () => {
    it('finds the marker on the service and does not restart again', async () => {
      await approveAndLoseTheAnswer(ops);
      ops.clock.advance(2000);
      await executeOperation(ops.deps, 'r1');
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.swarm.inspect('backend')?.forceUpdate).toBe(1);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });
});

describe('a rollback after a bad deploy', () => {
  let ops: MemoryOperations;
  beforeEach(async () => {
    ops = createMemoryOperations({ config, services: prodServices });
    ops.swarm.changeOutside('backend', { image: BAD });
    await ask(ops, 'rollback');
  });

  it('records its exact target and shows it on the card', async () => {
    const request = await ops.deps.store.get('r1');
    expect(request?.steps[0]?.change).toEqual({ kind: 'rollback', target: { image: GOOD } });
    expect(JSON.stringify(approvalCard(request as OperationRequest).blocks)).toContain(
      `rolls back to exactly ${GOOD}`,
    );
  });

  describe('when the job runs again after the rollback was applied', () => {
    it('finds the target there and leaves the service on it, not flipped back', async () => {
      await decideRequest(ops.deps, 'r1', dave, 'approve');
      await ops.runDue();
      await makeStale(ops);
      await executeOperation(ops.deps, 'r1');
      expect(ops.swarm.updates.map((u) => u.image)).toEqual([GOOD]);
      expect(ops.swarm.inspect('backend')?.image).toBe(GOOD);
    });
  });

  describe('when the Engine took the rollback but the worker never stored it', () => {
    it('sends nothing more, and the verdict is posted', async () => {
      await approveAndLoseTheAnswer(ops);
      await executeOperation(ops.deps, 'r1');
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.swarm.inspect('backend')?.image).toBe(GOOD);
      expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
    });
  });

  describe('when the same rollback is sent to the platform twice', () => {
    it('changes the service once', async () => {
      const change = (await ops.deps.store.get('r1'))?.steps[0]?.change;
      if (change === undefined) throw new Error('no step');
      await ops.swarm.operator.apply('backend', change);
      const version = ops.swarm.inspect('backend')?.version;
      await ops.swarm.operator.apply('backend', change);
      expect(ops.swarm.updates).toHaveLength(1);
      expect(ops.swarm.inspect('backend')).toMatchObject({ image: GOOD, version });
    });
  });
});

describe('a scale whose worker lost the Engine’s answer', () => {
  it('finds the replicas on the service and scales once', async () => {
    const ops = createMemoryOperations({ config, services: prodServices });
    await ask(ops, 'scale', 3);
    await approveAndLoseTheAnswer(ops);
    await executeOperation(ops.deps, 'r1');
    expect(ops.swarm.updates.map((u) => u.replicas)).toEqual([3]);
    expect(ops.notifier.lastCard('r1')?.state).toBe('succeeded');
  });
});

describe('restartMarker', () => {
  const task = (at: number) => ({
    id: `t${at}`,
    state: 'running',
    desiredState: 'running',
    message: '',
    timestamp: new Date(at),
    createdAt: new Date(at),
  });
  const state = {
    ...createMemoryOperations({ config, services: prodServices }).swarm.inspect('backend'),
    forceUpdate: 1000,
    tasks: [task(1000), task(5000)],
  } as ServiceState;

  it('is the ForceUpdate value + 1 on Swarm and ECS', () => {
    expect(restartMarker('swarm', state)).toBe(1001);
    expect(restartMarker('ecs', state)).toBe(1001);
  });

  describe('when the service runs under Compose', () => {
    it('is one past the latest container start, so each container is restarted once', () => {
      expect(restartMarker('compose', state)).toBe(5001);
    });
  });
});
