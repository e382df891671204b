import type { Logger } from '../core/ports/logger.js';
import type { AuditEntry, AuditInput, AuditKind } from './audit-entry.js';

/** All given criteria must hold; an absent one matches everything. */
export interface AuditFilter {
  readonly environment?: string;
  readonly requestId?: string;
  readonly service?: string;
  /** Any of these kinds. */
  readonly kinds?: readonly AuditKind[];
}

/**
 * The append-only, hash-chained audit trail: every step of an operation (request, vote, start,
 * result, verification) and every escalation leaves an entry. Covered: appending
 * one entry at a time, safely from several processes at once, each sealed to the one before;
 * reading the newest entries with a filter; reading everything, oldest first, in bounded memory.
 *
 * Deliberately left out: update, delete and trimming (a trail that can be trimmed cannot be
 * verified from its genesis entry); secondary indexes (filters scan from the tail; the trail
 * grows by a few entries per operation); signing. A sha256 chain shows edits, removals and
 * reordering, but not the loss of the newest entries nor a rewrite that recomputes every hash
 * after the edit: `withAuditLogging` ships each entry's hash to the log as an outside witness.
 */
export interface AuditLog {
  /** Seals `input` onto the current tail and stores it; resolves with the stored entry. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Up to `n` entries matching `filter`, newest first. */
  recent(n: number, filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Every entry, oldest first, read page by page. */
  all(): AsyncIterable<AuditEntry>;
}

/** Also writes each appended entry as one log line (`msg: 'audit'`), after it is stored. */
export function withAuditLogging(inner: AuditLog, log: Logger): AuditLog {
  return {
    async append(input) {
      const entry = await inner.append(input);
      log.info({ ...entry }, 'audit');
      return entry;
    },
    recent: (n, filter) => inner.recent(n, filter),
    all: () => inner.all(),
  };
}
