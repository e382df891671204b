import { DependencyError, PermanentJobError, PlatformConflictError } from '../core/errors.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import { releaseAll } from './decide-request.js';
import type { OperationDeps } from './operation-deps.js';
import {
  isFinished,
  type Evidence,
  type OperationRequest,
  type OperationStep,
  type StepState,
} from '../core/requests/operation-request.js';
import { planRefusal } from './plan-refusal.js';
import { convergence, isApplied } from './step-progress.js';
import { takeBaseline, verifyStep } from './verify-step.js';

type Outcome = NonNullable<OperationRequest['outcome']>;

function patchStep(
  request: OperationRequest,
  index: number,
  patch: Partial<OperationStep> & { state: StepState },
): OperationRequest {
  return { ...request, steps: request.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
}

/**
 * The worker's job for one approved request. Idempotent by construction: every step's state is
 * stored before and after its change, so a worker killed mid-operation and the job handed to
 * another one never applies a change twice: it sees "applying", checks whether the change is
 * visible on the service, and carries on with convergence and verification.
 */
export async function executeOperation(deps: OperationDeps, id: string): Promise<void> {
  const started = await deps.store.update(id, (current) => {
    if (current.state !== 'approved') return undefined;
    return {
      request: { ...current, state: 'running', startedAt: deps.clock.now().toISOString() },
      result: true,
    };
  });
  if (started === undefined) throw new PermanentJobError(`request ${id} does not exist`);
  let request = started.request;
  if (request.state !== 'running') return; // rejected, cancelled, expired or done meanwhile
  const startedAt = new Date(request.startedAt ?? deps.clock.now().toISOString());
  if (started.result === true) {
    await deps.audit.append({
      kind: 'start',
      environment: request.environment,
      actor: 'system',
      requestId: id,
      operation: request.operation,
      service: request.target,
      summary: 'execution started',
    });
    await deps.notifier.thread(request, {
      title: `Started ${request.operation} ${request.target} [${id}]`,
      blocks: [],
    });
    await deps.notifier.card(request);
  }
  const env = deps.config.environments[request.environment];
  if (env === undefined)
    throw new PermanentJobError(`environment ${request.environment} is no longer configured`);
  const refusal = planRefusal(env, request);
  if (refusal !== undefined) {
    await finish(deps, request, {
      ok: false,
      summary: `${request.operation} ${request.target}: not run, the plan does not match the card`,
      evidence: [{ text: refusal, tone: 'fail' }],
    });
    return;
  }

  let outcome: Outcome | undefined;
  const evidence: Evidence[] = [];
  const verifiedBy: string[] = [];
  const failed = (text: string): Evidence => ({ text, tone: 'fail' });
  for (let index = 0; index < request.steps.length && outcome === undefined; index += 1) {
    const step = request.steps[index];
    if (step === undefined || step.state === 'verified' || step.state === 'skipped') continue;
    if (step.state === 'failed') {
      outcome = {
        ok: false,
        summary: `${step.service} failed`,
        evidence: [...evidence, failed(step.note ?? 'failed earlier')],
      };
      break;
    }
    const operator = deps.operatorFor(request.environment);
    const current = await operator.inspect(step.service);
    if (current === undefined) {
      request = await save(
        deps,
        patchStep(request, index, { state: 'failed', note: 'service vanished' }),
      );
      outcome = { ok: false, summary: `${step.service} no longer exists`, evidence };
      break;
    }
    if (step.state === 'planned') {
      const drift = driftOf(step, current);
      if (drift !== undefined) {
        await finishDrifted(deps, request, step, drift);
        return;
      }
      const baseline = await takeBaseline(deps, env, request.environment, step);
      request = await save(
        deps,
        patchStep(request, index, {
          state: 'applying',
          startedAt: deps.clock.now().toISOString(),
          baseline,
        }),
      );
      if (request.steps.length > 1) {
        await deps.notifier.thread(request, {
          title: `${step.service} (${index + 1}/${request.steps.length}): ${step.describe}`,
          blocks: [],
        });
      }
      await applyStep(deps, request, step, current);
    } else if (step.state === 'applying' && !isApplied(step, current)) {
      // The previous worker died before the Engine accepted the change: apply it now, once.
      await applyStep(deps, request, step, current);
    }
    request = await save(deps, patchStep(request, index, { state: 'applied' }));
    const converged = await waitForConvergence(deps, request, step, startedAt);
    const verdict = converged.ok
      ? await verifyStep(deps, env, request.environment, request.steps[index] ?? step, startedAt)
      : { ok: false, evidence: converged.evidence.map(failed) };
    evidence.push(...verdict.evidence);
    if (verdict.ok && 'verifiedBy' in verdict && verdict.verifiedBy !== undefined)
      verifiedBy.push(
        request.steps.length > 1 ? `${step.service}: ${verdict.verifiedBy}` : verdict.verifiedBy,
      );
    request = await save(
      deps,
      patchStep(request, index, { state: verdict.ok ? 'verified' : 'failed' }),
    );
    if (!verdict.ok) {
      const which = request.target === step.service ? '' : ` (at ${step.service})`;
      outcome = {
        ok: false,
        summary: `${request.operation} ${request.target}: verification failed${which}`,
        evidence,
      };
    }
  }
  const warnings = evidence.some((e) => e.tone === 'warn');
  outcome ??= {
    ok: true,
    summary: `${request.operation} ${request.target}: ${warnings ? 'done; the environment still has problems from before' : 'done and verified'}`,
    evidence,
  };
  await finish(deps, request, outcome, verifiedBy.join('; '));
}

function driftOf(step: OperationStep, current: ServiceState): string | undefined {
  const changes: string[] = [];
  if (current.image !== step.before.image)
    changes.push(`image ${step.before.imageTag}→${current.imageTag}`);
  if (current.desired !== step.before.desired)
    changes.push(`replicas ${step.before.desired}→${current.desired}`);
  // A rollback goes to whatever the platform holds as previous: it must still be what the card showed.
  if (step.change.kind === 'rollback' && current.previous?.image !== step.before.previousImage)
    changes.push(
      `previous image ${step.before.previousImage ?? 'none'}→${current.previous?.image ?? 'none'}`,
    );
  if (
    changes.length === 0 &&
    step.before.fingerprint !== '' &&
    current.fingerprint !== step.before.fingerprint
  ) {
    changes.push('update config changed');
  }
  return changes.length ? changes.join(', ') : undefined;
}

async function applyStep(
  deps: OperationDeps,
  request: OperationRequest,
  step: OperationStep,
  current: ServiceState,
): Promise<void> {
  if (step.change.kind === 'scale' && step.change.replicas === 0 && current.desired > 0) {
    await deps.store.saveReplicas(request.environment, step.service, current.desired);
  }
  const budget = deps.config.environments[request.environment]?.policy[request.operation]?.budget;
  if (budget !== undefined) {
    await deps.store.countExecution(
      request.environment,
      step.service,
      request.operation,
      deps.clock.now(),
      budget.per,
      request.id,
    );
  }
  try {
    await deps.operatorFor(request.environment).apply(step.service, step.change);
  } catch (error) {
    if (error instanceof DependencyError) throw error; // transient: retried with backoff
    if (error instanceof PlatformConflictError)
      throw new PermanentJobError(error.message, { cause: error });
    throw new PermanentJobError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

async function waitForConvergence(
  deps: OperationDeps,
  request: OperationRequest,
  step: OperationStep,
  startedAt: Date,
) {
  const deadline = deps.clock.now().getTime() + deps.timings.convergeTimeoutMs;
  let last = '';
  for (;;) {
    const current = await deps.operatorFor(request.environment).inspect(step.service);
    if (current === undefined)
      return { ok: false, evidence: [`${step.service} vanished while converging`] };
    const state = convergence(step, current, startedAt);
    if (state.done) return { ok: true, evidence: [] };
    if (state.problem !== undefined) {
      const failed = current.tasks.find(
        (t) => t.error !== undefined && t.createdAt.getTime() >= startedAt.getTime() - 1000,
      );
      return {
        ok: false,
        evidence: [
          state.problem,
          ...(failed?.error ? [`newest failed task: ${failed.error}`] : []),
        ],
      };
    }
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

async function save(deps: OperationDeps, request: OperationRequest): Promise<OperationRequest> {
  const saved = await deps.store.update(request.id, () => ({ request, result: true }));
  return saved?.request ?? request;
}

async function finishDrifted(
  deps: OperationDeps,
  request: OperationRequest,
  step: OperationStep,
  drift: string,
): Promise<void> {
  const outcome = {
    ok: false,
    summary: `not run: ${step.service} changed since the card was shown (${drift})`,
    evidence: [{ text: drift, tone: 'fail' as const }],
  };
  const done = await save(deps, {
    ...request,
    state: 'drifted',
    outcome,
    finishedAt: deps.clock.now().toISOString(),
  });
  await releaseAll(deps, done);
  await deps.audit.append({
    kind: 'drift',
    environment: done.environment,
    actor: 'system',
    requestId: done.id,
    operation: done.operation,
    service: step.service,
    summary: outcome.summary,
  });
  await deps.notifier.thread(done, {
    title: `Did not ${done.operation} ${step.service}: it changed since the card was shown (${drift}).`,
    blocks: [
      {
        kind: 'text',
        text: `Ask again to see the new state: \`/${deps.config.command} ${done.operation} ${done.target}\`.`,
      },
    ],
  });
  await deps.notifier.card(done);
}

async function finish(
  deps: OperationDeps,
  request: OperationRequest,
  outcome: Outcome,
  verifiedBy = '',
): Promise<void> {
  const done = await save(deps, {
    ...request,
    state: outcome.ok ? 'succeeded' : 'failed',
    outcome,
    finishedAt: deps.clock.now().toISOString(),
  });
  await releaseAll(deps, done);
  await deps.audit.append({
    kind: 'result',
    environment: done.environment,
    actor: 'system',
    requestId: done.id,
    operation: done.operation,
    service: done.target,
    summary: outcome.summary,
    // How it was seen to work, for `/tas audit`: `succeeded (verified: 1/1 running)`.
    details: {
      ok: outcome.ok,
      evidence: outcome.evidence,
      ...(outcome.ok && verifiedBy !== '' && { verifiedBy }),
    },
  });
  const rollbackHint =
    !outcome.ok &&
    done.operation !== 'rollback' &&
    done.target !== 'all' &&
    done.steps.some((s) => s.state !== 'planned')
      ? [
          {
            kind: 'text' as const,
            text: `To undo it: \`/${deps.config.command} rollback ${done.target}\` (same approval policy).`,
          },
        ]
      : [];
  await deps.notifier.thread(done, {
    title: outcome.ok ? `Verified: ${outcome.summary}` : `Failed: ${outcome.summary}`,
    verdict: outcome.ok
      ? outcome.evidence.some((e) => e.tone === 'warn')
        ? 'DEGRADED'
        : 'OK'
      : 'DOWN',
    blocks: [
      {
        kind: 'rows',
        rows: outcome.evidence.map((e) => ({ label: '', value: e.text, tone: e.tone })),
      },
      ...rollbackHint,
    ],
    data: { request: done },
  });
  await deps.notifier.card(done);
}

/**
 * The queue gave up on a request (a permanent error, or the last retry failed): end it as
 * failed with the reason, so the card, the thread and the audit never show it running forever.
 */
export async function giveUpOperation(
  deps: OperationDeps,
  id: string,
  reason: string,
): Promise<void> {
  const request = await deps.store.get(id);
  if (request === undefined || isFinished(request)) return;
  await finish(deps, request, {
    ok: false,
    summary: `${request.operation} ${request.target}: could not be carried out`,
    evidence: [{ text: reason, tone: 'fail' }],
  });
}
