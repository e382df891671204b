import type { OperationRequest, OperationStep } from '../core/requests/operation-request.js';
import { assertOwnsJob } from './job-lock.js';
import type { OperationDeps } from './operation-deps.js';

export type Outcome = NonNullable<OperationRequest['outcome']>;

/**
 * Stores the request as it is now; the stored copy when the store returns one. Only a worker
 * that still holds the job writes, and where the card sits and what it shows are the bot's to
 * record: the stored origin is kept, never the one read when the job started.
 */
export async function save(
  deps: OperationDeps,
  request: OperationRequest,
): Promise<OperationRequest> {
  await assertOwnsJob(deps, `storing ${request.id} as ${request.state}`);
  const saved = await deps.store.update(request.id, (current) => ({
    request: { ...request, origin: current.origin },
    result: true,
  }));
  return saved?.request ?? request;
}

/**
 * Stores the final state and outcome (the store frees the request's services in that same
 * write), and writes the audit line.
 */
async function endRequest(
  deps: OperationDeps,
  request: OperationRequest,
  state: 'drifted' | 'succeeded' | 'failed',
  outcome: Outcome,
  audit: { kind: 'drift' | 'result'; service: string; details?: Record<string, unknown> },
): Promise<OperationRequest> {
  const done = await save(deps, {
    ...request,
    state,
    outcome,
    finishedAt: deps.clock.now().toISOString(),
  });
  await deps.audit.append({
    kind: audit.kind,
    environment: done.environment,
    actor: 'system',
    requestId: done.id,
    operation: done.operation,
    service: audit.service,
    summary: outcome.summary,
    ...(audit.details !== undefined && { details: audit.details }),
  });
  return done;
}

export async function finishDrifted(
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
  const done = await endRequest(deps, request, 'drifted', outcome, {
    kind: 'drift',
    service: step.service,
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

export async function finish(
  deps: OperationDeps,
  request: OperationRequest,
  outcome: Outcome,
  verifiedBy = '',
): Promise<void> {
  const done = await endRequest(deps, request, outcome.ok ? 'succeeded' : 'failed', outcome, {
    kind: 'result',
    service: request.target,
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
