import type { Reply, ReplyBlock, ReplyRow, Tone, Verdict } from '../core/reply.js';
import type { OperationRequest, StepState } from '../core/requests/operation-request.js';

const HEADLINES: Readonly<Record<OperationRequest['state'], string>> = {
  pending: 'waiting for approval',
  approved: 'approved, queued',
  running: 'running',
  succeeded: 'done and verified',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired, nothing ran',
  cancelled: 'cancelled, nothing ran',
  drifted: 'not run: the service changed since this card was shown',
};

const STEP_TONE: Readonly<Record<StepState, Tone>> = {
  planned: 'info',
  applying: 'warn',
  applied: 'warn',
  verified: 'ok',
  failed: 'fail',
  skipped: 'info',
};

function verdictOf(request: OperationRequest): Verdict | undefined {
  if (request.state === 'succeeded')
    return request.outcome?.evidence.some((e) => e.tone === 'warn') ? 'DEGRADED' : 'OK';
  if (request.state === 'failed') return 'DOWN';
  return undefined;
}

const clock = (iso: string) => iso.slice(11, 16) + ' UTC';

/**
 * The approval card: exactly what will change, who may approve, until when. Re-rendered on
 * every vote, rejection, cancel, expiry and result; the buttons go once nothing is left to decide.
 */
export function approvalCard(request: OperationRequest): Reply {
  const what =
    request.target === 'all'
      ? `all services of ${request.environment}`
      : `${request.environment}_${request.target}`;
  const rows: ReplyRow[] = request.steps.map((step) => ({
    label: step.service,
    value: `${step.describe} (spec version ${step.before.version}, image ${step.before.imageTag})${step.note ? ` — ${step.note}` : ''}`,
    tone: STEP_TONE[step.state],
  }));
  const facts = [
    { label: 'Requested by', value: `${request.requester} at ${clock(request.createdAt)}` },
    {
      label: 'Approvals',
      value: `${request.approvals.length} of ${request.required}${request.approvals.length ? ` (${request.approvals.map((v) => v.person).join(', ')})` : ''}`,
    },
    { label: 'Who may approve', value: `${request.approverRoles.join(', ')} (not the requester)` },
    { label: 'Expires', value: clock(request.expiresAt) },
  ];
  if (request.reason) facts.push({ label: 'Reason', value: request.reason });
  if (request.breakGlass) facts.push({ label: 'Break-glass', value: 'ran without approval' });
  if (request.rejection) {
    facts.push({
      label: 'Rejected by',
      value: `${request.rejection.person}${request.rejection.reason ? `: ${request.rejection.reason}` : ''}`,
    });
  }
  if (request.cancelledBy) facts.push({ label: 'Cancelled by', value: request.cancelledBy });
  const blocks: ReplyBlock[] = [
    { kind: 'rows', title: 'What will change', rows },
    { kind: 'fields', fields: facts },
  ];
  if (request.outcome) {
    blocks.push({
      kind: 'rows',
      title: request.outcome.summary,
      rows: request.outcome.evidence.map((e) => ({ label: '', value: e.text, tone: e.tone })),
    });
  }
  const verdict = verdictOf(request);
  const warned =
    request.state === 'succeeded' &&
    request.outcome?.evidence.some((e) => e.tone === 'warn') === true;
  return {
    title: `${request.operation} ${what} — ${warned ? 'done, with warnings from before' : HEADLINES[request.state]} [${request.id}]`,
    ...(verdict && { verdict }),
    blocks,
    ...(request.state === 'pending' && {
      buttons: [
        { label: 'Approve', verb: 'approve', requestId: request.id, style: 'primary' },
        { label: 'Reject', verb: 'reject', requestId: request.id, style: 'danger' },
      ],
    }),
    data: { request },
  };
}
