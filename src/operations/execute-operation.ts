import type { EnvironmentConfig } from '../config/schema.js';
import { PermanentJobError } from '../core/errors.js';
import type { ServiceLook } from '../core/ports/service-operator.js';
import {
  isFinished,
  type Evidence,
  type OperationRequest,
  type OperationStep,
  type StepState,
} from '../core/requests/operation-request.js';
import { applyStep } from './apply-step.js';
import { driftOf, ownChangeOn } from './drift-of.js';
import { finish, finishDrifted, save, type Outcome } from './finish-operation.js';
import { lookAt } from './look-at.js';
import type { OperationDeps } from './operation-deps.js';
import { planRefusal } from './plan-refusal.js';
import { changeToSend, isApplied } from './step-progress.js';
import { takeBaseline, verifyStep } from './verify-step.js';
import { waitForConvergence } from './wait-for-convergence.js';

function patchStep(
  request: OperationRequest,
  index: number,
  patch: Partial<OperationStep> & { state: StepState },
): OperationRequest {
  return { ...request, steps: request.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
}

/** What the steps so far have shown; the outcome once one has decided it. */
interface Progress {
  request: OperationRequest;
  outcome?: Outcome;
  /** A step found its service changed since the card: the request ended as drifted. */
  drifted?: boolean;
  readonly evidence: Evidence[];
  readonly verifiedBy: string[];
}

const failed = (text: string): Evidence => ({ text, tone: 'fail' });

/**
 * The worker's job for one approved request. Idempotent against the platform, not against our
 * notes: every step's state is stored before and after its change, the change stored with
 * `applying` carries a marker of its own (the ForceUpdate value, the image, the replicas, the
 * rollback target), so a worker killed at any instant, even after the platform accepted the
 * change but before `applied` was stored, and the job handed to another one never applies a
 * change twice: it sees "applying", looks for the marker on the service, and carries on with
 * convergence and verification.
 */
export async function executeOperation(deps: OperationDeps, id: string): Promise<void> {
  const request = await startExecution(deps, id);
  if (request === undefined) return; // rejected, cancelled, expired or done meanwhile
  const startedAt = new Date(request.startedAt ?? deps.clock.now().toISOString());
  const env = deps.config.environments[request.environment];
  if (env === undefined)
    throw new PermanentJobError(`environment ${request.environment} is no longer configured`);
  const refusal = planRefusal(env, request);
  if (refusal !== undefined) {
    await finish(deps, request, {
      ok: false,
      summary: `${request.operation} ${request.target}: not run, the plan does not match the card`,
      evidence: [failed(refusal)],
    });
    return;
  }
  const progress: Progress = { request, evidence: [], verifiedBy: [] };
  for (let index = 0; index < request.steps.length; index += 1) {
    await runStep(deps, env, progress, index, startedAt);
    if (progress.drifted === true) return;
    if (progress.outcome !== undefined) break;
  }
  const { evidence } = progress;
  const warnings = evidence.some((e) => e.tone === 'warn');
  const outcome = progress.outcome ?? {
    ok: true,
    summary: `${request.operation} ${request.target}: ${warnings ? 'done; the environment still has problems from before' : 'done and verified'}`,
    evidence,
  };
  await finish(deps, progress.request, outcome, progress.verifiedBy.join('; '));
}

/**
 * approved → running, atomically; the first worker to do so announces the start. Undefined when
 * the request is no longer to be run.
 */
async function startExecution(
  deps: OperationDeps,
  id: string,
): Promise<OperationRequest | undefined> {
  const started = await deps.store.update(id, (current) => {
    if (current.state !== 'approved') return undefined;
    return {
      request: { ...current, state: 'running', startedAt: deps.clock.now().toISOString() },
      result: true,
    };
  });
  if (started === undefined) throw new PermanentJobError(`request ${id} does not exist`);
  const { request } = started;
  if (request.state !== 'running') return undefined;
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
  return request;
}

/**
 * One step: one look at the service (drift check, baseline, the change against that very
 * inspect), then convergence and verification. A step done before a crash is skipped; one that
 * was applying is applied again only if the change is not visible yet.
 */
async function runStep(
  deps: OperationDeps,
  env: EnvironmentConfig,
  progress: Progress,
  index: number,
  startedAt: Date,
): Promise<void> {
  const step = progress.request.steps[index];
  if (step === undefined || step.state === 'verified' || step.state === 'skipped') return;
  if (step.state === 'failed') {
    const evidence = [...progress.evidence, failed(step.note ?? 'failed earlier')];
    progress.outcome = { ok: false, summary: `${step.service} failed`, evidence };
    return;
  }
  const look = await lookAt(deps.operatorFor(progress.request.environment), step.service);
  if (look === undefined) {
    const patch = { state: 'failed' as const, note: 'service vanished' };
    progress.request = await save(deps, patchStep(progress.request, index, patch));
    const summary = `${step.service} no longer exists`;
    progress.outcome = { ok: false, summary, evidence: progress.evidence };
    return;
  }
  // Still planned, yet this very change is on the service: our `applying` write was lost after
  // the change was sent. It is ours, not drift: nothing is sent again.
  const own = step.state === 'planned' ? ownChangeOn(step, look.state, startedAt) : undefined;
  if (step.state === 'planned' && own === undefined) {
    const drift = driftOf(step, look.state);
    if (drift !== undefined) {
      await finishDrifted(deps, progress.request, step, drift);
      progress.drifted = true;
      return;
    }
    await applyPlanned(deps, env, progress, index, look);
  } else if (step.state === 'applying' && !isApplied(step, look.state)) {
    // The previous worker died before the Engine accepted the change: apply it now, once.
    const change = step.sent ?? changeToSend(step, look.state, env.platform);
    await applyStep(deps, progress.request, { ...step, change }, look);
  }
  const applied = { state: 'applied' as const, ...(own !== undefined && { sent: own }) };
  progress.request = await save(deps, patchStep(progress.request, index, applied));
  await convergeAndVerify(deps, env, progress, index, look, startedAt);
}

/** The baseline, the step stored as applying (with it), a progress line, then the change. */
async function applyPlanned(
  deps: OperationDeps,
  env: EnvironmentConfig,
  progress: Progress,
  index: number,
  look: ServiceLook,
): Promise<void> {
  const { request } = progress;
  const step = request.steps[index];
  if (step === undefined) return;
  const baseline = await takeBaseline(deps, env, request.environment, step, look.state);
  const startedAt = deps.clock.now().toISOString();
  // What is looked for on the service after a crash: stored before the change is sent.
  const sent = changeToSend(step, look.state, env.platform);
  progress.request = await save(
    deps,
    patchStep(request, index, { state: 'applying', startedAt, baseline, sent }),
  );
  if (request.steps.length > 1) {
    await deps.notifier.thread(progress.request, {
      title: `${step.service} (${index + 1}/${request.steps.length}): ${step.describe}`,
      blocks: [],
    });
  }
  await applyStep(deps, progress.request, { ...step, change: sent }, look);
}

async function convergeAndVerify(
  deps: OperationDeps,
  env: EnvironmentConfig,
  progress: Progress,
  index: number,
  look: ServiceLook,
  startedAt: Date,
): Promise<void> {
  const { request } = progress;
  const step = request.steps[index];
  if (step === undefined) return;
  const converged = await waitForConvergence(deps, request, step, look, startedAt);
  const verdict = converged.ok
    ? await verifyStep(deps, env, request.environment, step, startedAt)
    : { ok: false, evidence: converged.evidence.map(failed) };
  progress.evidence.push(...verdict.evidence);
  if (verdict.ok && 'verifiedBy' in verdict && verdict.verifiedBy !== undefined)
    progress.verifiedBy.push(
      request.steps.length > 1 ? `${step.service}: ${verdict.verifiedBy}` : verdict.verifiedBy,
    );
  const state = verdict.ok ? 'verified' : 'failed';
  progress.request = await save(deps, patchStep(request, index, { state }));
  if (!verdict.ok) {
    const which = request.target === step.service ? '' : ` (at ${step.service})`;
    progress.outcome = {
      ok: false,
      summary: `${request.operation} ${request.target}: verification failed${which}`,
      evidence: progress.evidence,
    };
  }
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
    evidence: [failed(reason)],
  });
}
