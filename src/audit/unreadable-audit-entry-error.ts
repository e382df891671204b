/**
 * A stored entry that is not an audit entry at all (not JSON, fields missing): someone wrote
 * to the trail by hand. Internal, never shown in chat; `verifyAuditLog` reports it as a break.
 */
export class UnreadableAuditEntryError extends Error {
  override readonly name = 'UnreadableAuditEntryError';
  readonly code = 'AUDIT_ENTRY_UNREADABLE';
  /** The position (1-based) the entry was read from. */
  readonly seq: number;

  constructor(seq: number, problem: string) {
    super(
      `audit entry ${seq} is unreadable (${problem}); run \`tas-chatops audit-verify\` and restore the trail from a backup`,
    );
    this.seq = seq;
  }
}
