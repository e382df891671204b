import type { EnvironmentConfig, OperationPolicy } from '../config/schema.js';
import type { Identity } from '../core/directory.js';
import { UserError } from '../core/errors.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import type { Reply } from '../core/reply.js';
import { findService } from '../core/requests/find-service.js';
import { mayRequest } from '../core/requests/may-request.js';
import type {
  OperationKind,
  OperationRequest,
  OperationStep,
  RequestOrigin,
} from '../core/requests/operation-request.js';
import { planDigest } from '../core/requests/plan-digest.js';
import { announceRequest } from './announce-request.js';
import { approvalCard } from './approval-card.js';
import type { OperationDeps } from './operation-deps.js';
import { planSteps } from './plan-steps.js';
import { refuseOverBudget } from './refuse-over-budget.js';
import { requestPolicies } from './request-policies.js';
import { storeClaimed } from './store-claimed.js';

export interface OperationAsk {
  readonly environment: string;
  readonly operation: OperationKind;
  /** The service as the person typed it (`backend`, `prod_backend`), or `all`. */
  readonly target: string;
  readonly replicas?: number;
  readonly image?: string;
  readonly identity: Identity;
  readonly origin: RequestOrigin;
  readonly breakGlass?: { readonly reason: string };
}

/**
 * Request → approval card (or, on the break-glass path, straight to the queue with a loud
 * notice). The platform is listed once: the name is resolved, the steps planned and the card
 * drawn from that one listing, and what the card shows is exactly what the worker will compare
 * against before it acts.
 */
export async function requestOperation(deps: OperationDeps, ask: OperationAsk): Promise<Reply> {
  const { env, policy } = allowedPolicy(deps, ask);
  const services = await deps.platformFor(ask.environment).listServices();
  const target = ask.target === 'all' ? 'all' : resolved(services, ask, env).name;
  const steps = await plan(deps, { ...ask, target }, env, services);
  await refuseOverBudget(
    deps,
    ask.environment,
    ask.operation,
    steps.map((s) => s.service),
  );
  const request = newRequest(deps, { ...ask, target }, policy, steps);
  await storeClaimed(deps, env, request);
  await announceRequest(deps, request);
  return { ...approvalCard(request), card: { requestId: request.id } };
}

/** The policy, once `mayRequest` has let the person ask (the middleware asked the same). */
function allowedPolicy(
  deps: OperationDeps,
  ask: OperationAsk,
): { env: EnvironmentConfig; policy: OperationPolicy } {
  const decision = mayRequest(requestPolicies(deps.config)(ask.environment, ask.operation), {
    environment: ask.environment,
    operation: ask.operation,
    identity: ask.identity,
    breakGlass: ask.breakGlass !== undefined,
  });
  if (!decision.ok) throw decision.error;
  const env = deps.config.environments[ask.environment];
  const policy = env?.policy[ask.operation];
  // mayRequest found this very policy; this only tells the compiler.
  if (env === undefined || policy === undefined) throw new Error('policy vanished');
  if (ask.breakGlass !== undefined && ask.breakGlass.reason.trim().length < 5) {
    throw new UserError(
      'USAGE',
      'Break-glass needs a reason: `--break-glass "why it cannot wait"`.',
    );
  }
  return { env, policy };
}

function resolved(
  services: readonly ServiceState[],
  ask: OperationAsk,
  env: EnvironmentConfig,
): ServiceState {
  const found = findService(services, ask.environment, ask.target, env.services);
  if (!found.ok) throw found.error;
  return found.value;
}

async function plan(
  deps: OperationDeps,
  ask: OperationAsk,
  env: EnvironmentConfig,
  services: readonly ServiceState[],
): Promise<OperationStep[]> {
  const saved = new Map<string, number>();
  if (ask.operation === 'start') {
    for (const s of services) {
      const n = await deps.store.savedReplicas(ask.environment, s.name);
      if (n !== undefined) saved.set(s.name, n);
    }
  }
  const steps = planSteps({ ...ask, env, services, saved });
  refuseUnsupported(deps, ask.environment, steps, services);
  if (steps.length === 0) {
    throw new UserError(
      'NOTHING_TO_DO',
      `Nothing to ${ask.operation}: every service is already ${ask.operation === 'stop' ? 'stopped' : 'running'}.`,
    );
  }
  return steps;
}

/** What the platform cannot do (Compose cannot scale) is said now, not after an approval. */
function refuseUnsupported(
  deps: OperationDeps,
  environment: string,
  steps: readonly OperationStep[],
  services: readonly ServiceState[],
): void {
  const operator = deps.operatorFor(environment);
  for (const step of steps) {
    const service = services.find((s) => s.name === step.service);
    const refused =
      service === undefined ? undefined : operator.unsupported?.(step.change, service);
    if (refused !== undefined) throw new UserError('NOT_SUPPORTED', refused);
  }
}

function newRequest(
  deps: OperationDeps,
  ask: OperationAsk,
  policy: OperationPolicy,
  steps: OperationStep[],
): OperationRequest {
  const now = deps.clock.now();
  const plan = {
    environment: ask.environment,
    operation: ask.operation,
    target: ask.target,
    steps,
  };
  return {
    id: deps.newId(),
    ...plan,
    planDigest: planDigest(plan),
    requester: ask.identity.person,
    breakGlass: ask.breakGlass !== undefined,
    ...(ask.breakGlass && { reason: ask.breakGlass.reason }),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + policy.expires).toISOString(),
    state: ask.breakGlass ? 'approved' : 'pending',
    required: policy.approvals,
    approverRoles: policy.approve,
    approvals: [],
    origin: ask.origin,
  };
}
