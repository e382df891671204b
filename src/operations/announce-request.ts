import type { OperationRequest } from '../core/requests/operation-request.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * A stored request goes into the audit trail, then either waits for votes (its expiry
 * scheduled) or, on the break-glass path, is queued at once with a loud notice in the ops channel.
 */
export async function announceRequest(
  deps: OperationDeps,
  request: OperationRequest,
): Promise<void> {
  const summary = `${request.operation} ${request.target}: ${request.steps.map((s) => `${s.service} ${s.describe}`).join('; ')}`;
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
  if (!request.breakGlass) {
    await deps.queue.scheduleExpiry(request.id, new Date(request.expiresAt));
    return;
  }
  await deps.notifier.channel(request.environment, 'ops', {
    title: `BREAK-GLASS: ${request.requester} runs ${request.operation} ${request.target} in ${request.environment} without approval`,
    blocks: [
      { kind: 'text', text: `Reason: ${request.reason ?? ''}` },
      { kind: 'text', text: `Request ${request.id}; it is in the audit trail.` },
    ],
  });
  await deps.queue.execute(request.id);
}
