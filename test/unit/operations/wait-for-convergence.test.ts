import { describe, expect, it } from 'vitest';
import type { ServiceState, TaskSummary } from '../../../src/core/ports/container-platform.js';
import type { ServiceLook } from '../../../src/core/ports/service-operator.js';
import { waitForConvergence } from '../../../src/operations/wait-for-convergence.js';
import { lifecycleConfig, prodServices } from '../../fakes/memory/lifecycle-config.js';
import { askRestart } from '../../fakes/memory/lifecycle-helpers.js';
import { createMemoryOperations } from '../../fakes/memory/memory-operations.js';

const started = new Date('2026-12-01T03:00:00.000Z');
const before = new Date('2026-12-01T02:00:00.000Z');
const after = new Date('2026-12-01T03:00:05.000Z');

function task(id: string, createdAt: Date, state: string, error?: string): TaskSummary {
  return {
    id,
    state,
    desiredState: 'running',
    message: state,
    ...(error !== undefined && { error }),
    timestamp: createdAt,
    createdAt,
  };
}

const service: ServiceState = {
  id: 's1',
  name: 'backend',
  fullName: 'prod_backend',
  image: 'registry.example/tas/backend:5.15.1',
  imageTag: '5.15.1',
  desired: 1,
  running: 0,
  mode: 'replicated',
  tasks: [],
  tty: false,
  version: 7,
  fingerprint: '',
  forceUpdate: 1,
};

/**
 * A look whose refreshes answer from scripts, one per part, and write down which part each poll
 * asked for: the platform calls a real look would make.
 */
function scriptedLook(script: { tasks: (readonly TaskSummary[])[]; updates: string[] }): {
  look: ServiceLook;
  asked: string[];
} {
  const asked: string[] = [];
  let tasks: readonly TaskSummary[] = [];
  let update = 'completed';
  const look: ServiceLook = {
    state: service,
    apply: () => Promise.resolve({ fromVersion: 7, warnings: [] }),
    refresh(part) {
      asked.push(part);
      if (part === 'tasks') tasks = script.tasks.shift() ?? tasks;
      else update = script.updates.shift() ?? update;
      const running = tasks.filter((t) => t.state === 'running').length;
      return Promise.resolve({ ...service, tasks, running, update: { state: update } });
    },
  };
  return { look, asked };
}

async function restartStep() {
  const ops = createMemoryOperations({ config: lifecycleConfig(), services: prodServices });
  const id = (await askRestart(ops)).card?.requestId ?? '';
  const request = await ops.deps.store.get(id);
  const step = request?.steps[0];
  if (request === undefined || step === undefined) throw new Error('no request');
  return { ops, request, step };
}

describe('waitForConvergence', () => {
  describe('when the new task comes up and the rollout then completes', () => {
    it('asks for one part per poll: the tasks until they are new, then the update status', async () => {
      const { ops, request, step } = await restartStep();
      const { look, asked } = scriptedLook({
        tasks: [[task('old', before, 'running')], [task('new', after, 'running')]],
        updates: ['updating', 'completed'],
      });
      const converged = await waitForConvergence(ops.deps, request, step, look, started);
      expect(converged).toEqual({ ok: true, evidence: [] });
      expect(asked).toEqual(['tasks', 'tasks', 'service', 'service']);
    });
  });

  describe('when the platform pauses the update', () => {
    it('fails with the pause and the newest failed task, read after the pause was seen', async () => {
      const { ops, request, step } = await restartStep();
      const { look, asked } = scriptedLook({
        tasks: [
          [task('new', after, 'running')],
          [task('new', after, 'failed', 'task: non-zero exit (3)')],
        ],
        updates: ['paused'],
      });
      const converged = await waitForConvergence(ops.deps, request, step, look, started);
      expect(converged.ok).toBe(false);
      expect(converged.evidence).toEqual([
        'update paused: no message',
        'newest failed task: task: non-zero exit (3)',
      ]);
      expect(asked).toEqual(['tasks', 'service', 'tasks']);
    });
  });

  describe('when the service disappears', () => {
    it('says it vanished while converging', async () => {
      const { ops, request, step } = await restartStep();
      const look: ServiceLook = {
        state: service,
        apply: () => Promise.resolve({ fromVersion: 7, warnings: [] }),
        refresh: () => Promise.resolve(undefined),
      };
      expect(await waitForConvergence(ops.deps, request, step, look, started)).toEqual({
        ok: false,
        evidence: ['backend vanished while converging'],
      });
    });
  });
});
