import type { Identity } from '../core/directory.js';
import { UserError } from '../core/errors.js';
import type { Reply } from '../core/reply.js';
import { formatDuration } from '../lib/duration.js';
import { approvalCard } from './approval-card.js';
import type { OperationDeps } from './operation-deps.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import type {
  OperationKind,
  OperationRequest,
  OperationStep,
  RequestOrigin,
} from '../core/requests/operation-request.js';
import { planSteps } from './plan-steps.js';
import { planDigest } from '../core/requests/plan-digest.js';

export interface OperationAsk {
  readonly environment: string;
  readonly operation: OperationKind;
  readonly target: string;
  readonly replicas?: number;
  readonly image?: string;
  readonly identity: Identity;
  readonly origin: RequestOrigin;
  readonly breakGlass?: { readonly reason: string };
}

async function refuseWhenBusy(deps: OperationDeps, request: OperationRequest): Promise<void> {
  const claimed: string[] = [];
  for (const step of request.steps) {
    const holder = await deps.store.claimService(request.environment, step.service, request.id);
    if (holder === undefined) {
      claimed.push(step.service);
      continue;
    }
    for (const service of claimed)
      await deps.store.releaseService(request.environment, service, request.id);
    const other = await deps.store.get(holder);
    const since = other?.startedAt ?? other?.createdAt;
    const ago = since
      ? `, ${other?.startedAt ? 'started' : 'asked'} ${formatDuration(deps.clock.now().getTime() - Date.parse(since))} ago`
      : '';
    throw new UserError(
      'FORBIDDEN',
      `Busy: ${other?.operation ?? 'an operation'} of ${step.service} by ${other?.requester ?? 'someone'}${ago} [${holder}].`,
      ['One operation at a time per service; try again when it has finished, or cancel it.'],
    );
  }
}

async function refuseOverBudget(
  deps: OperationDeps,
  ask: OperationAsk,
  services: readonly string[],
): Promise<void> {
  const budget = deps.config.environments[ask.environment]?.policy[ask.operation]?.budget;
  if (budget === undefined) return;
  for (const service of services) {
    const used = await deps.store.executions(
      ask.environment,
      service,
      ask.operation,
      deps.clock.now(),
      budget.per,
    );
    if (used >= budget.max) {
      throw new UserError(
        'FORBIDDEN',
        `Budget spent: ${used} ${ask.operation}${used === 1 ? '' : 's'} of ${service} in the last ${formatDuration(budget.per)} (at most ${budget.max}).`,
        ['Something is wrong beyond a restart: look at `logs`, or escalate.'],
      );
    }
  }
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

/**
 * Request → approval card (or, on the break-glass path, straight to the queue with a loud
 * notice). The services are resolved from the live platform; what the card shows is exactly
 * what the worker will compare against before it acts.
 */
export async function requestOperation(deps: OperationDeps, ask: OperationAsk): Promise<Reply> {
  const env = deps.config.environments[ask.environment];
  const policy = env?.policy[ask.operation];
  if (env === undefined || policy === undefined) {
    throw new UserError(
      'FORBIDDEN',
      `Nobody may ${ask.operation} in \`${ask.environment}\`: the config has no policy for it.`,
    );
  }
  if (ask.breakGlass) {
    if (!policy.breakGlass.some((role) => ask.identity.roles.has(role))) {
      throw new UserError(
        'FORBIDDEN',
        `Break-glass ${ask.operation} is not open to you in \`${ask.environment}\`.`,
        [
          policy.breakGlass.length
            ? `Allowed roles: ${policy.breakGlass.join(', ')}.`
            : 'No role has break-glass here.',
        ],
      );
    }
    if (ask.breakGlass.reason.trim().length < 5) {
      throw new UserError(
        'USAGE',
        'Break-glass needs a reason: `--break-glass "why it cannot wait"`.',
      );
    }
  } else if (!policy.request.some((role) => ask.identity.roles.has(role))) {
    throw new UserError(
      'FORBIDDEN',
      `You may not request ${ask.operation} in \`${ask.environment}\`.`,
      [`Allowed roles: ${policy.request.join(', ') || 'none'}.`],
    );
  }
  const services = await deps.platformFor(ask.environment).listServices();
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
      'USAGE',
      `Nothing to ${ask.operation}: every service is already ${ask.operation === 'stop' ? 'stopped' : 'running'}.`,
    );
  }
  await refuseOverBudget(
    deps,
    ask,
    steps.map((s) => s.service),
  );

  const now = deps.clock.now();
  const plan = {
    environment: ask.environment,
    operation: ask.operation,
    target: ask.target,
    steps,
  };
  const request: OperationRequest = {
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
  await refuseWhenBusy(deps, request);
  await deps.store.create(request);
  const summary = `${request.operation} ${request.target}: ${steps.map((s) => `${s.service} ${s.describe}`).join('; ')}`;
  await deps.audit.append({
    kind: request.breakGlass ? 'break-glass' : 'request',
    environment: request.environment,
    actor: request.requester,
    requestId: request.id,
    operation: request.operation,
    service: request.target,
    summary: request.breakGlass ? `BREAK-GLASS ${summary} — ${request.reason ?? ''}` : summary,
    details: {
      steps: request.steps,
      expiresAt: request.expiresAt,
      required: request.required,
      planDigest: request.planDigest,
    },
  });
  if (request.breakGlass) {
    await deps.notifier.channel(request.environment, 'ops', {
      title: `BREAK-GLASS: ${request.requester} runs ${request.operation} ${request.target} in ${request.environment} without approval`,
      blocks: [
        { kind: 'text', text: `Reason: ${request.reason ?? ''}` },
        { kind: 'text', text: `Request ${request.id}; it is in the audit trail.` },
      ],
    });
    await deps.queue.execute(request.id);
  } else {
    await deps.queue.scheduleExpiry(request.id, new Date(request.expiresAt));
  }
  return { ...approvalCard(request), card: { requestId: request.id } };
}
