import type { Reply, ReplyRow, Tone } from '../core/reply.js';
import type { AuditEntry } from './audit-entry.js';
import type { OperationRecord } from './group-operations.js';

/**
 * One row per operation, newest first:
 * `12:04  restart backend · requested by alice · approved by dave · succeeded (verified)`.
 * Times are UTC, with the date when it is not the day of `now`.
 */
export function auditReply(
  environment: string,
  operations: readonly OperationRecord[],
  now: Date,
): Reply {
  const data = operations.flatMap((operation) => operation.entries);
  if (operations.length === 0) {
    return { title: `No privileged operations recorded in ${environment} yet.`, blocks: [], data };
  }
  const plural = operations.length === 1 ? 'operation' : 'operations';
  return {
    title: `Last ${operations.length} privileged ${plural} in ${environment}`,
    blocks: [
      { kind: 'rows', rows: operations.map((operation) => operationRow(operation, now)) },
      { kind: 'text', text: 'Times in UTC.' },
    ],
    data,
  };
}

function operationRow({ opening, entries }: OperationRecord, now: Date): ReplyRow {
  const what = [opening.operation ?? opening.kind, opening.service].filter(Boolean).join(' ');
  const parts = [
    what,
    `${opening.kind === 'break-glass' ? 'break-glass by' : 'requested by'} ${opening.actor}`,
  ];
  const approvers = [
    ...new Set(entries.filter((e) => e.kind === 'vote').map((e) => e.actor)),
  ].reverse();
  if (approvers.length > 0) parts.push(`approved by ${approvers.join(', ')}`);
  const { text, tone } = outcome(entries);
  parts.push(text);
  return { label: clockTime(opening.at, now), value: parts.join(' · '), tone };
}

/** Where the operation stands, from its newest decisive entry. */
function outcome(entries: readonly AuditEntry[]): { text: string; tone: Tone } {
  const newest = (kind: AuditEntry['kind']) => entries.find((entry) => entry.kind === kind);
  const result = newest('result');
  if (result !== undefined) {
    const verification = newest('verification');
    const verified = verification === undefined ? undefined : okOf(verification);
    const how = result.details?.verifiedBy;
    const suffix =
      verified === undefined
        ? typeof how === 'string'
          ? ` (verified: ${how})`
          : ''
        : verified
          ? ' (verified)'
          : ' (verification failed)';
    const ok = okOf(result);
    if (ok === undefined)
      return { text: result.summary + suffix, tone: verified === false ? 'fail' : 'info' };
    return {
      text: `${ok ? 'succeeded' : 'failed'}${suffix}`,
      tone: ok && verified !== false ? 'ok' : 'fail',
    };
  }
  const reject = newest('reject');
  if (reject !== undefined) return { text: `rejected by ${reject.actor}`, tone: 'info' };
  if (newest('expire') !== undefined) return { text: 'expired', tone: 'info' };
  const cancel = newest('cancel');
  if (cancel !== undefined) return { text: `cancelled by ${cancel.actor}`, tone: 'info' };
  if (newest('start') !== undefined) return { text: 'running', tone: 'warn' };
  if (newest('drift') !== undefined)
    return { text: 'changed since requested, asked again', tone: 'warn' };
  return { text: 'awaiting approval', tone: 'info' };
}

/** `details.ok` of a result or verification entry, when it says. */
function okOf(entry: AuditEntry): boolean | undefined {
  const ok = entry.details?.ok;
  return typeof ok === 'boolean' ? ok : undefined;
}

function clockTime(at: string, now: Date): string {
  const time = at.slice(11, 16);
  return at.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${at.slice(0, 10)} ${time}`;
}
