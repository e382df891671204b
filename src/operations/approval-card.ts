import type { Reply, ReplyBlock, ReplyRow, Tone, Verdict } from '../core/reply.js';
import type {
  OperationRequest,
  OperationStep,
  StepState,
} from '../core/requests/operation-request.js';
import { normaliseImage } from '../lib/image-reference.js';
import { repositoryChange } from './image-change.js';
import { rollbackTargetOf } from './step-progress.js';

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

/** The image a step moves the service to, when it moves it at all. */
function targetOf(step: OperationStep): string | undefined {
  if (step.change.kind === 'image') return step.change.image;
  return rollbackTargetOf(step)?.image;
}

/**
 * The exact spec a rollback goes to, recorded when the card was made: the reference as the
 * platform holds it (digest included) and on ECS the task definition revision. Applying it
 * again changes nothing, so a retried rollback never flips the service back.
 */
function rollbackRow(step: OperationStep): ReplyRow[] {
  const target = rollbackTargetOf(step);
  if (target === undefined) return [];
  const definition =
    target.taskDefinition === undefined ? '' : `, task definition ${target.taskDefinition}`;
  return [
    {
      label: step.service,
      value: `rolls back to exactly ${target.image}${definition}`,
      tone: 'info',
    },
  ];
}

/**
 * One row per step, with the full image reference; a step that moves the image to another
 * repository (registry or path) gets a loud row of its own, so it never reads like a tag change.
 */
function stepRows(step: OperationStep): ReplyRow[] {
  const target = targetOf(step);
  const image = target === undefined ? `, image ${normaliseImage(step.before.image)}` : '';
  const rows: ReplyRow[] = [
    {
      label: step.service,
      value: `${step.describe} (spec version ${step.before.version}${image})${step.note ? ` — ${step.note}` : ''}`,
      tone: STEP_TONE[step.state],
    },
  ];
  rows.push(...rollbackRow(step));
  const swap = target === undefined ? undefined : repositoryChange(step.before.image, target);
  if (swap !== undefined) {
    rows.push({
      label: step.service,
      value: `⚠ image repository changes: ${swap.from} → ${swap.to}`,
      tone: 'fail',
    });
  }
  return rows;
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
  const rows: ReplyRow[] = request.steps.flatMap(stepRows);
  const facts = [
    { label: 'Requested by', value: `${request.requester} at ${clock(request.createdAt)}` },
    {
      label: 'Approvals',
      value: `${request.approvals.length} of ${request.required}${request.approvals.length ? ` (${request.approvals.map((v) => v.person).join(', ')})` : ''}`,
    },
    { label: 'Who may approve', value: `${request.approverRoles.join(', ')} (not the requester)` },
    { label: 'Expires', value: clock(request.expiresAt) },
  ];
  if (request.planDigest)
    facts.push({ label: 'Plan digest', value: request.planDigest.slice(0, 'sha256:'.length + 12) });
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
