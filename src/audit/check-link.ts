import { GENESIS_HASH, type AuditEntry } from './audit-entry.js';
import { hashEntry } from './hash-entry.js';

export type ChainBreak = 'hash mismatch' | 'broken link' | 'sequence gap';

/**
 * Whether `entry` may follow `previous` (an entry already checked; `undefined` at the start):
 * its own hash first (was it edited?), then its place (was one removed or moved?), then the
 * link (was the one before it edited and re-hashed?).
 */
export function checkLink(
  entry: AuditEntry,
  previous: AuditEntry | undefined,
): ChainBreak | undefined {
  if (hashEntry(entry) !== entry.hash) return 'hash mismatch';
  if (entry.seq !== (previous?.seq ?? 0) + 1) return 'sequence gap';
  if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) return 'broken link';
  return undefined;
}
