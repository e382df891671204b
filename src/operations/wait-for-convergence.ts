import type { ServiceLook } from '../core/ports/service-operator.js';
import type { OperationRequest, OperationStep } from '../core/requests/operation-request.js';
import type { OperationDeps } from './operation-deps.js';
import { convergence, freshFailure, isUpdating } from './step-progress.js';

export interface Converged {
  readonly ok: boolean;
  readonly evidence: readonly string[];
}

/**
 * Polls one part of the service per round, one platform call each: the tasks until they look
 * converged (or a new one failed), then the service's update status until the platform has
 * finished the rollout (back to the tasks if it finished and they were not done). Progress is
 * posted to the thread whenever it changes.
 */
export async function waitForConvergence(
  deps: OperationDeps,
  request: OperationRequest,
  step: OperationStep,
  look: ServiceLook,
  startedAt: Date,
): Promise<Converged> {
  const deadline = deps.clock.now().getTime() + deps.timings.convergeTimeoutMs;
  let last = '';
  let part: 'tasks' | 'service' = 'tasks';
  for (;;) {
    const current = await look.refresh(part);
    if (current === undefined)
      return { ok: false, evidence: [`${step.service} vanished while converging`] };
    const state = convergence(step, current, startedAt, part === 'service');
    if (part === 'service' && state.done) return { ok: true, evidence: [] };
    if (state.problem !== undefined) {
      // The update status said so; the tasks in hand may predate the failure that paused it.
      const latest = part === 'service' ? ((await look.refresh('tasks')) ?? current) : current;
      const failed = freshFailure(latest, startedAt);
      return {
        ok: false,
        evidence: [
          state.problem,
          ...(failed?.error ? [`newest failed task: ${failed.error}`] : []),
        ],
      };
    }
    if (part === 'tasks') {
      if (state.done || freshFailure(current, startedAt) !== undefined) part = 'service';
    } else if (!isUpdating(current)) part = 'tasks';
    if (state.progress !== last) {
      last = state.progress;
      await deps.notifier.thread(request, {
        title: `${step.service}: ${state.progress}`,
        blocks: [],
      });
    }
    if (deps.clock.now().getTime() > deadline) {
      return {
        ok: false,
        evidence: [
          `${step.service} did not converge within ${Math.round(deps.timings.convergeTimeoutMs / 1000)}s (${state.progress})`,
        ],
      };
    }
    await deps.sleep(deps.timings.pollMs);
  }
}
