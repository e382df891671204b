import type { AuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import { checkLink } from './check-link.js';
import { UnreadableAuditEntryError } from './unreadable-audit-entry-error.js';
import type { ChainVerdict } from './verify-chain.js';

/**
 * `verifyChain` over a stored trail, streamed page by page so memory stays bounded. An entry
 * that cannot even be read counts as a hash mismatch: its content is not what was sealed.
 * Redis being unreachable is not a verdict: that error propagates.
 */
export async function verifyAuditLog(audit: AuditLog): Promise<ChainVerdict> {
  let previous: AuditEntry | undefined;
  let count = 0;
  try {
    for await (const entry of audit.all()) {
      const reason = checkLink(entry, previous);
      if (reason !== undefined) return { ok: false, count, brokenAt: count + 1, reason };
      previous = entry;
      count += 1;
    }
  } catch (error) {
    if (error instanceof UnreadableAuditEntryError) {
      return { ok: false, count, brokenAt: count + 1, reason: 'hash mismatch' };
    }
    throw error;
  }
  return { ok: true, count };
}
